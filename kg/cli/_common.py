"""What several commands share: printing errors and warnings, common options, a progress bar."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Any, Protocol

import typer
from typer.core import TyperCommand

from kg.choices import Flavor
from kg.errors import ExitCode, KgError, exit_code_help


def exit_codes(*outcomes: type[KgError] | ExitCode) -> str:
    """A command's "Exit codes:" epilog: 0, and the code of each error class (or outcome) it declares, with
    the meanings :mod:`kg.errors` gives, so help text never drifts from the codes the boundary exits with."""
    codes = {ExitCode.OK, *(o if isinstance(o, ExitCode) else o.exit_code for o in outcomes)}
    return "\b\nExit codes:\n" + exit_code_help(codes)


class Command(TyperCommand):
    """A command whose arguments are listed by their metavar alone: typer appends the Python type
    (``INPUT <list[str]>``), which tells a user nothing the metavar and the help do not."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                name = (param.metavar or str(param.name).upper()) + ("..." if param.nargs != 1 else "")
                arguments.append((name, record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def fail(error: KgError) -> None:
    """An error on one line of stderr; the command goes on (or the boundary ends it)."""
    typer.echo(f"kg: error: {error}", err=True)


def warn(message: str) -> None:
    """A warning on one line of stderr."""
    typer.echo(f"kg: warning: {message}", err=True)


class _Stderr(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"kg: warning: {record.getMessage()}", err=True)


def show_warnings(logger: str) -> None:
    """The library logs what a user should know (Wikidata went offline); the CLI prints it once."""
    target = logging.getLogger(logger)
    if not any(isinstance(h, _Stderr) for h in target.handlers):
        target.addHandler(_Stderr(logging.WARNING))


KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        metavar="FILE",
        help="Knowledge base: a .sqlite file, or a JSONL of Wikidata entity records. Default: the bundled KB.",
    ),
]
StoreOption = Annotated[
    Path, typer.Option("--store", metavar="DIR", help="Embedded store directory (used unless --endpoint).")
]
EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        metavar="URL",
        help="Base URL of a SPARQL 1.1 store, e.g. http://127.0.0.1:7878 or http://host:3030/dataset.",
    ),
]
FlavorOption = Annotated[
    Flavor,
    typer.Option(
        "--flavor",
        help="The store's paths under --endpoint (query, update, Graph Store): oxigraph (query, update, store), "
        "fuseki (query, update, data), graphdb and rdf4j (the repository URL, statements, rdf-graphs/service), "
        "virtuoso (sparql, sparql, sparql-graph-crud), blazegraph (sparql, sparql; no Graph Store).",
    ),
]
QueryPathOption = Annotated[
    str | None,
    typer.Option(
        "--query-path", metavar="PATH", help="Path of the query service under --endpoint (overrides --flavor)."
    ),
]
UpdatePathOption = Annotated[
    str | None,
    typer.Option(
        "--update-path", metavar="PATH", help="Path of the update service under --endpoint (overrides --flavor)."
    ),
]
GspPathOption = Annotated[
    str | None,
    typer.Option(
        "--gsp-path", metavar="PATH", help="Path of the Graph Store service under --endpoint (overrides --flavor)."
    ),
]
UserOption = Annotated[
    str | None, typer.Option("--user", metavar="USER", help="Basic auth user (or KG_ENDPOINT_USER).")
]
PasswordOption = Annotated[
    str | None,
    typer.Option(
        "--password",
        metavar="PASSWORD",
        help="Basic auth password; prefer KG_ENDPOINT_PASSWORD, which no process list shows.",
    ),
]
TokenOption = Annotated[
    str | None, typer.Option("--token", metavar="TOKEN", help="Bearer token (or KG_ENDPOINT_TOKEN).")
]
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=0.001, metavar="SECONDS", help="Seconds to wait for each request's whole answer."),
]
RetriesOption = Annotated[
    int, typer.Option("--retries", min=0, metavar="N", help="Retries on connection errors, 429 and 5xx.")
]


class Advance(Protocol):
    def __call__(self, n: int = 1) -> None: ...


class progress:
    """A progress bar on a terminal for long work; silent in pipes and CI logs."""

    def __init__(self, total: int, label: str, unknown_total: bool = False) -> None:
        self.enabled = (total > 1 or unknown_total) and sys.stderr.isatty()
        self.total, self.label = (None if unknown_total else total), label

    def __enter__(self) -> Advance:
        if not self.enabled:
            return lambda n=1: None
        from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            MofNCompleteColumn(),
            TextColumn("{task.speed} /s"),
            TimeElapsedColumn(),
            transient=True,
        )
        self._bar.start()
        task = self._bar.add_task(self.label, total=self.total)
        return lambda n=1: self._bar.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._bar.stop()
