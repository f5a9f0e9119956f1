"""What the compiled checks read from an N-Triples term, and the way back to rdflib nodes for results."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.rdf.literals import TERMS_CACHED, TYPED, comparable, lexical, split
from kg.rdf.oxigraph import to_nt
from kg.shacl.vocabulary import SH, Unsupported

NODE_KINDS: dict[Node, str] = {  # sh:nodeKind as a test of the term's first character
    SH.IRI: "v[0] == '<'",
    SH.BlankNode: "v[0] == '_'",
    SH.Literal: "v[0] == '\"'",
    SH.BlankNodeOrIRI: "v[0] != '\"'",
    SH.BlankNodeOrLiteral: "v[0] != '<'",
    SH.IRIOrLiteral: "v[0] != '_'",
}


def text(term: str) -> str | None:
    """The string a pattern or length constraint reads: an IRI's, a literal's lexical form; none for a blank node."""
    if term[0] == "<":
        return term[1:-1]
    if term[0] == '"':
        return lexical(term)
    return None


def key(term: str) -> object:
    """What RDF term equality compares: literals by value and tag, whatever the escaping."""
    if term[0] != '"':
        return term
    form, suffix = split(term)
    return form, "" if suffix == f"^^<{XSD.string}>" else suffix


def datatype_test(datatype: Node) -> Callable[[str], bool]:
    """sh:datatype: a literal of that datatype whose lexical form is in the datatype's lexical space."""
    if datatype == XSD.string:
        typed = f'"^^<{XSD.string}>'
        return lambda v: v[0] == '"' and (v[-1] == '"' or v.endswith(typed))
    if datatype == RDF.langString:
        return lambda v: v[0] == '"' and v[v.rfind('"') + 1 : v.rfind('"') + 2] == "@"
    if str(datatype) not in TYPED:
        raise Unsupported(f"sh:datatype {datatype.n3()}: a datatype whose lexical space kg does not check")
    quoted = f'"^^<{datatype}>'
    value, cut = TYPED[str(datatype)][1], -len(quoted)

    @lru_cache(maxsize=TERMS_CACHED)
    def test(v: str) -> bool:
        if v[0] != '"' or not v.endswith(quoted):
            return False
        try:
            value(v[1:cut])
        except ValueError:
            return False
        return True

    return test


def compare(a: str, b: str) -> int | None:
    """-1, 0 or 1 as ``a`` is below, equal to or above ``b``; None when SPARQL could not compare them."""
    left, right = comparable(a), comparable(b)
    if left is None or right is None or left[0] != right[0] or left[0] == "boolean":
        return None
    try:
        return (left[1] > right[1]) - (left[1] < right[1])  # type: ignore[operator]
    except TypeError:  # a zoned and an unzoned value, say
        return None


def bound_test(bound: str, accepted: tuple[int, ...]) -> Callable[[str], bool]:
    """sh:minInclusive and the like: the value compares with the bound as ``accepted`` says."""

    @lru_cache(maxsize=TERMS_CACHED)
    def test(v: str) -> bool:
        return compare(v, bound) in accepted

    return test


def integer(node: Node) -> int:
    """A count or length parameter's value (``int()`` of its lexical form, as of any rdflib term)."""
    return int(str(node))


def nt(node: Node) -> str:
    """A shape's constant as an N-Triples term; a blank node keeps its label, so it is the data's node only
    when shapes and data are one graph (as in the W3C tests)."""
    return to_nt(node)


def to_rdflib(term: str) -> Node:
    if term[0] == "<":
        return URIRef(term[1:-1])
    if term[0] == "_":
        return BNode(term[2:])
    form, suffix = split(term)
    if suffix.startswith("@"):
        return Literal(form, lang=suffix[1:])
    datatype = suffix[3:-1] if suffix else None
    return Literal(form, datatype=None if datatype == str(XSD.string) else URIRef(datatype) if datatype else None)
