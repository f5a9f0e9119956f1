"""SPARQL constraints of the simplest form compiled to Python, over the engine's :class:`~kg.shacl.data.Data`.

A ``SELECT`` over one basic graph pattern with ``FILTER``s (kg's anchor check: every mention's
``nif:anchorOf`` is the context's text between its offsets) needs no store: it becomes a Python
function whose patterns are nested loops over the subject index and whose filters are calls of the
helpers below, which follow SPARQL's value rules (a type error makes the filter false; ``&&``,
``||`` and ``!`` use SPARQL's three-valued logic). Anything else in a query (OPTIONAL, UNION,
paths, BIND, aggregates, functions not below, …) raises :class:`NotCompiled`, and that constraint
runs in Oxigraph. The test suite runs every compiled constraint in Oxigraph too and compares the
results; the README says what running kg's in Oxigraph instead would cost.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from kg.rdf.literals import TERMS_CACHED, lexical, ordered, split
from kg.rdf.oxigraph import to_nt

Value = tuple  # ("I", iri) | ("B", label) | ("L", lexical, datatype, lang) | ("N", number, datatype)
_EMPTY: dict[str, list[str]] = {}
_STRING, _LANG_STRING = str(XSD.string), str(RDF.langString)
_INTEGERS = {
    str(t)
    for t in (
        XSD.integer,
        XSD.nonNegativeInteger,
        XSD.positiveInteger,
        XSD.nonPositiveInteger,
        XSD.negativeInteger,
        XSD.long,
        XSD.int,
        XSD.short,
        XSD.byte,
        XSD.unsignedLong,
        XSD.unsignedInt,
        XSD.unsignedShort,
        XSD.unsignedByte,
    )
}
_DECIMAL, _DOUBLE, _FLOAT = str(XSD.decimal), str(XSD.double), str(XSD.float)
_NUMERIC = _INTEGERS | {_DECIMAL, _DOUBLE, _FLOAT}
_INTEGERS_OR_STRING = _INTEGERS | {_STRING}


class NotCompiled(Exception):
    """The query uses SPARQL this module does not compile; it runs in Oxigraph instead."""


class _TypeError(Exception):
    """A SPARQL expression error: the filter it is in is false for that row."""


# --- values: what the generated code computes with -----------------------------------------

_INTEGER = str(XSD.integer)
_BOOLEAN = str(XSD.boolean)
_INTEGER_FORM = re.compile(r"\s*[+-]?[0-9]+\s*")


def _term(term: str) -> Value:
    """An N-Triples term as a value."""
    if term[0] == "<":
        return ("I", term[1:-1])
    if term[0] == "_":
        return ("B", term[2:])
    text, suffix = split(term)
    if suffix.startswith("@"):
        return ("L", text, _LANG_STRING, suffix[1:].lower())
    return ("L", text, suffix[3:-1] if suffix else _STRING, None)


def _number(value: Value) -> tuple[int | Decimal | float, str]:
    """A numeric value and its type (xsd:integer, decimal, double or float); a type error otherwise."""
    if value[0] == "N":
        return value[1], value[2]
    if value[0] == "L":
        try:
            family, number = ordered(value[1], value[2])
        except ValueError:
            raise _TypeError from None
        if family == "number" and isinstance(number, int | Decimal | float):
            return number, _INTEGER if value[2] in _INTEGERS else value[2]
    raise _TypeError


def _string(value: Value) -> tuple[str, str | None]:
    """A string literal's text and language tag; a type error for anything else."""
    if value[0] == "L" and value[2] in (_STRING, _LANG_STRING):
        return value[1], value[3]
    raise _TypeError


def _ordered(value: Value) -> tuple[str, object]:
    if value[0] == "N":
        return "number", value[1]
    if value[0] == "L" and value[2] != _LANG_STRING:
        try:
            return ordered(value[1], value[2])
        except ValueError:
            pass
    raise _TypeError


def _compare(a: Value, b: Value) -> int:
    """-1, 0 or 1, as SPARQL orders numbers, strings, booleans and dates; a type error otherwise."""
    if a[0] == b[0] == "N":
        return (a[1] > b[1]) - (a[1] < b[1])
    (family, x), (other, y) = _ordered(a), _ordered(b)
    if family != other:
        raise _TypeError
    try:
        return (x > y) - (x < y)  # type: ignore[operator]
    except TypeError:  # a zoned and an unzoned date
        raise _TypeError from None


