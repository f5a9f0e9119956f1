"""kg load and kg query when things go wrong: bad articles in a stream, bad endpoints, leaking servers,
servers that answer nonsense, drip or die. Real Oxigraph servers and loopback HTTP servers only."""

from __future__ import annotations

import base64
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from servers import DrippingServer, DyingProxy, OxigraphServer, ScriptedServer, free_port
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
        "  constraint: sh:MinCountConstraintComponent\n"
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


# --- issue 13 item 11, issue 17 item 7: endpoints that cannot be used are usage errors ------------------


@pytest.mark.parametrize(
    ("endpoint", "why"),
    [
        ("127.0.0.1:7878", "has no scheme; did you mean 'http://127.0.0.1:7878'?"),
        ("ftp://127.0.0.1/data", "must be an http(s) URL, not 'ftp://127.0.0.1/data'"),
        ("http://127.0.0.1:99999", "is not a valid URL: the port is not in 1-65535; e.g. http://127.0.0.1:7878"),
        ("http://127.0.0.1:0", "is not a valid URL: the port is not in 1-65535; e.g. http://127.0.0.1:7878"),
        ("http://127.0.0.1:abc", "is not a valid URL: the port is not a number; e.g. http://127.0.0.1:7878"),
        ("http://[::1", "is not a valid URL: an IPv6 address needs [ and ] around it; e.g. http://127.0.0.1:7878"),
        ("http://", "has no host; e.g. http://127.0.0.1:7878"),
        ("http://:7878/", "has no host; e.g. http://127.0.0.1:7878"),
        ("http://a b:7878/", "has a space in it (or is empty); e.g. http://127.0.0.1:7878"),
        ("http://a<b>:7878/", "'a<b>' is not a host name or IP address"),
    ],
)
@pytest.mark.parametrize("command", ["load", "query"])
def test_endpoints_that_cannot_be_used_are_usage_errors(
    endpoint: str, why: str, command: str, graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner
) -> None:
    argument = str(nquads(tmp_path / "one.nq", graphs[:1])) if command == "load" else "ASK { ?s ?p ?o }"
    store = tmp_path / "store"
    result = runner.invoke(app, [command, argument, "--endpoint", endpoint, "--store", str(store)])
    shown = f"'{endpoint}' " if not why.startswith("must") else ""
    assert (result.exit_code, result.stdout) == (2, "")
    if why.startswith("'"):
        assert result.stderr == f"kg: error: --endpoint '{endpoint}': {why}\n"
    else:
        assert result.stderr == f"kg: error: --endpoint {shown}{why}\n"
    assert not store.exists()


# Each method's first request: the default for an Oxigraph server (nquads) asks which graphs it holds first.
FIRST_REQUEST = [pytest.param([], "/query", id="default"), pytest.param(["--method", "update"], "/update", id="update")]


