"""One article's graph, held as sorted triples of N-Triples terms, and what can be made of it.

Terms are what the mapping writes (:mod:`kg.rdf.terms`) and what the SHACL engine reads without
parsing anything; joined into lines they are N-Triples, or an N-Quads stream with the graph's name
added. Sorted, they are the same bytes on every run and keep each subject's triples together.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby, islice
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph

from kg.rdf.jsonld import JsonLdWriter
from kg.rdf.namespaces import PREFIXES, bind_prefixes
from kg.rdf.oxigraph import serialize
from kg.rdf.turtle import TurtleWriter

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_TURTLE = TurtleWriter(_PREFIXES)
_JSONLD = JsonLdWriter(_PREFIXES)


class Loadable(Protocol):
    """What a store needs of an article graph to load it: an :class:`ArticleGraph`, or one that waits on
    disk for its batch (:class:`kg.load.SpilledGraph`)."""

    @property
    def name(self) -> str: ...

    @property
    def source(self) -> Path | None: ...

    def __len__(self) -> int: ...

    def ntriples(self) -> bytes: ...

    def nquads(self) -> bytes: ...


@dataclass(slots=True, frozen=True)
class ArticleGraph:
    name: str  # the article's IRI: the named graph it goes in when loaded or streamed
    triples: tuple[tuple[str, str, str], ...]  # (subject, predicate, object) as N-Triples terms, sorted, unique
    source: Path | None = None  # the file it was read from (kg load), for messages

    @classmethod
    def of(cls, name: str, triples: Iterable[tuple[str, str, str]], source: Path | None = None) -> ArticleGraph:
        """Sorted, then a triple given twice dropped beside its twin: a set of them first hashed every
        term (a third of the cost of reading a graph back from a file, which is already in order)."""
        ordered = sorted(triples)
        if not all(map(operator.ne, ordered, islice(ordered, 1, None))):
            ordered = [triple for triple, _ in groupby(ordered)]
        return cls(name, tuple(ordered), source)

    @classmethod
    def from_triples(
        cls, name: str, triples: Iterable[ox.Triple | ox.Quad], source: Path | None = None
    ) -> ArticleGraph:
        """From parsed triples (or quads, whose graph is dropped): Oxigraph prints terms as N-Triples."""
        return cls.of(name, ((str(t.subject), str(t.predicate), str(t.object)) for t in triples), source)

    def __len__(self) -> int:
        return len(self.triples)

    def ntriples(self) -> bytes:
        return "".join([f"{s} {p} {o} .\n" for s, p, o in self.triples]).encode("utf-8")

    def nquads(self) -> bytes:
        graph = f"<{self.name}>"
        return "".join([f"{s} {p} {o} {graph} .\n" for s, p, o in self.triples]).encode("utf-8")

    def turtle(self) -> bytes:
        """Written from the terms themselves (:mod:`kg.rdf.turtle`): the bytes pyoxigraph would write."""
        return _TURTLE.write(self.triples)

    def trig(self) -> bytes:
        return serialize(
            ox.parse(self.nquads(), format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=_PREFIXES
        )

    def jsonld(self) -> bytes:
        """One JSON-LD document, its ``@context`` inline (:mod:`kg.rdf.jsonld`): read offline, the same triples."""
        return _JSONLD.write(self.parsed())

    def parsed(self) -> ox.QuadParser:
        """The triples as pyoxigraph objects (parsed in Rust)."""
        return ox.parse(self.ntriples(), format=ox.RdfFormat.N_TRIPLES)

    def to_rdflib(self) -> Graph:
        """The graph as an rdflib ``Graph``, for Python users who query it there."""
        return bind_prefixes(Graph()).parse(data=self.ntriples(), format="nt")
