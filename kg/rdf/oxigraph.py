"""Graphs into Oxigraph, and Oxigraph terms back to rdflib: validation runs in Oxigraph, reports
and Python users speak rdflib."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.rdf.graph import ArticleGraph

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


def to_store(graphs: dict[str, Graph | ArticleGraph]) -> ox.Store:
    """Graphs into one Oxigraph store, each in the named graph of its key."""
    store = ox.Store()
    for name, graph in graphs.items():
        target = ox.NamedNode(name)
        if isinstance(graph, ArticleGraph):  # parsed in Rust: no Python object per triple
            store.load(graph.ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=target)
        else:
            store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), target) for s, p, o in graph)
    return store
