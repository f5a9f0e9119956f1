"""Reading RDF files: the one table of suffixes, the one parser, and the files under directories.

Every command that reads RDF (``kg validate``, ``kg load``, ``kg eval``) reads it here, so a file
that one of them reads, the others read too, and an unreadable one gives the same message.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from fnmatch import fnmatch
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import GraphUnreadable
from kg.rdf.oxigraph import to_rdflib

SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


STDIN = Path("-")  # as riot, rapper and rdfpipe take it: standard input
TURTLE_FAMILY = frozenset({ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG})
_TERM_LIMIT = "buffer maximal size"  # what Oxigraph's parsers say of a term over 16 MiB
_DECLARATIONS = tuple(
    keyword.encode(encoding)
    for keyword in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_CHUNK = 1 << 20
_Taken = TypeVar("_Taken")  # what _parsed gives back: what its take makes of the quads


def rdf_format(path: Path) -> ox.RdfFormat:
    """The format a file's suffix says; Turtle for a file named otherwise (it was given by name)."""
    return SUFFIXES.get(path.suffix, ox.RdfFormat.TURTLE)


def display_name(path: Path) -> str:
    """A path as reports show it; standard input as ``<stdin>``."""
    return "<stdin>" if path == STDIN else str(path)


def base_iri(path: Path) -> str:
    """The base relative IRIs in a file resolve against: the file's own URI."""
    return "file:///dev/stdin" if path == STDIN else path.resolve().as_uri()


def read_stdin() -> bytes:
    """Standard input whole (read once: it is parsed, then searched for line numbers)."""
    return sys.stdin.buffer.read()


def sniff_format(data: bytes) -> ox.RdfFormat:
    """The format of RDF given without a file name: JSON-LD starts with ``{`` or ``[``, RDF/XML with
    ``<?xml``, a DTD or comment, or ``<rdf:RDF``; anything else is read as TriG, which Turtle and
    N-Triples are subsets of (N-Quads is tried when TriG fails, see :func:`read_quads`)."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:64]
    if head[:1] in (b"{", b"["):
        return ox.RdfFormat.JSON_LD
    if head.startswith((b"<?xml", b"<!", b"<rdf:RDF")):  # no Turtle document starts so
        return ox.RdfFormat.RDF_XML
    return ox.RdfFormat.TRIG


def read_format(path: Path, data: bytes | None = None, format: ox.RdfFormat | None = None) -> ox.RdfFormat:
    """The format :func:`read_quads` parses in: as told, else as standard input's first bytes or the suffix say."""
    if format is not None:
        return format
    return sniff_format(data) if data is not None and path == STDIN else rdf_format(path)


def read_quads(path: Path, data: bytes | None = None, format: ox.RdfFormat | None = None) -> list[ox.Quad]:
    """Every quad of an RDF file (a triple file's in the default graph), or why it cannot be read.

    ``data`` is the content when it is not read from ``path`` (standard input); ``format`` overrides
    the suffix. Nothing is fetched: a remote JSON-LD context is an error, not a request, and RDF/XML
    with a DTD is refused before parsing, since its entities can expand without bound."""
    return _parsed(path, data, format, list)


def _parsed(
    path: Path, data: bytes | None, format: ox.RdfFormat | None, take: Callable[[Iterator[ox.Quad]], _Taken]
) -> _Taken:
    """``take`` of the file's quads as the parser gives them, with :func:`read_quads`'s errors (the parser
    fails while ``take`` reads it)."""
    name = display_name(path)
    if data is None and not path.is_file():
        raise GraphUnreadable(f"{name}: no such file")
    format = read_format(path, data, format)
    if format is ox.RdfFormat.RDF_XML and _declares_entities(path, data):
        raise GraphUnreadable(
            f"{name}: RDF/XML with a DTD (<!DOCTYPE> or <!ENTITY>) is refused: its entities can expand without "
            "bound; write the IRIs out in full"
        )
    base = base_iri(path)
    try:
        try:
            if data is not None:
                return take(ox.parse(input=data, format=format, base_iri=base))
            return take(ox.parse(path=str(path), format=format, base_iri=base))
        except SyntaxError:
            if data is None or path != STDIN or format is not ox.RdfFormat.TRIG:
                raise
            try:
                return take(ox.parse(input=data, format=ox.RdfFormat.N_QUADS, base_iri=base))
            except SyntaxError:
                pass
            raise
    except MemoryError as exc:
        if _TERM_LIMIT not in str(exc):
            raise
        raise GraphUnreadable(f"{name}: a term longer than 16 MiB, more than the RDF parser takes") from exc
    except (SyntaxError, ValueError, OSError) as exc:
        if "LoadDocumentCallback" in str(exc):
            raise GraphUnreadable(
                f"{name}: the JSON-LD names a remote @context, which kg does not fetch (no network access); "
                "put the context in the file"
            ) from exc
        raise GraphUnreadable(f"{name}: not parseable RDF ({first_line(exc)})") from exc


