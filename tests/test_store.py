"""kg load and kg query against the embedded store and a real Oxigraph server."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import DATA, ROOT, SEED
from servers import OxigraphServer, ScriptedServer
from typer.testing import CliRunner

from kg.article import Article, read_article
from kg.cli import app
from kg.extract import extract, write_graph


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int]]:
    """The seed and the test snippets as kg extract writes them: name -> (file, triples)."""
    folder = tmp_path_factory.mktemp("exports")
    graphs = {}
    for path in [SEED, *sorted((DATA / "articles").glob("*_0*.txt"))]:
        result = extract(read_article(path, published=date(2022, 10, 11)))
        out = folder / f"{path.stem}.ttl"
        write_graph(result.graph, out)
        graphs[f"https://w3id.org/kg-news/id/article/{result.extraction.article.id}"] = (out, len(result.graph))
    return graphs


def test_embedded_load_replaces_and_queries(exported: dict, tmp_path: Path, runner: CliRunner) -> None:
    store = tmp_path / "store"
    files = [str(path) for path, _ in exported.values()]
    first = runner.invoke(app, ["load", *files, "--store", str(store)])
    total = sum(n for _, n in exported.values())
    assert (first.exit_code, first.stdout) == (0, f"loaded 9 articles ({total:,} triples) into {store}\n")
    again = runner.invoke(app, ["load", *files, "--store", str(store)])  # loading again never duplicates
    assert again.exit_code == 0
    count = runner.invoke(
        app,
        ["query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--store", str(store), "--format", "csv"],
    )
    assert (count.exit_code, count.stdout) == (0, f"n\n{total}\n")


def test_example_queries_on_the_seed(exported: dict, tmp_path: Path, runner: CliRunner) -> None:
    store = tmp_path / "store"
    seed_file = next(path for path, _ in exported.values() if path.stem == SEED.stem)
    assert runner.invoke(app, ["load", str(seed_file), "--store", str(store)]).exit_code == 0

    def rows(query: str) -> list[dict]:
        result = runner.invoke(
            app, ["query", "--file", str(ROOT / "queries" / query), "--store", str(store), "--format", "json"]
        )
        assert result.exit_code == 0, result.stderr
        return [{k: v["value"] for k, v in row.items()} for row in json.loads(result.stdout)["results"]["bindings"]]

    statements = rows("stoltenberg_statements.rq")
    assert len(statements) == 8
    assert {(r["date"], r["event"]) for r in statements} == {("2022-10-11", "konferensi pers")}
    assert sorted(r["kind"] for r in statements) == ["direct"] * 5 + ["reported"] * 3
    meetings = rows("meetings_october_2022.rq")
    assert [(r["start"], r["type"], r.get("place")) for r in meetings] == [
        ("2022-10-11", "PressConference", None),
        ("2022-10-12", "Meeting", "Brussels"),
    ]
    ukraine = rows("about_ukraine.rq")
    assert len(ukraine) == 7
    assert {r["speaker"] for r in ukraine} == {"Jens Stoltenberg", "Dmitry Peskov"}
    entities = rows("entities_wikidata.rq")
    assert entities[0] == {
        "entity": "http://www.wikidata.org/entity/Q212",
        "label": "Ukraine",
        "type": "Place",
        "mentions": "10",
    }
    # "aliansi" stands for NATO (kg:Anaphor) but does not name it: 8 mentions, not 12
    assert {"entity": "http://www.wikidata.org/entity/Q7184", "label": "NATO", "type": "Organization"} | {
        "mentions": "8"
    } in entities
    assert len(entities) == 10


@pytest.mark.parametrize("method", ["update", "gsp"])
def test_server_load_is_idempotent(exported: dict, server: OxigraphServer, runner: CliRunner, method: str) -> None:
    files = [str(path) for path, _ in exported.values()]
    for _ in range(2):
        result = runner.invoke(app, ["load", *files, "--endpoint", server.url, "--method", method, "--batch", "4"])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("loaded 9 articles (")
    assert server.triples_per_graph() == {name: n for name, (_, n) in exported.items()}


def test_server_queries(exported: dict, server: OxigraphServer, runner: CliRunner) -> None:
    seed_file = next(path for path, _ in exported.values() if path.stem == SEED.stem)
    assert runner.invoke(app, ["load", str(seed_file), "--endpoint", server.url]).exit_code == 0
    table = runner.invoke(
        app, ["query", "--file", str(ROOT / "queries" / "meetings_october_2022.rq"), "--endpoint", server.url]
    )
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split() == ["start", "end", "type", "event", "place", "participants"]
    assert table.stdout.splitlines()[-1] == "(2 rows)"
    ask = runner.invoke(
        app, ["query", "ASK { GRAPH ?g { ?s <https://schema.org/creator> ?o } }", "--endpoint", server.url]
    )
    assert (ask.exit_code, ask.stdout) == (0, "true\n")
    graph = runner.invoke(
        app,
        [
            "query",
            "CONSTRUCT { ?e ?p ?o } WHERE { GRAPH ?g { ?e a <https://schema.org/Event> ; ?p ?o } }",
            "--endpoint",
            server.url,
        ],
    )
    assert graph.exit_code == 0
    assert "pertemuan para Menteri Pertahanan anggota NATO" in graph.stdout
    wrong = runner.invoke(app, ["query", "ASK { ?s ?p ?o }", "--endpoint", server.url, "--format", "ttl"])
    assert (wrong.exit_code, wrong.stderr) == (
        2,
        "kg: error: a ASK query gives a boolean: use --format table, csv or json\n",
    )


def test_a_killed_server_leaves_no_half_graph(tmp_path: Path, server: OxigraphServer) -> None:
    """Kill the server during a load, restart it, reload: the store ends as a clean load leaves it."""
    folder = tmp_path / "many"
    folder.mkdir()
    expected = {}
    base = SEED.read_text(encoding="utf-8")
    for index in range(60):  # sixty distinct articles (their texts, so their IRIs, differ)
        result = extract(Article.from_text(f"{base}\nCatatan {index}.", "id"))
        write_graph(result.graph, folder / f"a{index:02d}.ttl")
        expected[f"https://w3id.org/kg-news/id/article/{result.extraction.article.id}"] = len(result.graph)
    kg = [
        sys.executable,
        "-m",
        "kg",
        "load",
        str(folder),
        "--endpoint",
        server.url,
        "--batch",
        "1",
        "--retries",
        "0",
        "--no-validate",
    ]
    loading = subprocess.Popen(kg, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(server.triples_per_graph()) < 2:
        time.sleep(0.005)
    server.kill()
    out, err = loading.communicate(timeout=120)
    assert loading.returncode == 11
    assert "not loaded" in out and "cannot connect" in err

    server.start()
    after_crash = server.triples_per_graph()
    assert 2 <= len(after_crash) < 60
    assert all(after_crash[name] == expected[name] for name in after_crash)  # whole graphs or none
    reload = subprocess.run(kg, capture_output=True, text=True, timeout=300)
    assert reload.returncode == 0, reload.stderr
    assert server.triples_per_graph() == expected


def test_unreachable_endpoint(exported: dict, runner: CliRunner) -> None:
    from servers import free_port

    seed_file = next(path for path, _ in exported.values() if path.stem == SEED.stem)
    url = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(app, ["load", str(seed_file), "--endpoint", url, "--retries", "1"])
    assert result.exit_code == 11
    assert result.stderr.splitlines()[-1].endswith(  # the default's first request asks what the store holds
        f"not loaded: {url}/query: cannot connect after 2 tries; is the store running and the URL right?"
    )


def test_retries_honour_429_and_5xx(exported: dict, runner: CliRunner) -> None:
    seed_iri, (seed_file, _) = next((name, v) for name, v in exported.items() if v[0].stem == SEED.stem)
    found = {"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": seed_iri}}]}}
    answers = {1: (429, {"Retry-After": "0"}, b"slow down"), 2: (503, {}, b"busy"), 3: (204, {}, b"")}
    json_type = {"Content-Type": "application/sparql-results+json"}
    scripted = ScriptedServer(lambda handler, n: answers.get(n, (200, json_type, json.dumps(found).encode())))
    try:
        result = runner.invoke(app, ["load", str(seed_file), "--endpoint", scripted.url, "--method", "update"])
        assert result.exit_code == 0, result.stderr
        # three tries of the update, then the query that finds the graph there
        assert [(method, path) for method, path, _ in scripted.requests] == [("POST", "/update")] * 3 + [
            ("POST", "/query")
        ]
    finally:
        scripted.close()
    # the default: three tries of the query that asks whether the store holds the graph (it does not), the
    # quads posted, then the query that finds the graph there
    nothing = {"head": {"vars": ["g"]}, "results": {"bindings": []}}
    answers = {1: answers[1], 2: answers[2], 3: (200, json_type, json.dumps(nothing).encode()), 4: (204, {}, b"")}
    scripted = ScriptedServer(lambda handler, n: answers.get(n, (200, json_type, json.dumps(found).encode())))
    try:
        result = runner.invoke(app, ["load", str(seed_file), "--endpoint", scripted.url])
        assert result.exit_code == 0, result.stderr
        assert [(method, path) for method, path, _ in scripted.requests] == [("POST", "/query")] * 3 + [
            ("POST", "/store"),
            ("POST", "/query"),
        ]
    finally:
        scripted.close()


def test_credentials_are_sent_and_never_shown(
    exported: dict, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripted = ScriptedServer(lambda handler, n: (401, {"WWW-Authenticate": "Basic"}, b"no"))
    try:
        seed_file = next(path for path, _ in exported.values() if path.stem == SEED.stem)
        monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "s3cret-pw")
        url = scripted.url.replace("http://", "http://alice:url-pw@")
        result = runner.invoke(app, ["load", str(seed_file), "--endpoint", url, "--user", "alice"])
        assert result.exit_code == 11
        assert "the store refused the credentials (HTTP 401)" in result.stderr
        assert "s3cret-pw" not in result.stderr + result.stdout
        assert "url-pw" not in result.stderr + result.stdout
        assert scripted.requests[0][2]["Authorization"].startswith("Basic ")
    finally:
        scripted.close()


def test_a_slow_store_times_out(exported: dict, runner: CliRunner) -> None:
    def slowly(handler: BaseHTTPRequestHandler, number: int) -> tuple[int, dict[str, str], bytes]:
        time.sleep(2)
        return 204, {}, b""

    scripted = ScriptedServer(slowly)
    try:
        seed_file = next(path for path, _ in exported.values() if path.stem == SEED.stem)
        result = runner.invoke(
            app, ["load", str(seed_file), "--endpoint", scripted.url, "--timeout", "0.3", "--retries", "0"]
        )
        assert result.exit_code == 11
        assert "no answer within 0.3 s after 1 tries" in result.stderr
    finally:
        scripted.close()


def test_invalid_graphs_are_refused_and_dry_run_writes_nothing(
    exported: dict, tmp_path: Path, runner: CliRunner
) -> None:
    seed_file = next(path for path, _ in exported.values() if path.stem == SEED.stem)
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        seed_file.read_text(encoding="utf-8").replace("nif:beginIndex", "nif:beginIndexx", 1), encoding="utf-8"
    )
    store = tmp_path / "store"
    result = runner.invoke(app, ["load", str(broken), str(seed_file), "--store", str(store)])
    assert result.exit_code == 1
    seed_iri = next(name for name, (path, _) in exported.items() if path == seed_file)
    assert result.stderr.startswith(f"kg: error: {broken}: {seed_iri} refused, it breaks the shapes (")
    assert result.stdout == f"loaded 1 article (775 triples) into {store}\n"
    dry = runner.invoke(app, ["load", str(seed_file), "--store", str(tmp_path / "dry"), "--dry-run"])
    assert dry.exit_code == 0
    assert dry.stdout.startswith("would load https://w3id.org/kg-news/id/article/")
    assert not (tmp_path / "dry").exists()
