"""kg load and kg query when things go wrong: bad articles in a stream, bad endpoints, leaking servers,
servers that answer nonsense, drip or die. Real Oxigraph servers and loopback HTTP servers only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import OxigraphServer
from typer.testing import CliRunner

from kg.article import Article
from kg.cli import app
from kg.extract import extract
from kg.rdf.graph import ArticleGraph

TEXTS = [
    "Jakarta - Menteri Keuangan Sri Mulyani mengatakan anggaran negara tetap aman. "
    '"Kami siap menghadapi tekanan harga minyak," kata Sri Mulyani di Jakarta, Senin.',
    "Surabaya - Wali kota Surabaya meresmikan jembatan baru di tepi Kali Mas pada Selasa pagi. "
    '"Jembatan ini untuk warga," ujarnya kepada wartawan.',
    "Bandung - Hujan deras merendam ratusan rumah di Bandung selatan sejak Rabu malam. "
    "Petugas menyebut air mulai surut pada Kamis siang.",
]
BEGIN_INDEX = "<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex>"
NIF_PHRASE = "<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#Phrase>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
NON_NEGATIVE = "<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"


@pytest.fixture(scope="module")
def graphs() -> list[ArticleGraph]:
    return [extract(Article.from_text(text, "id")).graph for text in TEXTS]


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    running = OxigraphServer(tmp_path / "oxigraph").start()
    yield running
    running.kill()


def a_phrase(graph: ArticleGraph) -> str:
    return next(s for s, p, o in graph.triples if p == RDF_TYPE and o == NIF_PHRASE)


def nquads(path: Path, graphs: list[ArticleGraph], lines: tuple[str, ...] = ()) -> Path:
    path.write_bytes(b"".join(g.nquads() for g in graphs) + "".join(lines).encode("utf-8"))
    return path


def without(graph: ArticleGraph, subject: str, predicate: str) -> ArticleGraph:
    return ArticleGraph.of(graph.name, [t for t in graph.triples if (t[0], t[1]) != (subject, predicate)])


# --- issue 13 item 2: one bad article does not refuse the file -------------------------------------------


def test_a_bad_article_in_a_stream_refuses_only_itself(
    graphs: list[ArticleGraph], tmp_path: Path, server: OxigraphServer, runner: CliRunner
) -> None:
    first, second, third = graphs
    broken = without(second, a_phrase(second), BEGIN_INDEX)
    stream = nquads(tmp_path / "corpus.nq", [first, broken, third])
    result = runner.invoke(app, ["load", str(stream), "--endpoint", server.url])
    assert result.exit_code == 1
    assert result.stderr == (
        f"kg: error: {stream}: {second.name} refused, it breaks the shapes (1 result):\n"
        "Violation: A mention needs exactly one nif:beginIndex, an xsd:nonNegativeInteger.\n"
        "  shape: kgsh:Phrase-beginIndex\n"
        f"  focus: {a_phrase(second)}\n"
        "  path:  nif:beginIndex\n"
    )
    assert result.stdout == f"loaded 2 articles ({len(first) + len(third):,} triples) into {server.url}\n"
    assert server.triples_per_graph() == {first.name: len(first), third.name: len(third)}  # nothing half-loaded


def test_each_graph_is_validated_on_its_own(graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner) -> None:
    """Two graphs that conform each on their own but not merged (a node of one given a second
    nif:beginIndex in the other) both load: the store keeps them apart, so must the check."""
    first, second, _ = graphs
    extra = f'{a_phrase(first)} {BEGIN_INDEX} "999"^^{NON_NEGATIVE} <{second.name}> .\n'
    stream = nquads(tmp_path / "pair.nq", [first, second], (extra,))
    store = tmp_path / "store"
    result = runner.invoke(app, ["load", str(stream), "--store", str(store)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"loaded 2 articles ({len(first) + len(second) + 1:,} triples) into {store}\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("@prefix s: <https://schema.org/> .\n[] a s:NewsArticle .\n", "the schema:NewsArticle node is a blank node"),
        ('{"title": "no RDF here"}', "no RDF triples in it; nothing to load"),
        ("_:g { <urn:a> <urn:b> <urn:c> . }\n", "a graph named by a blank node"),
    ],
    ids=["blank-article", "json-without-rdf", "blank-graph-name"],
)
def test_files_kg_cannot_name_graphs_of_are_usage_errors(
    content: str, message: str, tmp_path: Path, runner: CliRunner
) -> None:
    suffix = ".json" if content.startswith("{") else ".trig" if content.startswith("_:g") else ".ttl"
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["load", str(bad), "--no-validate", "--store", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert re.fullmatch(rf"kg: error: {re.escape(str(bad))}: {re.escape(message)}[^\n]*\n", result.stderr)
