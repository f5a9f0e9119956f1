"""The ``kg`` command line: options in, library calls, exit codes out.

Exit codes: 0 success; 1 a graph breaks the SHACL shapes; 2 usage error or unreadable RDF;
3 input not found; 4 empty; 5 binary; 6 not UTF-8; 7 too large; 8 unsupported format (HTML);
9 knowledge base problem; 10 output not writable; 11 store unreachable or refusing;
12 Wikidata unreachable or unusable; 70 internal error. With several inputs, the first failure's code.
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
import time
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

import typer

from kg.article import MAX_BYTES
from kg.errors import KgError

if TYPE_CHECKING:  # imported where used, so that the CLI starts fast
    from kg.kb import KnowledgeBase
    from kg.store import EmbeddedStore, RemoteStore

app = typer.Typer(
    help="Turn news articles into a linked, SHACL-valid knowledge graph: people, organizations and places linked "
    "to Wikidata, who said what, and the meetings the news reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
kb_app = typer.Typer(help="Inspect the knowledge base that links names to Wikidata.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


class Lang(str, Enum):
    auto = "auto"
    id = "id"
    en = "en"


def _fail(error: KgError) -> None:
    typer.echo(f"kg: error: {error}", err=True)


class _Stderr(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"kg: warning: {record.getMessage()}", err=True)


def _show_warnings(logger: str) -> None:
    """The library logs what a user should know (Wikidata went offline); the CLI prints it once."""
    target = logging.getLogger(logger)
    if not any(isinstance(h, _Stderr) for h in target.handlers):
        target.addHandler(_Stderr(logging.WARNING))


KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb", help="Knowledge base: a .sqlite file, or a JSONL of Wikidata entity records. Default: the bundled KB."
    ),
]


class OutputFormat(str, Enum):
    ttl = "ttl"
    nq = "nq"
    trig = "trig"


@app.command()
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
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", help="ttl: a Turtle file per article; nq or trig: one stream, a named graph per article."
        ),
    ] = OutputFormat.ttl,
    lang: Annotated[
        Lang, typer.Option("--lang", help="Language of the articles; auto guesses per article.")
    ] = Lang.auto,
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
    import os

    from kg.batch import Options, run

    if online:
        _show_warnings("kg.wikidata")
    streaming = output_format is not OutputFormat.ttl
    target = out or (Path("exports") / f"corpus.{output_format.value}" if streaming else Path("exports"))
    if streaming and target.is_dir():
        _fail(KgError(f"-o {target} is a directory; with --format {output_format.value} give the stream's file name"))
        raise typer.Exit(2)
    single = len(inputs) == 1 and Path(inputs[0]).is_file() and not inputs[0].endswith((".jsonl", ".ndjson"))
    workers = jobs or (1 if single or inputs == ["-"] else os.cpu_count() or 1)
    options = Options(output_format.value, lang.value, kb, published.date() if published else None, max_bytes, online)
    failures: list[KgError] = []
    written = skipped = 0
    try:
        results = run(inputs, target, options, jobs=workers, resume=resume, report=report)
        first = next(results, None)
    except KgError as error:
        _fail(error)
        raise typer.Exit(error.exit_code) from None
    with _progress(0, "extracting", unknown_total=True) as advance:
        for done in itertools.chain([first] if first is not None else [], results):
            if done.error is not None:
                failures.append(done.error)
                _fail(done.error)
            elif done.skipped:
                skipped += 1
            else:
                written += 1
                where = done.output if not streaming else f"{done.output} <{done.graph}>"
                typer.echo(f"{where}: {done.summary}")
            advance()
    if failures and written + skipped + len(failures) > 1:
        typer.echo(
            f"kg: {len(failures)} of {written + skipped + len(failures)} inputs failed; "
            f"{written} written to {target}" + (f", {skipped} already done" if skipped else ""),
            err=True,
        )
    elif skipped:
        typer.echo(f"kg: {skipped} already done, skipped (--resume)", err=True)
    if failures:
        raise typer.Exit(failures[0].exit_code)


class Severity(str, Enum):
    violation = "violation"
    warning = "warning"
    info = "info"


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"


class Engine(str, Enum):
    auto = "auto"
    fast = "fast"
    pyshacl = "pyshacl"


@app.command()
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
        typer.Option("--shapes", help="Your shapes file or directory (repeatable), checked together with kg's own."),
    ] = None,
    no_kg_shapes: Annotated[
        bool, typer.Option("--no-kg-shapes", help="Check only the --shapes you give, not kg's own.")
    ] = False,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include", help="In directories, only files matching this glob (repeatable), e.g. 'graphs/*.ttl'."
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="In directories, skip files matching this glob (repeatable).")
    ] = None,
    severity: Annotated[
        Severity, typer.Option("--severity", help="Fail on results of this severity or worse; the others are reported.")
    ] = Severity.violation,
    report_format: Annotated[
        ReportFormat, typer.Option("--format", help="text for people, json for scripts, junit for CI test reports.")
    ] = ReportFormat.text,
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

    \b
    Example:
      kg validate exports/
      kg validate graphs/ --include '*.ttl' --shapes my-shapes.ttl --format junit > report.xml
    """
    from kg.validate import Validator, load_shapes, rdf_files
    from kg.validate_report import render

    if no_kg_shapes and not shapes:
        _fail(KgError("--no-kg-shapes needs at least one --shapes"))
        raise typer.Exit(2)
    try:
        validator = Validator(
            load_shapes(tuple(shapes) if shapes else None, with_defaults=not no_kg_shapes), engine.value
        )
    except KgError as error:
        _fail(error)
        raise typer.Exit(error.exit_code if error.exit_code != 70 else 2) from None
    paths = rdf_files(files, include or (), exclude or ())
    if not paths:
        _fail(
            KgError(
                f"no RDF files found in {', '.join(map(str, files))}; "
                f"kg reads {', '.join(sorted({'.ttl', '.nt', '.nq', '.trig', '.jsonld', '.json', '.rdf'}))}"
            )
        )
        raise typer.Exit(2)
    results = validator.check_files(paths)
    fail_on = severity.value.capitalize()
    for result in results:
        if result.error is not None and report_format is ReportFormat.text:
            _fail(result.error)
    typer.echo(render(results, report_format.value, fail_on))
    if any(r.error is not None for r in results):
        raise typer.Exit(2)
    raise typer.Exit(0 if all(r.checked().passes(fail_on) for r in results) else 1)


