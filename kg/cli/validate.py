"""``kg validate``: RDF files against SHACL shapes (:func:`kg.validate.validate_files`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.choices import Engine, InputFormat, ReportFormat, Severity
from kg.cli._common import exit_codes, fail, warn
from kg.errors import GraphInvalid, GraphUnreadable, UsageError

EXIT_CODES = exit_codes(GraphInvalid, GraphUnreadable, UsageError)


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="RDF files or directories (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML).",
            metavar="FILE",
            show_default=False,
        ),
    ],
    shapes: Annotated[
        list[Path] | None,
        typer.Option(
            "--shapes",
            metavar="PATH",
            help="Your shapes file or directory (repeatable), checked together with kg's own.",
        ),
    ] = None,
    no_kg_shapes: Annotated[
        bool, typer.Option("--no-kg-shapes", help="Check only the --shapes you give, not kg's own.")
    ] = False,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            metavar="GLOB",
            help="In directories, only files matching this glob (repeatable), e.g. 'graphs/*.ttl'.",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", metavar="GLOB", help="In directories, skip files matching this glob (repeatable)."),
    ] = None,
    severity: Annotated[
        Severity, typer.Option("--severity", help="Fail on results of this severity or worse; the others are reported.")
    ] = Severity.violation,
    report_format: Annotated[ReportFormat, typer.Option("--format", help=ReportFormat.__doc__)] = ReportFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="An input with no triples (an empty file) fails, as a broken one does.")
    ] = False,
    input_format: Annotated[
        InputFormat | None,
        typer.Option(
            "--input-format",
            help="The format of standard input (FILE -): ttl, nt, nq, trig, jsonld or rdf (RDF/XML). "
            "Default: told from its first bytes (JSON-LD, RDF/XML, else TriG, Turtle or N-Triples, then N-Quads).",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="fast: kg's compiled shapes (SHACL Core and SPARQL constraints); pyshacl: the "
            "reference engine; auto: fast unless the shapes need pyshacl.",
        ),
    ] = Engine.auto,
) -> None:
    """Check RDF files against SHACL shapes: exit 0 if all conform, 1 on failures, 2 if a file is unreadable.

    FILE - reads standard input. A file with no triples conforms with a warning (--strict: fails).

    \b
    Example:
      kg validate exports/
      kg extract article.txt -o - | kg validate -
      kg validate graphs/ --include '*.ttl' --shapes my-shapes.ttl --format junit > report.xml
    """
    from kg.validate import validate_files
    from kg.validate_report import render, verdict

    results = validate_files(
        files,
        shapes or (),
        kg_shapes=not no_kg_shapes,
        include=include or (),
        exclude=exclude or (),
        engine=engine,
        stdin_format=input_format,
    )
    for result in results:
        if result.error is not None and report_format in (ReportFormat.text, ReportFormat.ttl):
            fail(result.error)
        if result.empty and not strict:
            warn(f"{result.name}: no triples; an empty file conforms (--strict fails it)")
    report = render(results, report_format, severity.shacl, strict)
    if report:
        typer.echo(report)
    raise typer.Exit(verdict(results, severity.shacl, strict))
