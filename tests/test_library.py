"""The library under the CLI: exit codes defined once, one error boundary, run()'s outcomes and collector,
kg.load.load_files, the one RDF reader and the one retrying HTTP session."""

from __future__ import annotations

import gc
import importlib
import json
import pkgutil
import re
from datetime import date
from pathlib import Path

import pytest
import requests
from conftest import ROOT, SEED
from servers import ScriptedServer
from typer.testing import CliRunner

import kg
from kg import errors
from kg.article import Article
from kg.backoff import AskAgain, RetryingSession, Unanswered
from kg.batch import CHUNK, Failed, Options, Skipped, Written, run
from kg.cli import app
from kg.errors import MEANINGS, ExitCode, GraphInvalid, GraphUnreadable, InputFormat, KgError
from kg.extract import extract, write_graph
from kg.load import load_files, read_for_load
from kg.rdf.io import STDIN, read_quads, read_triples
from kg.store import EmbeddedStore

MEETING = "Menteri Luar Negeri Retno Marsudi bertemu Sekjen NATO Jens Stoltenberg di Brussel pada Selasa (11/10/2022)."
ARRIVAL = "Presiden Joko Widodo tiba di Bali pada Senin."


def _subclasses(cls: type[KgError]) -> set[type[KgError]]:
    found: set[type[KgError]] = set()
    for direct in cls.__subclasses__():
        found |= {direct, *_subclasses(direct)}
    return found


def test_every_error_class_lives_in_kg_errors_with_a_documented_code() -> None:
    for module in pkgutil.walk_packages(kg.__path__, "kg."):
        if module.name != "kg.__main__":
            importlib.import_module(module.name)
    found = _subclasses(KgError)
    assert {cls.__module__ for cls in found} == {"kg.errors"}
    assert all(cls.exit_code in MEANINGS for cls in found)
    assert {cls.__name__ for cls in found} >= {"UsageError", "InternalError", "StoreError", "WikidataError"}
    assert errors.UsageError.exit_code == 2 and errors.InternalError.exit_code == 70


def test_readme_and_help_show_the_exit_codes_of_kg_errors(runner: CliRunner) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert errors.exit_code_table() in readme
    shown = runner.invoke(app, ["--help"])
    assert shown.exit_code == 0
    listed = [line.strip() for line in shown.stdout.splitlines()]
    assert [line.strip() for line in errors.exit_code_help().splitlines()] == listed[-len(MEANINGS) :]
    assert listed[-1] == "143  stopped by SIGTERM; extract keeps what it wrote for --resume"


