"""Reading RDF files: the one table of suffixes, the one parser, and the files under directories.

Every command that reads RDF (``kg validate``, ``kg load``, ``kg eval``) reads it here, so a file
that one of them reads, the others read too, and an unreadable one gives the same message.
"""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.errors import GraphUnreadable

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
# The same formats by rdflib's names (shapes and pyshacl's data are rdflib graphs).
_RDFLIB = {
    ox.RdfFormat.TURTLE: "turtle",
    ox.RdfFormat.N_TRIPLES: "nt",
    ox.RdfFormat.N_QUADS: "nquads",
    ox.RdfFormat.TRIG: "trig",
    ox.RdfFormat.JSON_LD: "json-ld",
    ox.RdfFormat.RDF_XML: "xml",
    ox.RdfFormat.N3: "n3",
}


def rdf_format(path: Path) -> ox.RdfFormat:
    """The format a file's suffix says; Turtle for a file named otherwise (it was given by name)."""
    return SUFFIXES.get(path.suffix, ox.RdfFormat.TURTLE)


def read_quads(path: Path) -> list[ox.Quad]:
    """Every quad of an RDF file (a triple file's in the default graph), or why it cannot be read."""
    if not path.is_file():
        raise GraphUnreadable(f"{path}: no such file")
    try:
        return list(ox.parse(path=str(path), format=rdf_format(path), base_iri=path.resolve().as_uri()))
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphUnreadable(f"{path}: not parseable RDF ({first_line(exc)})") from exc


def read_triples(path: Path) -> list[tuple[str, str, str]]:
    """Every triple of the file as N-Triples terms, sorted and unique (a dataset's graphs merged)."""
    return sorted({(str(q.subject), str(q.predicate), str(q.object)) for q in read_quads(path)})


def read_graph(path: Path) -> Graph:
    """The file as one rdflib graph (a dataset's graphs merged), for pyshacl and shapes."""
    if not path.is_file():
        raise GraphUnreadable(f"{path}: no such file")
    rdf_format = _RDFLIB[SUFFIXES.get(path.suffix, ox.RdfFormat.TURTLE)]
    try:
        if rdf_format in {"nquads", "trig"}:
            dataset = Dataset(default_union=True)
            dataset.parse(path, format=rdf_format)
            graph = Graph()
            for triple in dataset.triples((None, None, None)):
                graph.add(triple)
            return graph
        return Graph().parse(path, format=rdf_format)
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        raise GraphUnreadable(f"{path}: not parseable RDF ({first_line(exc)})") from exc


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
