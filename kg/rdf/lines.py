"""Where a node is written in a Turtle, TriG, N-Triples or N-Quads file: the line a validation result points to.

Parsers do not say where a triple came from, so the file is tokenized again, without building any
triples: prefixes and the base are followed, so ``ex:a``, ``<a>`` and ``<http://example.org/a>``
are the same node, and a node's line is the first where it is a statement's subject (else the
first where it appears at all). Strings, comments and nesting are skipped whole, so a ``.`` inside
a literal or a list ends nothing. The file has been parsed already; what does not tokenize is
passed over, never raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from kg.rdf.literals import unescape

_LOCAL = r"(?:[\w:%-]|\\[_~.!$&'()*+,;=/?#@%-]|\.(?=[\w:%\\-]))*"
_TOKENS = re.compile(
    r"""
    (?P<newline>\n)
    | (?P<space>[ \t\r]+)
    | (?P<comment>\#[^\n]*)
    | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
    | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<quoted><<|>>|\{\||\|\})
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<bnode>_:(?:[\w-]|\.(?=[\w-]))+)
    | (?P<at>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<number>[+-]?(?:\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+))
    | (?P<pname>(?:[^\W\d_](?:[\w.-]*[\w-])?)?:"""
    + _LOCAL
    + r""")
    | (?P<word>[A-Za-z]+)
    | (?P<punct>[.;,\[\](){}]|\^\^)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass(slots=True)
class Lines:
    """First lines of the nodes of one file, by N-Triples term (``<http://…>``, ``_:b0``)."""

    subjects: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, int] = field(default_factory=dict)

    def line(self, term: str) -> int | None:
        """The first line where the node is a subject, else the first where it is written at all."""
        return self.subjects.get(term) or self.mentions.get(term)


def turtle_lines(text: str, base: str) -> Lines:
    """The lines of the nodes of a Turtle, TriG, N-Triples or N-Quads document read with ``base``."""
    found = Lines()
    prefixes: dict[str, str] = {}
    line, depth = 1, 0
    expect_subject = True  # the next term at depth 0 starts a statement
    pending: tuple[str, int] | None = None  # a subject, unless the next token is "{" (then a graph name)
    directive: str | None = None  # "prefix", "prefix-iri", "base" while a directive is read
    declared = ""
    graph_name_next = False
    for match in _TOKENS.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "newline":
            line += 1
            continue
        if kind in ("space", "comment"):
            continue
        if kind == "long":
            line += token.count("\n")
        if pending is not None:
            if token != "{":
                found.subjects.setdefault(*pending)
            pending = None
        if directive is not None:
            if directive == "prefix" and kind == "pname":
                declared, directive = token[:-1] if token.endswith(":") else token.split(":", 1)[0], "prefix-iri"
                continue
            if kind == "iri":
                iri = _resolve(token, base)
                if directive == "base":
                    base = iri
                else:
                    prefixes[declared] = iri
            directive = None
            expect_subject = True  # a SPARQL-style directive has no "."; an @-directive's "." says so again
            continue
        if kind in ("at", "word") and depth == 0 and expect_subject:
            keyword = token.lstrip("@").lower()
            if keyword in ("prefix", "base"):
                directive = keyword
                continue
            if kind == "word" and keyword == "graph":
                graph_name_next = True
                continue
        term = _term(kind, token, prefixes, base)
        if term is not None:
            found.mentions.setdefault(term, line)
            if graph_name_next:
                graph_name_next = False
            elif depth == 0 and expect_subject:
                pending = (term, line)
            if depth == 0:
                expect_subject = False
            continue
        if token in ("[", "(", "<<"):
            if depth == 0:
                expect_subject = False
            depth += 1
        elif token in ("]", ")", ">>"):
            depth = max(depth - 1, 0)
        elif token in ("{", "}"):
            expect_subject, depth = True, 0
        elif token == "." and depth == 0:
            expect_subject = True
        elif kind in ("string", "long", "number", "word") and depth == 0:
            expect_subject = False
    if pending is not None:
        found.subjects.setdefault(*pending)
    return found


def _term(kind: str | None, token: str, prefixes: dict[str, str], base: str) -> str | None:
    """The N-Triples term of an IRI, prefixed name or blank node label; None for anything else."""
    if kind == "iri":
        return f"<{_resolve(token, base)}>"
    if kind == "bnode":
        return token
    if kind == "pname":
        prefix, _, local = token.partition(":")
        namespace = prefixes.get(prefix)
        return None if namespace is None else f"<{namespace}{_LOCAL_ESCAPE.sub(_escaped, local)}>"
    return None


def _escaped(match: re.Match[str]) -> str:
    return match.group(1)


def _resolve(token: str, base: str) -> str:
    iri = unescape(token[1:-1])
    return iri if _SCHEME.match(iri) else urljoin(base, iri)


def text_lines(text: str, terms: list[str]) -> Lines:
    """For formats not tokenized here (JSON-LD, RDF/XML): the first line that names each IRI in full."""
    found = Lines()
    rows = text.splitlines()
    for term in terms:
        if not term.startswith("<"):
            continue
        iri = term[1:-1]
        number = next((n for n, row in enumerate(rows, 1) if iri in row), None)
        if number is not None:
            found.mentions[term] = number
    return found
