"""One article's graph, held as sorted N-Triples lines, and what can be made of it.

Lines are what the mapping writes (:mod:`kg.rdf.terms`), what Oxigraph loads in one call for
validation, and what an N-Quads stream needs, with the graph's name added. Sorted, they are
the same bytes on every run and keep each subject's triples together for Turtle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.rdf.namespaces import PREFIXES, bind_prefixes

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


@dataclass(slots=True, frozen=True)
class ArticleGraph:
    name: str  # the article's IRI: the named graph it goes in when loaded or streamed
    lines: tuple[str, ...]  # N-Triples, one triple a line ending in " .\n", sorted, no duplicates
    source: Path | None = None  # the file it was read from (kg load), for messages

    @classmethod
    def of(cls, name: str, lines: Iterable[str], source: Path | None = None) -> ArticleGraph:
        return cls(name, tuple(sorted(set(lines))), source)

    @classmethod
    def from_triples(
        cls, name: str, triples: Iterable[ox.Triple | ox.Quad], source: Path | None = None
    ) -> ArticleGraph:
        """From parsed triples (or quads, whose graph is dropped): Oxigraph prints terms as N-Triples."""
        return cls.of(name, (f"{t.subject} {t.predicate} {t.object} .\n" for t in triples), source)

    def __len__(self) -> int:
        return len(self.lines)

    def ntriples(self) -> bytes:
        return "".join(self.lines).encode("utf-8")

    def nquads(self) -> bytes:
        graph = f" <{self.name}> .\n"
        return "".join(line[:-3] + graph for line in self.lines).encode("utf-8")

    def turtle(self) -> bytes:
        return ox.serialize(self.triples(), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)

    def trig(self) -> bytes:
        return ox.serialize(ox.parse(self.nquads(), format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG,
                            prefixes=_PREFIXES)

    def triples(self) -> ox.QuadParser:
        return ox.parse(self.ntriples(), format=ox.RdfFormat.N_TRIPLES)

    def to_rdflib(self) -> Graph:
        """The graph as an rdflib ``Graph``, for Python users who query it there."""
        return bind_prefixes(Graph()).parse(data=self.ntriples(), format="nt")