def _declares_entities(path: Path, data: bytes | None) -> bool:
    """Whether XML bytes hold a DTD or entity declaration, read a chunk at a time (memory stays flat).
    Outside comments and CDATA an XML document can hold ``<!`` only in its declarations."""
    overlap = max(len(d) for d in _DECLARATIONS)
    if data is not None:
        return any(d in data for d in _DECLARATIONS)
    with path.open("rb") as stream:
        tail = b""
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if any(d in window for d in _DECLARATIONS):
                return True
            tail = window[-overlap:]
    return False


def read_triples(
    path: Path, data: bytes | None = None, format: ox.RdfFormat | None = None
) -> list[tuple[str, str, str]]:
    """Every triple of the file as N-Triples terms, sorted (a dataset's graphs merged; a triple the file
    repeats is there twice, side by side).

    The terms are cut from each quad's N-Triples line (one ``str()`` a triple, not one a term), printed
    as the parser gives the quad, so no list of quads is kept (holding one cost kg validate a tenth of
    its time over many files, though few instructions: ``bench/bench_validate.py``). A line is
    ``s p o``, and neither s nor p holds a space (an IRI or a blank node), nor any term a raw newline
    (N-Triples escapes it)."""
    datasets = read_format(path, data, format).supports_datasets  # a quad in a named graph prints its graph too
    lines = _parsed(path, data, format, _triple_lines if datasets else _lines)
    lines.sort()
    return [(s, p, o) for s, p, o in (line.split(" ", 2) for line in lines)]


def _lines(quads: Iterator[ox.Quad]) -> list[str]:
    return [str(quad) for quad in quads]


def _triple_lines(quads: Iterator[ox.Quad]) -> list[str]:
    return [str(quad.triple) for quad in quads]


def read_graph(path: Path, data: bytes | None = None, format: ox.RdfFormat | None = None) -> Graph:
    """The file as one rdflib graph (a dataset's graphs merged), for pyshacl and shapes. Read by the
    parser the fast engine reads with, so both engines see the same triples, and rdflib's parsers,
    which fetch remote JSON-LD contexts and recurse on nested lists, are never used."""
    graph = Graph()
    for quad in read_quads(path, data, format):
        subject, obj = quad.subject, quad.object
        if isinstance(subject, ox.Triple) or isinstance(obj, ox.Triple):
            raise GraphUnreadable(f"{display_name(path)}: RDF-star quoted triples, which pyshacl cannot read")
        graph.add((to_rdflib(subject), to_rdflib(quad.predicate), to_rdflib(obj)))
    return graph


def rdf_files(paths: Sequence[Path], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[Path]:
    """Files as given, and under directories the RDF files (by suffix) that the globs let through, sorted."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for candidate in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES):
            relative = candidate.relative_to(path).parts
            if include and not any(_matches(relative, glob) for glob in include):
                continue
            if any(_matches(relative, glob) for glob in exclude):
                continue
            found.append(candidate)
    return found


def _matches(parts: tuple[str, ...], glob: str) -> bool:
    """A glob matches a path, or any tail of it, as .gitignore patterns do ("bad/*" matches "x/bad/y.ttl")."""
    return any(fnmatch("/".join(parts[i:]), glob) for i in range(len(parts)))


def first_line(exc: Exception) -> str:
    """The first line of an exception's message (a parser's can run on), at most 300 characters."""
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:300]
