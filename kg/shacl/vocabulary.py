"""What the compiled engine covers of SHACL: exactly the constructs kg's own shapes (``shapes/kg.ttl``) use.

Any other shape vocabulary raises :class:`Unsupported` naming it, and the shapes go to pyshacl, the
reference engine. ``tests/test_shacl_engine.py`` fails when ``shapes/kg.ttl`` outgrows this list.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")


class Unsupported(Exception):
    """The shapes use SHACL this engine does not compile; validate them with pyshacl instead."""


# Target kind by target predicate. sh:targetNode is not in kg's shapes: the W3C tests pick their focus nodes with it.
TARGETS = {SH.targetClass: "class", SH.targetNode: "node", SH.targetObjectsOf: "objectsOf"}
# Checks of each value (or of the focus node in a node shape), compiled to a Python expression over ``v``.
VALUE_PARAMETERS = frozenset(
    {
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.pattern,
        SH.minLength,
        SH["in"],
        SH.minInclusive,
        SH.maxInclusive,
        SH["or"],
        SH.xone,
        SH["not"],
    }
)
# Property pair constraints: which comparisons of value against the other value (-1, 0, 1) satisfy them.
PAIRS = {SH.lessThan: (-1,), SH.lessThanOrEquals: (-1, 0)}
RANGES = {SH.minInclusive: (0, 1), SH.maxInclusive: (-1, 0)}
# Everything a shape may say: the above, counts, sh:hasValue, nested property shapes, SPARQL constraints, and
# what needs no check (messages, severities, names).
COMPILED = frozenset(
    {
        *TARGETS,
        *VALUE_PARAMETERS,
        *PAIRS,
        SH.path,
        SH.property,
        SH.minCount,
        SH.maxCount,
        SH.hasValue,
        SH.sparql,
        SH.message,
        SH.severity,
        SH.name,
        SH.description,
        SH.order,
        SH.group,
        RDF.type,
        RDFS.label,
        RDFS.comment,
    }
)


def unsupported(predicates: set[Node]) -> list[Node]:
    """The SHACL predicates among a shape's that the engine does not compile, sorted."""
    return sorted((p for p in predicates if str(p).startswith(str(SH)) and p not in COMPILED), key=str)


def component(parameter: Node) -> Node:
    """The constraint component a parameter belongs to: sh:minCount -> sh:MinCountConstraintComponent."""
    name = str(parameter).rsplit("#", 1)[-1]
    return SH[f"{name[0].upper()}{name[1:]}ConstraintComponent"]
