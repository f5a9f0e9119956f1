"""The ``kg`` command line: a module per command, each parsing its options and calling the library.

One error boundary for every command (:class:`_Boundary`): a :class:`~kg.errors.KgError` raised
anywhere below is printed on one line (``kg: error: …``) and the process exits with its code.
The codes are defined in :mod:`kg.errors` and listed by ``kg --help``.
"""

from __future__ import annotations

from importlib.metadata import version as package_version
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kg.cli import eval as eval_command
from kg.cli import extract, kb, load, query, validate
from kg.cli._common import Command, fail
from kg.errors import KgError, exit_code_help


class _Boundary(TyperGroup):
    """The root command group: every subcommand runs inside its ``invoke``, so this is the one place errors end."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (typer vendors click in newer releases)
        try:
            return super().invoke(ctx)
        except KgError as error:
            fail(error)
            raise typer.Exit(int(error.exit_code)) from None


app = typer.Typer(
    cls=_Boundary,
    help="Turn news articles into a linked, SHACL-valid knowledge graph: people, organizations and places linked "
    "to Wikidata, who said what, and the meetings the news reports.",
    epilog="\b\nExit codes (with several inputs, the first failure's):\n" + exit_code_help(),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(asked: bool) -> None:
    if asked:
        typer.echo(f"kg {package_version('kg')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print kg's version and exit."),
    ] = False,
) -> None:
    """Turn news articles into a linked, SHACL-valid knowledge graph: people, organizations and places linked
    to Wikidata, who said what, and the meetings the news reports."""


app.command(cls=Command, epilog=extract.EXIT_CODES)(extract.extract)
app.command(cls=Command, epilog=validate.EXIT_CODES)(validate.validate)
app.command("eval", cls=Command, epilog=eval_command.EXIT_CODES)(eval_command.evaluate)
app.command(cls=Command, epilog=load.EXIT_CODES)(load.load)
app.command(cls=Command, epilog=query.EXIT_CODES)(query.query)
app.add_typer(kb.app, name="kb")

__all__ = ["app"]