@pytest.mark.parametrize(("method", "first"), FIRST_REQUEST)
def test_an_unreachable_store_is_one_line(
    method: list[str], first: str, graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    stream = nquads(tmp_path / "three.nq", graphs)
    failures = tmp_path / "failures.jsonl"
    options = ["--batch", "1", "--retries", "0", "--failures", str(failures), *method]
    result = runner.invoke(app, ["load", str(stream), "--endpoint", url, *options])
    assert result.exit_code == 11
    assert result.stderr == (
        f"kg: error: 3 articles not loaded: {url}{first}: cannot connect after 1 tries; "
        "is the store running and the URL right?\n"
    )
    assert result.stdout == f"loaded 0 articles (0 triples) into {url}; 3 not loaded\n"
    records = [json.loads(line) for line in failures.read_text(encoding="utf-8").splitlines()]
    assert [(r["status"], r["graph"], r["source"]) for r in records] == [
        ("not loaded", g.name, str(stream)) for g in graphs
    ]


# --- issue 17 item 6: credentials never appear in output ----------------------------------------------

SECRET = "Zq9-s3cr3t-Xw"


def reflecting(handler: BaseHTTPRequestHandler, number: int) -> tuple[int, dict[str, str], bytes]:
    """A server that echoes the request's credentials and query string in a long HTML error page."""
    page = (
        f"<html><head><title>Error</title></head><body><h1>400 Bad Request</h1>"
        f"<p>Authorization: {handler.headers.get('Authorization')}</p><p>path: {handler.path}</p>"
        f"<pre>{'trace line ' * 400}</pre></body></html>"
    )
    return 400, {"Content-Type": "text/html"}, page.encode("utf-8")


@pytest.fixture()
def echo() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer(reflecting)
    yield scripted
    scripted.close()


def assert_no_secret(*outputs: str) -> None:
    encoded = [SECRET, quote(SECRET), base64.b64encode(f"alice:{SECRET}".encode()).decode()]
    for output in outputs:
        for form in encoded:
            assert form not in output, output


@pytest.mark.parametrize(
    "endpoint",
    [
        f"ftp://alice:{SECRET}@127.0.0.1/",
        f"HTTP://alice:{SECRET}@127.0.0.1:abc/",
        f"http://alice:{SECRET}@[::1",
        f"http://alice:{SECRET}@127.0.0.1:99999/",
        f"127.0.0.1:7878?token={SECRET}",
        f"http://alice:{SECRET}@a b/",
    ],
)
def test_a_refused_endpoint_never_shows_its_secrets(endpoint: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["query", "ASK { ?s ?p ?o }", "--endpoint", endpoint])
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: error: --endpoint ")
    assert_no_secret(result.stdout, result.stderr)


@pytest.mark.parametrize("scheme", ["http", "HTTP"])
@pytest.mark.parametrize(("method", "first"), FIRST_REQUEST)
def test_credentials_in_the_url_are_sent_and_never_shown(
    scheme: str,
    method: list[str],
    first: str,
    echo: ScriptedServer,
    graphs: list[ArticleGraph],
    tmp_path: Path,
    runner: CliRunner,
) -> None:
    url = echo.url.replace("http://", f"{scheme}://alice:{SECRET}@") + f"/news?apikey={SECRET}"
    stream = nquads(tmp_path / "one.nq", graphs[:1])
    load = runner.invoke(app, ["load", str(stream), "--endpoint", url, "--retries", "0", *method])
    query = runner.invoke(app, ["query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url])
    assert (load.exit_code, query.exit_code) == (11, 11)
    assert_no_secret(load.stdout, load.stderr, query.stdout, query.stderr)
    shown = f"{echo.url}/news{first}?apikey=***"
    assert load.stderr.startswith(
        f"kg: error: {stream}: {graphs[0].name} not loaded: {shown}: HTTP 400: Error 400 Bad Request "
        f"Authorization: Basic *** path: /news{first}?apikey=*** trace line trace line"
    )
    assert load.stderr.endswith("…\n") and len(load.stderr.splitlines()[0]) < 500
    assert query.stderr.startswith(f"kg: error: {echo.url}/news/query?apikey=***: HTTP 400: Error 400 Bad Request")
    sent = [(path, headers["Authorization"]) for _, path, headers in echo.requests]
    basic = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
    assert sent == [(f"/news{first}?apikey={SECRET}", basic), (f"/news/query?apikey={SECRET}", basic)]


@pytest.mark.parametrize(("method", "first"), FIRST_REQUEST)
def test_a_token_echoed_back_is_never_shown(
    method: list[str], first: str, echo: ScriptedServer, graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner
) -> None:
    stream = nquads(tmp_path / "one.nq", graphs[:1])
    options = ["--endpoint", echo.url, "--token", SECRET, "--retries", "0", *method]
    result = runner.invoke(app, ["load", str(stream), *options])
    assert result.exit_code == 11
    assert f"Authorization: Bearer *** path: {first} " in result.stderr
    assert_no_secret(result.stdout, result.stderr)
    assert echo.requests[0][2]["Authorization"] == f"Bearer {SECRET}"


# --- issue 17 item 8: a store that answers 200 with something that is not a SPARQL answer -------------

HTML = (200, {"Content-Type": "text/html"}, b"<html><body><h1>Welcome</h1><p>Please sign in.</p></body></html>")
NOT_RESULTS = [
    pytest.param(HTML, "text/html, not SPARQL results: Welcome Please sign in.", id="html"),
    pytest.param(
        (200, {"Content-Type": "application/json"}, b'{"status": "ok"}'),
        'application/json, not SPARQL results: {"status": "ok"}',
        id="json-not-results",
    ),
    pytest.param(
        (200, {"Content-Type": "application/sparql-results+json"}, b'{"head": {"vars": ["s"]}, "results": {}}'),
        'application/sparql-results+json, not SPARQL results: {"head": {"vars": ["s"]}, "results": {}}',
        id="results-without-bindings",
    ),
    pytest.param(
        (200, {"Content-Type": "application/sparql-results+json"}, b""),
        "application/sparql-results+json, not SPARQL results: (no message)",
        id="empty",
    ),
]
HINT = "; is --endpoint (or --flavor, --query-path) right?\n"


@pytest.mark.parametrize(("answer", "said"), NOT_RESULTS)
@pytest.mark.parametrize("sparql", ["SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", "ASK { GRAPH ?g { ?s ?p ?o } }"])
def test_a_query_answered_with_no_results_is_one_line(
    answer: tuple[int, dict[str, str], bytes], said: str, sparql: str, runner: CliRunner
) -> None:
    scripted = ScriptedServer(lambda handler, n: answer)
    try:
        result = runner.invoke(app, ["query", sparql, "--endpoint", scripted.url])
    finally:
        scripted.close()
    assert (result.exit_code, result.stdout) == (11, "")
    if sparql.startswith("ASK"):
        said = said.replace("not SPARQL results", "not SPARQL results (an ASK boolean)")
    assert result.stderr == f"kg: error: {scripted.url}/query: HTTP 200 with {said}{HINT}"


def test_a_construct_answered_with_html_is_one_line(runner: CliRunner) -> None:
    scripted = ScriptedServer(lambda handler, n: HTML)
    try:
        sparql = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
        result = runner.invoke(app, ["query", sparql, "--endpoint", scripted.url])
    finally:
        scripted.close()
    assert (result.exit_code, result.stdout) == (11, "")
    assert result.stderr == (
        f"kg: error: {scripted.url}/query: HTTP 200 with text/html, not an RDF graph (Turtle or N-Triples): "
        f"Welcome Please sign in.{HINT}"
    )


def test_a_load_answered_with_html_is_not_success(
    graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner
) -> None:
    scripted = ScriptedServer(lambda handler, n: HTML)
    try:
        stream = nquads(tmp_path / "three.nq", graphs)
        options = ["--endpoint", scripted.url, "--batch", "2"]
        default = runner.invoke(app, ["load", str(stream), *options])
        update = runner.invoke(app, ["load", str(stream), *options, "--method", "update"])
    finally:
        scripted.close()
    page = f"{scripted.url}/query: HTTP 200 with text/html, not SPARQL results: Welcome Please sign in.; "
    page += "is --endpoint (or --flavor, --query-path) right?"
    # the default asks first which graphs the store holds: the page is the answer, and nothing is sent
    assert (default.exit_code, default.stdout, default.stderr) == (
        11,
        f"loaded 0 articles (0 triples) into {scripted.url}; 3 not loaded\n",
        f"kg: error: 3 articles not loaded: {page}\n",
    )
    # an update goes first, and the check that it holds cannot be made
    assert (update.exit_code, update.stdout, update.stderr) == (
        11,
        f"loaded 0 articles (0 triples) into {scripted.url}; 3 perhaps loaded, perhaps not\n",
        "kg: error: 3 articles perhaps loaded, perhaps not: the store said yes, but cannot be asked whether: "
        f"{page}; load again to be sure\n",
    )


def test_a_yes_the_store_does_not_back_is_not_loaded(
    graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner
) -> None:
    nothing = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": []}}).encode()
    scripted = ScriptedServer(
        lambda handler, n: (
            (204, {}, b"")
            if handler.path == "/update"
            else (200, {"Content-Type": "application/sparql-results+json"}, nothing)
        )
    )
    try:
        stream = nquads(tmp_path / "one.nq", graphs[:1])
        result = runner.invoke(app, ["load", str(stream), "--endpoint", scripted.url])
    finally:
        scripted.close()
    assert result.exit_code == 11
    assert result.stdout == f"loaded 0 articles (0 triples) into {scripted.url}; 1 not loaded\n"
    assert result.stderr == (
        f"kg: error: {stream}: {graphs[0].name} not loaded: {scripted.url}: the store said yes, "
        "but does not hold the graph; is --endpoint right?\n"
    )


# --- issue 17 item 9: --timeout bounds the whole answer, not each read --------------------------------


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "headers"])
@pytest.mark.parametrize("command", ["load", "load --method update", "query"])
def test_a_dripping_server_is_given_up_at_the_timeout(
    in_headers: bool, command: str, graphs: list[ArticleGraph], tmp_path: Path
) -> None:
    """A byte every 0.5 s never lets a read wait 2 s, so requests alone would wait 100 s or more."""
    dripping = DrippingServer(0.5, in_headers=in_headers)
    try:
        if command.startswith("load"):
            stream = nquads(tmp_path / "one.nq", graphs[:1])
            args = ["load", str(stream), *command.split()[1:]]
        else:
            args = ["query", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"]
        kg = [sys.executable, "-m", "kg", *args, "--endpoint", dripping.url, "--timeout", "2", "--retries", "0"]
        done = subprocess.run(kg, capture_output=True, text=True, timeout=60)  # a guard, not a measurement
    finally:
        dripping.close()
    assert (done.returncode, done.stdout.count("\n")) == (11, 0 if command == "query" else 1), done.stderr
    path = "update" if command.endswith("update") else "query"
    said = f"{dripping.url}/{path}: no answer within 2 s after 1 tries; is the store overloaded? raise --timeout"
    if command == "load":  # the default asked which graphs the store holds, and sent nothing to write
        said = f"{stream}: {graphs[0].name} not loaded: {said}"
    elif command.startswith("load"):
        said = f"{stream}: {graphs[0].name} perhaps loaded, perhaps not: {said}; load again to be sure"
    assert done.stderr == f"kg: error: {said}\n"


# --- issue 17 item 10: after a crash, what kg says is loaded is what the store holds --------------------


def copies(graphs: list[ArticleGraph], count: int) -> list[ArticleGraph]:
    """``count`` distinct article graphs (renamed copies): the store tells them apart by name."""
    return [ArticleGraph(f"{graphs[i % len(graphs)].name}-{i}", graphs[i % len(graphs)].triples) for i in range(count)]


def statuses(failures: Path) -> dict[str, str]:
    records = [json.loads(line) for line in failures.read_text(encoding="utf-8").splitlines()]
    return {r["graph"]: r["status"] for r in records}


@pytest.mark.parametrize(
    ("method", "first", "write"),
    [
        pytest.param([], "/query", "/store", id="default"),
        pytest.param(["--method", "update"], "/update", "/update", id="update"),
    ],
)
def test_a_store_that_dies_after_applying_is_not_said_to_have_refused(
    method: list[str],
    first: str,
    write: str,
    graphs: list[ArticleGraph],
    tmp_path: Path,
    server: OxigraphServer,
    runner: CliRunner,
) -> None:
    many = copies(graphs, 8)
    stream = nquads(tmp_path / "eight.nq", many)
    proxy = DyingProxy(server.url, dies_at=3)  # the third batch is applied, then the connection drops
    failures = tmp_path / "failures.jsonl"
    try:
        options = ["--no-validate", "--batch", "2", "--retries", "0", "--failures", str(failures), *method]
        result = runner.invoke(app, ["load", str(stream), "--endpoint", proxy.url, *options])
    finally:
        proxy.close()
    assert result.exit_code == 11
    held = server.triples_per_graph()
    assert set(held) == {g.name for g in many[:6]}  # the store applied three batches
    said = statuses(failures)
    assert said == {g.name: "unknown" for g in many[4:6]} | {g.name: "not loaded" for g in many[6:]}
    assert result.stdout == (
        f"loaded 4 articles ({sum(len(g) for g in many[:4]):,} triples) into {proxy.url}; "
        "2 not loaded; 2 perhaps loaded, perhaps not\n"
    )
    assert result.stderr == (
        f"kg: error: 2 articles not loaded: {proxy.url}{first}: cannot connect after 1 tries; "
        "is the store running and the URL right?\n"
        f"kg: error: 2 articles perhaps loaded, perhaps not: {proxy.url}{write}: the connection dropped "
        "before an answer came, after 1 tries; is the store running?; load again to be sure\n"
    )


def test_after_a_kill_what_kg_says_matches_the_store(
    graphs: list[ArticleGraph], tmp_path: Path, server: OxigraphServer
) -> None:
    many = copies(graphs, 300)
    stream = nquads(tmp_path / "many.nq", many)
    failures = tmp_path / "failures.jsonl"
    kg = [sys.executable, "-m", "kg", "load", str(stream), "--no-validate", "--endpoint", server.url]
    kg += ["--batch", "1", "--retries", "0", "--failures", str(failures)]
    loading = subprocess.Popen(kg, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(server.triples_per_graph()) < 5:
        time.sleep(0.005)
    server.kill()
    _, err = loading.communicate(timeout=120)
    assert loading.returncode == 11, err
    server.start()
    held = set(server.triples_per_graph())
    said = statuses(failures)
    loaded = {g.name for g in many} - set(said)
    assert loaded <= held  # every graph kg calls loaded is there
    assert not {name for name, status in said.items() if status == "not loaded"} & held  # none it says not is
    assert "Traceback" not in err


# --- issue 13 item 12: kg query reads queries with a SPARQL parser ---------------------------------------

LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT * WHERE { GRAPH ?g { ?entity rdfs:label ?label } } ORDER BY ?label LIMIT 1"
)


@pytest.fixture(scope="module")
def loaded(graphs: list[ArticleGraph], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store holding the three articles."""
    folder = tmp_path_factory.mktemp("queried")
    store = folder / "store"
    result = CliRunner().invoke(app, ["load", str(nquads(folder / "three.nq", graphs)), "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    return store


@pytest.mark.parametrize("where", ["embedded", "server"])
def test_a_one_line_query_with_a_hash_in_an_iri_runs_with_its_columns_in_order(
    where: str, loaded: Path, graphs: list[ArticleGraph], server: OxigraphServer, runner: CliRunner
) -> None:
    if where == "server":
        stream = nquads(loaded.parent / "s.nq", graphs)
        assert runner.invoke(app, ["load", str(stream), "--endpoint", server.url]).exit_code == 0
    target = ["--store", str(loaded)] if where == "embedded" else ["--endpoint", server.url]
    result = runner.invoke(app, ["query", LABELS, *target, "--format", "csv"])
    assert (result.exit_code, result.stderr) == (0, "")
    header, row = result.stdout.splitlines()
    assert header == "g,entity,label"  # the query's order: the stores give g,entity,label sorted otherwise
    assert row.split(",")[0] in {g.name for g in graphs}


@pytest.mark.parametrize(
    ("sparql", "note"),
    [
        (
            "DESCRIBE <https://w3id.org/kg-news/id/article/none>",
            "DESCRIBE reads the default graph, and kg puts each article in its own named graph: "
            "try CONSTRUCT { ?x ?p ?o } WHERE { GRAPH ?g { ?x ?p ?o } }",
        ),
        (
            "SELECT ?s WHERE { ?s ?p ?o }",
            "kg puts each article in its own named graph (the default graph is empty): use GRAPH ?g { … }",
        ),
        (
            "ASK { ?s a <https://schema.org/NewsArticle> }",
            "kg puts each article in its own named graph (the default graph is empty): use GRAPH ?g { … }",
        ),
    ],
    ids=["describe", "select-default-graph", "ask-default-graph"],
)
def test_a_query_of_the_empty_default_graph_says_where_the_data_is(
    sparql: str, note: str, loaded: Path, runner: CliRunner
) -> None:
    result = runner.invoke(app, ["query", sparql, "--store", str(loaded)])
    assert result.exit_code == 0
    assert result.stderr == f"kg: note: nothing found; {note}\n"


def test_a_named_graph_query_that_finds_nothing_has_no_note(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["query", "SELECT ?s WHERE { GRAPH ?g { ?s a <urn:none> } }", "--store", str(loaded)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "s\n-\n(0 rows)\n", "")


@pytest.mark.parametrize(
    ("sparql", "message"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "that is a SPARQL Update, not a query: kg query only reads"),
        ("# SELECT in a comment\nDELETE WHERE { ?s ?p ?o }", "that is a SPARQL Update, not a query: kg query only"),
        ("SELECT ?s WHERE { ?s ?p }", "the query does not parse at line 1, column "),
        ('SELECT ?s WHERE { ?s ?p "#" . ', "the query does not parse at line 1, column "),
    ],
)
def test_what_is_not_a_query_is_a_usage_error(sparql: str, message: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["query", sparql, "--endpoint", f"http://127.0.0.1:{free_port()}"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"kg: error: {message}") and result.stderr.count("\n") == 1


# --- issue 13 item 14: store paths beyond two flavors ----------------------------------------------------


def a_store_that_holds(graphs: list[ArticleGraph]) -> ScriptedServer:
    """Takes any update; answers every query as a store holding ``graphs`` would the load's check."""
    held = {"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": g.name}} for g in graphs]}}

    def answer(handler: BaseHTTPRequestHandler, number: int) -> tuple[int, dict[str, str], bytes]:
        if "sparql-results" in (handler.headers.get("Accept") or ""):
            return 200, {"Content-Type": "application/sparql-results+json"}, json.dumps(held).encode()
        return 204, {}, b""

    return ScriptedServer(answer)


