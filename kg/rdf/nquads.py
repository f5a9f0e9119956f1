"""An N-Quads file read graph by graph, so that a file of thousands of articles is never held whole.

kg writes each article's quads together, one named graph after another; such a file is read a
graph at a time. A line already written as Oxigraph writes terms (single spaces, absolute IRIs,
lowercase language tags, only the escapes Oxigraph itself writes), and holding only what
Oxigraph's strict parser takes, is split at its spaces and each term checked by a regex once (the
terms seen last are remembered), which is several times cheaper than making Python objects of its
terms; any other line is parsed on its own by Oxigraph (an N-Quads line stands alone: no prefixes,
no base), which gives its terms as Oxigraph writes them or refuses the line. So every line read is
one the store's strict loader would take, and it need not check them again
(:meth:`kg.store.EmbeddedStore.replace`). What cannot be read this way (a syntax error, a triple in
the default graph, a graph named by a blank node, a graph whose lines are not together) raises
:class:`NotStreamable`: the file is then read whole, as before, which reports the same errors with
their lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.graph import ArticleGraph

Triple = tuple[str, str, str]

# An absolute IRI as RFC 3987 allows it, narrowed to what is simple to check: no user name, no
# bracketed IP address, a port of digits. Outside it a line is parsed by Oxigraph, never taken as is.
_UCS = r"\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef" + "".join(
    rf"\U000{plane:x}{'1' if plane == 14 else '0'}000-\U000{plane:x}fffd" for plane in range(1, 15)
)
_PRIVATE = r"\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"  # only in a query
_PCHAR = rf"A-Za-z0-9\-._~!$&'()*+,;=:@{_UCS}"


def _run(chars: str) -> str:
    return rf"(?:[{chars}]++|%[0-9A-Fa-f]{{2}})*+"


_HOST = _run(rf"A-Za-z0-9\-._~!$&'()*+,;={_UCS}") + r"(?::[0-9]*+)?"
_IRI = (
    rf"<[A-Za-z][A-Za-z0-9+.\-]*+:(?://{_HOST}(?=[/?#>])|(?!//)){_run(_PCHAR + '/')}"
    rf"(?:\?{_run(_PCHAR + '/?' + _PRIVATE)})?(?:#{_run(_PCHAR + '/?')})?>"
)
_BLANK = r"_:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?"
_TEXT = r'[^"\\\x00-\x1f\x7f]*+'
# a language tag of a language, a script and a region, each optional but the first (BCP 47)
_LANGUAGE = r"[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
_LITERAL = rf'"{_TEXT}(?:\\[btnfr"\\]{_TEXT})*+"(?:@{_LANGUAGE}|\^\^{_IRI})?'
_TERM = re.compile(rf"({_IRI})|({_BLANK})|({_LITERAL})").fullmatch
# Oxigraph writes an xsd:string literal without its datatype, and refuses rdf:langString given as one
_IMPLIED = ("^^<http://www.w3.org/2001/XMLSchema#string>", "^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>")
IRI, BLANK, LITERAL = 1, 2, 4  # what a term is, as bits: a subject may be either of the first two
_KINDS = (0, IRI, BLANK, LITERAL)


class NotStreamable(Exception):
    """The file has to be read whole (see the module docstring)."""


def graph_runs(path: Path) -> Iterator[tuple[ArticleGraph, bytes]]:
    """Each named graph of an N-Quads file, and its N-Quads lines.

    The file is read as bytes and each line decoded on its own, so a line taken as written is
    handed on as the bytes it was, never encoded again. A line with the subject and the graph of the
    line before (a subject's triples come together) reuses both, checked once. Lines taken as
    written that rise in byte order hold triples in order (each term is followed by a space, which
    sorts before any character that could go on with it), so the graph needs no sorting."""
    seen: set[str] = set()
    name: str | None = None
    triples: list[Triple] = []
    lines: list[bytes] = []
    ordered = False  # every line of this graph taken as written, each above the one before
    last = b""
    known: dict[str, int] = {}  # terms checked so far, and their kind (0: not as Oxigraph writes it)
    kind = known.get
    head = tail = "\0"  # the last line's subject and a space; a space, its graph and " .\n"
    s = graph = ""
    try:
        with path.open("rb") as stream:
            for raw in stream:
                line = raw.decode("utf-8")
                if line.startswith(head) and line.endswith(tail):
                    p, _, o = line[len(head) : -len(tail)].partition(" ")
                    canonical = (kind(p) or _kind(p, known)) == IRI and (kind(o) or _kind(o, known))
                else:
                    # IRIs and blank nodes hold no space: the first two spaces end the subject and the
                    # predicate, the last two start the graph and the closing " .", whatever a literal holds
                    parts = line.split(" ", 2)
                    ending = parts[2].rsplit(" ", 2) if len(parts) == 3 else ()
                    if len(ending) == 3 and ending[2] == ".\n":
                        s, p, o, graph = parts[0], parts[1], ending[0], ending[1]
                        canonical = (
                            (kind(s) or _kind(s, known)) & (IRI | BLANK)
                            and (kind(p) or _kind(p, known)) == IRI
                            and (kind(o) or _kind(o, known))
                            and (graph == name or (kind(graph) or _kind(graph, known)) == IRI)
                        )
                        if canonical:
                            head, tail = s + " ", f" {graph} .\n"
                    else:
                        canonical = False
                if not canonical:
                    head = tail = "\0"
                    parsed = _alone(line)
                    if parsed is None:
                        continue  # a blank line or a comment
                    s, p, o, graph = parsed
                    raw = f"{s} {p} {o} {graph} .\n".encode()
                if graph != name:
                    if name is not None:
                        yield _graph(name, triples, ordered, path), b"".join(lines)
                    if graph in seen:
                        raise NotStreamable(f"the lines of {graph} are not together")
                    seen.add(graph)
                    name, triples, lines, ordered = graph, [], [], bool(canonical)
                elif raw <= last or not canonical:
                    ordered = False
                last = raw
                triples.append((s, p, o))
                lines.append(raw)
    except (OSError, UnicodeDecodeError) as error:
        raise NotStreamable(str(error)) from None
    if name is None:
        raise NotStreamable("no quads")
    yield _graph(name, triples, ordered, path), b"".join(lines)


def _graph(name: str, triples: list[Triple], ordered: bool, path: Path) -> ArticleGraph:
    return ArticleGraph(name[1:-1], tuple(triples), path) if ordered else ArticleGraph.of(name[1:-1], triples, path)


_KNOWN_MOST = 50_000  # terms remembered, at most ~8 MB: the vocabulary, an article's IRIs, repeated values
_KNOWN_LONGEST = 200  # characters of a term remembered (an article's text comes once)


def _kind(term: str, known: dict[str, int]) -> int:
    """IRI, BLANK or LITERAL for a term written as Oxigraph writes it, else 0; a short one is remembered."""
    found = _TERM(term)
    kind = 0 if found is None or term.endswith(_IMPLIED) else _KINDS[found.lastindex or 0]
    if len(term) <= _KNOWN_LONGEST:
        if len(known) >= _KNOWN_MOST:
            known.clear()
        known[term] = kind
    return kind


def _alone(line: str) -> tuple[str, str, str, str] | None:
    """One line parsed by Oxigraph: its terms as Oxigraph writes them, None when it holds no quad."""
    try:
        quads = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError) as error:
        raise NotStreamable(str(error)) from None
    if not quads:
        return None
    if len(quads) > 1:  # lines ended by a carriage return alone: the file has to be read whole
        raise NotStreamable("more than one quad on a line")
    quad = quads[0]
    if not isinstance(quad.graph_name, ox.NamedNode):
        raise NotStreamable("a triple outside a named graph")
    return str(quad.subject), str(quad.predicate), str(quad.object), str(quad.graph_name)
