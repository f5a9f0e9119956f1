"""rdflib terms to pyoxigraph and back: the graph is built with rdflib, written and checked with Oxigraph.

Oxigraph serializes Turtle several times faster than rdflib and runs the compiled SHACL shapes,
so the one conversion happens here, for both.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.rdf.namespaces import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node) -> Term:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def to_rdflib(term: Term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def triples(graph: Graph) -> list[ox.Triple]:
    """The graph's triples in a stable order (subjects together), so output is the same on every run."""
    return sorted((ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph), key=str)


def to_store(graphs: dict[str, Graph]) -> ox.Store:
    """rdflib graphs into one Oxigraph store, each in the named graph of its key."""
    store = ox.Store()
    for name, graph in graphs.items():
        target = ox.NamedNode(name)
        store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), target) for s, p, o in graph)
    return store


def serialize(graph: Graph, rdf_format: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()} \
        if rdf_format in {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG} else None
    return ox.serialize(triples(graph), format=rdf_format, prefixes=prefixes)


def serialize_dataset(graph: Graph, name: str, rdf_format: ox.RdfFormat) -> bytes:
    """The graph as one named graph ``name`` of N-Quads or TriG: a chunk a stream of articles appends."""
    target = ox.NamedNode(name)
    quads = [ox.Quad(t.subject, t.predicate, t.object, target) for t in triples(graph)]
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()} \
        if rdf_format is ox.RdfFormat.TRIG else None
    return ox.serialize(quads, format=rdf_format, prefixes=prefixes)
