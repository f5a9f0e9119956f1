"""SPARQL SELECT constraints: read from the shapes, run in Oxigraph or as compiled Python (:mod:`.sparql_python`).

In Oxigraph, each check's focus nodes go in as (marker, FOCUS, node) triples beside the graph's own,
and the constraint's query runs as a subquery joined to them, over just the triples its query can
match. A constraint with pre-bound variables other than ``$this`` (``$PATH``, ``$shapesGraph``),
or without sh:select, is not compiled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.paths import Path as RdflibPath
from rdflib.term import Node, Variable

from kg.rdf.oxigraph import select, to_rdflib
from kg.shacl.data import Data, Targets, Triple
from kg.shacl.results import ValidationResult
from kg.shacl.sparql_ahead import Parsed, lookup
from kg.shacl.sparql_values import CompiledQuery
from kg.shacl.terms import to_rdflib as from_nt
from kg.shacl.vocabulary import SH, Unsupported

FOCUS = "<urn:kg:shacl:focus>"


@dataclass(slots=True)
class SparqlCheck:
    targets: Targets
    query: str  # over every graph: focus nodes are the objects of (marker, FOCUS, node) triples
    marker: str
    shape: Node
    severity: Node
    constraint: Node
    messages: list[str]
    projected: tuple[str, ...]  # what a result reads: this, value (or $this), path when selected
    text: str  # the constraint's own query, as parsed
    parsed: Parsed  # the variables its SELECT names, the predicates it can match
    compiled: CompiledQuery | None = None  # the query compiled to Python, else it runs in Oxigraph

    def compile(self) -> bool:
        """Compile the query to Python (:mod:`.sparql_python`); False when it is beyond the simple kind."""
        self.compiled = self.parsed.compiled()
        return self.compiled is not None

    def results(self, graph: str, data: Data) -> Iterator[ValidationResult]:
        """The compiled query's results on one graph, each distinct row once (as in Oxigraph's SELECT DISTINCT)."""
        if self.compiled is None:
            raise AssertionError(f"SPARQL constraint {self.constraint.n3()} was not compiled to Python")
        solutions = self.compiled.solutions
        seen: set[tuple[tuple[str, Node], ...]] = set()
        for focus in data.focus(self.targets):
            for row in solutions(data, focus):
                if "value" not in self.parsed.variables:  # SHACL: without ?value, the value is $this
                    row["value"] = focus
                bindings = tuple((v, from_nt(row[v])) for v in self.projected if v in row)
                if bindings not in seen:
                    seen.add(bindings)
                    yield result(graph, self, dict(bindings))


def sparql_check(shapes: Graph, shape: Node, constraint: Node, targets: Targets, index: int) -> SparqlCheck:
    """A shape's SPARQL constraint, parsed and wrapped for Oxigraph; :class:`Unsupported` when it cannot run."""
    text = shapes.value(constraint, SH.select)
    if text is None:
        raise Unsupported(f"SPARQL constraint {constraint.n3()} without sh:select")
    if re.search(r"\$(PATH|currentShape|shapesGraph)\b", str(text)):
        raise Unsupported(f"SPARQL constraint {constraint.n3()} uses pre-bound variables other than $this")
    prefixes = "".join(  # sorted: a graph's triples come in no set order, and the text is a key (.sparql_ahead)
        sorted(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for source in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(source, SH.declare)
        )
    )
    inner = str(text).replace("$this", "?this")
    try:
        parsed = parse(prefixes + inner)
    except Exception as exc:  # pyparsing's errors have no common base worth naming
        raise Unsupported(f"SPARQL constraint {constraint.n3()} does not parse: {exc}") from exc
    value = "?value" if "value" in parsed.variables else "(?this AS ?value)"
    path = " ?path" if "path" in parsed.variables else ""
    marker = f"<urn:kg:shacl:check:{index}>"
    messages = [str(m) for m in shapes.objects(constraint, SH.message)] or [
        str(m) for m in shapes.objects(shape, SH.message)
    ]
    return SparqlCheck(
        targets,
        f"{prefixes}SELECT DISTINCT ?g ?this {value}{path} WHERE {{ GRAPH ?g {{ {marker} {FOCUS} ?this "
        f"{{ {inner} }} }} }}",
        marker,
        shape,
        shapes.value(shape, SH.severity) or SH.Violation,
        constraint,
        messages,
        ("this", "value", "path") if path else ("this", "value"),
        prefixes + inner,
        parsed,
    )


