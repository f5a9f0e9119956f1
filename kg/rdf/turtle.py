"""Turtle written straight from an article graph's N-Triples terms, the bytes pyoxigraph's serializer writes.

The graph already holds every term as Oxigraph prints it, sorted so that a subject's triples come
together; writing Turtle is then grouping and abbreviating, with no parse. What Oxigraph does is
followed exactly (``tests/test_turtle.py`` compares the bytes) but in one case, an IRI whose local
name would end in ``.``, written in full as rdflib cannot read ``p:x\\.``. Prefixes longest IRI first (then by
name), each IRI under the first prefix whose local name can be written (escaped where Turtle
allows, as ``kgid:article\\/…\\#char\\=0\\,12``), ``a`` for ``rdf:type``, booleans, integers,
decimals and doubles bare when their lexical form is Turtle's, ``;`` and a tab between predicates,
`` , `` between objects.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from itertools import filterfalse
from operator import itemgetter

from rdflib.namespace import RDF, XSD

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040\\-"  # PN_CHARS, which '.' and ':' join inside a name
_ESCAPED = "~!$&'()*+,;=/?#@%"  # escaped wherever they are; '_', '-' and '.' only where a name cannot have them
_WRITABLE = re.compile(f"[{_PN_CHARS}:.{re.escape(_ESCAPED)}]*")
_FIRST_PLAIN = re.compile(f"[{_BASE}_:0-9]")
_FIRST_ESCAPED = re.compile(f"[{re.escape(_ESCAPED)}.\\-]")
_ESCAPE = re.compile(f"[{re.escape(_ESCAPED)}]")
# A local name that can be written, as one pattern: empty, or a first character a name may start with
# (plain or escaped), then a name's characters, the last no '.'; and a line of them each.
_LOCAL = f"(?:[{_BASE}_:0-9{re.escape(_ESCAPED)}.\\-][{_PN_CHARS}:.{re.escape(_ESCAPED)}]*(?<!\\.))?"
_LOCALS = re.compile(f"(?:{_LOCAL}\n)*{_LOCAL}")
_ASCII_NAME = f"{string.ascii_letters}{string.digits}_:.-{_ESCAPED}\n".encode()
_LEADING = re.compile(r"^[.\-]", re.MULTILINE)  # a local name starting with '.' or '-', escaped there
_INLINE = {  # by the datatype as N-Triples writes it
    f"<{XSD.boolean}>": re.compile(r"true|false"),
    f"<{XSD.integer}>": re.compile(r"[+-]?[0-9]+"),
    f"<{XSD.decimal}>": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    f"<{XSD.double}>": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
}
_TYPE = f"<{RDF.type}>"
_CACHED = 65_536  # terms a writer remembers; types, offsets, names and dates recur
_KEPT_LITERAL = 200  # characters of a literal remembered past its graph (an article's text is not)
_SUBJECT, _PREDICATE, _OBJECT = itemgetter(0), itemgetter(1), itemgetter(2)


def local_name(local: str) -> str | None:
    """A local name as Turtle writes it, escaped where needed; None when it cannot be written so."""
    if not local:
        return ""
    if _WRITABLE.fullmatch(local) is None:
        return None
    first, rest = local[0], local[1:]
    if _FIRST_PLAIN.match(first):
        head = first
    elif _FIRST_ESCAPED.match(first):
        head = "\\" + first
    else:
        return None  # a combining mark, '·' or '‿' cannot start a name
    if local.endswith("."):
        return None  # Turtle allows "p:x\\.", rdflib 7 cannot read it: the one place kg writes what Oxigraph does not
    return head + _ESCAPE.sub(_backslashed, rest)


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group()


def _writable(locals_: str) -> bool:
    """Whether every line of ``locals_`` can be written as a local name: checked on bytes where ASCII."""
    if locals_.isascii():  # any ASCII character a name holds can start one too
        return not locals_.encode().translate(None, _ASCII_NAME) and ".\n" not in locals_ and locals_[-1:] != "."
    return _LOCALS.fullmatch(locals_) is not None


class TurtleWriter:
    """Writes graphs with one set of prefixes; a term's Turtle form is worked out once per writer.

    Per triple, only dictionary look-ups and list appends: before a graph's triples are walked,
    the forms of its new terms are worked out together, IRIs a namespace at a time by string
    operations over all of them (:meth:`_abbreviate`), so that per term little runs in Python.
    """

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in self.prefixes)
        self.forms: dict[str, str] = {_TYPE: "a"}  # as a predicate
        self._first: dict[str, str] = {_TYPE: " a "}  # a predicate after its subject
        self._next: dict[str, str] = {_TYPE: " ;\n\ta "}  # after the subject's previous predicate
        self.objects: dict[str, str] = {}  # as a subject or object
        self.datatypes: dict[str, str] = {}  # a typed literal's datatype, ``<…>`` as written after ``^^``
        # a namespace's IRIs, sorted, lie from "<namespace" up to the first string after all that start so
        self._spans = [
            (f"<{iri}", f"<{iri[:-1]}{chr(ord(iri[-1]) + 1)}", f"{name}:") for name, iri in self.prefixes if iri
        ]

    def iri(self, term: str) -> str:
        """``<…>`` as a prefixed name where one fits."""
        iri = term[1:-1]
        for name, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = local_name(iri[len(namespace) :])
                if local is not None:
                    return f"{name}:{local}"
        return term

    def term(self, term: str) -> str:
        """A subject or object: IRIs abbreviated, literals of the four inline datatypes bare."""
        if term[0] == "<":
            return self.iri(term)
        if term[0] == '"' and term[-1] == ">":
            end = term.rfind('"^^<')
            datatype = term[end + 3 :]
            inline = _INLINE.get(datatype)
            if inline is not None and inline.fullmatch(term, 1, end):
                return term[1:end]
            form = self.datatypes.get(datatype)
            if form is None:
                form = self.datatypes[datatype] = self.iri(datatype)
            return f"{term[: end + 1]}^^{form}"
        return term  # a plain or language-tagged literal, or a blank node: as N-Triples prints it

    def predicate(self, term: str) -> str:
        form = self.forms.get(term)
        if form is None:
            form = self.forms[term] = self.iri(term)
            self._first[term] = f" {form} "
            self._next[term] = f" ;\n\t{form} "
        return form

    def write(self, triples: Sequence[tuple[str, str, str]]) -> bytes:
        """Triples (a subject's together, as ArticleGraph sorts them) as a Turtle document."""
        if not triples:
            return b""
        forms = self.objects
        subjects = list(filterfalse(forms.__contains__, dict.fromkeys(map(_SUBJECT, triples))))
        if len(forms) + len(subjects) > _CACHED:  # bounded; cleared between graphs, not in one
            forms.clear()
            subjects = list(dict.fromkeys(map(_SUBJECT, triples)))
        forms.update((term, self.term(term)) for term in self._abbreviate(subjects))
        try:
            return self._body(triples, forms)
        except KeyError:  # a predicate not seen before, or the cache cleared since by another thread's graph
            for each in set(map(_PREDICATE, triples)).difference(self.forms):
                self.predicate(each)
            subjects = list(dict.fromkeys(map(_SUBJECT, triples)))
            if not forms.keys() >= set(subjects):  # cleared: this call's own forms, which no other call clears
                forms = {term: self.term(term) for term in subjects}
            return self._body(triples, forms)

    def _abbreviate(self, iris: list[str]) -> list[str]:
        """Learn the prefixed names of ``iris`` a namespace at a time; those left are returned.

        Sorted, the IRIs in a namespace lie together: each namespace, longest first, takes its span
        out of the list, so an IRI goes to the first prefix it starts with. Where a local name in
        the span cannot be written, the span is returned, for :meth:`term` to try the next prefix
        as :func:`local_name` says.
        """
        forms = self.objects
        iris.sort()  # the subjects come sorted, a few new objects among them
        rest: list[str] = []
        for start, end, name in self._spans if iris else ():
            low = bisect_left(iris, start)
            high = bisect_left(iris, end, low)
            if low == high:
                continue
            span = iris[low:high]
            del iris[low:high]
            joined = "\n".join(span)
            # each line's namespace and closing '>' cut; a '<', '>' or line break inside an IRI fails below
            locals_ = joined.replace(f">\n{start}", "\n")[len(start) : -1]
            if joined[-1] != ">" or locals_.count("\n") != len(span) - 1 or not _writable(locals_):
                rest += span
                continue
            for char in _ESCAPED:
                if char in locals_:
                    locals_ = locals_.replace(char, "\\" + char)
            if "\n-" in locals_ or "\n." in locals_ or locals_[:1] in {"-", "."}:
                locals_ = _LEADING.sub(r"\\\g<0>", locals_)
            forms.update(zip(span, (name + locals_.replace("\n", f"\n{name}")).split("\n"), strict=True))
        rest += iris
        return rest

    def _body(self, triples: Sequence[tuple[str, str, str]], forms: dict[str, str]) -> bytes:
        """The document, ``forms`` holding every subject's; objects not in it are added as met."""
        first, next_, term = self._first, self._next, self.term
        parts: list[str] = []
        last_s = last_p = None
        # parts.append each time, not a bound method kept in a local: CPython 3.11 specializes the call on a
        # list; and forms.get for an object, as a new one raising KeyError costs more than the look-up
        for s, p, o in triples:
            if p != last_p or s != last_s:
                if s == last_s:
                    parts.append(next_[p])
                else:
                    parts.append(" .\n")
                    parts.append(forms[s])
                    parts.append(first[p])
                    last_s = s
                last_p = p
            else:
                parts.append(" , ")
            form = forms.get(o)
            if form is None:  # new, and no subject here: mostly a literal
                form = term(o) if o[-1] == ">" else o  # an IRI or a typed literal, else as it is
                if len(o) <= _KEPT_LITERAL or o[0] == "<":  # an article's text is no key to keep
                    forms[o] = form
            parts.append(form)
        parts.append(" .\n")
        parts[0] = self.header  # where the first subject's " .\n" went
        return "".join(parts).encode("utf-8")
