"""SPARQL's value rules for the constraints :mod:`.sparql_python` compiles: what the generated code calls.

Terms are read as values (IRIs, blank nodes, literals, numbers), compared, cast and computed with
as SPARQL 1.1 defines it; a type error raises ``_TypeError``, which makes the filter false. Apart
from the compiler so that running compiled code imports no SPARQL parser.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from rdflib.namespace import RDF, XSD

from kg.rdf.literals import TERMS_CACHED, lexical, ordered, split

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


HELPERS = {  # what the generated code is given to call
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


Solutions = Callable[[Any, str], Iterator[dict[str, str]]]  # (Data, focus term) -> rows: variable -> term


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A query compiled to Python: the source of its ``solutions`` function, the constants that source
    names (terms and values, each written as a Python literal), and the predicates whose triples it
    scans whole (they must be in Data's ``watched``)."""

    source: str
    constants: dict[str, object]
    scanned: frozenset[str]
    solutions: Solutions = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        names = {**HELPERS, **self.constants}
        exec(compile(self.source, "<kg sparql constraint>", "exec"), names)
        solutions = names["solutions"]
        if not callable(solutions):
            raise AssertionError("the generated code defines no solutions function")
        object.__setattr__(self, "solutions", solutions)