@app.command("eval")
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Directory of gold JSON files.")],
    pred_dir: Annotated[Path, typer.Argument(help="Directory of Turtle files written by kg extract.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list every missed and spurious mention.")] = False,
) -> None:
    """Score extracted graphs against gold files: P/R/F1 for mentions, typed mentions and links.

    \b
    Example:
      kg extract tests/data/articles/*.txt -o build/eval
      kg eval tests/data/gold build/eval --errors
    """
    from kg.evaluate import evaluate as run

    try:
        scores = run(gold_dir, pred_dir)
    except KgError as error:
        _fail(error)
        raise typer.Exit(error.exit_code) from None
    typer.echo(json.dumps(scores.as_dict(), indent=2) if as_json else scores.table())
    if errors:
        typer.echo("\n".join(scores.errors))


class Method(str, Enum):
    update = "update"
    gsp = "gsp"


class Flavor(str, Enum):
    oxigraph = "oxigraph"
    fuseki = "fuseki"


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    ttl = "ttl"


StoreOption = Annotated[Path, typer.Option("--store", help="Embedded store directory (used unless --endpoint).")]
EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint", help="Base URL of a SPARQL 1.1 store, e.g. http://127.0.0.1:7878 or http://host:3030/dataset."
    ),
]
FlavorOption = Annotated[
    Flavor,
    typer.Option("--flavor", help="Path defaults: oxigraph (query, update, store) or fuseki (query, update, data)."),
]
UserOption = Annotated[str | None, typer.Option("--user", help="Basic auth user (or KG_ENDPOINT_USER).")]
PasswordOption = Annotated[
    str | None,
    typer.Option("--password", help="Basic auth password; prefer KG_ENDPOINT_PASSWORD, which no process list shows."),
]
TokenOption = Annotated[str | None, typer.Option("--token", help="Bearer token (or KG_ENDPOINT_TOKEN).")]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Seconds to wait for each request.")]


def _store(
    store: Path,
    endpoint: str | None,
    flavor: Flavor,
    user: str | None,
    password: str | None,
    token: str | None,
    timeout: float,
    retries: int = 3,
) -> EmbeddedStore | RemoteStore:
    from kg.store import EmbeddedStore, RemoteStore

    if endpoint:
        if not endpoint.startswith(("http://", "https://")):
            raise KgError(f"--endpoint must be an http(s) URL, not {endpoint!r}")
        return RemoteStore(
            endpoint, flavor.value, user=user, password=password, token=token, timeout=timeout, retries=retries
        )
    return EmbeddedStore(store)


