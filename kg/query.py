"""SPARQL queries against the embedded store or a server, and their results as table, CSV, JSON or Turtle.

Results are reduced to one shape whatever the store: a boolean (ASK), rows of terms (SELECT), or
a graph in Turtle (CONSTRUCT, DESCRIBE). JSON output is the W3C SPARQL 1.1 results format.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.choices import QueryFormat
from kg.errors import UsageError
from kg.rdf.oxigraph import serialize
from kg.sparql import ordered, parse_query
from kg.store import EmbeddedStore, RemoteStore


@dataclass(slots=True)
class Term:
    """One RDF term of a result: kind is "uri", "literal" or "bnode", as in SPARQL JSON results."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    def as_json(self) -> dict[str, str]:
        data = {"type": self.kind, "value": self.value}
        if self.language:
            data["xml:lang"] = self.language
        elif self.datatype:
            data["datatype"] = self.datatype
        return data


@dataclass(slots=True)
class QueryResult:
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    turtle: str | None = None
    note: str | None = None  # for the user, when nothing was found and the default graph is the likely reason

    @property
    def empty(self) -> bool:
        if self.turtle is not None:
            return not self.turtle.strip()
        return self.boolean is False or (self.boolean is None and not self.rows)


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, by SPARQL's grammar (:mod:`kg.sparql`); a usage error if none."""
    return parse_query(sparql).form


def run_query(store: EmbeddedStore | RemoteStore, sparql: str) -> QueryResult:
    parsed = parse_query(sparql)
    result = (
        _remote(store, sparql, parsed.form) if isinstance(store, RemoteStore) else _embedded(store, sparql, parsed.form)
    )
    result.variables = ordered(result.variables, parsed)
    if result.empty:
        result.note = parsed.note_when_empty()
    return result


def _embedded(store: EmbeddedStore, sparql: str, form: str) -> QueryResult:
    answer = store.query(sparql)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(form, boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return QueryResult(form, turtle=serialize(answer, format=ox.RdfFormat.TURTLE).decode("utf-8"))
    variables = [v.value for v in answer.variables]
    rows = [{name: _term(row[name]) for name in variables if row[name] is not None} for row in answer]
    return QueryResult(form, variables, rows)


def _remote(store: RemoteStore, sparql: str, form: str) -> QueryResult:
    if form in {"CONSTRUCT", "DESCRIBE"}:
        return QueryResult(form, turtle=serialize(store.graph(sparql), format=ox.RdfFormat.TURTLE).decode("utf-8"))
    data = store.results(sparql, ask=form == "ASK")  # checked: a boolean, or head.vars and results.bindings
    if "boolean" in data:
        return QueryResult(form, boolean=bool(data["boolean"]))
    rows = [
        {
            name: Term(
                b["type"] if b["type"] != "typed-literal" else "literal",
                b["value"],
                b.get("datatype"),
                b.get("xml:lang"),
            )
            for name, b in binding.items()
        }
        for binding in data["results"]["bindings"]
    ]
    return QueryResult(form, data["head"].get("vars", []), rows)


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    return Term("literal", term.value, term.datatype.value if not term.language else None, term.language)


def answer(store: EmbeddedStore | RemoteStore, sparql: str, output: QueryFormat | str | None = None) -> str:
    """The query's result rendered as ``output``; by default a table, or Turtle for a graph."""
    return render(run_query(store, sparql), output)


def render(result: QueryResult, output: QueryFormat | str | None = None) -> str:
    """The result as ``output`` (table, csv, json or ttl); by default a table, or Turtle for a graph."""
    if output is None:
        output = QueryFormat.ttl if result.turtle is not None else QueryFormat.table
    output = QueryFormat(output).value
    if result.turtle is not None:
        if output not in {"ttl", "table"}:
            raise UsageError(f"a {result.form} query gives a graph: use --format ttl")
        return result.turtle
    if output == "ttl":
        raise UsageError(
            f"a {result.form} query gives {'a boolean' if result.boolean is not None else 'rows'}: "
            "use --format table, csv or json"
        )
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}) if output == "json" else str(result.boolean).lower()
    if output == "json":
        return json.dumps(
            {
                "head": {"vars": result.variables},
                "results": {"bindings": [{k: t.as_json() for k, t in row.items()} for row in result.rows]},
            },
            ensure_ascii=False,
            indent=1,
        )
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([row[v].value if v in row else "" for v in result.variables] for row in result.rows)
        return buffer.getvalue().rstrip("\n")
    return _table(result)


def _table(result: QueryResult) -> str:
    cells = [[row[v].value if v in row else "" for v in result.variables] for row in result.rows]
    widths = [max([len(v), *(len(c[i]) for c in cells)]) for i, v in enumerate(result.variables)]
    line = lambda values: "  ".join(value.ljust(width) for value, width in zip(values, widths, strict=True)).rstrip()  # noqa: E731
    rule = "  ".join("-" * width for width in widths)
    footer = f"({len(cells)} {'row' if len(cells) == 1 else 'rows'})"
    return "\n".join([line(result.variables), rule, *(line(c) for c in cells), footer])