def parse(query: str, *, ahead: bool = True) -> Parsed:
    """A constraint's query parsed: kg's own as parsed ahead (:mod:`.sparql_ahead`), any other by
    rdflib, whose parser is imported only then."""
    kept = lookup(query) if ahead else None
    if kept is not None:
        return kept
    from rdflib.plugins.sparql import prepareQuery

    algebra = prepareQuery(query).algebra
    variables = frozenset(str(v) for v in (algebra["PV"] if "PV" in algebra else ()))
    return Parsed(variables, _predicates(algebra), algebra)


def run_in_oxigraph(
    checks: Sequence[SparqlCheck], graphs: Sequence[tuple[str, Sequence[Triple], Data]]
) -> Iterator[ValidationResult]:
    """SPARQL constraints in Oxigraph, every graph in one store (a named graph each), over only the
    triples the queries can match; a blank node is the same node in a graph and its focus triples."""
    predicates = watched(checks)
    store = ox.Store()
    for name, triples, data in graphs:
        lines = (
            [f"{s} {p} {o} .\n" for s, p, o in triples]
            if predicates is None
            else [f"{s} {p} {o} .\n" for p in predicates for s, objects in data.by_predicate[p] for o in objects]
        )
        lines += [f"{check.marker} {FOCUS} {focus} .\n" for check in checks for focus in data.focus(check.targets)]
        # lenient: every term was written by kg.rdf.terms or printed by pyoxigraph, so it is valid
        store.load(
            "".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name), lenient=True
        )
    for check in checks:
        for row in select(store, check.query):
            bindings = {v: to_rdflib(row[v]) for v in check.projected if row[v] is not None}
            yield result(row["g"].value, check, bindings)


def watched(checks: Sequence[SparqlCheck]) -> frozenset[str] | None:
    """The predicates the Oxigraph checks read (None: any), which :class:`Data` lists for them."""
    known = [check.parsed.predicates for check in checks]
    return None if None in known else frozenset[str]().union(*(p for p in known if p is not None))


def result(graph: str, check: SparqlCheck, bindings: dict[str, Node]) -> ValidationResult:
    message = render(check.messages[0], bindings) if check.messages else "SPARQL constraint failed"
    return ValidationResult(
        graph,
        check.severity,
        check.shape,
        SH.SPARQLConstraintComponent,
        check.constraint,
        bindings["this"],
        bindings.get("path"),
        bindings.get("value"),
        message,
    )


def render(message: str, bindings: dict[str, Node]) -> str:
    """Fill {?var} and {$var} in a SPARQL constraint's message from its result row."""

    def value(match: re.Match[str]) -> str:
        term = bindings.get(match.group(1))
        return str(term) if term is not None else match.group(0)

    return re.sub(r"\{[?$](\w+)\}", value, message)


def _predicates(algebra: object) -> frozenset[str] | None:
    """Every predicate a query's patterns can match, as N-Triples IRIs; None when a pattern has a
    variable or negated predicate (then it may match any triple)."""
    found: set[str] = set()

    def path_iris(path: object) -> bool:
        if isinstance(path, URIRef):
            found.add(f"<{path}>")
            return True
        if isinstance(path, RdflibPath) and type(path).__name__ != "NegatedPath":
            parts = getattr(path, "args", None) or [getattr(path, "arg", None) or getattr(path, "path", None)]
            return all(path_iris(part) for part in parts)
        return False

    def walk(node: object) -> bool:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples" and not all(path_iris(triple[1]) for triple in value):
                    return False
                if key != "triples" and not walk(value):
                    return False
        elif isinstance(node, (list, tuple)) and not isinstance(node, Variable):
            return all(walk(item) for item in node)
        return True

    return frozenset(found) if walk(algebra) else None