@pytest.mark.parametrize(
    ("flavor", "base", "update", "query", "form"),
    [
        ("graphdb", "/repositories/news", "/repositories/news/statements", "/repositories/news", False),
        ("rdf4j", "/rdf4j-server/repositories/news", "/rdf4j-server/repositories/news/statements", "", False),
        ("virtuoso", "", "/sparql", "/sparql", True),
        ("blazegraph", "/blazegraph/namespace/kb", "/blazegraph/namespace/kb/sparql", None, True),
        ("fuseki", "/news", "/news/update", "/news/query", False),
    ],
)
def test_each_flavor_sends_to_its_paths(
    flavor: str,
    base: str,
    update: str,
    query: str | None,
    form: bool,
    graphs: list[ArticleGraph],
    tmp_path: Path,
    runner: CliRunner,
) -> None:
    scripted = a_store_that_holds(graphs[:1])
    try:
        stream = nquads(tmp_path / "one.nq", graphs[:1])
        result = runner.invoke(app, ["load", str(stream), "--endpoint", scripted.url + base, "--flavor", flavor])
    finally:
        scripted.close()
    assert (result.exit_code, result.stderr) == (0, "")
    query = base if query == "" else query or update  # "": the repository URL itself; None: as the update
    assert [(method, path) for method, path, _ in scripted.requests] == [("POST", update), ("POST", query)]
    kinds = [headers["Content-Type"].split(";")[0] for _, _, headers in scripted.requests]
    if form:
        assert kinds == ["application/x-www-form-urlencoded"] * 2
    else:
        assert kinds == ["application/sparql-update", "application/sparql-query"]


