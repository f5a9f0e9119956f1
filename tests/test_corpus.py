"""kg extract over a corpus: JSONL, HTML, stdin and directories in; Turtle files or one stream out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import DATA, SEED
from rdflib import Graph, Literal
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf.namespaces import KG, KGID, PROV, RDFS, SCHEMA
from kg.rdf.oxigraph import select

QUOTE = "Kami akan terus mendukung perundingan damai"


def jsonl(path: Path, records: list[dict | str]) -> Path:
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
    assert result.stderr.splitlines()[-1] == f"kg: 3 of 7 inputs failed; 4 written to {out}"
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
    context = next(graph.subjects(KG.extractedFrom, None))
    assert str(graph.value(context, KG.extractedFrom)) == page.resolve().as_uri()
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
    assert (tmp_path / "corpus.nq.names").read_text(encoding="utf-8").split() == ["kompas-1", "antara-7"]
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
    again = runner.invoke(app, ["extract", str(wire), str(SEED), "-o", str(out), "--resume"])
    assert again.exit_code == 8
    assert (out / "kompas-1.ttl").stat().st_mtime_ns == before
    assert again.stdout.splitlines() == [
        f"{out / '000_3d31550ceac5e1d3.ttl'}: 44 mentions, 13 entities (10 linked), 14 statements, 2 events, "
        "3 roles, 771 triples, conforms"
    ]  # no --published: no datePublished, no role dates
    assert again.stderr.splitlines()[-1] == f"kg: 3 of 6 inputs failed; 1 written to {out}, 2 already done"


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


def test_an_interrupted_stream_leaves_no_file(corpus: Path, tmp_path: Path) -> None:
    from kg.batch import Options, run

    stream = tmp_path / "cut.nq"
    results = run([corpus], stream, Options(format="nq"))
    next(results)
    results.close()  # the consumer stops half way, as on Ctrl-C
    assert not stream.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cut")] == []


def test_a_run_in_the_callers_process_gives_its_collector_back(corpus: Path, tmp_path: Path) -> None:
    """kg sets the garbage collector for a long run (kg.batch.LongRunCollector), in its own workers
    for good, in the caller's process only while the run lasts: finished or stopped half way."""
    import gc
    import weakref

    from kg.batch import COLLECT_EVERY, LongRunCollector, Options, run

    assert gc.isenabled() and gc.get_freeze_count() == 0
    done = list(run([corpus], tmp_path / "all.nq", Options(format="nq")))
    assert sum(d.error is None for d in done) == 4
    assert gc.isenabled() and gc.get_freeze_count() == 0
    results = run([corpus], tmp_path / "cut.nq", Options(format="nq"))
    next(results)
    results.close()
    assert gc.isenabled() and gc.get_freeze_count() == 0

    collector = LongRunCollector()
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
