"""A corpus stream passes kg's own gate: the same words from the same speaker in many articles, said
on other days and at other events (and written with or without accents), are one statement per
occasion sharing a kg:Words node, so `kg validate` passes the whole stream and a store loads all of it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import OxigraphServer
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf.namespaces import KG, SCHEMA
from kg.rdf.oxigraph import select

ARTICLES = 200
SPEAKERS = ["Menlu Retno Marsudi", "Presiden Joko Widodo"]
QUOTES = [  # two pairs differ only in accents: the same words, each occasion keeping its own text
    ("Kami akan membantu Bénin membangun pelabuhan", "Kami akan membantu Benin membangun pelabuhan"),
    ("Kerja sama dengan Perú harus diperkuat", "Kerja sama dengan Peru harus diperkuat"),
    ("Semua pihak harus kembali ke meja perundingan",),
    ("Indonesia siap menjadi tuan rumah pertemuan berikutnya",),
]
PLACES = ["Jakarta", "Bogor", "Bandung", "Surabaya"]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
SETTINGS = [  # a press conference, a meeting, or no event: each dated by the sentence or the one before
    '"{quote}," kata {short} dalam konferensi pers di {place}, {day} ({date}/10/2022).',
    '{speaker} bertemu mitranya di {place} pada {day} ({date}/10/2022).\n"{quote}," ujar {short} usai pertemuan itu.',
    '{speaker} berbicara di {place} pada {day} ({date}/10/2022).\n"{quote}," katanya.',
]


def generate(count: int, seed: int) -> list[dict]:
    """Short news articles, each repeating quotes of the pool on its own date, place and occasion."""
    rng = random.Random(seed)
    articles = []
    for i in range(count):
        lines = [f"Berita {i}: kunjungan kerja di {rng.choice(PLACES)}"]
        for _ in range(rng.randint(1, 3)):
            speaker = rng.choice(SPEAKERS)
            lines.append(
                rng.choice(SETTINGS).format(
                    quote=rng.choice(rng.choice(QUOTES)),
                    speaker=speaker,
                    short=speaker.split()[-1],
                    place=rng.choice(PLACES),
                    day=rng.choice(DAYS),
                    date=rng.randint(1, 28),
                )
            )
        articles.append({"id": f"berita-{i}", "text": "\n".join(lines), "lang": "id", "published": "2022-10-29"})
    return articles


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stream")
    source = folder / "corpus.jsonl"
    source.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in generate(ARTICLES, 7)), "utf-8")
    target = folder / "corpus.nq"
    result = CliRunner().invoke(app, ["extract", str(source), "--format", "nq", "-o", str(target), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    return target


def test_repeated_words_are_one_statement_per_occasion(stream: Path) -> None:
    store = ox.Store()
    store.load(path=str(stream), format=ox.RdfFormat.N_QUADS)
    assert len(list(store.named_graphs())) == ARTICLES
    rows = list(
        select(
            store,
            f"""SELECT ?words (COUNT(DISTINCT ?s) AS ?occasions) (COUNT(DISTINCT ?date) AS ?dates)
                    (COUNT(DISTINCT ?event) AS ?events) (COUNT(DISTINCT ?text) AS ?texts) WHERE {{
                GRAPH ?g {{ ?s <{KG.words}> ?words ; <{SCHEMA.text}> ?text .
                    OPTIONAL {{ ?s <{SCHEMA.dateCreated}> ?date }} OPTIONAL {{ ?s <{SCHEMA.recordedAt}> ?event }} }}
            }} GROUP BY ?words""",
        )
    )
    assert len(rows) == len(SPEAKERS) * len(QUOTES)  # accents aside, each speaker's quote is one kg:Words
    for row in rows:  # said again and again, on other days and at other events
        assert int(row["occasions"].value) > 20 and int(row["dates"].value) > 1 and int(row["events"].value) > 1
    assert sorted(int(r["texts"].value) for r in rows) == [1, 1, 1, 1, 2, 2, 2, 2]  # Bénin and Benin kept apart
    for path in (SCHEMA.text, SCHEMA.dateCreated, SCHEMA.recordedAt):  # no node has two, across the stream
        clash = f"""ASK {{ GRAPH ?g {{ ?s <{path}> ?a }} GRAPH ?h {{ ?s <{path}> ?b }} FILTER(?a != ?b) }}"""
        assert not bool(store.query(clash)), path


def test_the_stream_passes_kg_validate(stream: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(stream)])
    assert result.exit_code == 0, result.stdout[-2000:]


def test_the_stream_loads_whole_into_a_server(stream: Path, server: OxigraphServer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["load", str(stream), "--endpoint", server.url])
    assert result.exit_code == 0, result.stderr
    expected: dict[str, int] = {}
    for quad in ox.parse(path=str(stream), format=ox.RdfFormat.N_QUADS):
        name = quad.graph_name.value
        expected[name] = expected.get(name, 0) + 1
    assert len(expected) == ARTICLES
    assert server.triples_per_graph() == expected
