"""kg extract over a corpus: JSONL, HTML, stdin and directories in; Turtle files or one stream out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import DATA, SEED
from rdflib import Graph, Literal
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf.namespaces import KG, KGID, NIF, PROV, RDFS, SCHEMA
from kg.rdf.oxigraph import select

QUOTE = "Kami akan terus mendukung perundingan damai"


def jsonl(path: Path, records: Sequence[dict | str]) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Two outlets report the same quote; one line is broken, one has no text, one is not an object."""
    folder = tmp_path / "corpus"
    (folder / "nested").mkdir(parents=True)
    jsonl(
        folder / "wire.jsonl",
        [
            {
                "id": "kompas-1",
                "text": f'Menlu Retno Marsudi tiba di Jakarta.\n"{QUOTE}," kata Retno.',
                "published": "2022-10-11",
                "lang": "id",
                "url": "https://example.org/kompas/1",
                "title": "Retno tiba",
            },
            {
                "id": "antara-7",
                "text": f'Retno Marsudi berbicara di Bogor.\n"{QUOTE}," ujar Retno Marsudi.',
                "published": "2022-10-12",
                "source": "Antara",
            },
            '{"id": "broken", "text": "unterminated',
            {"id": "empty", "text": "   "},
            "[1, 2, 3]",
        ],
    )
    (folder / "nested" / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "nested" / "page.html").write_text(
        "<html><head><title>Jokowi di Bali</title></head><body><nav>Menu Beranda</nav><article>"
        "<h1>Jokowi Tinjau Persiapan KTT G20 di Bali</h1>"
        "<p>Presiden Joko Widodo meninjau persiapan KTT G20 di Nusa Dua, Bali, pada Senin (10/10/2022).</p>"
        '<p>"Semua harus siap sebelum November," kata Jokowi kepada wartawan di lokasi.</p>'
        "<p>Jokowi didampingi Menteri Luar Negeri Retno Marsudi dan Gubernur Bali.</p></article>"
        "<footer>Hak cipta</footer></body></html>",
        encoding="utf-8",
    )
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    return folder


def test_a_corpus_into_turtle_files(corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 8  # the first failure decides: line 3 is not JSON
    assert sorted(p.name for p in out.iterdir()) == [
        "antara-7.ttl",
        "failures.jsonl",
        "kompas-1.ttl",
        "page.ttl",
        "seed.ttl",
    ]
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(f["input"], f["exit_code"]) for f in failures] == [
        (f"{corpus / 'wire.jsonl'}:3", 8),
        (f"{corpus / 'wire.jsonl'}:4", 4),
        (f"{corpus / 'wire.jsonl'}:5", 8),
    ]
    assert failures[0]["reason"].startswith(f"{corpus / 'wire.jsonl'}:3: not a JSON object (")
    assert re.fullmatch(
        rf"kg: 4 written, 0 skipped, 3 failed \(see {re.escape(str(out / 'failures.jsonl'))}\); "
        rf"1,093 triples in \d+\.\d s to {re.escape(str(out))}",
        result.stderr.splitlines()[-1],
    )
    kompas = Graph().parse(out / "kompas-1.ttl")
    article = next(kompas.subjects(SCHEMA.headline, Literal("Retno tiba", lang="id")))
    assert (article, SCHEMA.datePublished, Literal("2022-10-11", datatype=XSD_DATE)) in kompas
    antara = Graph().parse(out / "antara-7.ttl")
    publisher = antara.value(next(antara.subjects(SCHEMA.datePublished, None)), SCHEMA.publisher)
    assert str(publisher) == "https://w3id.org/kg-news/id/entity/org/antara"
    assert (publisher, RDFS.label, Literal("Antara", lang="id")) in antara
    assert (None, SCHEMA.mentions, publisher) not in antara  # named by the feed, not by the text