def test_paths_given_override_the_flavor(graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner) -> None:
    scripted = a_store_that_holds(graphs[:1])
    try:
        stream = nquads(tmp_path / "one.nq", graphs[:1])
        paths = ["--query-path", "ro/sparql", "--update-path", "rw/sparql", "--gsp-path", "rw/graphs"]
        url = scripted.url + "/db?key=k"
        update = runner.invoke(app, ["load", str(stream), "--endpoint", url, "--flavor", "graphdb", *paths])
        put = runner.invoke(app, ["load", str(stream), "--endpoint", url, "--method", "gsp", *paths])
        ask = runner.invoke(app, ["query", "ASK { GRAPH ?g { ?s ?p ?o } }", "--endpoint", url, "--query-path", ""])
    finally:
        scripted.close()
    assert [r.exit_code for r in (update, put)] == [0, 0], update.stderr + put.stderr
    assert (ask.exit_code, ask.stdout) == (11, "")  # a 204 is no SPARQL answer; the path is what is tested
    graph = quote(graphs[0].name, safe="")
    assert [(method, path) for method, path, _ in scripted.requests] == [
        ("POST", "/db/rw/sparql?key=k"),
        ("POST", "/db/ro/sparql?key=k"),
        ("PUT", f"/db/rw/graphs?key=k&graph={graph}"),
        ("POST", "/db/ro/sparql?key=k"),
        ("POST", "/db?key=k"),
    ]


