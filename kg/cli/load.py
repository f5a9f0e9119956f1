"""``kg load``: article graphs into a store (:func:`kg.load.load_files`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.choices import Flavor, Method
from kg.cli._common import (
    EndpointOption,
    FlavorOption,
    GspPathOption,
    PasswordOption,
    QueryPathOption,
    RetriesOption,
    StoreOption,
    TimeoutOption,
    TokenOption,
    UpdatePathOption,
    UserOption,
    exit_codes,
    fail,
    progress,
)
from kg.errors import GraphInvalid, GraphUnreadable, OutputError, StoreError, UsageError

EXIT_CODES = exit_codes(GraphInvalid, GraphUnreadable, UsageError, StoreError, OutputError)


def load(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Graphs written by kg extract (Turtle), or N-Quads/TriG with one named graph per article.",
            metavar="FILE",
            show_default=False,
        ),
    ],
    store: StoreOption = Path(".kg/store"),
    endpoint: EndpointOption = None,
    flavor: FlavorOption = Flavor.oxigraph,
    query_path: QueryPathOption = None,
    update_path: UpdatePathOption = None,
    gsp_path: GspPathOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    token: TokenOption = None,
    method: Annotated[
        Method | None,
        typer.Option(
            "--method",
            help="update: SPARQL Update, --batch articles per request; gsp: one Graph Store PUT each; "
            "nquads: a batch's new graphs in one N-Quads POST (Oxigraph, Fuseki), the others by update. "
            "Default: nquads for --flavor oxigraph, update for the others.",
            show_default=False,
        ),
    ] = None,
    batch: Annotated[
        int | None,
        typer.Option(
            "--batch",
            min=1,
            metavar="N",
            help="Articles per request to a server (default 50), or per bulk load of --store (default: whole "
            "articles up to 400,000 quads, about 0.5 GB; --batch 50 takes ~140 MB and more CPU time).",
            show_default=False,
        ),
    ] = None,
    timeout: TimeoutOption = 30.0,
    retries: RetriesOption = 3,
    no_validate: Annotated[bool, typer.Option("--no-validate", help="Load without checking the shapes first.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and validate, say what would load, write nothing.")
    ] = False,
    no_verify: Annotated[
        bool,
        typer.Option(
            "--no-verify", help="Take a server's yes as it is, without the query that checks each batch is there."
        ),
    ] = False,
    failures: Annotated[
        Path | None,
        typer.Option(
            "--failures",
            help="Write every article not surely loaded (refused, not loaded, unknown) to this file, a JSON line each.",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """Load article graphs into a store, one named graph per article, replacing what was there.

    Each graph is validated first (an invalid one is refused with the report). Loading again
    never duplicates triples, and a failed request leaves the store as it was.

    \b
    Example:
      kg load exports/*.ttl
      kg load exports/ --endpoint http://127.0.0.1:7878
      KG_ENDPOINT_TOKEN=… kg load exports/*.ttl --endpoint https://graphdb.example/repositories/news
    """
    from kg.load import load_files, write_failures
    from kg.store import open_store

    target = open_store(
        store,
        endpoint,
        flavor=flavor,
        user=user,
        password=password,
        token=token,
        timeout=timeout,
        retries=retries,
        query_path=query_path,
        update_path=update_path,
        gsp_path=gsp_path,
    )
    try:
        with progress(0, "loading", unknown_total=True) as advance:
            outcome = load_files(
                files,
                target,
                validate=not no_validate,
                dry_run=dry_run,
                batch=batch,
                method=method,
                progress=advance,
                verify=not no_verify,
            )
    finally:
        target.close()  # an embedded store is locked while open: released now, not when collected
    for error in [*outcome.refused, *outcome.not_loaded]:
        fail(error)
    if failures is not None:
        write_failures(outcome, failures)
    if outcome.report is None:
        for graph in outcome.graphs:
            typer.echo(f"would load {graph.name} ({len(graph)} triples) from {graph.source}")
    else:
        count, failed, unknown = (len(outcome.report.loaded), len(outcome.report.failed), len(outcome.report.unknown))
        typer.echo(
            f"loaded {count} {'article' if count == 1 else 'articles'} ({outcome.report.triples:,} triples) "
            f"into {target.shown}"
            + (f"; {failed} not loaded" if failed else "")
            + (f"; {unknown} perhaps loaded, perhaps not" if unknown else "")
        )
    raise typer.Exit(outcome.exit_code)
