"""``kg extract``: articles in, one validated graph per article out (:func:`kg.batch.run`)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kg.article import LANGUAGES, MAX_BYTES
from kg.choices import DEFAULT_NAME_FINDER, NameFinder, OutputFormat
from kg.cli._common import KbOption, fail, progress, show_warnings

Lang = Enum("Lang", {name: name for name in ("auto", *LANGUAGES)}, type=str)  # type: ignore[misc]


def extract(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Articles: text files, HTML pages, JSONL files (one article a line: id, text, title, url, published, "
            "lang, source), directories of those (searched), or - for stdin.",
            metavar="INPUT",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--out",
            help="Directory for Turtle files (default exports/), or the file of an N-Quads/TriG stream "
            "(default exports/corpus.nq or .trig).",
        ),
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help=OutputFormat.__doc__)] = OutputFormat.ttl,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the articles; auto guesses per article.")] = Lang[
        "auto"
    ],
    kb: KbOption = None,
    published: Annotated[
        datetime | None,
        typer.Option(
            "--published", formats=["%Y-%m-%d"], help="Publication date (YYYY-MM-DD) for articles that do not give one."
        ),
    ] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Refuse larger articles.")] = MAX_BYTES,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            envvar="KG_ONLINE",
            help="Look names the knowledge base lacks up in Wikidata, and keep what is found in the KB.",
        ),
    ] = False,
    ner: Annotated[NameFinder, typer.Option("--ner", help=NameFinder.__doc__)] = DEFAULT_NAME_FINDER,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: every core; one for a single article)."),
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip articles an earlier run already wrote.")] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Where to write the failures (JSONL: input, reason). Default: beside the output."
        ),
    ] = None,
) -> None:
    """Extract people, organizations and places (linked to Wikidata), statements, events and roles
    from articles, and write one validated graph per article.

    Each graph is checked against the SHACL shapes before it is written; an invalid graph is not
    written. A bad article is reported (one line, and in the failures report) and the others go on.

    \b
    Example:
      kg extract examples/000_3d31550ceac5e1d3.txt -o exports --published 2022-10-11
      kg extract news/ --format nq -o build/corpus.nq --jobs 4 --resume
    """
    from kg.batch import Failed, Options, Tally, Written, default_jobs, output_target, run

    if online:
        show_warnings("kg.wikidata")
    target = output_target(output_format, out)
    options = Options(
        output_format, str(lang.value), kb, published.date() if published else None, max_bytes, online, str(ner.value)
    )
    outcomes = run(
        inputs, target, options, jobs=jobs or default_jobs(inputs), resume=resume, report=report, tune_gc=True
    )
    tally = Tally()
    with progress(0, "extracting", unknown_total=True) as advance:
        for outcome in outcomes:
            tally.add(outcome)
            if isinstance(outcome, Failed):
                fail(outcome.error)
            elif isinstance(outcome, Written):
                where = f"{outcome.output} <{outcome.graph}>" if output_format.streaming else outcome.output
                typer.echo(f"{where}: {outcome.summary}")
            advance()
    closing = tally.closing_line(target)
    if closing:
        typer.echo(f"kg: {closing}", err=True)
    raise typer.Exit(tally.exit_code)