def test_html_text_is_extracted_and_says_so(corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    page = corpus / "nested" / "page.html"
    result = runner.invoke(app, ["extract", str(page), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(tmp_path / "out" / "page.ttl")
    context = next(graph.subjects(KG.extractedFromInput, None))
    assert str(graph.value(context, KG.extractedFromInput)) == str(page)  # the path as given: no URL on the page
    text = str(graph.value(context, next(p for p in graph.predicates(context) if str(p).endswith("isString"))))
    assert "Menu Beranda" not in text and "Hak cipta" not in text  # navigation and footer are not the article
    assert "Presiden Joko Widodo meninjau persiapan KTT G20" in text
    speakers = {str(o) for o in graph.objects(None, SCHEMA.creator)}
    assert speakers == {"http://www.wikidata.org/entity/Q3318231"}


def test_the_same_quote_from_two_outlets_is_two_statements_with_the_same_words(corpus: Path, tmp_path: Path) -> None:
    """Each article's report is one occasion (its own date); what they share is one kg:Words node."""
    stream = tmp_path / "corpus.nq"
    done = subprocess.run(
        [sys.executable, "-m", "kg", "extract", str(corpus / "wire.jsonl"), "--format", "nq", "-o", str(stream)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 8
    store = ox.Store()
    store.load(path=str(stream), format=ox.RdfFormat.N_QUADS)
    assert len(list(store.named_graphs())) == 2  # one named graph per article
    rows = list(
        select(
            store,
            f"""
        SELECT DISTINCT ?statement ?article ?words WHERE {{ GRAPH ?g {{
            ?statement <{SCHEMA.text}> ?text ; <{PROV.wasDerivedFrom}> ?article ; <{KG.words}> ?words .
            FILTER(STR(?text) = "{QUOTE}") }} }}""",
        )
    )
    occasions = {(r["statement"].value, r["article"].value) for r in rows}
    assert len(occasions) == 2
    for statement, article in occasions:  # kgid:statement/<article key>-<start>-<end>
        assert re.fullmatch(rf"{KGID}statement/{article.rpartition('/')[2]}-(38|35)-(81|78)", statement)
    assert len({row["words"] for row in rows}) == 1
    index = [line.split("\t") for line in (tmp_path / "corpus.nq.names").read_text(encoding="utf-8").splitlines()]
    assert [name for name, _graph, _size in index] == ["kompas-1", "antara-7"]
    assert {graph for _name, graph, _size in index} == {str(g.value) for g in store.named_graphs()}
    assert sum(int(size) for _name, _graph, size in index) == stream.stat().st_size
    assert subprocess.run([sys.executable, "-m", "kg", "validate", str(stream)], capture_output=True).returncode == 0


def test_streams_are_the_same_with_any_number_of_workers(corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    one, two = tmp_path / "one.trig", tmp_path / "two.trig"
    for target, jobs in ((one, "1"), (two, "2")):
        result = runner.invoke(app, ["extract", str(corpus), "--format", "trig", "-o", str(target), "--jobs", jobs])
        assert result.exit_code == 8
    assert one.read_bytes() == two.read_bytes()
    dataset = list(ox.parse(path=str(one), format=ox.RdfFormat.TRIG))
    assert len({quad.graph_name for quad in dataset}) == 4


def test_resume_skips_what_is_done(corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "out"
    wire = corpus / "wire.jsonl"
    assert runner.invoke(app, ["extract", str(wire), "-o", str(out)]).exit_code == 8
    before = (out / "kompas-1.ttl").stat().st_mtime_ns
    again = runner.invoke(app, ["extract", str(wire), str(SEED), "-o", str(out), "--resume", "--verbose"])
    assert again.exit_code == 8
    assert (out / "kompas-1.ttl").stat().st_mtime_ns == before
    assert again.stdout.splitlines() == [
        f"{out / '000_3d31550ceac5e1d3.ttl'}: 44 mentions, 13 entities (10 linked), 14 statements, 2 events, "
        "3 roles, 771 triples, conforms"
    ]  # no --published: no datePublished, no role dates
    assert again.stderr.splitlines()[-1].startswith(
        f"kg: 1 written, 2 skipped, 3 failed (see {out / 'failures.jsonl'}); 771 triples in "
    )
    quiet = runner.invoke(app, ["extract", str(wire), str(SEED), "-o", str(out), "--resume", "--quiet"])
    assert (quiet.exit_code, quiet.stdout) == (8, "")
    assert [line for line in quiet.stderr.splitlines() if not line.startswith("kg: error: ")] == []


def test_stdin(tmp_path: Path) -> None:
    text = DATA / "articles" / "en_001_nato_air_defence.txt"
    done = subprocess.run(
        [sys.executable, "-m", "kg", "extract", "-", "-o", str(tmp_path)],
        input=text.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{tmp_path / 'stdin.ttl'}: 21 mentions")


def test_an_interrupted_stream_keeps_what_it_wrote(corpus: Path, tmp_path: Path) -> None:
    from kg.batch import Options, Written, run

    stream = tmp_path / "cut.nq"
    results = run([corpus], stream, Options(format="nq"))
    first = next(o for o in results if isinstance(o, Written))
    results.close()  # the consumer stops half way, as on Ctrl-C
    assert not stream.exists()  # no stream that looks finished
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "corpus") == [
        "cut.nq.names.partial",
        "cut.nq.partial",
    ]
    (entry,) = (tmp_path / "cut.nq.names.partial").read_text(encoding="utf-8").splitlines()
    assert entry.split("\t")[:2] == [first.name, first.graph]
    assert int(entry.split("\t")[2]) == (tmp_path / "cut.nq.partial").stat().st_size


def test_a_run_in_the_callers_process_gives_its_collector_back(corpus: Path, tmp_path: Path) -> None:
    """kg sets the garbage collector for a long run (kg.collector.LongRunCollector), in its own workers
    for good, in the caller's process only while the run lasts: finished or stopped half way."""
    import gc
    import weakref

    from kg.batch import COLLECT_EVERY, Options, run
    from kg.collector import LongRunCollector

    assert gc.isenabled() and gc.get_freeze_count() == 0
    done = list(run([corpus], tmp_path / "all.nq", Options(format="nq")))
    assert sum(d.error is None for d in done) == 4
    assert gc.isenabled() and gc.get_freeze_count() == 0
    results = run([corpus], tmp_path / "cut.nq", Options(format="nq"))
    next(results)
    results.close()
    assert gc.isenabled() and gc.get_freeze_count() == 0

    collector = LongRunCollector(COLLECT_EVERY)
    try:
        collector.step()  # after the first chunk: what the run keeps is frozen, the collector off
        assert not gc.isenabled() and gc.get_freeze_count() > 0
        cycle = _Cycle()
        cycle.me = cycle  # a reference cycle: only a collection frees it
        freed = weakref.ref(cycle)
        del cycle
        for _ in range(COLLECT_EVERY - 1):
            collector.step()
        assert freed() is not None
        collector.step()  # every COLLECT_EVERY chunks, a collection
        assert freed() is None
    finally:
        collector.restore()
    assert gc.isenabled() and gc.get_freeze_count() == 0


class _Cycle:
    me: object


XSD_DATE = Literal("2022-10-11", datatype="http://www.w3.org/2001/XMLSchema#date").datatype


def test_a_url_that_is_no_iri_fails_its_line_only(tmp_path: Path, runner: CliRunner) -> None:
    source = jsonl(
        tmp_path / "feed.jsonl",
        [
            {"id": "ok", "text": "Menlu Retno Marsudi tiba di Jakarta.", "url": "https://example.org/a?b=1"},
            {"id": "bad", "text": "Menlu Retno Marsudi tiba di Bogor.", "url": "example.org/a b"},
        ],
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(source), "-o", str(out)])
    assert result.exit_code == 8
    assert sorted(p.name for p in out.iterdir()) == ["failures.jsonl", "ok.ttl"]
    (failure,) = [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert failure["reason"] == (
        f"{source}:2: \"url\" is not an absolute URL (Invalid IRI code point ' '); fix it or leave it out"
    )


def test_hostile_jsonl_lines_fail_one_by_one(tmp_path: Path, runner: CliRunner) -> None:
    """A wrong type, a lone surrogate and deep nesting are each one refused line with its code; a
    byte-order mark before line 1 is not part of it; the other lines are written."""
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps({"id": "ok", "text": "Menlu Retno Marsudi tiba di Jakarta."}).encode()
        + b"\n"
        + json.dumps({"id": "titled", "text": "Retno tiba di Bogor.", "title": 7}).encode()
        + b"\n"
        + b'{"id": "lone", "text": "Retno \\ud800 tiba di Bandung."}\n'
        + b"[" * 100_000
        + b"\n"
        + json.dumps({"id": "last", "text": "Menlu Retno Marsudi tiba di Surabaya."}).encode()
        + b"\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(feed), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 8, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["failures.jsonl", "last.ttl", "ok.ttl"]
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(f["input"], f["exit_code"], f["reason"]) for f in failures] == [
        (f"{feed}:2", 8, f'{feed}:2: "title" must be a string, not a number'),
        (
            f"{feed}:3",
            6,
            f'{feed}:3: "text" holds a lone surrogate (\\ud800 at character 6), which is not text; '
            "fix the escape in the JSON",
        ),
        (f"{feed}:4", 8, f"{feed}:4: not an article (JSON nested too deeply to read)"),
    ]
    assert [line for line in result.stderr.splitlines() if line.startswith("kg: error:")] == [
        f"kg: error: {f['reason']}" for f in failures
    ]
    assert "internal error" not in result.stderr


def test_a_latin1_or_empty_jsonl_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(
        json.dumps({"id": "a", "text": "Menlu tiba di Bogotá."}, ensure_ascii=False).encode("latin-1") + b"\n"
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n  \n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(latin), str(empty), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 6
    assert result.stderr.splitlines()[:2] == [
        f"kg: error: {latin}:1: not valid UTF-8 (byte 0xe1 at column 41); "
        "convert the file first, e.g. iconv -f latin1 -t utf-8",
        f"kg: error: {empty}: no articles (the JSONL holds no lines); nothing to extract",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["failures.jsonl"]
    assert [json.loads(line)["exit_code"] for line in (out / "failures.jsonl").read_text().splitlines()] == [6, 4]


@pytest.fixture()
def as_nobody() -> Iterator[Path]:
    """A folder readable by everyone, and this process's effective user switched to nobody while the test
    reads in it: mode 000 then really refuses (root reads anything). Without root, the user is already
    one whom mode 000 refuses."""
    import os
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kg-unreadable-"))
    folder.chmod(0o755)
    nobody = 65534
    try:
        if os.geteuid() == 0:
            os.chown(folder, nobody, nobody)
            os.seteuid(nobody)
        try:
            yield folder
        finally:
            if os.getuid() == 0:
                os.seteuid(0)
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755)
        shutil.rmtree(folder)


def test_an_unreadable_file_or_folder_is_reported(as_nobody: Path) -> None:
    from kg.sources import Refused, iter_sources

    folder = as_nobody
    (folder / "open").mkdir()
    (folder / "open" / "a.txt").write_text("Retno tiba.", encoding="utf-8")
    (folder / "closed").mkdir()
    (folder / "closed" / "b.txt").write_text("Retno pergi.", encoding="utf-8")
    (folder / "feed.jsonl").write_text('{"text": "Retno tiba."}\n', encoding="utf-8")
    (folder / "closed").chmod(0)
    (folder / "feed.jsonl").chmod(0)
    found = list(iter_sources([folder / "open", folder / "closed", folder / "feed.jsonl"]))
    assert [s.origin for s in found] == [
        str(folder / "open" / "a.txt"),
        str(folder / "closed"),
        str(folder / "feed.jsonl"),
    ]
    refused = [s for s in found if isinstance(s, Refused)]
    assert [(int(r.error.exit_code), str(r.error)) for r in refused] == [
        (3, f"{folder / 'closed'}: cannot be read (permission denied); check its mode"),
        (3, f"{folder / 'feed.jsonl'}: cannot be read (permission denied); check its mode"),
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", 5),
        ("Menlu Retno Marsudi tiba di Jakarta.".encode("utf-16"), 5),
        ("Menlu tiba di Bogotá, kata Retno.".encode("latin-1"), 6),
        (b"Menlu Retno\x00 tiba di Jakarta.", 5),
        (b"", 4),
    ],
)
def test_stdin_is_read_as_strictly_as_a_file(tmp_path: Path, runner: CliRunner, content: bytes, code: int) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    as_file = runner.invoke(app, ["extract", str(path), "-o", str(tmp_path / "a")])
    on_stdin = runner.invoke(app, ["extract", "-", "-o", str(tmp_path / "b")], input=content)
    assert (as_file.exit_code, on_stdin.exit_code) == (code, code)
    assert on_stdin.stderr == (
        as_file.stderr.replace(str(path), "-")  # the same reader, the same words
        if code != 4
        else "kg: error: -: standard input is empty; nothing to extract\n"
    )
    assert not (tmp_path / "b" / "stdin.ttl").exists()


def test_stdin_html_and_bom_jsonl(tmp_path: Path, runner: CliRunner) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Retno di Bogor</title></head><body><nav>Menu Beranda</nav><article>"
        "<h1>Retno Marsudi Tiba di Bogor</h1><p>Menteri Luar Negeri Retno Marsudi tiba di Bogor pada Senin.</p>"
        "<p>Ia bertemu dengan para duta besar di Istana Bogor untuk membahas kerja sama.</p></article>"
        "<footer>Hak cipta</footer></body></html>"
    )
    result = runner.invoke(app, ["extract", "-", "-o", str(tmp_path / "html"), "--jobs", "1"], input=page.encode())
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(tmp_path / "html" / "stdin.ttl")
    texts = [str(o) for p, o in graph.predicate_objects(None) if str(p).endswith("isString")]
    assert len(texts) == 1 and "Retno Marsudi tiba di Bogor" in texts[0] and "Menu Beranda" not in texts[0]
    feed = b"\xef\xbb\xbf" + json.dumps({"id": "bom-1", "text": "Menlu Retno Marsudi tiba di Jakarta."}).encode()
    result = runner.invoke(app, ["extract", "-", "-o", str(tmp_path / "jsonl"), "--jobs", "1"], input=feed + b"\n")
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "jsonl").iterdir()] == ["bom-1.ttl"]


def _feed(path: Path, count: int) -> Path:
    """``count`` short articles, each with its own text (so its own graph)."""
    cities = ["Jakarta", "Bogor", "Bandung", "Surabaya", "Medan", "Makassar", "Denpasar", "Semarang"]
    days = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
    records = [
        {
            "id": f"n-{i:04d}",
            "text": f"Menlu Retno Marsudi tiba di {cities[i % 8]} pada {days[i % 5]}, kunjungan ke-{i}.\n"
            f'"Kami siap bekerja sama untuk program nomor {i}," kata Retno.',
            "published": "2022-10-11",
            "lang": "id",
        }
        for i in range(count)
    ]
    return jsonl(path, records)


def _index_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _children(pid: int) -> list[int]:
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat_file.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def _stop_midway(args: list[str], index: Path, sig: int) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    """Run kg until its index has grown by a few articles, then send ``sig``; its workers as they were."""
    import os
    import signal
    import time

    start = _index_lines(index)
    # Ctrl-C as at a terminal: a suite started in the background (``make test &``) has SIGINT ignored,
    # which its children inherit, and Python then leaves Ctrl-C ignored too
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", *args],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 240
        while _index_lines(index) < start + 8 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if process.poll() is not None:  # say why: a run of 400 cannot end between two looks 50 ms apart
            _, stderr = process.communicate()
            raise AssertionError(f"the run ended (exit {process.returncode}) before it could be stopped:\n{stderr}")
        assert _index_lines(index) >= start + 8, "no progress in 240 s"
        workers = _children(process.pid)
        os.kill(process.pid, sig)
        _, stderr = process.communicate(timeout=60)  # a stopped run that hangs fails here
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    deadline = time.monotonic() + 30
    while not all(_gone(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [w for w in workers if not _gone(w)] == []  # no orphaned worker
    return subprocess.CompletedProcess(args, process.returncode, "", stderr), workers


def test_a_stopped_stream_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    """Ctrl-C (two workers), kill -9 (two workers) and SIGTERM (one process) in turn, each resumed:
    the final stream is byte for byte an uninterrupted run's, each article once."""
    import signal

    from kg.batch import Options, run

    feed = _feed(tmp_path / "feed.jsonl", 400)
    whole = tmp_path / "whole.nq"
    assert all(o.error is None for o in run([feed], whole, Options(format="nq", published=None)))
    cut = tmp_path / "cut.nq"
    index = tmp_path / "cut.nq.names.partial"
    base = ["extract", str(feed), "--format", "nq", "-o", str(cut)]

    stopped, workers = _stop_midway([*base, "--jobs", "2"], index, signal.SIGINT)
    assert len(workers) == 2
    assert stopped.returncode == 130, stopped.stderr
    done = _index_lines(index)
    assert stopped.stderr.splitlines()[-1] == f"kg: interrupted: {done} of 400 written; rerun with --resume"
    assert "Traceback" not in stopped.stderr
    assert not cut.exists()

    killed, workers = _stop_midway([*base, "--jobs", "2", "--resume"], index, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL and len(workers) == 2
    assert _index_lines(index) > done

    termed, _ = _stop_midway([*base, "--jobs", "1", "--resume"], index, signal.SIGTERM)
    assert termed.returncode == 143, termed.stderr
    assert termed.stderr.splitlines()[-1].startswith("kg: interrupted: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cut.nq.names.partial",
        "cut.nq.partial",
        "feed.jsonl",
        "whole.nq",
        "whole.nq.names",
    ]  # no temporary file but the two the resume reads

    finished = subprocess.run(
        [sys.executable, "-m", "kg", *base, "--resume"], capture_output=True, text=True, timeout=600
    )
    assert finished.returncode == 0, finished.stderr
    assert cut.read_bytes() == whole.read_bytes()
    assert (tmp_path / "cut.nq.names").read_bytes() == (tmp_path / "whole.nq.names").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cut.nq",
        "cut.nq.names",
        "feed.jsonl",
        "whole.nq",
        "whole.nq.names",
    ]


_HALF_SENT = """
import os, struct, sys, time
from concurrent.futures import ProcessPoolExecutor
from kg.batch import stop_pool

pool = ProcessPoolExecutor(max_workers=2)
assert pool.submit(abs, -1).result() == 1  # the workers and the pool's reading thread are up
# what a worker killed in the middle of sending its results leaves: a length, then part of the message
os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1000) + b"half a message")
time.sleep(0.5)  # the pool's thread is now reading the rest, which never comes
stop_pool(pool)
print("stopped", flush=True)
"""


def test_a_stopped_pool_does_not_wait_for_half_a_message() -> None:
    """A run stopped while a worker was sending its chunk's results still ends (it hung one time in six)."""
    ended = subprocess.run([sys.executable, "-c", _HALF_SENT], capture_output=True, text=True, timeout=120)
    assert (ended.returncode, ended.stdout, ended.stderr) == (0, "stopped\n", "")


def test_resume_refuses_an_index_without_its_stream(tmp_path: Path, runner: CliRunner) -> None:
    feed = _feed(tmp_path / "feed.jsonl", 1)
    (tmp_path / "cut.nq.names").write_text("n-0000\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(feed), "--format", "nq", "-o", str(tmp_path / "cut.nq"), "--resume"])
    assert result.exit_code == 10
    assert result.stderr == (
        f"kg: error: {tmp_path / 'cut.nq.names'} is there without {tmp_path / 'cut.nq'}; cannot tell which "
        "articles are done. Remove it and run without --resume to start afresh\n"
    )
    assert not (tmp_path / "cut.nq").exists()


def test_the_same_text_under_two_ids_is_one_graph(tmp_path: Path, runner: CliRunner) -> None:
    text = 'Menlu Retno Marsudi tiba di Jakarta.\n"Kami siap," kata Retno.'
    feed = jsonl(tmp_path / "feed.jsonl", [{"id": "first", "text": text}, {"id": "again", "text": text}])
    stream = tmp_path / "corpus.nq"
    result = runner.invoke(app, ["extract", str(feed), "--format", "nq", "-o", str(stream), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    quads = stream.read_text(encoding="utf-8").splitlines()
    assert len(quads) == len(set(quads))  # each quad once
    (graph,) = {quad.graph_name for quad in ox.parse(path=str(stream), format=ox.RdfFormat.N_QUADS)}
    assert result.stderr.splitlines()[0] == (
        f"kg: warning: {feed}:2: the same text as {feed}:1; its graph <{graph.value}> is in the stream once"
    )
    assert result.stderr.splitlines()[1].startswith("kg: 1 written, 0 skipped, 1 duplicate, 0 failed; 66 triples in ")
    names = (tmp_path / "corpus.nq.names").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in names] == ["first"]


def test_progress_reads_as_a_person_says_it() -> None:
    import io

    from kg.cli._progress import ArticleProgress, left_text, progress_line, rate_text

    assert progress_line(0, 240, None) == "kg: loading pipelines… (240 articles to extract)"
    assert progress_line(0, None, None) == "kg: loading pipelines… (articles to extract)"
    assert progress_line(121, 240, 12.0) == "kg: 121 of 240 articles (50%), 10/s, about 12 s left"
    assert progress_line(31, 1_000, 9.0) == "kg: 31 of 1,000 articles (3%), 3.3/s, about 5 min left"
    assert progress_line(5, None, 16.0) == "kg: 5 articles, 0.25/s"
    assert (rate_text(1234.5), left_text(4_000)) == ("1,234/s", "about 1 h 07 min left")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    shown = ArticleProgress(2, enabled=True, stream=screen)
    shown.advance()
    shown.advance()
    shown.close()
    drawn = screen.getvalue().split("\r")
    assert drawn[1] == "kg: loading pipelines… (2 articles to extract)\x1b[K"  # at once, before any article
    assert drawn[-2].startswith("kg: 2 of 2 articles (100%), ")  # the last one is always drawn
    assert screen.getvalue().endswith("\r\x1b[K")  # the line goes before the closing line
    piped = io.StringIO()
    ArticleProgress(2, enabled=True, stream=piped).advance()
    assert piped.getvalue() == ""  # logs get no progress line


def test_dash_out_writes_the_stream_to_stdout(tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed.jsonl", 2)
    done = subprocess.run(
        [sys.executable, "-m", "kg", "extract", str(feed), "--format", "nq", "-o", "-", "--jobs", "1"],
        capture_output=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    quads = list(ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS))
    assert len({quad.graph_name for quad in quads}) == 2
    assert done.stderr.decode().splitlines()[-1].startswith("kg: 2 written, 0 skipped, 0 failed; ")
    assert done.stderr.decode().splitlines()[-1].endswith(" to standard output")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.jsonl"]  # no file named -


PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Jembatan baru di Tugu</title>{head}</head>
<body><nav>Menu Beranda Politik Ekonomi</nav><article><h1>Jembatan baru di Tugu</h1>
<p>SEMARANG - Camat Tugu Bambang Suryadi meresmikan jembatan baru di Kecamatan Tugu pada Rabu (9/11/2022).
Jembatan sepanjang 40 meter itu menghubungkan dua kampung nelayan yang selama ini terpisah oleh sungai.</p>
<p>Warga tidak perlu lagi memutar sejauh tiga kilometer untuk sampai ke pasar, kata Bambang kepada wartawan.</p>
</article><footer>Hak cipta 2022</footer></body></html>
"""
CANONICAL = "https://berita.example.org/2022/11/09/jembatan-tugu"
FEED_URL = "https://feed.example.org/items/4411"


def _source_triples(path: Path) -> set[tuple[str, str]]:
    """What the article's context and the article say of where their text came from, as pyoxigraph reads it."""
    asked = (KG.extractedFrom, KG.extractedFromInput, SCHEMA.url, NIF.sourceUrl)
    quads = ox.parse(path.read_bytes(), ox.RdfFormat.TURTLE)
    return {(str(q.predicate.value), str(q.object)) for q in quads if str(q.predicate.value) in map(str, asked)}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "canonical.html",
            PAGE.format(head=f'<link rel="canonical" href="{CANONICAL}">'),
            {
                (str(KG.extractedFrom), f"<{CANONICAL}>"),
                (str(SCHEMA.url), f"<{CANONICAL}>"),
                (str(NIF.sourceUrl), f"<{CANONICAL}>"),
            },
        ),
        ("pages/plain.html", PAGE.format(head=""), {(str(KG.extractedFromInput), '"pages/plain.html"')}),
        (
            "feed.jsonl",
            json.dumps({"id": "tugu", "url": FEED_URL, "text": PAGE.format(head="")}) + "\n",
            {
                (str(KG.extractedFrom), f"<{FEED_URL}>"),
                (str(SCHEMA.url), f"<{FEED_URL}>"),
                (str(NIF.sourceUrl), f"<{FEED_URL}>"),
            },
        ),
    ],
)
def test_a_page_says_it_was_extracted_from_its_url_else_from_the_path_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner, name: str, content: str, expected: set
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    Path(name).write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["extract", name, "-o", "out"])
    assert result.exit_code == 0, result.stderr
    (written,) = Path("out").glob("*.ttl")
    assert _source_triples(written) == expected
    text = str(next(Graph().parse(written).objects(None, NIF.isString)))
    assert text.startswith("Jembatan baru di Tugu\nSEMARANG - Camat Tugu Bambang Suryadi meresmikan jembatan baru")
    assert "<p>" not in text and "Menu Beranda" not in text  # the page's main text, HTML body of a record too
    assert "file:" not in written.read_text(encoding="utf-8")
