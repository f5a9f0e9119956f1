"""SPARQL constraints of the simplest form compiled to Python, over the engine's :class:`~kg.shacl.data.Data`.

A ``SELECT`` over one basic graph pattern with ``FILTER``s (kg's anchor check: every mention's
``nif:anchorOf`` is the context's text between its offsets) needs no store: it becomes a Python
function whose patterns are nested loops over the subject index and whose filters are calls of the
helpers in :mod:`.sparql_values`, which follow SPARQL's value rules (a type error makes the filter
false; ``&&``, ``||`` and ``!`` use SPARQL's three-valued logic). Anything else in a query
(OPTIONAL, UNION, paths, BIND, aggregates, functions not there, …) raises :class:`NotCompiled`, and
that constraint runs in Oxigraph. The test suite runs every compiled constraint in Oxigraph too and
compares the results; the README says what running kg's in Oxigraph instead would cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from kg.rdf.oxigraph import to_nt
from kg.shacl.sparql_values import _INTEGER, _NUMERIC, HELPERS, CompiledQuery, _number, _term, _TypeError


class NotCompiled(Exception):
    """The query uses SPARQL this module does not compile; it runs in Oxigraph instead."""


_RELATIONS = {
    "=": "_equal({}, {})",
    "!=": "not _equal({}, {})",
    "<": "_compare({}, {}) < 0",
    ">": "_compare({}, {}) > 0",
    "<=": "_compare({}, {}) <= 0",
    ">=": "_compare({}, {}) >= 0",
}
# --- compiling a query into Python source ----------------------------------------------------------


def compile_select(algebra: CompValue) -> CompiledQuery:
    """A SELECT with $this pre-bound as a Python function of (Data, focus); NotCompiled otherwise."""
    node = algebra.p if algebra.name == "SelectQuery" else algebra
    while node.name in ("Distinct", "Reduced"):
        node = node.p
    if node.name != "Project":
        raise NotCompiled(f"SPARQL {node.name}")
    node = node.p
    filters = []
    while node.name == "Filter":
        filters += _conjuncts(node.expr)
        node = node.p
    if node.name != "BGP":
        raise NotCompiled(f"SPARQL {node.name}")
    return _Generator().function(node.triples, filters)


class _Generator:
    def __init__(self) -> None:
        self.names: dict[str, object] = dict(HELPERS)

    def const(self, value: object) -> str:
        name = f"_s{len(self.names)}"
        self.names[name] = value
        return name

    def function(self, triples: list, filters: list) -> CompiledQuery:
        steps, scanned = _plan(triples)
        variables: dict[str, str] = {"this": "this"}  # SPARQL variable -> Python local (its term)
        reads: dict[str, set[str]] = {}  # variable -> how filters read it: converted once, where it is bound
        for node in filters:
            _reads(node, reads)
        lines = ["def solutions(data, this):", "    out = data.out"]
        lines += [f"    {line}" for line in _conversions("this", reads.get("this", ()))]
        converted, looked_up = {"this"}, set()
        depth = 1
        for (s_kind, s), predicate, (o_kind, o) in steps:
            pad = "    " * depth
            subject = self.term(s) if s_kind == "term" else variables.get(s)
            obj = self.term(o) if o_kind == "term" else variables.get(o)
            p = self.const(predicate)
            if subject is not None:
                if subject not in looked_up:  # a subject's triples are looked up once, where it is bound
                    lines.append(f"{pad}d_{subject} = out.get({subject}, _EMPTY)")
                    looked_up.add(subject)
                source = f"d_{subject}.get({p}, ())"
                if obj is not None:
                    lines.append(f"{pad}if {obj} in {source}:")
                else:
                    obj = variables[o] = f"v{len(variables)}"
                    lines.append(f"{pad}for {obj} in {source}:")
            else:
                subject = variables[s] = f"v{len(variables)}"
                objects = f"v{len(variables)}_objects"
                lines.append(f"{pad}for {subject}, {objects} in data.by_predicate[{p}]:")
                depth += 1
                pad = "    " * depth
                if obj is not None:
                    lines.append(f"{pad}if {obj} in {objects}:")
                elif o == s:  # ?x p ?x
                    lines.append(f"{pad}if {subject} in {objects}:")
                else:
                    obj = variables[o] = f"v{len(variables)}"
                    lines.append(f"{pad}for {obj} in {objects}:")
            depth += 1
            for name in sorted({s, o} & reads.keys() - converted):
                lines += [f"{'    ' * depth}{line}" for line in _conversions(variables[name], reads[name])]
                converted.add(name)
        pad = "    " * depth
        row = "{" + ", ".join(f"{name!r}: {local}" for name, local in variables.items()) + "}"
        if filters:
            tests = " and ".join(self.test(f, variables) for f in filters)
            lines += [
                f"{pad}try:",
                f"{pad}    keep = {tests}",
                f"{pad}except _TypeError:",
                f"{pad}    keep = False",
                f"{pad}if keep:",
                f"{pad}    yield {row}",
            ]
        else:
            lines.append(f"{pad}yield {row}")
        constants = {name: value for name, value in self.names.items() if name not in HELPERS}
        return CompiledQuery("\n".join(lines), constants, scanned)

    def term(self, term: str) -> str:
        return self.const(term)

    def test(self, node: Any, variables: dict[str, str]) -> str:
        """A filter as a Python truth value (a comparison as such, anything else by its boolean value)."""
        if isinstance(node, CompValue) and node.name == "RelationalExpression" and node.op in _RELATIONS:
            return (
                "("
                + _RELATIONS[node.op].format(
                    self.expression(node.expr, variables), self.expression(node.other, variables)
                )
                + ")"
            )
        return f"_ebv({self.expression(node, variables)})"

    def expression(self, node: Any, variables: dict[str, str]) -> str:
        """Python source for an expression, over the loop's locals; NotCompiled for what is not covered."""
        if isinstance(node, Variable):
            local = variables.get(str(node))
            if local is None:  # never bound by the pattern: every use is an error
                return "_unbound()"
            return f"x_{local}"
        read = _read_as(node)
        if read is not None:  # xsd:integer(?v) or STR(?v): converted where ?v is bound, None for an error
            form, variable = read
            local = variables.get(variable)
            return "_unbound()" if local is None else f"({form}_{local} if {form}_{local} is not None else _unbound())"
        if isinstance(node, (URIRef, Literal)):
            value = _term(to_nt(node))
            if value[0] == "L" and value[2] in _NUMERIC:  # numbers as the code computes them: 1 in ?begin + 1
                try:
                    value = ("N", *_number(value))
                except _TypeError:
                    pass
            return self.const(value)
        if not isinstance(node, CompValue):
            raise NotCompiled(f"expression {node!r}")
        name = node.name
        sub = lambda part: self.expression(part, variables)  # noqa: E731
        if name == "RelationalExpression":
            if node.op not in _RELATIONS:
                raise NotCompiled(f"operator {node.op}")
            return "_truth(" + _RELATIONS[node.op].format(sub(node.expr), sub(node.other)) + ")"
        if name in ("ConditionalAndExpression", "ConditionalOrExpression"):
            operands = ", ".join(f"lambda: {sub(part)}" for part in [node.expr, *_listed(node.other)])
            return f"_logical({name == 'ConditionalOrExpression'}, {operands})"
        if name == "UnaryNot":
            return f"_truth(not _ebv({sub(node.expr)}))"
        if name == "UnaryMinus":
            return f"_negate({sub(node.expr)})"
        if name == "UnaryPlus":
            return f"_arithmetic('+', ('N', 0, {_INTEGER!r}), {sub(node.expr)})"
        if name in ("AdditiveExpression", "MultiplicativeExpression"):
            source = sub(node.expr)
            for operator, operand in zip(_listed(node.op), _listed(node.other), strict=True):
                source = f"_arithmetic({operator!r}, {source}, {sub(operand)})"
            return source
        if name == "Builtin_STR":
            if not isinstance(node.arg, (Variable, URIRef, Literal)):
                raise NotCompiled("STR of a computed value")
            return f"_str({sub(node.arg)})"
        if name == "Builtin_STRLEN":
            return f"_strlen({sub(node.arg)})"
        if name == "Builtin_SUBSTR":
            length = f", {sub(node.length)}" if node.get("length") is not None else ""
            return f"_substring({sub(node.arg)}, {sub(node.start)}{length})"
        kinds = {"Builtin_isIRI": "I", "Builtin_isURI": "I", "Builtin_isBLANK": "B", "Builtin_isLITERAL": "L"}
        if name in kinds:
            return f"_is({kinds[name]!r}, {sub(node.arg)})"
        if name == "Function" and str(node.iri) == _INTEGER and len(_listed(node.expr)) == 1:
            return f"_to_integer({sub(_listed(node.expr)[0])})"
        raise NotCompiled(f"SPARQL {name}")