def test_a_flavor_without_a_graph_store_says_so(graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner) -> None:
    stream = nquads(tmp_path / "one.nq", graphs[:1])
    url = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(app, ["load", str(stream), "--endpoint", url, "--flavor", "blazegraph", "--method", "gsp"])
    assert (result.exit_code, result.stderr) == (
        2,
        "kg: error: blazegraph has no Graph Store endpoint: use --method update or --gsp-path\n",
    )
    paths_alone = runner.invoke(app, ["query", "ASK {}", "--query-path", "sparql", "--store", str(tmp_path)])
    assert (paths_alone.exit_code, paths_alone.stderr) == (
        2,
        "kg: error: --query-path, --update-path and --gsp-path are paths under --endpoint: give --endpoint\n",
    )


# --- issue 17 item 17: a graph read back from Oxigraph still passes kg's shapes -------------------------


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
@pytest.mark.parametrize("where", ["embedded", "server"])
def test_a_graph_read_back_from_the_store_passes_the_shapes(
    where: str, engine: str, loaded: Path, graphs: list[ArticleGraph], server: OxigraphServer, tmp_path: Path
) -> None:
    """Oxigraph gives xsd:nonNegativeInteger offsets back as xsd:integer; the shapes take both."""
    runner = CliRunner()
    if where == "server":
        stream = nquads(tmp_path / "s.nq", graphs[:1])
        assert runner.invoke(app, ["load", str(stream), "--endpoint", server.url]).exit_code == 0
    target = ["--store", str(loaded)] if where == "embedded" else ["--endpoint", server.url]
    sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graphs[0].name}> {{ ?s ?p ?o }} }}"
    back = runner.invoke(app, ["query", sparql, *target])
    assert back.exit_code == 0, back.stderr
    assert re.search(r"#beginIndex> \d+ ;", back.stdout)  # read back as xsd:integer, not as it was written
    path = tmp_path / "back.ttl"
    path.write_text(back.stdout, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--engine", engine])
    assert (result.exit_code, result.stdout) == (0, f"{path}: conforms\n")


@pytest.mark.parametrize(
    ("kind", "conforms"),
    [("nonNegativeInteger", True), ("integer", True), ("negative", False), ("string", False), ("decimal", False)],
)
def test_offsets_are_whole_numbers_of_zero_or_more_in_either_type(
    kind: str, conforms: bool, graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner
) -> None:
    graph = graphs[0]
    phrase = a_phrase(graph)
    begin = next(o for s, p, o in graph.triples if (s, p) == (phrase, BEGIN_INDEX))
    number = begin.split('"')[1]
    xsd = "http://www.w3.org/2001/XMLSchema#"
    term = {
        "nonNegativeInteger": begin,
        "integer": f'"{number}"^^<{xsd}integer>',
        "negative": f'"-1"^^<{xsd}integer>',
        "string": f'"{number}"',
        "decimal": f'"{number}.0"^^<{xsd}decimal>',
    }[kind]
    changed = ArticleGraph.of(
        graph.name, [(s, p, term if (s, p) == (phrase, BEGIN_INDEX) else o) for s, p, o in graph.triples]
    )
    path = tmp_path / "offset.nt"
    path.write_bytes(changed.ntriples())
    for engine in ("fast", "pyshacl"):
        result = runner.invoke(app, ["validate", str(path), "--engine", engine])
        assert result.exit_code == (0 if conforms else 1), (engine, result.stdout)
        if not conforms:
            assert "shape: kgsh:Phrase-beginIndex" in result.stdout


# --- issue 16 (kg load --store): new graphs go in by one N-Quads load; still whole, still replaced ----------


def test_the_embedded_store_replaces_whole_graphs_new_or_old(
    graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner
) -> None:
    first = graphs[0]
    smaller = without(first, a_phrase(first), BEGIN_INDEX)  # the same article, one triple less
    store = tmp_path / "store"
    twice = [nquads(tmp_path / "a.nq", [first]), nquads(tmp_path / "b.nq", [smaller])]
    for files in (twice, twice[:1]):  # new, both in one batch (the later stays); then already there
        result = runner.invoke(app, ["load", *map(str, files), "--store", str(store), "--no-validate"])
        assert result.exit_code == 0, result.stderr
        sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{first.name}> {{ ?s ?p ?o }} }}"
        count = runner.invoke(app, ["query", sparql, "--store", str(store), "--format", "csv"])
        assert count.stdout == f"n\n{len(smaller) if len(files) == 2 else len(first)}\n"