@app.command()
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
    user: UserOption = None,
    password: PasswordOption = None,
    token: TokenOption = None,
    method: Annotated[
        Method,
        typer.Option(
            "--method", help="update: SPARQL Update, --batch articles per request; gsp: one Graph Store PUT each."
        ),
    ] = Method.update,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Articles per request.")] = 50,
    timeout: TimeoutOption = 30.0,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries on connection errors, 429 and 5xx.")] = 3,
    no_validate: Annotated[bool, typer.Option("--no-validate", help="Load without checking the shapes first.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and validate, say what would load, write nothing.")
    ] = False,
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
    from kg.errors import GraphInvalid
    from kg.store import load as load_graphs
    from kg.store import read_article_graphs
    from kg.validate import Validator, load_shapes, rdf_files

    paths = rdf_files(files, (), ())
    failures: list[KgError] = []
    graphs = []
    checked = {}
    if not no_validate:
        checked = {r.path: r for r in Validator(load_shapes()).check_files(paths)}
    for path in paths:
        result = checked.get(path)
        if result is not None and result.error is not None:
            failures.append(result.error)
            _fail(result.error)
            continue
        if result is not None and not result.checked().conforms:
            error = GraphInvalid(f"{path}: refused, it breaks the shapes:\n{result.checked().describe()}")
            failures.append(error)
            _fail(error)
            continue
        try:
            graphs.extend(read_article_graphs(path))
        except KgError as error:
            failures.append(error)
            _fail(error)
    if dry_run:
        for graph in graphs:
            typer.echo(f"would load {graph.name} ({len(graph)} triples) from {graph.source}")
        raise typer.Exit(failures[0].exit_code if failures else 0)
    try:
        target = _store(store, endpoint, flavor, user, password, token, timeout, retries)
    except KgError as error:
        _fail(error)
        raise typer.Exit(error.exit_code) from None
    try:
        with _progress(len(graphs), "loading") as advance:
            report = load_graphs(target, graphs, batch=batch, method=method.value, progress=advance)
    finally:
        target.close()  # an embedded store is locked while open: released now, not when collected
    for graph, reason in report.failed:
        _fail(KgError(f"{graph.source}: {graph.name} not loaded: {reason}"))
    where = getattr(target, "shown", None) or str(store)
    count = len(report.loaded)
    typer.echo(
        f"loaded {count} {'article' if count == 1 else 'articles'} ({report.triples:,} triples) into {where}"
        + (f"; {len(report.failed)} not loaded" if report.failed else "")
    )
    if report.failed:
        raise typer.Exit(11)
    if failures:
        raise typer.Exit(failures[0].exit_code)


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="The SPARQL query (or use --file).", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from this file.")] = None,
    store: StoreOption = Path(".kg/store"),
    endpoint: EndpointOption = None,
    flavor: FlavorOption = Flavor.oxigraph,
    user: UserOption = None,
    password: PasswordOption = None,
    token: TokenOption = None,
    timeout: TimeoutOption = 30.0,
    output: Annotated[
        QueryFormat | None,
        typer.Option(
            "--format",
            help="table (terminal), csv or json (SPARQL results JSON) for SELECT/ASK; ttl for CONSTRUCT/DESCRIBE.",
        ),
    ] = None,
) -> None:
    """Run a SPARQL query on the store. Each article is a named graph: use GRAPH ?g { … } in queries.

    \b
    Example:
      kg query --file queries/stoltenberg_statements.rq
      kg query "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }" --format csv
    """
    from kg.query import query_form, render, run_query

    try:
        if sparql is not None and file is None:
            text = sparql
        elif file is not None and sparql is None:
            text = file.read_text(encoding="utf-8")
        else:
            raise KgError("give the query as an argument or with --file, not both or neither")
        form = query_form(text)
        chosen = output.value if output else ("ttl" if form in {"CONSTRUCT", "DESCRIBE"} else "table")
        if endpoint is None and not (store / "CURRENT").exists() and not store.exists():
            raise KgError(f"no store in {store}; load graphs first (kg load …) or pass --store/--endpoint")
        target = _store(store, endpoint, flavor, user, password, token, timeout)
        try:
            typer.echo(render(run_query(target, text), chosen))
        finally:
            target.close()
    except OSError as error:
        _fail(KgError(f"{file}: {error.strerror or error}"))
        raise typer.Exit(2) from None
    except KgError as error:
        _fail(error)
        raise typer.Exit(error.exit_code if error.exit_code != 70 else 2) from None


def _kb(kb: Path | None) -> KnowledgeBase:
    from kg.kb import open_kb

    return open_kb(kb)


