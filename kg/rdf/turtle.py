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
from collections.abc import Iterable, Mapping

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
_INLINE = {
    str(XSD.boolean): re.compile(r"true|false"),
    str(XSD.integer): re.compile(r"[+-]?[0-9]+"),
    str(XSD.decimal): re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    str(XSD.double): re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
}
_TYPE = f"<{RDF.type}>"
_CACHED = 65_536


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


class TurtleWriter:
    """Writes graphs with one set of prefixes; a term's Turtle form is worked out once per writer."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in self.prefixes)
        self.forms: dict[str, str] = {_TYPE: "a"}  # as a predicate
        self.objects: dict[str, str] = {}

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
        form = self.objects.get(term)
        if form is not None:
            return form
        last = term[-1]
        if last != ">" and term[0] == '"':
            return term  # a plain or language-tagged literal: as N-Triples prints it
        if term[0] == "<":
            form = self.iri(term)
        elif term[0] == '"' and term[-1] == ">":
            end = term.rfind('"^^<')
            datatype, lexical = term[end + 4 : -1], term[1:end]
            inline = _INLINE.get(datatype)
            if inline is not None and inline.fullmatch(lexical):
                form = lexical
            else:
                form = f"{term[: end + 1]}^^{self.iri(term[end + 3 :])}"
        else:
            return term  # a blank node
        if len(self.objects) >= _CACHED:  # types, offsets and dates recur; the cache stays bounded
            self.objects.clear()
        self.objects[term] = form
        return form

    def subject(self, term: str) -> str:
        """A subject, written once per subject and rarely seen again: not cached."""
        return self.iri(term) if term[0] == "<" else term

    def predicate(self, term: str) -> str:
        form = self.forms.get(term)
        if form is None:
            form = self.forms[term] = self.iri(term)
        return form

    def write(self, triples: Iterable[tuple[str, str, str]]) -> bytes:
        """Triples (a subject's together, as ArticleGraph sorts them) as a Turtle document."""
        parts: list[str] = []
        add = parts.append
        term, predicate, subject = self.term, self.predicate, self.subject
        last_s = last_p = None
        for s, p, o in triples:
            if s == last_s:
                if p == last_p:
                    add(f" , {term(o)}")
                else:
                    add(f" ;\n\t{predicate(p)} {term(o)}")
                    last_p = p
            else:
                if last_s is not None:
                    add(" .\n")
                add(f"{subject(s)} {predicate(p)} {term(o)}")
                last_s, last_p = s, p
        if last_s is None:
            return b""
        add(" .\n")
        return (self.header + "".join(parts)).encode("utf-8")
