"""``kg extract --format jsonld``: a JSON-LD file per article, the Turtle file's graph, its context inline;
and ``kg validate`` reading it, and refusing a remote context without touching the network."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pyoxigraph
import pytest
from conftest import DATA, SEED
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg.article import read_article
from kg.cli import app
from kg.extract import extract
from kg.rdf.namespaces import PREFIXES

ARTICLES = sorted((DATA / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The test articles extracted twice, as Turtle and as JSON-LD."""
    runner = CliRunner()
    root = tmp_path_factory.mktemp("formats")
    for fmt in ("ttl", "jsonld"):
        args = ["extract", *map(str, ARTICLES), "-o", str(root / fmt), "--format", fmt, "--jobs", "1"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return root / "ttl", root / "jsonld"


def test_a_jsonld_file_per_article_with_the_turtle_files_graph(both: tuple[Path, Path]) -> None:
    turtle, jsonld = both
    assert sorted(p.name for p in jsonld.iterdir()) == [f"{p.stem}.jsonld" for p in ARTICLES]
    for article in ARTICLES:
        ttl, doc = turtle / f"{article.stem}.ttl", jsonld / f"{article.stem}.jsonld"
        by_rdflib = Graph().parse(ttl, format="turtle"), Graph().parse(doc, format="json-ld")
        assert len(by_rdflib[0]) > 100
        assert isomorphic(*by_rdflib), article.name
        formats = ((ttl, pyoxigraph.RdfFormat.TURTLE), (doc, pyoxigraph.RdfFormat.JSON_LD))
        read = [set(pyoxigraph.parse(path=str(path), format=rdf_format)) for path, rdf_format in formats]
        assert read[0] == read[1], article.name
        assert len(read[1]) == len(by_rdflib[1])


def test_the_context_is_inline_and_names_kgs_prefixes(both: tuple[Path, Path]) -> None:
    document = json.loads((both[1] / f"{SEED.stem}.jsonld").read_text(encoding="utf-8"))
    assert list(document) == ["@context", "@graph"]  # no top-level @id: the default graph, as in the Turtle file
    assert document["@context"] == {name: str(iri) for name, iri in sorted(PREFIXES.items())}
    assert document["@context"]["schema"] == "https://schema.org/"
    article = read_article(SEED)
    node = next(n for n in document["@graph"] if n["@id"] == f"kgid:article/{article.id}")
    assert node["@type"] == "schema:NewsArticle"
    assert node["schema:inLanguage"] == "id"
    phrase = next(n for n in document["@graph"] if n.get("nif:anchorOf") == "Jens Stoltenberg")
    assert phrase["nif:beginIndex"] == {"@value": "126", "@type": "xsd:nonNegativeInteger"}
    assert phrase["itsrdf:taIdentRef"] == {"@id": "wd:Q57665"}
    assert phrase["itsrdf:taConfidence"] == {"@value": "1.0", "@type": "xsd:double"}


def test_two_runs_write_the_same_bytes() -> None:
    article = read_article(SEED)
    assert extract(article).graph.jsonld() == extract(article).graph.jsonld()


def test_validate_reads_the_jsonld_output(both: tuple[Path, Path], runner: CliRunner) -> None:
    files = sorted(both[1].glob("*.jsonld"))
    result = runner.invoke(app, ["validate", *map(str, files)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join(f"{path}: conforms\n" for path in files)


def test_resume_skips_the_jsonld_files_written(both: tuple[Path, Path], runner: CliRunner) -> None:
    args = ["extract", *map(str, ARTICLES[:2]), "-o", str(both[1]), "--format", "jsonld", "--resume", "--jobs", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert result.stderr.startswith("kg: 0 written, 2 skipped, 0 failed; 0 triples in ")


def test_format_help_names_jsonld(runner: CliRunner) -> None:
    text = "".join(runner.invoke(app, ["extract", "--help"]).stdout.split())  # wrapped anywhere, even at a hyphen
    assert "--format<ttl|jsonld|nq|trig>" in text
    assert "jsonld:aJSON-LDfileperarticle,its@contextinline(readoffline);" in text


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_a_remote_schema_org_context_is_refused_without_a_connection(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Any connection or name lookup from Python would be recorded (and refused) here; pyoxigraph, the one
    parser kg reads RDF with, is given no document loader, so it has nothing to fetch with."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("the test allows no network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    data = tmp_path / "schema.jsonld"
    data.write_text(
        '{"@context": "https://schema.org/", "@id": "https://example.org/a", "@type": "NewsArticle", "name": "A"}',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(data), "--engine", engine])
    assert result.exit_code == 2
    assert result.stderr == (
        f"kg: error: {data}: the JSON-LD names a remote @context, which kg does not fetch (no network access); "
        "put the context in the file\n"
    )
    assert attempts == []