def _equal(a: Value, b: Value) -> bool:
    """SPARQL ``=``: by value for literals it can order, else RDF term equality (an error for two
    different literals it cannot compare, as in SPARQL)."""
    if a[0] in "IB" or b[0] in "IB":
        return a == b
    if a[0] == b[0] == "L" and a[2] == b[2] == _STRING:
        return a[1] == b[1]
    try:
        return _compare(a, b) == 0
    except _TypeError:
        if a == b or a[2] == b[2] == _LANG_STRING:
            return a == b
        raise


_TRUE: Value = ("L", "true", _BOOLEAN, None)
_FALSE: Value = ("L", "false", _BOOLEAN, None)


def _truth(value: bool) -> Value:
    return _TRUE if value else _FALSE


def _ebv(value: Value) -> bool:
    """Effective boolean value: an ill-formed boolean or number is false, an IRI or a date an error."""
    if value is _TRUE or value is _FALSE:
        return value is _TRUE
    if value[0] == "N":
        number = value[1]
    elif value[0] == "L" and value[2] == _BOOLEAN:
        return value[1] in ("true", "1")
    elif value[0] == "L" and value[2] in (_STRING, _LANG_STRING):
        return value[1] != ""
    elif value[0] == "L" and value[2] in _NUMERIC:
        try:
            number = _number(value)[0]
        except _TypeError:
            return False
    else:
        raise _TypeError
    return bool(number) and not (isinstance(number, float) and math.isnan(number))


def _promote(a: str, b: str) -> str:
    for datatype in (_DOUBLE, _FLOAT, _DECIMAL):
        if datatype in (a, b):
            return datatype
    return _INTEGER


def _arithmetic(operator: str, a: Value, b: Value) -> Value:
    if a[0] == b[0] == "N" and a[2] == b[2] == _INTEGER and operator != "/":  # the common case, exact
        return ("N", a[1] + b[1] if operator == "+" else a[1] - b[1] if operator == "-" else a[1] * b[1], _INTEGER)
    (x, tx), (y, ty) = _number(a), _number(b)
    kind = _promote(tx, ty)
    if operator == "/" and kind == _INTEGER:
        kind = _DECIMAL
    if kind in (_DOUBLE, _FLOAT):
        return _calculate(operator, float(x), float(y), kind)
    if kind == _DECIMAL:
        return _calculate(operator, _decimal(x), _decimal(y), kind)
    if not (isinstance(x, int) and isinstance(y, int)):
        raise AssertionError(f"xsd:integer operands that are not ints: {x!r}, {y!r}")  # _number gives ints
    return _calculate(operator, x, y, kind)


def _decimal(number: int | Decimal | float) -> Decimal:
    return number if isinstance(number, Decimal) else Decimal(number)


_Number = TypeVar("_Number", int, Decimal, float)


def _calculate(operator: str, x: _Number, y: _Number, kind: str) -> Value:
    """``x operator y``, both of the Python type of ``kind`` (int for xsd:integer, which is never divided)."""
    if operator != "/":
        return ("N", x + y if operator == "+" else x - y if operator == "-" else x * y, kind)
    if y == 0:
        if kind == _DECIMAL:
            raise _TypeError
        return ("N", math.copysign(math.inf, x) if x else math.nan, kind)
    return ("N", x / y, kind)


def _negate(value: Value) -> Value:
    number, kind = _number(value)
    return ("N", -number, kind)


def _to_integer(value: Value) -> Value:
    """xsd:integer(…): from a number (truncated), a boolean, or a string or integer in integer form."""
    if value[0] == "N" and value[2] == _INTEGER:
        return value
    if value[0] == "L" and value[2] in _INTEGERS_OR_STRING:
        if _INTEGER_FORM.fullmatch(value[1]) is None:
            raise _TypeError
        return ("N", int(value[1]), _INTEGER)
    if value[0] == "L" and value[2] == _BOOLEAN:
        return ("N", int(_ebv(value)), _INTEGER)
    number, _ = _number(value)
    if isinstance(number, float) and (math.isnan(number) or math.isinf(number)):
        raise _TypeError
    return ("N", int(number), _INTEGER)


def _str(value: Value) -> Value:
    """STR of a term (the compiler sends computed values to Oxigraph, which writes their lexical forms)."""
    if value[0] == "L":
        return value if value[2] == _STRING else ("L", value[1], _STRING, None)
    if value[0] == "I":
        return ("L", value[1], _STRING, None)
    raise _TypeError


def _unbound() -> Value:
    raise _TypeError