def test_readme_starts_with_the_two_set_up_commands_and_its_turtle_is_the_demos(
    tmp_path: Path, runner: CliRunner
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[:5] == [
        "# kg: news articles in, a linked knowledge graph out",
        "",
        "    make demo    # extract the seed article into exports/ and validate it",
        "    make test    # run the whole test suite",
        "",
    ]
    result = runner.invoke(app, ["extract", str(SEED), "-o", str(tmp_path), "--published", "2022-10-11"])
    assert result.exit_code == 0, result.stderr
    printed = result.stdout.replace(str(tmp_path), "exports")
    assert f"```\n{printed}exports/000_3d31550ceac5e1d3.ttl: conforms\n```" in readme  # what make demo prints
    written = set((tmp_path / "000_3d31550ceac5e1d3.ttl").read_text(encoding="utf-8").splitlines())
    sample = readme.split("```turtle\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(sample) > 15 and [line for line in sample if "…" not in line and line not in written] == []


def test_no_command_exits_with_a_literal_code() -> None:
    for path in (ROOT / "kg" / "cli").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"Exit\(\s*\d", source), path
        assert "except KgError" not in source or path.name == "__init__.py", path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query"], "give the query as an argument or with --file, not both or neither"),
        (["query", "--file", "no-such-query.rq"], "no-such-query.rq: No such file or directory"),
        (
            ["query", "ASK {}", "--endpoint", "ftp://example.org"],
            "--endpoint must be an http(s) URL, not 'ftp://example.org'",
        ),
        (
            ["query", "DELETE WHERE { ?s ?p ?o }", "--endpoint", "http://127.0.0.1:9"],
            "that is a SPARQL Update, not a query: kg query only reads (kg load writes)",
        ),
        (
            ["kb", "import", "dump.json", "-o", "kb.sqlite", "--class", "Q5-PER"],
            "--class 'Q5-PER': write it as QID:TYPE with TYPE one of PER, ORG, LOC",
        ),
        (["kb", "import", "dump.json", "-o", "kb.txt"], "--out kb.txt: give the KB file a .sqlite name"),
        (["validate", "x.ttl", "--no-kg-shapes"], "--no-kg-shapes needs at least one --shapes"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"kg: error: {message}\n")


def test_the_boundary_gives_each_library_error_its_own_code(tmp_path: Path, runner: CliRunner) -> None:
    stream_dir = tmp_path / "out"
    stream_dir.mkdir()
    result = runner.invoke(app, ["extract", "-", "--format", "nq", "-o", str(stream_dir)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"kg: error: -o {stream_dir} is a directory; with --format nq give the stream's file name\n",
    )
    missing_kb = tmp_path / "no-kb.jsonl"
    result = runner.invoke(app, ["kb", "stats", "--kb", str(missing_kb)])
    assert (result.exit_code, result.stderr) == (
        9,
        f"kg: error: knowledge base not found: {missing_kb} (omit --kb to use the bundled one)\n",
    )


@pytest.fixture()
def feed(tmp_path: Path) -> Path:
    lines = [
        json.dumps({"id": "menlu-1", "text": MEETING, "published": "2022-10-11"}),
        "[1, 2]",
        json.dumps({"id": "presiden-2", "text": ARRIVAL, "published": "2022-10-10"}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_run_yields_written_failed_and_skipped(feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = list(run([feed], out, Options()))
    assert [type(o) for o in first] == [Written, Failed, Written]
    written = first[0]
    assert isinstance(written, Written)
    assert (written.name, written.output, written.origin) == ("menlu-1", out / "menlu-1.ttl", f"{feed}:1")
    assert written.summary == "4 mentions, 4 entities (4 linked), 0 statements, 1 events, 2 roles, 98 triples, conforms"
    failed = first[1]
    assert isinstance(failed, Failed) and isinstance(failed.error, InputFormat)
    assert (failed.origin, failed.error.exit_code) == (f"{feed}:2", 8)
    report = [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert report == [{"input": f"{feed}:2", "reason": str(failed.error), "exit_code": 8}]

    again = list(run([feed], out, Options(), resume=True))
    assert [type(o) for o in again] == [Skipped, Failed, Skipped]
    assert [o.name for o in again if isinstance(o, Skipped)] == ["menlu-1", "presiden-2"]


def test_a_run_in_this_process_leaves_the_collector_alone_unless_asked(tmp_path: Path) -> None:
    feed = tmp_path / "arrivals.jsonl"
    lines = [json.dumps({"id": f"tiba-{n}", "text": ARRIVAL, "published": "2022-10-10"}) for n in range(CHUNK + 1)]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    plain = run([feed], tmp_path / "plain.nq", Options(format="nq"))
    for _ in range(CHUNK + 1):  # into the second chunk: the first chunk's collector step is past
        next(plain)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert len(list(plain)) == 0
    tuned = run([feed], tmp_path / "tuned.nq", Options(format="nq"), tune_gc=True)
    for _ in range(CHUNK + 1):
        next(tuned)
    assert not gc.isenabled() and gc.get_freeze_count() > 0  # set for the run, as in a worker
    assert len(list(tuned)) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0  # and given back


@pytest.fixture()
def graph_files(tmp_path: Path) -> tuple[Path, Path]:
    good = tmp_path / "menlu.ttl"
    write_graph(extract(Article.from_text(MEETING, "id", published=date(2022, 10, 11))).graph, good)
    broken = tmp_path / "broken.ttl"
    broken.write_text(good.read_text(encoding="utf-8").replace("nif:beginIndex", "nif:beginIndexx", 1), "utf-8")
    return good, broken


def test_load_files_refuses_what_is_invalid_and_loads_the_rest(graph_files: tuple[Path, Path], tmp_path: Path) -> None:
    good, broken = graph_files
    store = EmbeddedStore(tmp_path / "store")
    try:
        outcome = load_files([broken, good, tmp_path / "gone.ttl"], store)
    finally:
        store.close()
    assert [type(e) for e in outcome.refused] == [GraphInvalid, GraphUnreadable]
    assert re.match(rf"{re.escape(str(broken))}: https://\S+ refused, it breaks the shapes \(", str(outcome.refused[0]))
    assert str(outcome.refused[1]) == f"{tmp_path / 'gone.ttl'}: no such file"
    assert outcome.report is not None
    assert ([g.source for g in outcome.report.loaded], outcome.report.triples) == ([good], 98)
    assert outcome.exit_code == ExitCode.GRAPH_INVALID  # the first refused file decides


def test_a_dry_run_never_opens_the_store(graph_files: tuple[Path, Path], tmp_path: Path) -> None:
    good, _ = graph_files
    outcome = load_files([good], EmbeddedStore(tmp_path / "dry"), dry_run=True)
    assert (outcome.report, outcome.refused, outcome.exit_code) == (None, [], ExitCode.OK)
    assert [len(g) for g in outcome.graphs] == [98]
    assert not (tmp_path / "dry").exists()
    unchecked = read_for_load([graph_files[1]], validate=False)  # without the shapes, the broken file reads
    assert ([len(g) for g in unchecked.graphs], unchecked.refused) == ([98], [])


def test_one_reader_for_every_rdf_file(graph_files: tuple[Path, Path], tmp_path: Path) -> None:
    good, _ = graph_files
    triples = read_triples(good)
    as_quads = tmp_path / "menlu.nq"
    as_quads.write_text("".join(f"{s} {p} {o} <urn:kg:test> .\n" for s, p, o in triples), encoding="utf-8")
    assert read_triples(as_quads) == triples
    assert {str(q.graph_name) for q in read_quads(as_quads)} == {"<urn:kg:test>"}
    bad = tmp_path / "bad.nt"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(GraphUnreadable, match=rf"^{re.escape(str(bad))}: not parseable RDF \("):
        read_quads(bad)


def test_a_fault_after_good_triples_refuses_the_file_as_read_quads_does(tmp_path: Path) -> None:
    """read_triples prints each quad as the parser gives it: a fault after triples it already printed
    still refuses the whole file, with read_quads' message (standard input tried as TriG, then N-Quads, too)."""
    late = tmp_path / "late.ttl"
    late.write_text(
        "<http://example.org/a> <http://example.org/p> 1 .\n" * 3 + "<http://example.org/a> <http://example.org/p> .\n",
        encoding="utf-8",
    )
    quads = (
        '<http://example.org/a> <http://example.org/p> "1" <http://example.org/g> .\n' * 3
        + "<http://example.org/a> .\n"
    )
    messages = []
    for path, data in ((late, None), (STDIN, quads.encode("utf-8"))):
        with pytest.raises(GraphUnreadable) as whole:
            read_quads(path, data)
        with pytest.raises(GraphUnreadable) as printed:
            read_triples(path, data)
        assert str(printed.value) == str(whole.value)
        messages.append(str(printed.value))
    assert messages == [
        f"{late}: not parseable RDF (Parser error at line 4 column 47: . is not a valid RDF object (late.ttl, line 4))",
        # TriG's, the format tried first; N-Quads fails only at line 4
        "<stdin>: not parseable RDF (Parser error at line 1 between columns 51 and 73: A dot is expected at the end "
        "of statements (line 1))",
    ]


def test_triples_are_cut_from_n_triples_whatever_their_literals_hold(tmp_path: Path) -> None:
    """read_triples cuts each N-Triples line at its first two spaces: literals with spaces, " .", escaped
    quotes, raw newlines and line separators other than newline keep whole; a repeated triple stays twice."""
    path = tmp_path / "odd.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n"
        'ex:a ex:p "x\u2028y \\" . \\"q\\" .\x85\x0b\tz"@en, """two\nlines .""", 2, _:b .\n'
        "ex:a ex:p 2 .\n",
        encoding="utf-8",
    )
    quads = read_quads(path)
    assert read_triples(path) == sorted((str(q.subject), str(q.predicate), str(q.object)) for q in quads)
    assert [t for t in read_triples(path) if t[2].startswith('"2"')] == [
        ("<http://example.org/a>", "<http://example.org/p>", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>')
    ] * 2


def test_the_retrying_session_asks_again_and_then_gives_up() -> None:
    answers = {1: (503, {"Retry-After": "0"}, b"busy"), 2: (200, {}, b"lagged"), 3: (200, {}, b"ok")}
    scripted = ScriptedServer(lambda handler, n: answers.get(n, (200, {}, b"lagged")))

    def accept(response: requests.Response) -> str:
        if response.text == "lagged":
            raise AskAgain("still lagged", retry_after="0")
        return response.text

    try:
        session = RetryingSession(timeout=5, retries=2, backoff=0.001)
        assert session.request("GET", scripted.url, accept) == "ok"
        with pytest.raises(Unanswered) as failed:
            RetryingSession(timeout=5, retries=1, backoff=0.001).request("GET", scripted.url, accept)
        assert (failed.value.tries, str(failed.value.again)) == (2, "still lagged")
    finally:
        scripted.close()
    assert [path for _, path, _ in scripted.requests] == ["/"] * 5