def _read_as(node: Any) -> tuple[str, str] | None:
    """("i", variable) for xsd:integer(?variable), ("s", variable) for STR(?variable), else None."""
    if isinstance(node, CompValue):
        if (
            node.name == "Function"
            and str(node.iri) == _INTEGER
            and len(_listed(node.expr)) == 1
            and isinstance(_listed(node.expr)[0], Variable)
        ):
            return "i", str(_listed(node.expr)[0])
        if node.name == "Builtin_STR" and isinstance(node.arg, Variable):
            return "s", str(node.arg)
    return None


def _reads(node: Any, reads: dict[str, set[str]]) -> None:
    """How an expression reads each variable: as a term ("x"), an integer ("i") or a string ("s")."""
    read = _read_as(node)
    if read is not None:
        reads.setdefault(read[1], set()).add(read[0])
    elif isinstance(node, Variable):
        reads.setdefault(str(node), set()).add("x")
    elif isinstance(node, CompValue):
        for key, value in node.items():
            if not key.startswith("_"):
                _reads(value, reads)
    elif isinstance(node, list):
        for item in node:
            _reads(item, reads)


_CONVERSIONS = {"x": "_term", "i": "_integer_or_none", "s": "_string_or_none"}


def _conversions(local: str, forms: Iterable[str]) -> list[str]:
    return [f"{form}_{local} = {_CONVERSIONS[form]}({local})" for form in sorted(forms)]


