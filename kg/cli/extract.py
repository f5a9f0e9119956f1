"""``kg extract``: articles in, one validated graph per article out (:func:`kg.batch.run`)."""

from __future__ import annotations

import signal
import time
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kg.article import LANGUAGES, MAX_BYTES
from kg.choices import DEFAULT_NAME_FINDER, NameFinder, OutputFormat
from kg.cli._common import KbOption, exit_codes, fail, show_warnings
from kg.errors import (
    ExitCode,
    GraphInvalid,
    InputBinary,
    InputEmpty,
    InputEncoding,
    InputFormat,
    InputNotFound,
    InputTooLarge,
    InternalError,
    KnowledgeBaseError,
    OutputError,
    UsageError,
)

Lang = Enum("Lang", {name: name for name in ("auto", *LANGUAGES)}, type=str)  # type: ignore[misc]

# what a run can end with (with several inputs, the first failure's): an error's code, or a signal's
EXIT_CODES = exit_codes(
    GraphInvalid,
    UsageError,
    InputNotFound,
    InputEmpty,
    InputBinary,
    InputEncoding,
    InputTooLarge,
    InputFormat,
    KnowledgeBaseError,
    OutputError,
    InternalError,
    ExitCode.INTERRUPTED,
    ExitCode.TERMINATED,
)


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
            metavar="PATH",
            help="Directory for the Turtle or JSON-LD files (default exports/), or the file of an N-Quads/TriG "
            "stream (default exports/corpus.nq or .trig); - for standard output (messages stay on stderr; "
            "JSON-LD: one document per article, one after another).",
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
            "--published",
            formats=["%Y-%m-%d"],
            metavar="DATE",
            help="Publication date (YYYY-MM-DD) for articles that do not give one.",
        ),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, metavar="N", help="Refuse larger articles (bytes, at least 1).")
    ] = MAX_BYTES,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            envvar="KG_ONLINE",
            help="Look names the knowledge base lacks up in Wikidata, and keep what is found in the KB.",
        ),
    ] = False,
    ner: Annotated[NameFinder, typer.Option("--ner", help=NameFinder.__doc__)] = DEFAULT_NAME_FINDER,
    ner_model: Annotated[
        str | None,
        typer.Option(
            "--ner-model",
            metavar="NAME_OR_PATH",
            help="An installed spaCy pipeline with an 'ner' component (en_core_web_sm) or its directory: the learned "
            "name finder proposes its people, organizations and places for articles in its language.",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, metavar="N", help="Worker processes (default: every core; one for a single article)."
        ),
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip articles an earlier run already wrote.")] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Where to write the failures (JSONL: input, reason). Default: beside the output.",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="A line per article written (always for a single article).")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors: no progress, no per-article or closing line.")
    ] = False,
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
    from kg.batch import (
        Duplicate,
        Failed,
        Options,
        Tally,
        Written,
        articles_kept,
        default_jobs,
        failures_path,
        output_target,
        run,
    )
    from kg.cli._progress import ArticleProgress
    from kg.sources import count_articles

    if online:
        show_warnings("kg.wikidata")
    if ner_model is not None:
        from kg.pipeline import check_ner_model, ner_for

        ner_for(check_ner_model(ner_model), ner.value, ner_model)  # refused now (exit 2), not once per article
    target = output_target(output_format, out)
    options = Options(
        output_format,
        str(lang.value),
        kb,
        published.date() if published else None,
        max_bytes,
        online,
        str(ner.value),
        ner_model,
    )
    total = count_articles(inputs)
    per_article = (verbose or total == 1) and not quiet
    to_stdout = str(target) == "-"  # the graphs go to stdout, so every message goes to stderr
    held: str | None = None  # stdin's count is known at the end: its one article's line waits till then
    tally = Tally()
    started = time.monotonic()
    outcomes = run(
        inputs, target, options, jobs=jobs or default_jobs(inputs), resume=resume, report=report, tune_gc=True
    )
    previous = signal.signal(signal.SIGTERM, _terminated)  # a SIGTERM stops the run as Ctrl-C does
    shown = ArticleProgress(total, enabled=not quiet and total != 1)
    try:
        for outcome in outcomes:
            tally.add(outcome)
            if isinstance(outcome, Failed):
                shown.close()
                fail(outcome.error)
            elif isinstance(outcome, Duplicate):
                shown.close()
                typer.echo(
                    f"kg: warning: {outcome.origin}: the same text as {outcome.first}; "
                    f"its graph <{outcome.graph}> is in the stream once",
                    err=True,
                )
            elif isinstance(outcome, Written) and (per_article or (total is None and not quiet)):
                where = f"{outcome.output} <{outcome.graph}>" if output_format.streaming else outcome.output
                if per_article:
                    shown.close()
                    typer.echo(f"{where}: {outcome.summary}", err=to_stdout)
                else:
                    held = f"{where}: {outcome.summary}" if shown.done == 0 else None
            shown.advance()
    except KeyboardInterrupt as stop:
        outcomes.close()
        shown.close()
        done = articles_kept(target, output_format)
        of = f" of {total}" if total is not None else ""
        typer.echo(f"kg: interrupted: {done}{of} written; rerun with --resume", err=True)
        raise typer.Exit(int(getattr(stop, "exit_code", ExitCode.INTERRUPTED))) from None
    finally:
        outcomes.close()  # a stopped run keeps what it wrote and ends its workers now
        signal.signal(signal.SIGTERM, previous)
    shown.close()
    single = (total if total is not None else shown.done) == 1
    if held is not None and single:
        typer.echo(held, err=to_stdout)
    if not quiet and not single:
        failures = failures_path(target, output_format, report)
        typer.echo(f"kg: {tally.closing_line(target, time.monotonic() - started, failures)}", err=True)
    raise typer.Exit(tally.exit_code)


class _Stopped(KeyboardInterrupt):
    """A SIGTERM, handled as Ctrl-C is (what is written stays for --resume), with its own exit code."""

    exit_code = ExitCode.TERMINATED


def _terminated(signum: int, frame: object) -> None:
    raise _Stopped()
