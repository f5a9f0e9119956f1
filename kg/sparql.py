"""What a SPARQL text is, read with a real SPARQL parser (rdflib's), not guessed with patterns.

``kg query`` needs the form (SELECT, ASK, CONSTRUCT, DESCRIBE) before any store is opened, the
order the query names its variables in (``SELECT *``: stores choose their own), and whether it
reads named graphs at all (kg keeps the default graph empty, so a query that does not is a likely
mistake worth a note). A ``#`` inside an IRI or a string is not a comment here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from kg.errors import UsageError

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(slots=True, frozen=True)
class ParsedQuery:
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    variables: tuple[str, ...]  # every variable, in the order the query first names it
    star: bool  # SELECT *: the store picks the columns, the query their order
    named_graphs: bool  # it reads named graphs (GRAPH, FROM, FROM NAMED)

    def note_when_empty(self) -> str | None:
        """What to tell a user whose query found nothing, when the default graph is the likely reason."""
        if self.form == "DESCRIBE":
            return (
                "DESCRIBE reads the default graph, and kg puts each article in its own named graph: "
                "try CONSTRUCT { ?x ?p ?o } WHERE { GRAPH ?g { ?x ?p ?o } }"
            )
        if not self.named_graphs:
            return "kg puts each article in its own named graph (the default graph is empty): use GRAPH ?g { … }"
        return None


@lru_cache(maxsize=16)
def parse_query(text: str) -> ParsedQuery:
    """The query's form and variables; a :class:`UsageError` for an update or a text that does not parse."""
    try:
        parsed = parseQuery(text)
    except ParseBaseException as error:
        if _is_update(text):
            raise UsageError("that is a SPARQL Update, not a query: kg query only reads (kg load writes)") from None
        raise UsageError(
            f"the query does not parse at line {error.lineno}, column {error.col}: {_why(error)}"
        ) from None
    query = parsed[1]
    variables: list[str] = []
    found = _walk(query, variables)
    named = found or "datasetClause" in query
    star = query.name == "SelectQuery" and "projection" not in query
    return ParsedQuery(_FORMS[query.name], tuple(variables), star, named)


def ordered(variables: list[str], parsed: ParsedQuery) -> list[str]:
    """A store's columns for ``SELECT *`` in the query's order (any the query does not name stay last)."""
    if not parsed.star:
        return variables
    rank = {name: index for index, name in enumerate(parsed.variables)}
    return sorted(variables, key=lambda name: rank.get(name, len(rank)))


def _walk(node: object, variables: list[str]) -> bool:
    """Collect variables in order of appearance; True when a GRAPH pattern is met on the way."""
    if isinstance(node, Variable):
        if str(node) not in variables:
            variables.append(str(node))
        return False
    graph = isinstance(node, CompValue) and node.name == "GraphGraphPattern"
    if isinstance(node, dict):
        children: list[object] = list(node.values())
    elif isinstance(node, list | tuple) or (hasattr(node, "__iter__") and not isinstance(node, str | bytes)):
        children = list(node)
    else:
        return False
    for child in children:
        graph = _walk(child, variables) or graph
    return graph


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseBaseException:
        return False
    return True


def _why(error: ParseBaseException) -> str:
    return str(error.msg) + (f", found {error.line[error.col - 1 :][:30]!r}" if error.line else "")
