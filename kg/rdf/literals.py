"""Literals read back from N-Triples terms: lexical forms checked and given values as XSD defines them.

The validators read the graph as the mapping wrote it (:mod:`kg.rdf.terms`) or as pyoxigraph
prints it, ``"12"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>``, without building
rdflib or pyoxigraph objects. What a datatype accepts and how its values order lives here, once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from rdflib.namespace import XSD

_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_STRING = str(XSD.string)
TERMS_CACHED = 4096  # offsets, dates and scores recur across articles: values are cached per term, a few MB in all


def unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(
        lambda m: (
            chr(int(m.group(1) or m.group(2), 16))
            if m.group(3) is None
            else _SIMPLE_ESCAPES.get(m.group(3), m.group(3))
        ),
        text,
    )


def split(term: str) -> tuple[str, str]:
    """A literal's (lexical form, what follows its closing quote: "", "@lang" or "^^<datatype>")."""
    end = term.rfind('"')
    return unescape(term[1:end]), term[end + 1 :]


def lexical(term: str) -> str:
    """A literal's lexical form."""
    return unescape(term[1 : term.rfind('"')])


_DATE = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?")
_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_FLOAT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN")
_INTEGER = re.compile(r"[+-]?\d+")
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    str(t): bounds
    for t, bounds in {
        XSD.integer: (None, None),
        XSD.nonNegativeInteger: (0, None),
        XSD.positiveInteger: (1, None),
        XSD.nonPositiveInteger: (None, 0),
        XSD.negativeInteger: (None, -1),
        XSD.long: (-(2**63), 2**63 - 1),
        XSD.int: (-(2**31), 2**31 - 1),
        XSD.short: (-(2**15), 2**15 - 1),
        XSD.byte: (-128, 127),
        XSD.unsignedLong: (0, 2**64 - 1),
        XSD.unsignedInt: (0, 2**32 - 1),
        XSD.unsignedShort: (0, 2**16 - 1),
        XSD.unsignedByte: (0, 255),
    }.items()
}


def _date(lexical: str) -> date | str:
    """An xsd:date's value: a date, or with a time zone its (ordered) lexical form; ValueError if invalid."""
    match = _DATE.fullmatch(lexical)
    if match is None:
        raise ValueError(lexical)
    day = date(int(match.group(1)) if len(match.group(1)) == 4 else 2000, int(match.group(2)), int(match.group(3)))
    return day if match.group(4) is None else lexical


def _datetime(lexical: str) -> datetime:
    if _DATETIME.fullmatch(lexical) is None:
        raise ValueError(lexical)
    return datetime.fromisoformat(lexical.replace("Z", "+00:00"))


def _integer(low: int | None, high: int | None) -> Callable[[str], int]:
    def value(lexical: str) -> int:
        number = int(lexical) if _INTEGER.fullmatch(lexical) else None
        if number is None or (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(lexical)
        return number

    return value


def _matching(pattern: re.Pattern[str], convert: Callable[[str], object]) -> Callable[[str], object]:
    def value(lexical: str) -> object:
        if pattern.fullmatch(lexical) is None:
            raise ValueError(lexical)
        return convert(lexical)

    return value


def _boolean(lexical: str) -> bool:
    if lexical not in ("true", "false", "1", "0"):
        raise ValueError(lexical)
    return lexical in ("true", "1")


# Datatype IRI -> (the family SPARQL orders its values in, its value from a lexical form, raising
# ValueError for an ill-formed one: "12 Oktober" is no xsd:date).
TYPED: dict[str, tuple[str, Callable[[str], object]]] = {
    **{t: ("number", _integer(*bounds)) for t, bounds in _INTEGER_RANGES.items()},
    str(XSD.decimal): ("number", _matching(_DECIMAL, Decimal)),
    str(XSD.double): ("number", _matching(_FLOAT, float)),
    str(XSD.float): ("number", _matching(_FLOAT, float)),
    str(XSD.date): ("date", _date),
    str(XSD.dateTime): ("dateTime", _datetime),
    str(XSD.boolean): ("boolean", _boolean),
}


def ordered(lexical: str, datatype: str) -> tuple[str, object]:
    """A literal's (family, Python value) that orders as SPARQL's operators do; ValueError when none does."""
    if datatype == _STRING:
        return "string", lexical
    typed = TYPED.get(datatype)
    if typed is None:
        raise ValueError(datatype)
    try:
        return typed[0], typed[1](lexical)
    except InvalidOperation as exc:
        raise ValueError(lexical) from exc


@lru_cache(maxsize=TERMS_CACHED)
def comparable(term: str) -> tuple[str, object] | None:
    """An N-Triples literal as :func:`ordered` gives it; None for anything that cannot be ordered."""
    if term[0] != '"':
        return None
    lexical, suffix = split(term)
    if suffix.startswith("@"):
        return None
    try:
        return ordered(lexical, suffix[3:-1] if suffix else _STRING)
    except ValueError:
        return None
