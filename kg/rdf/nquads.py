"""An N-Quads file read graph by graph, so that a file of thousands of articles is never held whole.

kg writes each article's quads together, one named graph after another; such a file is read a
graph at a time. A line already written as Oxigraph writes terms (single spaces, absolute IRIs,
lowercase language tags, only the escapes Oxigraph itself writes) is split by a regex, which is
several times cheaper than making Python objects of its terms; any other line is parsed on its own
by Oxigraph (an N-Quads line stands alone: no prefixes, no base), which gives its terms as Oxigraph
writes them. What cannot be read this way (a syntax error, a triple in the default graph, a graph
named by a blank node, a graph whose lines are not together) raises :class:`NotStreamable`: the
file is then read whole, as before, which reports the same errors with their lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

Triple = tuple[str, str, str]

_IRI_CHARS = r'[^\x00-\x20<>"{}|^`\\%]*+'
_IRI = rf"<[A-Za-z][A-Za-z0-9+.\-]*+:{_IRI_CHARS}(?:%[0-9A-Fa-f]{{2}}{_IRI_CHARS})*+>"
_BLANK = r"_:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?"
# Oxigraph writes an xsd:string literal without its datatype, and refuses rdf:langString given as one
_IMPLIED = ("^^<http://www.w3.org/2001/XMLSchema#string>", "^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>")
_TEXT = r'[^"\\\x00-\x1f\x7f]*+'
_LITERAL = rf'"{_TEXT}(?:\\[btnfr"\\]{_TEXT})*+"(?:@[a-z]+(?:-[a-z0-9]+)*|\^\^{_IRI})?'
_LINE = re.compile(rf"({_IRI}|{_BLANK}) ({_IRI}) ({_IRI}|{_BLANK}|{_LITERAL}) ({_IRI}) \.\n")


class NotStreamable(Exception):
    """The file has to be read whole (see the module docstring)."""


def graph_runs(path: Path) -> Iterator[tuple[str, list[Triple], str]]:
    """Each named graph of an N-Quads file as (IRI, triples as N-Triples terms, its N-Quads lines)."""
    seen: set[str] = set()
    name: str | None = None
    triples: list[Triple] = []
    lines: list[str] = []
    match = _LINE.fullmatch
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            for line in stream:
                found = match(line)
                if found is not None and not found[3].endswith(_IMPLIED):
                    s, p, o, graph = found.groups()
                    written = line
                else:
                    parsed = _alone(line)
                    if parsed is None:
                        continue  # a blank line or a comment
                    s, p, o, graph = parsed
                    written = f"{s} {p} {o} {graph} .\n"
                if graph != name:
                    if name is not None:
                        yield name[1:-1], triples, "".join(lines)
                    if graph in seen:
                        raise NotStreamable(f"the lines of {graph} are not together")
                    seen.add(graph)
                    name, triples, lines = graph, [], []
                triples.append((s, p, o))
                lines.append(written)
    except (OSError, UnicodeDecodeError) as error:
        raise NotStreamable(str(error)) from None
    if name is None:
        raise NotStreamable("no quads")
    yield name[1:-1], triples, "".join(lines)


def _alone(line: str) -> tuple[str, str, str, str] | None:
    """One line parsed by Oxigraph: its terms as Oxigraph writes them, None when it holds no quad."""
    try:
        quads = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError) as error:
        raise NotStreamable(str(error)) from None
    if not quads:
        return None
    quad = quads[0]
    if not isinstance(quad.graph_name, ox.NamedNode):
        raise NotStreamable("a triple outside a named graph")
    return str(quad.subject), str(quad.predicate), str(quad.object), str(quad.graph_name)
