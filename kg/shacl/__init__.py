"""A SHACL engine for kg's hot path: kg's shapes compiled to Python functions over a graph's N-Triples terms.

pyshacl checks one focus node at a time over rdflib objects. Here each shape becomes a Python
function over the graph's own terms, indexed by subject once (:mod:`.data`), so valid data costs a
dictionary look-up and a test per value; SPARQL constraints of the simple kind are compiled too
(:mod:`.sparql_python`), any other runs in Oxigraph on a store holding just the triples its query
can match (:mod:`.sparql`).

The engine compiles exactly what ``shapes/kg.ttl`` uses (:mod:`.vocabulary`); shapes that use more
raise :class:`Unsupported`, and :mod:`kg.validate` gives them to pyshacl, the reference engine.
The modules: :mod:`.vocabulary` (what is compiled), :mod:`.data` (the graph's index), :mod:`.terms`
(what checks read from a term), :mod:`.compiler` (shapes into Python source), :mod:`.sparql`,
:mod:`.sparql_python` and :mod:`.sparql_values` (SPARQL constraints: read, compiled, run),
:mod:`.sparql_ahead` (kg's own, parsed ahead), :mod:`.engine` (:class:`ShapesEngine`).
"""

from kg.shacl.engine import ShapesEngine
from kg.shacl.results import ValidationResult
from kg.shacl.vocabulary import COMPILED, SH, Unsupported

__all__ = ["COMPILED", "SH", "ShapesEngine", "Unsupported", "ValidationResult"]
