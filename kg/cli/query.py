"""``kg query``: SPARQL on the store (:func:`kg.query.answer`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.choices import Flavor, QueryFormat
from kg.cli._common import (
    EndpointOption,
    FlavorOption,
    PasswordOption,
    QueryPathOption,
    RetriesOption,
    StoreOption,
    TimeoutOption,
    TokenOption,
    UserOption,
    exit_codes,
)
from kg.errors import GraphUnreadable, StoreError, UsageError

EXIT_CODES = exit_codes(UsageError, GraphUnreadable, StoreError)


def query(
    sparql: Annotated[
        str | None, typer.Argument(help="The SPARQL query (or use --file).", metavar="SPARQL", show_default=False)
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", metavar="FILE", help="Read the query from this file.")
    ] = None,
    store: StoreOption = Path(".kg/store"),
    endpoint: EndpointOption = None,
    flavor: FlavorOption = Flavor.oxigraph,
    query_path: QueryPathOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    token: TokenOption = None,
    timeout: TimeoutOption = 30.0,
    retries: RetriesOption = 3,
    output: Annotated[QueryFormat | None, typer.Option("--format", help=QueryFormat.__doc__)] = None,
) -> None:
    """Run a SPARQL query on the store. Each article is a named graph: use GRAPH ?g { … } in queries.

    \b
    Example:
      kg query --file queries/stoltenberg_statements.rq
      kg query "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }" --format csv
    """
    from kg.query import query_form, render, run_query
    from kg.store import open_store

    if (sparql is None) == (file is None):
        raise UsageError("give the query as an argument or with --file, not both or neither")
    text = sparql or ""
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"{file}: {error.strerror or error}") from None
    query_form(text)  # not a query: said before any store is opened
    target = open_store(
        store,
        endpoint,
        flavor=flavor,
        user=user,
        password=password,
        token=token,
        timeout=timeout,
        retries=retries,
        existing=True,
        query_path=query_path,
    )
    try:
        result = run_query(target, text)
        typer.echo(render(result, output))
        if result.note:
            typer.echo(f"kg: note: nothing found; {result.note}", err=True)
    finally:
        target.close()
