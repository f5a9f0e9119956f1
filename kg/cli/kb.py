"""``kg kb show|add|import|stats``: the knowledge base that links names to Wikidata (:mod:`kg.kb`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from kg.cli._common import Command, KbOption, exit_codes, progress
from kg.errors import KnowledgeBaseError, NotInKnowledgeBase, UsageError, WikidataError

app = typer.Typer(help="Inspect the knowledge base that links names to Wikidata.", no_args_is_help=True)


@app.command("show", cls=Command, epilog=exit_codes(NotInKnowledgeBase, KnowledgeBaseError, UsageError))
def show(
    what: Annotated[str, typer.Argument(help="A QID (Q7184) or a name (Brussel).", metavar="QID_OR_NAME")],
    kb: KbOption = None,
) -> None:
    """Show an entity by QID, or every entity a name may refer to.

    One line per entity: QID, type, label, description, popularity. For a QID, a line follows for
    every name the entity goes by, indented: how it is used (label, alias, surname; short: only
    after a title; anaphor: a common noun that refers back), its language, the name, and the folded
    key that text is matched on (case, diacritics and quotes do not matter).

    \b
    Example:
      kg kb show Q57665
      kg kb show "Rusia"
    """
    from kg.kb import open_kb

    knowledge_base = open_kb(kb)
    is_qid = what[:1] in "Qq" and what[1:].isdigit()
    found = [c for c in [knowledge_base.get(what.upper())] if c] if is_qid else knowledge_base.candidates(what)
    if not found:
        raise NotInKnowledgeBase(f"{what}: not in the knowledge base {knowledge_base.path}; kg kb add QID fetches it")
    for c in found:
        type_name = c.type.value if c.type else "-"
        typer.echo(f"{c.qid}\t{type_name}\t{c.label}\t{c.description or '-'}\tpopularity {c.popularity:.2f}")
        if is_qid:
            for name in knowledge_base.names(c.qid):
                typer.echo(f"  {name.kind}\t{name.lang}\t{name.name}\t{name.norm}")


@app.command("add", cls=Command, epilog=exit_codes(NotInKnowledgeBase, KnowledgeBaseError, WikidataError, UsageError))
def add(
    qids: Annotated[list[str], typer.Argument(help="QIDs to fetch from Wikidata.", metavar="QID")],
    kb: KbOption = None,
) -> None:
    """Fetch entities from the Wikidata API into the knowledge base.

    A --kb .sqlite file that does not exist yet is created, holding only the entities added (use it
    with kg extract --kb).

    \b
    Example:
      KG_CONTACT=you@example.org kg kb add Q57665 Q7184
      KG_CONTACT=you@example.org kg kb add Q57665 --kb my-kb.sqlite
    """
    from kg.wikidata import WikidataClient, add_to_kb

    added = add_to_kb(kb, WikidataClient(), qids)
    if added.created:
        typer.echo(f"created {kb}")
    for entity in added.entities:
        typer.echo(f"added {entity.qid}\t{entity.type.value if entity.type else '-'}\t{entity.label}")
    missing = added.missing
    if missing:
        raise NotInKnowledgeBase(f"not added (missing, or not a person, organization or place): {', '.join(missing)}")


@app.command("import", cls=Command, epilog=exit_codes(KnowledgeBaseError, UsageError))
def import_(
    dump: Annotated[
        Path,
        typer.Argument(metavar="DUMP", help="Wikidata JSON dump (.json, .json.gz, .json.bz2) or JSONL of records."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The KB file to write (.sqlite).")],
    classes: Annotated[
        list[str] | None,
        typer.Option(
            "--class",
            metavar="QID:TYPE",
            help="Also keep instances of this class, as QID:TYPE (e.g. Q192283:ORG for news agencies).",
        ),
    ] = None,
) -> None:
    """Build a knowledge base from a Wikidata dump, keeping people, organizations and places.

    Streams the dump (constant memory) and writes the KB only when done, so an interrupted
    import leaves nothing behind. Use the result with kg extract --kb.

    \b
    Example:
      kg kb import latest-all.json.gz -o wikidata-kb.sqlite
      kg extract news/*.txt --kb wikidata-kb.sqlite
    """
    from kg.kb import KB_SUFFIXES
    from kg.kb.dump import import_dump
    from kg.records import EntityType

    extra = {}
    for item in classes or []:
        qid, _, type_name = item.partition(":")
        if not (qid[:1] == "Q" and qid[1:].isdigit()) or type_name not in EntityType.__members__:
            raise UsageError(f"--class {item!r}: write it as QID:TYPE with TYPE one of PER, ORG, LOC")
        extra[qid] = EntityType(type_name)
    if out.suffix not in KB_SUFFIXES:
        raise UsageError(f"--out {out}: give the KB file a .sqlite name")
    started = time.monotonic()
    with progress(0, "importing", unknown_total=True) as advance:
        counts = import_dump(dump, out, extra, progress=advance)
    seconds = max(time.monotonic() - started, 1e-9)
    typer.echo(
        f"{out}: {counts.kept:,} entities kept of {counts.lines:,} lines ({counts.lines / seconds:,.0f} "
        f"lines/s)" + (f"; {counts.malformed:,} malformed lines skipped" if counts.malformed else "")
    )


@app.command("stats", cls=Command, epilog=exit_codes(KnowledgeBaseError, UsageError))
def stats(kb: KbOption = None) -> None:
    """Count the entities and names in the knowledge base.

    \b
    Example:
      kg kb stats
      kg kb stats --kb my-kb.jsonl.gz
    """
    from kg.kb import open_kb

    knowledge_base = open_kb(kb)
    typer.echo(f"{knowledge_base.path}")
    for name, count in knowledge_base.stats().items():
        typer.echo(f"  {name:12} {count:>8,}")
