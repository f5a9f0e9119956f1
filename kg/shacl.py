"""A SHACL Core engine that compiles shapes to SPARQL and runs them in Oxigraph.

pyshacl checks one focus node at a time in Python and re-parses every SPARQL constraint on each
run: about 90 ms for one article's graph. Here every constraint of every shape becomes one
SPARQL query over all loaded graphs at once (each file in its own named graph, so files never
see each other's triples), and Oxigraph runs it in Rust: validating a thousand articles costs
about as much as one.

The shapes stay the single definition of valid: this module only reads them. It covers the SHACL
Core constraints (counts, value type, value range, string, property pair, logical, shape-based)
and SPARQL SELECT constraints; a shapes graph that uses anything else (qualified value shapes,
sh:closed, SPARQL ASK, $PATH, …) raises :class:`Unsupported`, and kg falls back to pyshacl for it.
The test suite checks that both engines report the same results on broken graphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.rdf.oxigraph import to_rdflib

SH = Namespace("http://www.w3.org/ns/shacl#")
_FOCUS = "urn:kg:shacl:focus:"  # the bookkeeping graph, and the markers of shapes in it
RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# Casts that reject ill-formed lexical forms: "12 Oktober"^^xsd:date is not a date.
_CASTS = {XSD.date, XSD.dateTime, XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean}
# Oxigraph stores every integer type as xsd:integer, so a value of one of these is checked by its
# lexical form and range; that it was typed xsd:integer rather than, say, xsd:nonNegativeInteger is
# invisible here (pyshacl, ``--engine pyshacl``, reports it).
_INTEGER_KINDS = {XSD.nonNegativeInteger: ">= 0", XSD.positiveInteger: "> 0", XSD.nonPositiveInteger: "<= 0",
                  XSD.negativeInteger: "< 0", XSD.int: None, XSD.long: None, XSD.short: None, XSD.byte: None,
                  XSD.unsignedInt: ">= 0", XSD.unsignedLong: ">= 0"}
_NODE_KINDS = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
               SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})",
               SH.IRIOrLiteral: "!isBlank({v})"}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
_VALUE_PARAMS = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.minLength, SH.maxLength, SH["in"],
                 SH["or"], SH["and"], SH.xone, SH["not"], SH.node, *_COMPARISONS}
# Shape vocabulary that needs no query of its own, or that this engine reads elsewhere.
_KNOWN = {RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.path, SH.property,
          SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
          SH.flags, SH.sparql, SH.hasValue, SH.minCount, SH.maxCount, *_PAIRS, *_VALUE_PARAMS,
          URIRef("http://www.w3.org/2000/01/rdf-schema#label"), URIRef("http://www.w3.org/2000/01/rdf-schema#comment")}
_UNSUPPORTED = {SH.qualifiedValueShape, SH.closed, SH.equals, SH.disjoint, SH.uniqueLang, SH.languageIn,
                SH.target, SH.rule, SH.js, SH.jsFunctionName}


class Unsupported(Exception):
    """The shapes use SHACL this engine does not compile; validate them with pyshacl instead."""


@dataclass(slots=True, frozen=True)
class Result:
    """One validation result, with terms as rdflib nodes."""

    graph: str  # the named graph (one per file) it was found in
    severity: URIRef
    shape: Node
    constraint: Node | None
    focus: Node
    path: Node | None
    value: Node | None
    message: str


@dataclass(slots=True)
class _Query:
    sparql: str
    shape: Node
    severity: URIRef
    messages: list[str]
    path: Node | None = None
    constraint: Node | None = None
    default_message: str = ""
    projected: tuple[str, ...] = ("this",)  # variables besides ?g the query returns


@dataclass(slots=True)
class _Compiler:
    shapes: Graph
    counter: int = 0
    queries: list[_Query] = field(default_factory=list)

    def fresh(self) -> str:
        self.counter += 1
        return f"?v{self.counter}"

    # --- reading the shapes graph ---------------------------------------------------------

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def one(self, node: Node, predicate: URIRef) -> Node | None:
        return self.shapes.value(node, predicate)

    def check_supported(self, shape: Node) -> None:
        for predicate in set(self.shapes.predicates(shape)):
            if predicate in _UNSUPPORTED or (str(predicate).startswith(str(SH)) and predicate not in _KNOWN):
                raise Unsupported(f"shape {shape.n3()} uses {predicate.n3()}")

    def path(self, node: Node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.shapes:
            return "(" + "/".join(self.path(step) for step in self.items(node)) + ")"
        for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                                    (SH.zeroOrOnePath, "{}?")):
            inner = self.one(node, predicate)
            if inner is not None:
                return "(" + template.format(self.path(inner)) + ")"
        alternatives = self.one(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(step) for step in self.items(alternatives)) + ")"
        raise Unsupported(f"property path {node.n3()}")

    # --- conditions: SPARQL expressions that hold when a node conforms --------------------

    def value_conditions(self, shape: Node, v: str) -> Iterator[tuple[URIRef, Node, str]]:
        """(parameter, value, expression) for each value-type constraint of ``shape`` on node ``v``."""
        s = self.shapes
        for cls in s.objects(shape, SH["class"]):
            yield SH["class"], cls, f"EXISTS {{ {v} {RDF_TYPE}/{RDFS_SUBCLASS}* {_n3(cls)} }}"
        for datatype in s.objects(shape, SH.datatype):
            yield SH.datatype, datatype, _datatype_check(v, datatype)
        for kind in s.objects(shape, SH.nodeKind):
            yield SH.nodeKind, kind, _NODE_KINDS[kind].format(v=v)
        for pattern in s.objects(shape, SH.pattern):
            flags = self.one(shape, SH.flags)
            flag_arg = f", {_n3(Literal(str(flags)))}" if flags else ""
            yield SH.pattern, pattern, f"(!isBlank({v}) && REGEX(STR({v}), {_n3(Literal(str(pattern)))}{flag_arg}))"
        for length in s.objects(shape, SH.minLength):
            yield SH.minLength, length, f"(!isBlank({v}) && STRLEN(STR({v})) >= {int(length)})"
        for length in s.objects(shape, SH.maxLength):
            yield SH.maxLength, length, f"(!isBlank({v}) && STRLEN(STR({v})) <= {int(length)})"
        for members in s.objects(shape, SH["in"]):
            terms = " || ".join(f"sameTerm({v}, {_n3(m)})" for m in self.items(members)) or "false"
            yield SH["in"], members, f"({terms})"
        for parameter, operator in _COMPARISONS.items():
            for bound in s.objects(shape, parameter):
                yield parameter, bound, f"({v} {operator} {_n3(bound)})"
        for members in s.objects(shape, SH["or"]):
            yield SH["or"], members, "(" + " || ".join(self.conforms(m, v) for m in self.items(members)) + ")"
        for members in s.objects(shape, SH["and"]):
            yield SH["and"], members, "(" + " && ".join(self.conforms(m, v) for m in self.items(members)) + ")"
        for members in s.objects(shape, SH.xone):
            total = " + ".join(f"IF({self.conforms(m, v)}, 1, 0)" for m in self.items(members))
            yield SH.xone, members, f"(({total}) = 1)"
        for negated in s.objects(shape, SH["not"]):
            yield SH["not"], negated, f"!{self.conforms(negated, v)}"
        for node_shape in s.objects(shape, SH.node):
            yield SH.node, node_shape, self.conforms(node_shape, v)

    def conforms(self, shape: Node, v: str) -> str:
        """An expression that is true when node ``v`` conforms to ``shape`` (as in sh:or, sh:node)."""
        self.check_supported(shape)
        if self.one(shape, SH.sparql) is not None:
            raise Unsupported(f"SPARQL constraint inside a logical constraint ({shape.n3()})")
        if self.one(shape, SH.deactivated) == Literal(True):
            return "true"
        parts = [expression for _, _, expression in self.property_conditions(shape, v)] \
            if self.one(shape, SH.path) is not None else \
            [expression for _, _, expression in self.value_conditions(shape, v)]
        if self.one(shape, SH.path) is None:
            for value in self.shapes.objects(shape, SH.hasValue):
                parts.append(f"sameTerm({v}, {_n3(value)})")
            for prop in self.shapes.objects(shape, SH.property):
                parts.append(self.conforms(prop, v))
        return "COALESCE(" + (" && ".join(parts) or "true") + ", false)"

    def property_conditions(self, prop: Node, f: str) -> Iterator[tuple[URIRef, Node, str]]:
        """(parameter, value, expression) for each constraint of property shape ``prop`` on focus ``f``."""
        self.check_supported(prop)
        path = self.path(self.one(prop, SH.path))
        for count in self.shapes.objects(prop, SH.minCount):
            yield SH.minCount, count, _at_least(f, path, int(count), self)
        for count in self.shapes.objects(prop, SH.maxCount):
            yield SH.maxCount, count, f"!{_at_least(f, path, int(count) + 1, self)}"
        for value in self.shapes.objects(prop, SH.hasValue):
            yield SH.hasValue, value, f"EXISTS {{ {f} {path} {_n3(value)} }}"
        x = self.fresh()
        for parameter, value, expression in self.value_conditions(prop, x):
            yield parameter, value, f"NOT EXISTS {{ {f} {path} {x} FILTER(!COALESCE({expression}, false)) }}"
        for parameter, operator in _PAIRS.items():
            for other in self.shapes.objects(prop, parameter):
                y = self.fresh()
                yield parameter, other, (f"NOT EXISTS {{ {f} {path} {x} . {f} <{other}> {y} "
                                         f"FILTER(!COALESCE({x} {operator} {y}, false)) }}")
        for nested in self.shapes.objects(prop, SH.property):
            raise Unsupported(f"property shape {nested.n3()} nested in property shape {prop.n3()}")

    # --- violations: one query per constraint, over every graph ------------------------------

    def targets(self, shape: Node) -> str | None:
        patterns = []
        for cls in self.shapes.objects(shape, SH.targetClass):
            patterns.append(f"?this {RDF_TYPE}/{RDFS_SUBCLASS}* {_n3(cls)} .")
        for node in self.shapes.objects(shape, SH.targetNode):
            patterns.append(f"VALUES ?this {{ {_n3(node)} }} ?this ?anyPredicate ?anyObject .")
        for predicate in self.shapes.objects(shape, SH.targetSubjectsOf):
            patterns.append(f"?this {_n3(predicate)} ?targetObject .")
        for predicate in self.shapes.objects(shape, SH.targetObjectsOf):
            patterns.append(f"?targetSubject {_n3(predicate)} ?this .")
        if not patterns:
            return None
        return " UNION ".join(f"{{ {p} }}" for p in sorted(patterns))  # sorted: equal targets, equal text

    def compile_shape(self, shape: Node, targets: str) -> list[_Query]:
        """Queries for ``shape`` whose focus nodes ``targets`` finds: see :class:`ShapesEngine`."""
        start = len(self.queries)
        self._compile_shape(shape, targets)
        return self.queries[start:]

    def _compile_shape(self, shape: Node, targets: str) -> None:
        self.check_supported(shape)
        if self.one(shape, SH.deactivated) == Literal(True):
            return
        severity = self.one(shape, SH.severity) or SH.Violation
        messages = [str(m) for m in self.shapes.objects(shape, SH.message)]
        if self.one(shape, SH.path) is not None:
            self.compile_property(shape, targets, severity, messages)
            return
        for parameter, _, expression in self.value_conditions(shape, "?this"):
            self.add(shape, severity, messages, parameter, targets, f"FILTER(!COALESCE({expression}, false))",
                     "?this", None)
        for value in self.shapes.objects(shape, SH.hasValue):
            self.add(shape, severity, messages, SH.hasValue, targets, f"FILTER(!sameTerm(?this, {_n3(value)}))",
                     "?this", None)
        for prop in self.shapes.objects(shape, SH.property):
            prop_messages = [str(m) for m in self.shapes.objects(prop, SH.message)]
            if self.one(prop, SH.deactivated) != Literal(True):
                self.compile_property(prop, targets, self.one(prop, SH.severity) or SH.Violation, prop_messages)
        for constraint in self.shapes.objects(shape, SH.sparql):
            self.compile_sparql(shape, constraint, targets, severity)

    def compile_property(self, prop: Node, targets: str, severity: URIRef, messages: list[str]) -> None:
        """Queries for a property shape. On a plain predicate, the values are scanned first and only
        what breaks a constraint is joined to the focus nodes: valid data (the usual case) then costs
        one pass over the predicate instead of an index look-up per focus node (~40% less time)."""
        self.check_supported(prop)
        path_node = self.one(prop, SH.path)
        path = self.path(path_node)
        scan = isinstance(path_node, URIRef)
        for count in self.shapes.objects(prop, SH.minCount):
            test = f"MINUS {{ ?this {path} {self.fresh()} }}" if scan and int(count) == 1 else \
                f"FILTER(!{_at_least('?this', path, int(count), self)})"
            self.add(prop, severity, messages, SH.minCount, targets, test, None, path_node,
                     f"Less than {int(count)} values on {_n3(path_node)}")
        for count in self.shapes.objects(prop, SH.maxCount):
            if scan:
                v = self.fresh()
                found = (f"{{ SELECT ?g ?this WHERE {{ GRAPH ?g {{ ?this {path} {v} }} }} GROUP BY ?g ?this "
                         f"HAVING (COUNT(DISTINCT {v}) > {int(count)}) }}")
                self.add(prop, severity, messages, SH.maxCount, targets, "", None, path_node,
                         f"More than {int(count)} values on {_n3(path_node)}", first=found)
            else:
                self.add(prop, severity, messages, SH.maxCount, targets,
                         f"FILTER({_at_least('?this', path, int(count) + 1, self)})", None, path_node,
                         f"More than {int(count)} values on {_n3(path_node)}")
        for value in self.shapes.objects(prop, SH.hasValue):
            self.add(prop, severity, messages, SH.hasValue, targets,
                     f"FILTER NOT EXISTS {{ ?this {path} {_n3(value)} }}", None, path_node)
        for parameter, _, expression in self.value_conditions(prop, "?value"):
            broken = f"?this {path} ?value . FILTER(!COALESCE({expression}, false))"
            if scan:
                self.add(prop, severity, messages, parameter, targets, "", "?value", path_node,
                         first=f"{{ SELECT ?g ?this ?value WHERE {{ GRAPH ?g {{ {broken} }} }} }}")
            else:
                self.add(prop, severity, messages, parameter, targets, broken, "?value", path_node)
        for parameter, operator in _PAIRS.items():
            for other in self.shapes.objects(prop, parameter):
                self.add(prop, severity, messages, parameter, targets,
                         f"?this {path} ?value . ?this <{other}> ?other . "
                         f"FILTER(!COALESCE(?value {operator} ?other, false))", "?value", path_node)
        if self.one(prop, SH.sparql) is not None:
            raise Unsupported(f"SPARQL constraint on property shape {prop.n3()} ($PATH)")

    def compile_sparql(self, shape: Node, constraint: Node, targets: str, severity: URIRef) -> None:
        select = self.one(constraint, SH.select)
        if select is None or self.one(constraint, SH.deactivated) == Literal(True):
            if select is None:
                raise Unsupported(f"SPARQL constraint {constraint.n3()} without sh:select")
            return
        text = str(select)
        if re.search(r"\$(PATH|currentShape|shapesGraph)\b", text):
            raise Unsupported(f"SPARQL constraint {constraint.n3()} uses pre-bound variables other than $this")
        prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in self.declared_prefixes(constraint))
        inner = text.replace("$this", "?this")
        projected = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\s+WHERE", inner, re.IGNORECASE | re.DOTALL)
        variables = set(re.findall(r"\?(\w+)", projected.group(1) if projected else ""))
        value = "?value" if "value" in variables else "(?this AS ?value)"
        path = " ?path" if "path" in variables else ""
        messages = [str(m) for m in self.shapes.objects(constraint, SH.message)] or \
            [str(m) for m in self.shapes.objects(shape, SH.message)]
        sparql = f"{prefixes}SELECT DISTINCT ?g ?this {value}{path} WHERE {{ GRAPH ?g {{ {targets} {{ {inner} }} }} }}"
        projected = ("this", "value", "path") if path else ("this", "value")
        self.queries.append(_Query(sparql, shape, severity, messages, None, constraint, projected=projected))

    def declared_prefixes(self, constraint: Node) -> Iterator[tuple[str, str]]:
        for source in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(source, SH.declare):
                yield str(self.one(declaration, SH.prefix)), str(self.one(declaration, SH.namespace))

    def add(self, shape: Node, severity: URIRef, messages: list[str], parameter: URIRef, targets: str, body: str,
            value: str | None, path: Node | None, default: str = "", first: str = "") -> None:
        """One query: focus nodes (``targets``) for which ``body`` holds; ``first``, when given, is a
        pattern over all graphs that finds candidates before they are joined to the focus nodes."""
        projection = "" if value is None else " ?value" if value == "?value" else f" ({value} AS ?value)"
        sparql = f"SELECT DISTINCT ?g ?this{projection} WHERE {{ {first} GRAPH ?g {{ {targets} {body} }} }}"
        component = SH[f"{str(parameter).split('#')[-1][0].upper()}{str(parameter).split('#')[-1][1:]}ConstraintComponent"]
        self.queries.append(_Query(sparql, shape, severity, messages, path, component,
                                   default or f"Value does not satisfy {_n3(parameter)}",
                                   ("this", "value") if value else ("this",)))


class ShapesEngine:
    """Compiled shapes: :meth:`validate` runs them over every named graph of a store."""

    def __init__(self, shapes: Graph) -> None:
        compiler = _Compiler(shapes)
        roots = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                 for s in shapes.subjects(p, None)}
        implicit = set(shapes.subjects(RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class"))) & \
            (set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)))
        if implicit:
            raise Unsupported(f"implicit class targets ({sorted(n.n3() for n in implicit)[0]})")
        # Focus nodes found by a target union (or, in data with subclasses, by a class's subclass
        # closure) are found once per run, by an update that records them in their data graph as
        # (marker, kg:focus, node): a triple no SHACL path from the node can reach. Constraint
        # queries then start from that record; :meth:`validate` removes the records again. Without
        # subclasses in the data, a single-class target is a plain rdf:type look-up: no record needed.
        markers: dict[str, str] = {}  # target pattern -> its marker (shapes with equal targets share one)
        self.updates: dict[str, str] = {}  # marker -> the update that records its focus nodes
        self.queries: list[_Query] = []
        self.flat_queries: list[_Query] = []  # the same, for data without rdfs:subClassOf
        for shape in sorted(roots, key=str):
            targets = compiler.targets(shape)
            marker = markers.setdefault(targets, f"<{_FOCUS}{len(markers)}>")
            self.updates[marker] = (f"INSERT {{ GRAPH ?g {{ {marker} <{_FOCUS}> ?this }} }} "
                                    f"WHERE {{ GRAPH ?g {{ {targets} }} }}")
            recorded = compiler.compile_shape(shape, f"{marker} <{_FOCUS}> ?this .")
            self.queries += recorded
            self.flat_queries += compiler.compile_shape(shape, targets) if _single_class(shapes, shape) else recorded
        self.flat_updates = [update for marker, update in self.updates.items()
                             if any(marker in query.sparql for query in self.flat_queries)]

    def validate(self, store: ox.Store) -> list[Result]:
        """Results for every named graph of ``store`` (which may gain bookkeeping triples, then loses them)."""
        results: set[Result] = set()
        # rdf:type/rdfs:subClassOf* costs Oxigraph a path search per node; without any subclass
        # triple in the data it means rdf:type, which is an index lookup.
        flat = not store.query(f"ASK {{ GRAPH ?g {{ ?a {RDFS_SUBCLASS} ?b }} }}")
        updates = [_flatten(u) for u in self.flat_updates] if flat else list(self.updates.values())
        for update in updates:
            store.update(update)
        try:
            self._run(store, self.flat_queries if flat else self.queries, results, flat)
        finally:
            if updates:
                store.update(f"DELETE WHERE {{ GRAPH ?g {{ ?marker <{_FOCUS}> ?node }} }}")
        return sorted(results, key=lambda r: (r.graph, str(r.shape), str(r.focus), str(r.value)))

    def _run(self, store: ox.Store, queries: list[_Query], results: set[Result], flat: bool) -> None:
        for query in queries:
            for row in store.query(_flatten(query.sparql) if flat else query.sparql):
                bindings = {name: to_rdflib(row[name]) for name in query.projected if row[name] is not None}
                message = _render(query.messages[0], bindings) if query.messages else query.default_message
                results.add(Result(
                    graph=row["g"].value, severity=query.severity, shape=query.shape, constraint=query.constraint,
                    focus=bindings["this"], path=query.path if query.path is not None else bindings.get("path"),
                    value=bindings.get("value"), message=message,
                ))


def _single_class(shapes: Graph, shape: Node) -> bool:
    """Whether ``shape`` targets exactly one class and nothing else."""
    targets = [(p, o) for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
               for o in shapes.objects(shape, p)]
    return len(targets) == 1 and targets[0][0] == SH.targetClass


def _flatten(sparql: str) -> str:
    return sparql.replace(f"{RDF_TYPE}/{RDFS_SUBCLASS}*", RDF_TYPE)


def _at_least(f: str, path: str, count: int, compiler: _Compiler) -> str:
    """An expression: ``f`` has at least ``count`` distinct values on ``path``."""
    if count <= 0:
        return "true"
    names = [compiler.fresh() for _ in range(count)]
    patterns = " . ".join(f"{f} {path} {n}" for n in names)
    distinct = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1:])
    return f"EXISTS {{ {patterns} {f'FILTER({distinct})' if distinct else ''} }}"


def _datatype_check(v: str, datatype: Node) -> str:
    if datatype in _INTEGER_KINDS:
        sign = _INTEGER_KINDS[datatype]
        as_integer = f"<{XSD.integer}>(STR({v}))"
        return (f"(isLiteral({v}) && (sameTerm(DATATYPE({v}), {_n3(datatype)}) || sameTerm(DATATYPE({v}), "
                f"<{XSD.integer}>)) && isLiteral({as_integer})" + (f" && {as_integer} {sign})" if sign else ")"))
    check = f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {_n3(datatype)})"
    if datatype in _CASTS:  # a failed cast is an error, which the caller's COALESCE turns into false
        check += f" && isLiteral(<{datatype}>(STR({v})))"
    return check + ")"


def _n3(node: Node) -> str:
    if isinstance(node, BNode):
        raise Unsupported("blank node used as a constant in a shape")
    return node.n3()


def _render(message: str, bindings: dict[str, Node]) -> str:
    """Fill {?var} and {$var} in a SPARQL constraint's message from its result row."""
    def value(match: re.Match[str]) -> str:
        term = bindings.get(match.group(1))
        return str(term) if term is not None else match.group(0)
    return re.sub(r"\{[?$](\w+)\}", value, message)
