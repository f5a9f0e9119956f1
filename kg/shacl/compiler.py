"""Shapes compiled to Python source: one function per shape with targets, over :class:`~kg.shacl.data.Data`.

A shape's checks become statements over the focus node's triples (``d``, its predicate -> objects),
a value check a Python expression over the value ``v``. A failed check in a shape with targets adds
a result, ``(site, focus, value)``, where the site says which shape, component and message it was;
inside sh:or, sh:xone and sh:not a shape is a test (inline when it has only value checks, else a
conformance function). Only the vocabulary in :mod:`kg.shacl.vocabulary` is compiled; anything
else raises :class:`~kg.shacl.vocabulary.Unsupported`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.shacl import terms
from kg.shacl.data import Targets
from kg.shacl.sparql import SparqlCheck, sparql_check
from kg.shacl.vocabulary import PAIRS, RANGES, SH, TARGETS, Unsupported, component, unsupported


@dataclass(slots=True, frozen=True)
class Site:
    """What a failure at one place in the generated code reports."""

    shape: Node
    severity: Node
    component: Node
    path: Node | None
    message: str


@dataclass(slots=True)
class Compiler:
    shapes: Graph
    names: dict[str, object] = field(default_factory=dict)  # the generated module's globals
    functions: list[str] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    conformers: dict[Node, str] = field(default_factory=dict)
    sparql: list[SparqlCheck] = field(default_factory=list)
    target_predicates: frozenset[str] = frozenset()

    def const(self, value: object, stem: str = "k") -> str:
        name = f"_{stem}{len(self.names)}"
        self.names[name] = value
        return name

    # --- reading the shapes graph -------------------------------------------------------------

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def one(self, node: Node, predicate: URIRef) -> Node | None:
        return self.shapes.value(node, predicate)

    def check_supported(self, shape: Node) -> None:
        beyond = unsupported(set(self.shapes.predicates(shape)))
        if beyond:
            raise Unsupported(f"shape {shape.n3()} uses {beyond[0].n3()}")

    def targets(self, shape: Node) -> Targets:
        declared = [(TARGETS[p], terms.nt(o)) for p in TARGETS for o in self.shapes.objects(shape, p)]
        implicit = [("class", terms.nt(shape))] if shape in implicit_targets(self.shapes) else []
        targets = tuple(sorted(declared + implicit))
        self.target_predicates |= {term for kind, term in targets if kind == "objectsOf"}
        return targets

    # --- tests: Python expressions over a value ``v`` that hold when it conforms -----------------

    def value_tests(self, shape: Node) -> Iterator[tuple[URIRef, str]]:
        """(parameter, expression) for each value type, range, string, sh:in and logical constraint of ``shape``."""
        s = self.shapes
        for cls in s.objects(shape, SH["class"]):
            yield SH["class"], f"{self.const(terms.nt(cls))} in types.get(v, ())"
        for datatype in s.objects(shape, SH.datatype):
            yield SH.datatype, f"{self.const(terms.datatype_test(datatype), 'datatype')}(v)"
        for kind in s.objects(shape, SH.nodeKind):
            if kind not in terms.NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {kind.n3()}")
            yield SH.nodeKind, f"({terms.NODE_KINDS[kind]})"
        for pattern in s.objects(shape, SH.pattern):
            regex = self.const(re.compile(str(pattern)), "pattern")
            yield SH.pattern, f"((t := _text(v)) is not None and {regex}.search(t) is not None)"
        for length in s.objects(shape, SH.minLength):
            yield SH.minLength, f"((t := _text(v)) is not None and len(t) >= {terms.integer(length)})"
        for members in s.objects(shape, SH["in"]):
            keys = frozenset(terms.key(terms.nt(m)) for m in self.items(members))
            yield SH["in"], f"_key(v) in {self.const(keys)}"
        for parameter, accepted in RANGES.items():
            for bound in s.objects(shape, parameter):
                yield parameter, f"{self.const(terms.bound_test(terms.nt(bound), accepted), 'bound')}(v)"
        for members in s.objects(shape, SH["or"]):
            yield SH["or"], "(" + " or ".join(self.conforms(m) for m in self.items(members)) + ")"
        for members in s.objects(shape, SH.xone):
            yield SH.xone, "(" + " + ".join(self.conforms(m) for m in self.items(members)) + " == 1)"
        for negated in s.objects(shape, SH["not"]):
            yield SH["not"], f"not {self.conforms(negated)}"

    def conforms(self, shape: Node) -> str:
        """An expression that holds when ``v`` conforms to ``shape``: its tests inline when it has only
        value tests ([ sh:class schema:Person ] in an sh:or), else a call of its conformance function."""
        if not set(self.shapes.predicates(shape)) & {SH.path, SH.property, SH.hasValue, SH.sparql}:
            self.check_supported(shape)
            tests = [test for _, test in self.value_tests(shape)]
            return "(" + (" and ".join(tests) or "True") + ")"
        return f"{self.conformer(shape)}(data, v)"

    # --- checks: statements over ``focus`` (its triples in ``d``) --------------------------------

    def fail(self, shape: Node | None, parameter: URIRef, path: Node | None, value: str, default: str = "") -> str:
        """The statement for a failed check: report it, or (in a conformance function) return False."""
        if shape is None:
            return "return False"
        messages = [str(m) for m in self.shapes.objects(shape, SH.message)]
        name = str(parameter).rsplit("#", 1)[-1]
        severity = self.one(shape, SH.severity) or SH.Violation
        message = messages[0] if messages else default or f"Value does not satisfy sh:{name}"
        self.sites.append(Site(shape, severity, component(parameter), path, message))
        return f"add(({len(self.sites) - 1}, focus, {value}))"

    def shape_checks(self, shape: Node, report: bool) -> list[str]:
        """Statements that check ``focus`` against ``shape``; ``report`` adds results, else returns False."""
        self.check_supported(shape)
        if self.one(shape, SH.path) is not None:
            return self.property_checks(shape, report)
        site = shape if report else None
        tests = list(self.value_tests(shape))
        lines = ["v = focus"] if tests else []
        for parameter, test in tests:
            lines += [f"if not ({test}):", f"    {self.fail(site, parameter, None, 'focus')}"]
        for value in self.shapes.objects(shape, SH.hasValue):
            lines += [
                f"if _key(focus) != {self.const(terms.key(terms.nt(value)))}:",
                f"    {self.fail(site, SH.hasValue, None, 'focus')}",
            ]
        for prop in self.shapes.objects(shape, SH.property):
            lines += self.property_checks(prop, report)
        if not report and self.one(shape, SH.sparql) is not None:
            raise Unsupported(f"SPARQL constraint inside a logical constraint ({shape.n3()})")
        return lines

    def property_checks(self, prop: Node, report: bool) -> list[str]:
        self.check_supported(prop)
        if self.one(prop, SH.sparql) is not None:
            raise Unsupported(f"SPARQL constraint on property shape {prop.n3()} ($PATH)")
        for nested in self.shapes.objects(prop, SH.property):
            raise Unsupported(f"property shape {nested.n3()} nested in property shape {prop.n3()}")
        site = prop if report else None
        path = self.one(prop, SH.path)
        if not isinstance(path, URIRef):
            raise Unsupported(f"property shape {prop.n3()} with a complex sh:path (only predicate paths are compiled)")
        lines = [f"vs = d.get({self.const(terms.nt(path))}, ())"]
        minimum = [terms.integer(c) for c in self.shapes.objects(prop, SH.minCount)]
        maximum = [terms.integer(c) for c in self.shapes.objects(prop, SH.maxCount)]
        counts = []
        for count in minimum:
            message = f"Less than {count} values on {path.n3()}"
            counts += [f"if len(vs) < {count}:", f"    {self.fail(site, SH.minCount, path, 'None', message)}"]
        for count in maximum:
            message = f"More than {count} values on {path.n3()}"
            counts += [f"if len(vs) > {count}:", f"    {self.fail(site, SH.maxCount, path, 'None', message)}"]
        if len(minimum) == 1 and minimum == maximum:  # "exactly n", the usual case: one comparison when it holds
            counts = [f"if len(vs) != {minimum[0]}:", *_indent(counts)]
        lines += counts
        for value in self.shapes.objects(prop, SH.hasValue):
            lines += [
                f"if {self.const(terms.key(terms.nt(value)))} not in [_key(x) for x in vs]:",
                f"    {self.fail(site, SH.hasValue, path, 'None')}",
            ]
        tests = list(self.value_tests(prop))
        if tests:
            lines.append("for v in vs:")
            for parameter, test in tests:
                lines += [f"    if not ({test}):", f"        {self.fail(site, parameter, path, 'v')}"]
        for parameter, accepted in PAIRS.items():
            for other in self.shapes.objects(prop, parameter):
                lines += [  # one result for each pair that fails, as SHACL has it: duplicates are results too
                    "for v in vs:",
                    f"    for w in d.get({self.const(terms.nt(other))}, ()):",
                    f"        if _compare(v, w) not in {accepted}:",
                    f"            {self.fail(site, parameter, path, 'v')}",
                ]
        return lines

    def conformer(self, shape: Node) -> str:
        """The name of a function ``(data, node) -> bool``: does the node conform to ``shape``?"""
        if shape in self.conformers:
            return self.conformers[shape]
        name = self.conformers[shape] = f"_conforms{len(self.conformers)}"
        body = self.shape_checks(shape, report=False)
        self.functions.append(
            "\n".join(
                [
                    f"def {name}(data, focus):",
                    "    types = data.types",
                    "    d = data.out.get(focus, EMPTY)",
                    *_indent(body),
                    "    return True",
                ]
            )
        )
        return name

    def root(self, shape: Node) -> str | None:
        """The function that checks every focus node of a shape with targets, or None when it has
        nothing Core to check; its SPARQL constraints are kept in :attr:`sparql`."""
        self.check_supported(shape)
        targets = self.targets(shape)
        for constraint in self.shapes.objects(shape, SH.sparql):
            self.sparql.append(sparql_check(self.shapes, shape, constraint, targets, len(self.sparql)))
        body = self.shape_checks(shape, report=True)
        if not body:
            return None
        name = f"_check{len(self.functions)}"
        self.functions.append(
            "\n".join(
                [
                    f"def {name}(data, add):",
                    "    types = data.types",
                    "    out = data.out",
                    f"    for focus in data.focus({self.const(targets)}):",
                    "        d = out.get(focus, EMPTY)",
                    *_indent(body, 2),
                ]
            )
        )
        return name


def implicit_targets(shapes: Graph) -> set[Node]:
    """Shapes that are classes too: the instances of the class are their focus nodes."""
    classes = set(shapes.subjects(RDF.type, RDFS.Class)) | set(shapes.subjects(RDF.type, OWL.Class))
    return classes & (set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)))


def _indent(lines: list[str], levels: int = 1) -> list[str]:
    return ["    " * levels + line for line in lines]
