"""rdflib terms to Oxigraph and N-Triples, Oxigraph terms back to rdflib: shapes and users' graphs
come as rdflib, the engine reads N-Triples terms, reports and Python users speak rdflib."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node) -> Term:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if not isinstance(term, Literal):
        raise TypeError(f"{term!r} is not an IRI, a blank node or a literal")
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def to_nt(term: Node) -> str:
    """An rdflib term as the N-Triples term kg's graphs hold (Oxigraph's canonical form)."""
    return str(to_ox(term))


def to_rdflib(term: Term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):  # as rdflib reads "7": a plain literal
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def serialize(
    triples: Iterable[ox.Triple] | Iterable[ox.Quad], format: ox.RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    """``ox.serialize`` into bytes (given no output file it returns them; its stub says ``bytes | None``)."""
    written = ox.serialize(triples, format=format, prefixes=prefixes)
    if written is None:
        raise RuntimeError("pyoxigraph.serialize returned nothing, though given no file to write to")
    return written


def select(store: ox.Store, query: str) -> ox.QuerySolutions:
    """The solutions of a SELECT query (``Store.query`` also answers ASK and CONSTRUCT, with other types)."""
    answer = store.query(query)
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError(f"not a SELECT query, it answers {type(answer).__name__}: {query[:80]!r}")
    return answer