def _file_size_limit(limit: int) -> Callable[[], None]:
    """A process whose files cannot grow past ``limit`` bytes: a full disk, as far as its writes can tell."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), not the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_under_the_waiting_graphs_stops_the_load_and_says_where(
    graphs: list[ArticleGraph], tmp_path: Path
) -> None:
    stream = nquads(tmp_path / "in.nq", copies(graphs, 3))
    spill_dir = tmp_path / "tmp"
    spill_dir.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "kg", "load", str(stream), "--store", str(tmp_path / "store")],
        preexec_fn=_file_size_limit(100),
        env={**os.environ, "TMPDIR": str(spill_dir)},
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (10, "")
    assert result.stderr == (
        f"kg: error: cannot write the temporary file where graphs wait to be loaded in {spill_dir} "
        "(File too large); nothing was loaded: free some space there, or set TMPDIR\n"
    )
    assert not (tmp_path / "store").exists()
    assert list(spill_dir.iterdir()) == []


def test_a_store_that_cannot_write_its_files_fails_the_batch_and_holds_nothing_of_it(tmp_path: Path) -> None:
    probe = (
        "import sys; from pathlib import Path; from kg.rdf.graph import ArticleGraph; "
        "from kg.store import EmbeddedStore, load; "
        "graphs = [ArticleGraph(f'http://e.org/g{i}', tuple((f'<http://e.org/s{j}>', '<http://e.org/p>', "
        "f'\"{i} {j}\"') for j in range(2000))) for i in range(20)]; "
        "store = EmbeddedStore(Path(sys.argv[1])); report = load(store, graphs); store.close(); "
        "print(len(report.loaded)); print(*sorted({reason for _, reason in report.failed}), sep='\\n')"
    )
    store = tmp_path / "store"
    result = subprocess.run(
        [sys.executable, "-c", probe, str(store)], preexec_fn=_file_size_limit(300_000), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    loaded, reason = result.stdout.splitlines()
    assert loaded == "0"
    assert re.fullmatch(
        rf"the store in {re.escape(str(store))} could not write the batch \(IO error: .*File too large\)", reason
    )
    assert len(ox.Store.read_only(str(store))) == 0
