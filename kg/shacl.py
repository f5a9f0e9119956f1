"""A SHACL engine for kg's hot path: shapes compiled to Python functions over a graph's N-Triples terms.

pyshacl checks one focus node at a time over rdflib objects: about 90 ms for one article's graph.
Compiling every constraint to SPARQL and running it in Oxigraph cost 3 ms an article, most of it
loading ~720 triples (1.5 µs each) and an index look-up per focus node per constraint. Here each
shape becomes a Python function over the graph's own terms, indexed by subject once
(:class:`Data`), so valid data costs a dictionary look-up and a test per value. SPARQL constraints
of the simple kind are compiled too (:mod:`kg.shacl_sparql`); any other runs in Oxigraph, on a store
holding just the triples its query can match.

The shapes stay the single definition of valid: this module only reads them. It covers the SHACL
Core constraints (targets, property paths, counts, value type, value range, string, property pair,
logical, shape-based) and SPARQL SELECT constraints; a shapes graph that uses anything else
(qualified value shapes, sh:closed, SPARQL ASK, $PATH, …) raises :class:`Unsupported`, and kg falls
back to pyshacl for it. The test suite checks that both engines report the same results on broken
graphs. ``ShapesEngine(shapes).source`` is the generated code, for anyone debugging a shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.paths import Path as RdflibPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node, Variable

from kg.rdf.literals import TERMS_CACHED, TYPED, comparable, lexical, split
from kg.rdf.oxigraph import select, to_nt, to_rdflib
from kg.shacl_sparql import NotCompiled, Solutions, compile_select

SH = Namespace("http://www.w3.org/ns/shacl#")
RDF_TYPE = f"<{RDF.type}>"
SUBCLASS = f"<{RDFS.subClassOf}>"
Triple = tuple[str, str, str]  # N-Triples terms
_ALWAYS_WATCHED = frozenset({RDF_TYPE, SUBCLASS})  # what types and the class closure are read from

_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "v[0] == '<'",
    SH.BlankNode: "v[0] == '_'",
    SH.Literal: "v[0] == '\"'",
    SH.BlankNodeOrIRI: "v[0] != '\"'",
    SH.BlankNodeOrLiteral: "v[0] != '<'",
    SH.IRIOrLiteral: "v[0] != '_'",
}
# Which comparisons of value against bound (-1, 0, 1 as from _compare) satisfy the parameter.
_COMPARISONS = {SH.minInclusive: (0, 1), SH.maxInclusive: (-1, 0), SH.minExclusive: (1,), SH.maxExclusive: (-1,)}
_PAIRS = {SH.lessThan: (-1,), SH.lessThanOrEquals: (-1, 0)}
_VALUE_PARAMS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.minLength,
    SH.maxLength,
    SH["in"],
    SH["or"],
    SH["and"],
    SH.xone,
    SH["not"],
    SH.node,
    *_COMPARISONS,
}
# Shape vocabulary that needs no check of its own, or that this engine reads elsewhere.
_KNOWN = {
    RDF.type,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.path,
    SH.property,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.flags,
    SH.sparql,
    SH.hasValue,
    SH.minCount,
    SH.maxCount,
    *_PAIRS,
    *_VALUE_PARAMS,
    RDFS.label,
    RDFS.comment,
}
_UNSUPPORTED = {
    SH.qualifiedValueShape,
    SH.closed,
    SH.equals,
    SH.disjoint,
    SH.uniqueLang,
    SH.languageIn,
    SH.target,
    SH.rule,
    SH.js,
    SH.jsFunctionName,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


class Unsupported(Exception):
    """The shapes use SHACL this engine does not compile; validate them with pyshacl instead."""


@dataclass(slots=True, frozen=True)
class Result:
    """One validation result, with terms as rdflib nodes."""

    graph: str  # the name the graph was given to :meth:`ShapesEngine.validate`
    severity: Node  # as the shapes give it: sh:Violation, sh:Warning, sh:Info (an IRI in valid shapes)
    shape: Node
    constraint: Node | None
    focus: Node
    path: Node | None
    value: Node | None
    message: str


# --- the data: one graph's terms, indexed by subject ------------------------------------------

_EMPTY: dict[str, list[str]] = {}
Targets = tuple[tuple[str, str], ...]  # (kind, N-Triples term): ("class", "<…>"), ("objectsOf", "<…>"), …


class Data:
    """One graph indexed by subject: ``out[s][p]`` is the list of objects, ``types[s]`` the node's
    classes (with their superclasses when the graph holds rdfs:subClassOf). For the ``watched``
    predicates (the engine's targets and SPARQL queries) ``by_predicate[p]`` lists (subject, objects)."""

    __slots__ = ("_focus", "_instances", "_inverse", "by_predicate", "out", "subclasses", "types")

    def __init__(self, triples: Iterable[Triple], watched: frozenset[str] = frozenset()) -> None:
        """``triples`` sorted and unique, as :class:`ArticleGraph` holds them: a subject's triples, and
        its values on one predicate, come together, so each starts a dict or list once."""
        watched = watched | _ALWAYS_WATCHED
        out: dict[str, dict[str, list[str]]] = {}
        by_predicate: dict[str, list[tuple[str, list[str]]]] = {p: [] for p in watched}
        last_s = last_p = None
        for s, p, o in triples:
            if s != last_s:
                objects_of = out[s] = {}
                last_s, last_p = s, None
            if p != last_p:
                values = objects_of[p] = [o]
                last_p = p
                if p in watched:
                    by_predicate[p].append((s, values))
            else:
                values.append(o)
        self.out = out
        self.by_predicate = by_predicate
        self.types = dict(by_predicate[RDF_TYPE])
        self.subclasses = bool(by_predicate[SUBCLASS])
        if self.subclasses:
            self.types = {s: _with_superclasses(out, classes) for s, classes in self.types.items()}
        self._focus: dict[Targets, list[str]] = {}
        self._instances: dict[str, list[str]] | None = None
        self._inverse: dict[str, dict[str, list[str]]] | None = None

    def focus(self, targets: Targets) -> list[str]:
        """The focus nodes of a shape's targets, each once, found once per graph for equal targets."""
        found = self._focus.get(targets)
        if found is None:
            found = self._focus[targets] = list(
                dict.fromkeys(chain.from_iterable(self._target(kind, term) for kind, term in targets))
            )
        return found

    def _target(self, kind: str, term: str) -> Iterable[str]:
        if kind == "class":
            if self._instances is None:
                self._instances = {}
                for s, classes in self.types.items():
                    for cls in classes:
                        self._instances.setdefault(cls, []).append(s)
            return self._instances.get(term, ())
        if kind == "node":
            return (term,)
        pairs = (
            self.by_predicate[term]
            if term in self.by_predicate
            else [(s, d[term]) for s, d in self.out.items() if term in d]
        )
        if kind == "subjectsOf":
            return [s for s, _ in pairs]
        return [o for _, objects in pairs for o in objects]

    def inverse(self, node: str, predicate: str) -> list[str]:
        if self._inverse is None:
            self._inverse = {}
            for s, d in self.out.items():
                for p, objects in d.items():
                    for o in objects:
                        self._inverse.setdefault(o, {}).setdefault(p, []).append(s)
        return self._inverse.get(node, _EMPTY).get(predicate, [])


def _with_superclasses(out: dict[str, dict[str, list[str]]], classes: list[str]) -> list[str]:
    found = list(classes)
    for cls in found:  # grows while it is walked: a breadth-first closure
        found += [c for c in out.get(cls, _EMPTY).get(SUBCLASS, ()) if c not in found]
    return found


# --- terms: what the checks read from an N-Triples term ----------------------------------------


def _text(term: str) -> str | None:
    """The string a pattern or length constraint reads: an IRI's, a literal's lexical form; none for a blank node."""
    if term[0] == "<":
        return term[1:-1]
    if term[0] == '"':
        return lexical(term)
    return None


def _key(term: str) -> object:
    """What RDF term equality compares: literals by value and tag, whatever the escaping."""
    if term[0] != '"':
        return term
    lexical, suffix = split(term)
    return lexical, "" if suffix == f"^^<{XSD.string}>" else suffix


def _datatype_test(datatype: Node) -> Callable[[str], bool]:
    if datatype == XSD.string:
        typed = f'"^^<{XSD.string}>'
        return lambda v: v[0] == '"' and (v[-1] == '"' or v.endswith(typed))
    if datatype == RDF.langString:
        return lambda v: v[0] == '"' and v[v.rfind('"') + 1 : v.rfind('"') + 2] == "@"
    quoted = f'"^^<{datatype}>'
    if str(datatype) not in TYPED:  # a datatype whose lexical space kg does not know: any form is taken
        return lambda v: v[0] == '"' and v.endswith(quoted)
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


def _compare(a: str, b: str) -> int | None:
    """-1, 0 or 1 as ``a`` is below, equal to or above ``b``; None when SPARQL could not compare them."""
    left, right = comparable(a), comparable(b)
    if left is None or right is None or left[0] != right[0] or left[0] == "boolean":
        return None
    try:
        return (left[1] > right[1]) - (left[1] < right[1])  # type: ignore[operator]
    except TypeError:  # a zoned and an unzoned value, say
        return None


def _bound_test(bound: str, accepted: tuple[int, ...]) -> Callable[[str], bool]:
    @lru_cache(maxsize=TERMS_CACHED)
    def test(v: str) -> bool:
        return _compare(v, bound) in accepted

    return test


def _integer(node: Node) -> int:
    """A count or length parameter's value (``int()`` of its lexical form, as of any rdflib term)."""
    return int(str(node))


def _nt(node: Node) -> str:
    if isinstance(node, BNode):
        raise Unsupported("blank node used as a constant in a shape")
    return to_nt(node)


def _rdflib(term: str) -> Node:
    if term[0] == "<":
        return URIRef(term[1:-1])
    if term[0] == "_":
        return BNode(term[2:])
    lexical, suffix = split(term)
    if suffix.startswith("@"):
        return Literal(lexical, lang=suffix[1:])
    datatype = suffix[3:-1] if suffix else None
    return Literal(lexical, datatype=None if datatype == str(XSD.string) else URIRef(datatype) if datatype else None)


def _path(data: Data, node: str, path: tuple) -> list[str]:
    """The values of a complex SHACL path (compiled by :meth:`_Compiler.path`) from ``node``, each once."""
    kind = path[0]
    if kind == "p":
        return data.out.get(node, _EMPTY).get(path[1], [])
    if kind == "inverse":
        return data.inverse(node, path[1])
    if kind == "sequence":
        nodes = [node]
        for step in path[1]:
            nodes = list(dict.fromkeys(v for n in nodes for v in _path(data, n, step)))
        return nodes
    if kind == "alternative":
        return list(dict.fromkeys(v for step in path[1] for v in _path(data, node, step)))
    reached = [node] if kind in ("zeroOrMore", "zeroOrOne") else []
    frontier = [node]
    while frontier:
        frontier = [v for n in frontier for v in _path(data, n, path[1]) if v not in reached]
        frontier = list(dict.fromkeys(frontier))
        reached += frontier
        if kind == "zeroOrOne":
            break
    return reached


# --- the compiler: shapes into Python source ----------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Site:
    """What a failure at one place in the generated code reports."""

    shape: Node
    severity: Node
    component: Node
    path: Node | None
    message: str


@dataclass(slots=True)
class _SparqlCheck:
    targets: Targets
    query: str  # over every graph: focus nodes are the objects of (marker, _FOCUS, node) triples
    marker: str
    shape: Node
    severity: Node
    constraint: Node
    messages: list[str]
    projected: tuple[str, ...]  # what a result reads: this, value (or $this), path when selected
    selected: frozenset[str]  # the variables the query's SELECT names
    predicates: frozenset[str] | None  # the predicates its query can match; None: any
    solutions: Solutions | None = None  # the query compiled to Python (kg.shacl_sparql), else it runs in Oxigraph
    scanned: frozenset[str] = frozenset()  # predicates the compiled query scans whole

    def compiled(self) -> Solutions:
        """The query compiled to Python, for a check that :func:`compile_select` compiled."""
        if self.solutions is None:
            raise AssertionError(f"SPARQL constraint {self.constraint.n3()} was not compiled to Python")
        return self.solutions


_FOCUS = "<urn:kg:shacl:focus>"


@dataclass(slots=True)
class _Compiler:
    shapes: Graph
    names: dict[str, object] = field(default_factory=dict)  # the generated module's globals
    functions: list[str] = field(default_factory=list)
    sparql_sources: list[str] = field(default_factory=list)  # compiled by kg.shacl_sparql, shown in .source
    sites: list[_Site] = field(default_factory=list)
    conformers: dict[Node, str] = field(default_factory=dict)
    sparql: list[_SparqlCheck] = field(default_factory=list)
    target_predicates: frozenset[str] = frozenset()
    sparql_in_python: bool = True

    def const(self, value: object, stem: str = "k") -> str:
        name = f"_{stem}{len(self.names)}"
        self.names[name] = value
        return name

    # --- reading the shapes graph -------------------------------------------------------------

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def one(self, node: Node, predicate: URIRef) -> Node | None:
        return self.shapes.value(node, predicate)

    def deactivated(self, shape: Node) -> bool:
        return self.one(shape, SH.deactivated) == Literal(True)

    def check_supported(self, shape: Node) -> None:
        for predicate in set(self.shapes.predicates(shape)):
            if predicate in _UNSUPPORTED or (str(predicate).startswith(str(SH)) and predicate not in _KNOWN):
                raise Unsupported(f"shape {shape.n3()} uses {predicate.n3()}")

    def targets(self, shape: Node) -> Targets:
        kinds = {
            SH.targetClass: "class",
            SH.targetNode: "node",
            SH.targetSubjectsOf: "subjectsOf",
            SH.targetObjectsOf: "objectsOf",
        }
        targets = tuple(sorted((kinds[p], _nt(o)) for p in _TARGETS for o in self.shapes.objects(shape, p)))
        self.target_predicates |= {term for kind, term in targets if kind in ("subjectsOf", "objectsOf")}
        return targets

    def path(self, node: Node) -> tuple:
        if isinstance(node, URIRef):
            return ("p", _nt(node))
        if (node, RDF.first, None) in self.shapes:
            return ("sequence", tuple(self.path(step) for step in self.items(node)))
        inverse = self.one(node, SH.inversePath)
        if isinstance(inverse, URIRef):
            return ("inverse", _nt(inverse))
        if inverse is not None:
            raise Unsupported(f"inverse of a complex path {node.n3()}")
        for predicate, kind in (
            (SH.zeroOrMorePath, "zeroOrMore"),
            (SH.oneOrMorePath, "oneOrMore"),
            (SH.zeroOrOnePath, "zeroOrOne"),
        ):
            inner = self.one(node, predicate)
            if inner is not None:
                return (kind, self.path(inner))
        alternatives = self.one(node, SH.alternativePath)
        if alternatives is not None:
            return ("alternative", tuple(self.path(step) for step in self.items(alternatives)))
        raise Unsupported(f"property path {node.n3()}")

    # --- tests: Python expressions over a value ``v`` that hold when it conforms -----------------

    def value_tests(self, shape: Node) -> Iterator[tuple[URIRef, str]]:
        """(parameter, expression) for each value-type, range, string and logical constraint of ``shape``."""
        s = self.shapes
        for cls in s.objects(shape, SH["class"]):
            yield SH["class"], f"{self.const(_nt(cls))} in types.get(v, ())"
        for datatype in s.objects(shape, SH.datatype):
            yield SH.datatype, f"{self.const(_datatype_test(datatype), 'datatype')}(v)"
        for kind in s.objects(shape, SH.nodeKind):
            yield SH.nodeKind, f"({_NODE_KINDS[kind]})"
        for pattern in s.objects(shape, SH.pattern):
            flags = str(self.one(shape, SH.flags) or "")
            regex = re.compile(str(pattern), sum(getattr(re, f.upper(), 0) for f in flags if f in "imsx"))
            yield SH.pattern, f"((t := _text(v)) is not None and {self.const(regex, 'pattern')}.search(t) is not None)"
        for length in s.objects(shape, SH.minLength):
            yield SH.minLength, f"((t := _text(v)) is not None and len(t) >= {_integer(length)})"
        for length in s.objects(shape, SH.maxLength):
            yield SH.maxLength, f"((t := _text(v)) is not None and len(t) <= {_integer(length)})"
        for members in s.objects(shape, SH["in"]):
            yield SH["in"], f"_key(v) in {self.const(frozenset(_key(_nt(m)) for m in self.items(members)))}"
        for parameter, accepted in _COMPARISONS.items():
            for bound in s.objects(shape, parameter):
                yield parameter, f"{self.const(_bound_test(_nt(bound), accepted), 'bound')}(v)"
        for members in s.objects(shape, SH["or"]):
            yield SH["or"], "(" + " or ".join(self.conforms(m) for m in self.items(members)) + ")"
        for members in s.objects(shape, SH["and"]):
            yield SH["and"], "(" + " and ".join(self.conforms(m) for m in self.items(members)) + ")"
        for members in s.objects(shape, SH.xone):
            yield SH.xone, "(" + " + ".join(self.conforms(m) for m in self.items(members)) + " == 1)"
        for negated in s.objects(shape, SH["not"]):
            yield SH["not"], f"not {self.conforms(negated)}"
        for node_shape in s.objects(shape, SH.node):
            yield SH.node, self.conforms(node_shape)

    def conforms(self, shape: Node) -> str:
        """An expression that holds when ``v`` conforms to ``shape``: its tests inline when it has only
        value tests ([ sh:class schema:Person ] in an sh:or), else a call of its conformance function."""
        inline = not set(self.shapes.predicates(shape)) & {SH.path, SH.property, SH.hasValue, SH.sparql, SH.deactivated}
        if inline:
            self.check_supported(shape)
            tests = [test for _, test in self.value_tests(shape)]
            return "(" + (" and ".join(tests) or "True") + ")"
        return f"{self.conformer(shape)}(data, v)"

    # --- checks: statements over ``focus`` (its triples in ``d``) --------------------------------

    def fail(self, shape: Node | None, component: URIRef, path: Node | None, value: str, default: str = "") -> str:
        """The statement for a failed check: report it, or (in a conformance function) return False."""
        if shape is None:
            return "return False"
        messages = [str(m) for m in self.shapes.objects(shape, SH.message)]
        name = str(component).split("#")[-1]
        self.sites.append(
            _Site(
                shape,
                self.one(shape, SH.severity) or SH.Violation,
                SH[f"{name[0].upper()}{name[1:]}ConstraintComponent"],
                path,
                messages[0] if messages else default or f"Value does not satisfy sh:{name}",
            )
        )
        return f"add(({len(self.sites) - 1}, focus, {value}))"

    def shape_checks(self, shape: Node, report: bool) -> list[str]:
        """Statements that check ``focus`` against ``shape``; ``report`` adds results, else returns False."""
        self.check_supported(shape)
        if self.deactivated(shape):
            return []
        if self.one(shape, SH.path) is not None:
            return self.property_checks(shape, report)
        site = shape if report else None
        tests = list(self.value_tests(shape))
        lines = ["v = focus"] if tests else []
        for parameter, test in tests:
            lines += [f"if not ({test}):", f"    {self.fail(site, parameter, None, 'focus')}"]
        for value in self.shapes.objects(shape, SH.hasValue):
            lines += [
                f"if _key(focus) != {self.const(_key(_nt(value)))}:",
                f"    {self.fail(site, SH.hasValue, None, 'focus')}",
            ]
        for prop in self.shapes.objects(shape, SH.property):
            lines += self.property_checks(prop, report)
        if not report and self.one(shape, SH.sparql) is not None:
            raise Unsupported(f"SPARQL constraint inside a logical constraint ({shape.n3()})")
        return lines

    def property_checks(self, prop: Node, report: bool) -> list[str]:
        self.check_supported(prop)
        if self.deactivated(prop):
            return []
        if self.one(prop, SH.sparql) is not None:
            raise Unsupported(f"SPARQL constraint on property shape {prop.n3()} ($PATH)")
        for nested in self.shapes.objects(prop, SH.property):
            raise Unsupported(f"property shape {nested.n3()} nested in property shape {prop.n3()}")
        site = prop if report else None
        path_node = self.one(prop, SH.path)
        if path_node is None:
            raise Unsupported(f"property shape {prop.n3()} without sh:path")
        path = self.path(path_node)
        shown = path_node.n3() if isinstance(path_node, URIRef) else "the path"
        lines = [
            f"vs = d.get({self.const(path[1])}, ())"
            if path[0] == "p"
            else f"vs = _path(data, focus, {self.const(path)})"
        ]
        minimum = [_integer(c) for c in self.shapes.objects(prop, SH.minCount)]
        maximum = [_integer(c) for c in self.shapes.objects(prop, SH.maxCount)]
        counts = []
        for count in minimum:
            counts += [
                f"if len(vs) < {count}:",
                f"    {self.fail(site, SH.minCount, path_node, 'None', f'Less than {count} values on {shown}')}",
            ]
        for count in maximum:
            counts += [
                f"if len(vs) > {count}:",
                f"    {self.fail(site, SH.maxCount, path_node, 'None', f'More than {count} values on {shown}')}",
            ]
        if len(minimum) == 1 and minimum == maximum:  # "exactly n", the usual case: one comparison when it holds
            counts = [f"if len(vs) != {minimum[0]}:", *_indent(counts)]
        lines += counts
        for value in self.shapes.objects(prop, SH.hasValue):
            lines += [
                f"if {self.const(_key(_nt(value)))} not in [_key(x) for x in vs]:",
                f"    {self.fail(site, SH.hasValue, path_node, 'None')}",
            ]
        tests = list(self.value_tests(prop))
        if tests:
            lines.append("for v in vs:")
            for parameter, test in tests:
                lines += [f"    if not ({test}):", f"        {self.fail(site, parameter, path_node, 'v')}"]
        for parameter, accepted in _PAIRS.items():
            for other in self.shapes.objects(prop, parameter):
                lines += [
                    "for v in vs:",
                    f"    for w in d.get({self.const(_nt(other))}, ()):",
                    f"        if _compare(v, w) not in {accepted}:",
                    f"            {self.fail(site, parameter, path_node, 'v')}",
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
        nothing Core to check; its SPARQL constraints are kept for Oxigraph."""
        self.check_supported(shape)
        if self.deactivated(shape):
            return None
        targets = self.targets(shape)
        for constraint in self.shapes.objects(shape, SH.sparql):
            self.sparql_constraint(shape, constraint, targets)
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

    def sparql_constraint(self, shape: Node, constraint: Node, targets: Targets) -> None:
        if self.deactivated(constraint):
            return
        select = self.one(constraint, SH.select)
        if select is None:
            raise Unsupported(f"SPARQL constraint {constraint.n3()} without sh:select")
        text = str(select)
        if re.search(r"\$(PATH|currentShape|shapesGraph)\b", text):
            raise Unsupported(f"SPARQL constraint {constraint.n3()} uses pre-bound variables other than $this")
        prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in self.declared_prefixes(constraint))
        inner = text.replace("$this", "?this")
        try:
            query = prepareQuery(prefixes + inner)
        except Exception as exc:  # pyparsing's errors have no common base worth naming
            raise Unsupported(f"SPARQL constraint {constraint.n3()} does not parse: {exc}") from exc
        variables = {str(v) for v in (query.algebra["PV"] if "PV" in query.algebra else ())}
        value = "?value" if "value" in variables else "(?this AS ?value)"
        path = " ?path" if "path" in variables else ""
        marker = f"<urn:kg:shacl:check:{len(self.sparql)}>"
        messages = [str(m) for m in self.shapes.objects(constraint, SH.message)] or [
            str(m) for m in self.shapes.objects(shape, SH.message)
        ]
        check = _SparqlCheck(
            targets,
            f"{prefixes}SELECT DISTINCT ?g ?this {value}{path} WHERE {{ GRAPH ?g {{ {marker} {_FOCUS} ?this "
            f"{{ {inner} }} }} }}",
            marker,
            shape,
            self.one(shape, SH.severity) or SH.Violation,
            constraint,
            messages,
            ("this", "value", "path") if path else ("this", "value"),
            frozenset(variables),
            _predicates(query.algebra),
        )
        if self.sparql_in_python:
            try:
                check.solutions, check.scanned, source = compile_select(query.algebra)
                self.sparql_sources.append(f"# {constraint.n3()}\n{source}")
            except NotCompiled:
                pass
        self.sparql.append(check)

    def declared_prefixes(self, constraint: Node) -> Iterator[tuple[str, str]]:
        for source in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(source, SH.declare):
                yield str(self.one(declaration, SH.prefix)), str(self.one(declaration, SH.namespace))


def _indent(lines: list[str], levels: int = 1) -> list[str]:
    return ["    " * levels + line for line in lines]


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


# --- the engine ----------------------------------------------------------------------------------


class ShapesEngine:
    """Compiled shapes: :meth:`validate` checks any number of graphs, each on its own."""

    def __init__(self, shapes: Graph, sparql_in_python: bool = True) -> None:
        """``sparql_in_python=False`` runs every SPARQL constraint in Oxigraph (the tests compare both)."""
        implicit = set(shapes.subjects(RDF.type, RDFS.Class)) & (
            set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
        )
        if implicit:
            raise Unsupported(f"implicit class targets ({sorted(n.n3() for n in implicit)[0]})")
        compiler = _Compiler(
            shapes,
            names={"EMPTY": _EMPTY, "_text": _text, "_key": _key, "_compare": _compare, "_path": _path},
            sparql_in_python=sparql_in_python,
        )
        roots = sorted({s for p in _TARGETS for s in shapes.subjects(p, None)}, key=str)
        checks = [name for name in map(compiler.root, roots) if name is not None]
        core = "\n\n".join(compiler.functions)
        namespace = dict(compiler.names)
        exec(compile(core, "<kg shapes>", "exec"), namespace)
        self.source = "\n\n".join([core, *compiler.sparql_sources])
        self.checks: list[Callable[[Data, Callable], None]] = [_generated(namespace, name) for name in checks]
        self.sites = compiler.sites
        self.sparql_python = [check for check in compiler.sparql if check.solutions is not None]
        self.sparql = [check for check in compiler.sparql if check.solutions is None]  # for Oxigraph
        predicates = [check.predicates for check in self.sparql]
        known = [p for p in predicates if p is not None]
        # What SPARQL constraints can see: the predicates of their queries (all, when one is unknown).
        self.sparql_predicates = None if len(known) < len(predicates) else frozenset[str]().union(*known)
        self.watched = (
            (self.sparql_predicates or frozenset())
            | compiler.target_predicates
            | frozenset().union(*(check.scanned for check in self.sparql_python))
        )

    def validate(self, graphs: Sequence[tuple[str, Sequence[Triple]]]) -> list[Result]:
        """Results for every (name, triples) graph, sorted; graphs never see each other's triples."""
        results: set[Result] = set()
        indexed = [(name, triples, Data(triples, self.watched)) for name, triples in graphs]
        for name, _, data in indexed:
            found: list[tuple[int, str, str | None]] = []
            for check in self.checks:
                check(data, found.append)
            for site_index, focus, value in found:
                site = self.sites[site_index]
                results.add(
                    Result(
                        name,
                        site.severity,
                        site.shape,
                        site.component,
                        _rdflib(focus),
                        site.path,
                        None if value is None else _rdflib(value),
                        site.message,
                    )
                )
            for sparql_check in self.sparql_python:
                solutions = sparql_check.compiled()
                for focus in data.focus(sparql_check.targets):
                    for row in solutions(data, focus):
                        if "value" not in sparql_check.selected:  # SHACL: without ?value, the value is $this
                            row["value"] = focus
                        bindings = {v: _rdflib(row[v]) for v in sparql_check.projected if v in row}
                        results.add(_sparql_result(name, sparql_check, bindings))
        if self.sparql:
            self._run_sparql(indexed, results)
        return sorted(
            results,
            key=lambda r: (
                r.graph,
                str(r.shape),
                str(r.focus),
                str(r.value),
                r.message,
                str(r.constraint),
                str(r.path),
            ),
        )  # a total order: the same every run

    def _run_sparql(self, graphs: list[tuple[str, Sequence[Triple], Data]], results: set[Result]) -> None:
        """SPARQL constraints in Oxigraph, over only the triples they can match (a third of an article's).
        Each check's focus nodes go in as (marker, _FOCUS, node) triples, loaded with the graph so that
        a blank node is the same node in both."""
        store = ox.Store()
        for name, triples, data in graphs:
            lines = (
                [f"{s} {p} {o} .\n" for s, p, o in triples]
                if self.sparql_predicates is None
                else [
                    f"{s} {p} {o} .\n"
                    for p in self.sparql_predicates
                    for s, objects in data.by_predicate[p]
                    for o in objects
                ]
            )
            lines += [
                f"{check.marker} {_FOCUS} {focus} .\n" for check in self.sparql for focus in data.focus(check.targets)
            ]
            # lenient: every term was written by kg.rdf.terms or printed by pyoxigraph, so it is valid
            store.load(
                "".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name), lenient=True
            )
        for check in self.sparql:
            for row in select(store, check.query):
                bindings = {v: to_rdflib(row[v]) for v in check.projected if row[v] is not None}
                results.add(_sparql_result(row["g"].value, check, bindings))


def _generated(namespace: dict[str, object], name: str) -> Callable[..., Any]:
    """A function the generated code defined."""
    function = namespace[name]
    if not callable(function):
        raise AssertionError(f"the generated code's {name} is not a function")
    return function


def _sparql_result(graph: str, check: _SparqlCheck, bindings: dict[str, Node]) -> Result:
    message = _render(check.messages[0], bindings) if check.messages else "SPARQL constraint failed"
    return Result(
        graph,
        check.severity,
        check.shape,
        check.constraint,
        bindings["this"],
        bindings.get("path"),
        bindings.get("value"),
        message,
    )


def _render(message: str, bindings: dict[str, Node]) -> str:
    """Fill {?var} and {$var} in a SPARQL constraint's message from its result row."""

    def value(match: re.Match[str]) -> str:
        term = bindings.get(match.group(1))
        return str(term) if term is not None else match.group(0)

    return re.sub(r"\{[?$](\w+)\}", value, message)