@lru_cache(maxsize=TERMS_CACHED)
def _integer_or_none(term: str) -> Value | None:
    """xsd:integer(?v) for a bound ?v, from its term; None where the cast is an error. Integers and
    strings in integer form (kg's offsets) take the short way; anything else the general one. Cached:
    offsets recur across articles (a value is an immutable tuple)."""
    if term[0] == '"':
        end = term.rfind('"')
        datatype = _STRING if end == len(term) - 1 else term[end + 4 : -1] if term[end + 1] == "^" else None
        text = term[1:end]
        if datatype in _INTEGERS_OR_STRING and text.isascii() and text.isdigit():
            return ("N", int(text), _INTEGER)
    try:
        return _to_integer(_term(term))
    except _TypeError:
        return None


def _string_or_none(term: str) -> Value | None:
    """STR(?v) for a bound ?v, from its term; None for a blank node (an error)."""
    if term[0] == "<":
        return ("L", term[1:-1], _STRING, None)
    if term[0] == '"':
        return ("L", lexical(term), _STRING, None)
    return None


def _strlen(value: Value) -> Value:
    return ("N", len(_string(value)[0]), _INTEGER)


def _substring(text: Value, start: Value, length: Value | None = None) -> Value:
    """XPath fn:substring, as SPARQL's SUBSTR: 1-based, positions rounded half up."""
    string, lang = _string(text)
    kind = _LANG_STRING if lang else _STRING
    first = start[1] if start[0] == "N" and start[2] == _INTEGER else math.floor(float(_number(start)[0]) + 0.5)
    if length is None:
        return ("L", string[max(first - 1, 0) :], kind, lang)
    size = length[1] if length[0] == "N" and length[2] == _INTEGER else float(_number(length)[0])
    if isinstance(size, float):
        if math.isnan(size):
            return ("L", "", kind, lang)
        size = math.floor(size + 0.5) if not math.isinf(size) else len(string)
    return ("L", string[max(first - 1, 0) : max(first + size - 1, 0)], kind, lang)


def _is(kind: str, value: Value) -> Value:
    return _truth(value[0] == kind or (kind == "L" and value[0] == "N"))


def _tri(thunk: Callable[[], Value]) -> bool | None:
    """A boolean operand of ``&&``/``||``: its value, or None for an error."""
    try:
        return _ebv(thunk())
    except _TypeError:
        return None


def _logical(decisive: bool, *operands: Callable[[], Value]) -> Value:
    """``||`` (decisive True) and ``&&`` (decisive False): one decisive operand decides, even beside
    an error; otherwise an error makes the whole an error."""
    truths = [_tri(operand) for operand in operands]
    if decisive in truths:
        return _truth(decisive)
    if None in truths:
        raise _TypeError
    return _truth(not decisive)


_RELATIONS = {
    "=": "_equal({}, {})",
    "!=": "not _equal({}, {})",
    "<": "_compare({}, {}) < 0",
    ">": "_compare({}, {}) > 0",
    "<=": "_compare({}, {}) <= 0",
    ">=": "_compare({}, {}) >= 0",
}
_HELPERS = {
    name: globals()[name]
    for name in (
        "_term",
        "_truth",
        "_equal",
        "_compare",
        "_ebv",
        "_arithmetic",
        "_negate",
        "_to_integer",
        "_str",
        "_strlen",
        "_substring",
        "_is",
        "_logical",
        "_TypeError",
        "_EMPTY",
        "_unbound",
        "_integer_or_none",
        "_string_or_none",
    )
}


# --- compiling a query into Python source ----------------------------------------------------------

Solutions = Callable[[Any, str], Iterator[dict[str, str]]]  # (Data, focus term) -> rows: variable -> term


def compile_select(algebra: CompValue) -> tuple[Solutions, frozenset[str], str]:
    """A SELECT with $this pre-bound as a Python function of (Data, focus), the predicates whose
    triples it scans whole (they must be in Data's ``watched``), and its source; NotCompiled otherwise."""
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
        self.names: dict[str, object] = dict(_HELPERS)

    def const(self, value: object) -> str:
        name = f"_s{len(self.names)}"
        self.names[name] = value
        return name

    def function(self, triples: list, filters: list) -> tuple[Solutions, frozenset[str], str]:
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
        source = "\n".join(lines)
        exec(compile(source, "<kg sparql constraint>", "exec"), self.names)
        solutions = self.names["solutions"]
        if not callable(solutions):
            raise AssertionError("the generated code defines no solutions function")
        return solutions, scanned, source

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
