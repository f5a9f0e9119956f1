"""kg's own SPARQL constraints, parsed ahead of time: a start-up with kg's shapes imports no SPARQL parser.

Importing rdflib's SPARQL parser (pyparsing grammars) and parsing a query took a sixth of a second of
every ``kg extract``, ``kg validate`` and ``kg load``. What parsing gives (the variables a query
selects, the predicates it can match, its Python form when :mod:`.sparql_python` compiles it) is
kept for kg's shapes in ``sparql_ahead.json`` beside this module, by the query's whole text; any other
query (a user's shapes, an edited constraint) is parsed as before. ``make sparql-ahead`` writes the
file again (:func:`written`), and a test fails when it is not what that would write.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kg.shacl.sparql_values import CompiledQuery

AHEAD = Path(__file__).with_name("sparql_ahead.json")
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Parsed:
    """What parsing a constraint's query gives: the rdflib algebra when it was parsed in this process,
    else its compiled form as kept ahead (None: it runs in Oxigraph)."""

    variables: frozenset[str]
    predicates: frozenset[str] | None  # every predicate its patterns can match; None: any
    algebra: Any = None
    ahead: CompiledQuery | None = None

    def compiled(self) -> CompiledQuery | None:
        """The query as Python (:mod:`.sparql_python`); None when it is beyond the simple kind."""
        if self.algebra is None:
            return self.ahead
        from kg.shacl.sparql_python import NotCompiled, compile_select  # the SPARQL parser's algebra

        try:
            return compile_select(self.algebra)
        except NotCompiled:
            return None


def lookup(query: str) -> Parsed | None:
    """The query as parsed ahead, if it is one of kg's own."""
    return _kept().get(query)


@cache
def _kept() -> dict[str, Parsed]:
    try:
        kept = json.loads(AHEAD.read_text(encoding="utf-8"))
        return {entry["query"]: _parsed(entry) for entry in kept["queries"]} if kept["format"] == _FORMAT else {}
    except (OSError, ValueError, KeyError, TypeError):  # missing or not this kg's: every query is parsed
        return {}


def _parsed(entry: dict[str, Any]) -> Parsed:
    compiled = entry["compiled"]
    return Parsed(
        frozenset(entry["variables"]),
        None if entry["predicates"] is None else frozenset(entry["predicates"]),
        ahead=None
        if compiled is None
        else CompiledQuery(
            compiled["source"],
            {name: ast.literal_eval(value) for name, value in compiled["constants"].items()},
            frozenset(compiled["scanned"]),
        ),
    )


def entry(query: str, parsed: Parsed) -> dict[str, Any]:
    """How a parsed query is kept: JSON, each constant as a Python literal (terms, numbers, tuples)."""
    compiled = parsed.compiled()
    if compiled is not None:
        for name, value in compiled.constants.items():
            if ast.literal_eval(repr(value)) != value:
                raise ValueError(f"constant {name} of a compiled query is not a Python literal: {value!r}")
    return {
        "query": query,
        "variables": sorted(parsed.variables),
        "predicates": None if parsed.predicates is None else sorted(parsed.predicates),
        "compiled": None
        if compiled is None
        else {
            "source": compiled.source,
            "constants": {name: repr(value) for name, value in compiled.constants.items()},
            "scanned": sorted(compiled.scanned),
        },
    }


def written() -> str:
    """The file for kg's shapes as they are now, each query parsed afresh."""
    from kg.shacl.engine import ShapesEngine
    from kg.shacl.sparql import parse
    from kg.validate import load_shapes

    engine = ShapesEngine(load_shapes())
    queries = sorted({check.text for check in (*engine.sparql_python, *engine.sparql)})
    kept = {"format": _FORMAT, "queries": [entry(query, parse(query, ahead=False)) for query in queries]}
    return json.dumps(kept, indent=1, ensure_ascii=False) + "\n"