@kb_app.command("show")
def kb_show(
    what: Annotated[str, typer.Argument(help="A QID (Q7184) or a name (Brussel).")],
    kb: KbOption = None,
) -> None:
    """Show an entity by QID, or every entity a name may refer to.

    \b
    Example:
      kg kb show Q57665
      kg kb show "Rusia"
    """
    try:
        knowledge_base = _kb(kb)
    except KgError as error:
        _fail(error)
        raise typer.Exit(error.exit_code) from None
    is_qid = what[:1] in "Qq" and what[1:].isdigit()
    found = [c for c in [knowledge_base.get(what.upper())] if c] if is_qid else knowledge_base.candidates(what)
    if not found:
        _fail(KgError(f"{what}: not in the knowledge base {knowledge_base.path}; kg kb add QID fetches it"))
        raise typer.Exit(1)
    for c in found:
        type_name = c.type.value if c.type else "-"
        typer.echo(f"{c.qid}\t{type_name}\t{c.label}\t{c.description or '-'}\tpopularity {c.popularity:.2f}")


@kb_app.command("add")
def kb_add(
    qids: Annotated[list[str], typer.Argument(help="QIDs to fetch from Wikidata.", metavar="QID")],
    kb: KbOption = None,
) -> None:
    """Fetch entities from the Wikidata API into the knowledge base.

    \b
    Example:
      KG_CONTACT=you@example.org kg kb add Q57665 Q7184
    """
    from kg.wikidata import WikidataClient, fetch_entities

    try:
        knowledge_base = _kb(kb)
        entities = fetch_entities(WikidataClient(), [q.upper() for q in qids])
        knowledge_base.upsert(entities)
    except KgError as error:
        _fail(error)
        raise typer.Exit(error.exit_code) from None
    for entity in entities:
        if entity.type is None:
            raise AssertionError(f"{entity.qid}: fetch_entities returned an entity without a type")
        typer.echo(f"added {entity.qid}\t{entity.type.value}\t{entity.label}")
    missing = sorted({q.upper() for q in qids} - {e.qid for e in entities})
    if missing:
        _fail(KgError(f"not added (missing, or not a person, organization or place): {', '.join(missing)}"))
        raise typer.Exit(1)


@kb_app.command("import")
def kb_import(
    dump: Annotated[Path, typer.Argument(help="Wikidata JSON dump (.json, .json.gz, .json.bz2) or JSONL of records.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The KB file to write (.sqlite).")],
    classes: Annotated[
        list[str] | None,
        typer.Option(
            "--class", help="Also keep instances of this class, as QID:TYPE (e.g. Q192283:ORG for news agencies)."
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
    from kg.kb.dump import import_dump
    from kg.records import EntityType

    extra = {}
    for item in classes or []:
        qid, _, type_name = item.partition(":")
        if not (qid[:1] == "Q" and qid[1:].isdigit()) or type_name not in EntityType.__members__:
            _fail(KgError(f"--class {item!r}: write it as QID:TYPE with TYPE one of PER, ORG, LOC"))
            raise typer.Exit(2)
        extra[qid] = EntityType(type_name)
    if out.suffix not in {".sqlite", ".db"}:
        _fail(KgError(f"--out {out}: give the KB file a .sqlite name"))
        raise typer.Exit(2)
    started = time.monotonic()
    try:
        with _progress(0, "importing", unknown_total=True) as advance:
            counts = import_dump(dump, out, extra, progress=advance)
    except KgError as error:
        _fail(error)
        raise typer.Exit(error.exit_code) from None
    seconds = max(time.monotonic() - started, 1e-9)
    typer.echo(
        f"{out}: {counts.kept:,} entities kept of {counts.lines:,} lines ({counts.lines / seconds:,.0f} "
        f"lines/s)" + (f"; {counts.malformed:,} malformed lines skipped" if counts.malformed else "")
    )


@kb_app.command("stats")
def kb_stats(kb: KbOption = None) -> None:
    """Count the entities and names in the knowledge base.

    \b
    Example:
      kg kb stats
      kg kb stats --kb my-kb.jsonl.gz
    """
    from kg.kb import open_kb

    try:
        knowledge_base = open_kb(kb)
    except KgError as error:
        _fail(error)
        raise typer.Exit(error.exit_code) from None
    typer.echo(f"{knowledge_base.path}")
    for name, count in knowledge_base.stats().items():
        typer.echo(f"  {name:12} {count:>8,}")


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


class _Advance(Protocol):
    def __call__(self, n: int = 1) -> None: ...


class _progress:
    """A progress bar on a terminal for long work; silent in pipes and CI logs."""

    def __init__(self, total: int, label: str, unknown_total: bool = False) -> None:
        self.enabled = (total > 1 or unknown_total) and sys.stderr.isatty()
        self.total, self.label = (None if unknown_total else total), label

    def __enter__(self) -> _Advance:
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