def _conjuncts(node: Any) -> list:
    """A filter's top-level ``&&`` operands: the row passes when each is true, and an error in one
    drops it whatever the others are, so they can be tested one by one."""
    if isinstance(node, CompValue) and node.name == "ConditionalAndExpression":
        return [part for operand in [node.expr, *_listed(node.other)] for part in _conjuncts(operand)]
    return [node]


def _listed(value: Any) -> list:
    return value if isinstance(value, list) else [value]


# A step: (subject, predicate, object), each a ("var", name) or ("term", N-Triples term).
Step = tuple[tuple[str, str], str, tuple[str, str]]


def _plan(triples: list) -> tuple[list[Step], frozenset[str]]:
    """The patterns in the order they are joined: each next one the most bound, subjects first."""
    patterns: list[Step] = []
    for s, p, o in triples:
        if not isinstance(p, URIRef) or isinstance(s, BNode) or isinstance(o, BNode):
            raise NotCompiled("a pattern with a variable predicate, a path or a blank node")
        patterns.append((_position(s), to_nt(p), _position(o)))
    bound, steps, scanned = {"this"}, [], set()
    while patterns:
        scores = [2 * _known(step[0], bound) + _known(step[2], bound) for step in patterns]
        best = patterns.pop(scores.index(max(scores)))
        if not _known(best[0], bound):  # no subject to start from: found by scanning the predicate
            scanned.add(best[1])
        bound |= {position[1] for position in (best[0], best[2]) if position[0] == "var"}
        steps.append(best)
    return steps, frozenset(scanned)


def _known(position: tuple[str, str], bound: set[str]) -> bool:
    return position[0] == "term" or position[1] in bound


def _position(term: Any) -> tuple[str, str]:
    return ("var", str(term)) if isinstance(term, Variable) else ("term", to_nt(term))
