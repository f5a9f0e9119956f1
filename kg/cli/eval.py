"""``kg eval``: extracted graphs scored against gold files (:func:`kg.evaluate.evaluate`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kg.cli._common import exit_codes
from kg.errors import GoldUnreadable, GraphUnreadable, UsageError

EXIT_CODES = exit_codes(GoldUnreadable, GraphUnreadable, UsageError)


def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Directory of gold JSON files.", metavar="GOLD_DIR")],
    pred_dir: Annotated[
        Path, typer.Argument(help="Directory of Turtle files written by kg extract.", metavar="PRED_DIR")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    errors: Annotated[
        bool,
        typer.Option(
            "--errors",
            help="Also list every difference from the gold (mentions, types, links, quotes, events), each line "
            "naming the figures (as --json calls them) it counts against.",
        ),
    ] = False,
) -> None:
    """Score extracted graphs against gold files: P/R/F1 for mentions, typed mentions and links.

    \b
    Example:
      kg extract tests/data/articles/*.txt -o build/eval
      kg eval tests/data/gold build/eval --errors
    """
    from kg.evaluate import evaluate as score

    scores = score(gold_dir, pred_dir)
    typer.echo(json.dumps(scores.as_dict(), indent=2) if as_json else scores.table())
    if errors:
        typer.echo("\n".join(scores.errors))
