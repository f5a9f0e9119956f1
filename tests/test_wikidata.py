"""The Wikidata client against a loopback server that answers in Wikidata's documented formats,
and knowledge bases built from dumps. IDs are fake (Q9999990…) or from ../shared/wikidata."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TypedDict, Unpack
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import wikidata_record
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from servers import ScriptedServer, free_port
from typer.testing import CliRunner

from kg.cli import app
from kg.kb import KnowledgeBase
from kg.kb.dump import import_dump, may_be_kept, parse_record
from kg.kb.entity import TYPE_BY_CLASS, record_type
from kg.rdf.namespaces import ITSRDF, NIF, SCHEMA
from kg.records import EntityType
from kg.wikidata import WikidataClient, WikidataError, fetch_entities

BUDI = wikidata_record(
    "Q999999001",
    "Budi Fiktif",
    p31="Q5",
    description="fictional Indonesian minister",
    sitelinks=12,
    aliases=("Pak Budi",),
)
KOTA = wikidata_record("Q999999002", "Kota Fiktif", p31="Q999999099", description="fictional town")  # class unknown
THING = wikidata_record("Q999999003", "Benda Fiktif", p31="Q999999098")  # neither person, org nor place


def search_answer(term: str, hits: list[dict]) -> dict:
    return {
        "searchinfo": {"search": term},
        "search": [
            {
                "id": h["id"],
                "title": h["id"],
                "pageid": 1,
                "concepturi": f"http://www.wikidata.org/entity/{h['id']}",
                "repository": "wikidata",
                "url": f"//www.wikidata.org/wiki/{h['id']}",
                "display": {},
                "label": h["labels"]["en"]["value"],
                "match": {"type": "label", "language": "en", "text": h["labels"]["en"]["value"]},
            }
            for h in hits
        ],
        "search-continue": 7,
        "success": 1,
    }


class FakeWikidata:
    """Routes wbsearchentities, wbgetentities and SPARQL; ``script`` injects failures by request number."""

    def __init__(self, script: dict[int, tuple[int, dict, bytes]] | None = None) -> None:
        self.script = script or {}
        self.records = {r["id"]: r for r in (BUDI, KOTA, THING)}
        self.server = ScriptedServer(self.answer)
        self.closed = False
        self.api = f"{self.server.url}/w/api.php"
        self.sparql = f"{self.server.url}/sparql"

    def answer(self, handler: BaseHTTPRequestHandler, number: int) -> tuple[int, dict, bytes]:
        if number in self.script:
            return self.script[number]
        url = urlsplit(handler.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/sparql":
            rows = [
                {
                    "item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q999999002"},
                    "class": {"type": "uri", "value": "http://www.wikidata.org/entity/Q515"},
                }
            ]
            return (
                200,
                {"Content-Type": "application/sparql-results+json"},
                json.dumps({"head": {"vars": ["item", "class"]}, "results": {"bindings": rows}}).encode(),
            )
        if params.get("action") == "wbsearchentities":
            hits = [r for r in self.records.values() if params["search"].lower() in r["labels"]["en"]["value"].lower()]
            return 200, {"Content-Type": "application/json"}, json.dumps(search_answer(params["search"], hits)).encode()
        if params.get("action") == "wbgetentities":
            entities = {q: self.records.get(q, {"id": q, "missing": ""}) for q in params["ids"].split("|")}
            return 200, {"Content-Type": "application/json"}, json.dumps({"entities": entities, "success": 1}).encode()
        return 400, {}, b'{"error": {"code": "badvalue", "info": "unknown action"}}'

    def close(self) -> None:
        if not self.closed:
            self.server.close()
            self.closed = True


@pytest.fixture()
def wikidata() -> Iterator[FakeWikidata]:
    fake = FakeWikidata()
    yield fake
    fake.close()


class ClientOptions(TypedDict, total=False):
    retries: int


def client_for(fake: FakeWikidata, **options: Unpack[ClientOptions]) -> WikidataClient:
    return WikidataClient(
        api_url=fake.api, sparql_url=fake.sparql, contact="kg-tests@example.org", backoff=0.01, **options
    )


def test_search_fetch_and_type_check(wikidata: FakeWikidata) -> None:
    client = client_for(wikidata)
    assert client.search("Budi Fiktif", "id") == ["Q999999001"]
    entities = {e.qid: e for e in fetch_entities(client, ["Q999999001", "Q999999002", "Q999999003", "Q999999004"])}
    assert set(entities) == {"Q999999001", "Q999999002"}  # Q999999003 is a thing, Q999999004 missing
    assert entities["Q999999001"].type is EntityType.PER
    assert entities["Q999999002"].type is EntityType.LOC  # decided by the SPARQL subclass check
    method, path, headers = wikidata.server.requests[0]
    params = parse_qs(urlsplit(path).query)
    assert (method, params["action"], params["maxlag"], params["format"]) == (
        "GET",
        ["wbsearchentities"],
        ["5"],
        ["json"],
    )
    assert headers["User-Agent"].startswith("kg/0.1.0 (knowledge graphs from news; kg-tests@example.org)")


def test_ids_go_fifty_at_a_time(wikidata: FakeWikidata) -> None:
    client_for(wikidata).entities([f"Q9999990{n:03d}" for n in range(120)])
    batches = [parse_qs(urlsplit(path).query)["ids"][0].split("|") for _, path, _ in wikidata.server.requests]
    assert sorted(len(b) for b in batches) == [20, 50, 50]


@pytest.mark.parametrize(
    "failure",
    [
        (
            200,
            {"Retry-After": "0", "Content-Type": "application/json"},
            b'{"error": {"code": "maxlag", "info": "Waiting for db1: 7 seconds lagged", "host": "db1", "lag": 7}}',
        ),
        (429, {"Retry-After": "0"}, b"Too many requests"),
        (500, {}, b"Internal error"),
        (200, {"Content-Type": "application/json"}, b'{"search": [ this is not json'),
    ],
)
def test_transient_failures_are_retried(failure: tuple) -> None:
    fake = FakeWikidata({1: failure})
    try:
        assert client_for(fake).search("Budi Fiktif") == ["Q999999001"]
        assert len(fake.server.requests) == 2
    finally:
        fake.close()


def test_persistent_failures_and_timeouts_end_in_one_clear_error() -> None:
    fake = FakeWikidata({n: (503, {"Retry-After": "0"}, b"busy") for n in range(1, 10)})
    try:
        with pytest.raises(WikidataError, match=r"/w/api.php: HTTP 503 after 3 tries"):
            client_for(fake, retries=2).search("x")
    finally:
        fake.close()

    def slowly(handler: BaseHTTPRequestHandler, number: int) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1)
        return 200, {}, b"{}"

    slow = ScriptedServer(slowly)
    try:
        client = WikidataClient(api_url=f"{slow.url}/w/api.php", timeout=0.2, retries=1, backoff=0.01)
        with pytest.raises(WikidataError, match=r"unreachable after 2 tries \(ReadTimeout\)"):
            client.search("x")
    finally:
        slow.close()


@pytest.fixture()
def small_kb(tmp_path: Path, runner: CliRunner) -> Path:
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps(wikidata_record("Q999999010", "Sari Lestari", p31="Q5")) + "\n", encoding="utf-8")
    kb = tmp_path / "kb.sqlite"
    assert runner.invoke(app, ["kb", "import", str(records), "-o", str(kb)]).exit_code == 0
    return kb


@pytest.mark.slow
def test_extract_online_links_and_remembers(
    wikidata: FakeWikidata, small_kb: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_WIKIDATA_API", wikidata.api)
    monkeypatch.setenv("KG_WIKIDATA_SPARQL", wikidata.sparql)
    article = tmp_path / "budi.txt"
    article.write_text("Menteri Budi Fiktif tiba di Jakarta pada Senin pagi.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--kb", str(small_kb), "--online", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    budi = URIRef("http://www.wikidata.org/entity/Q999999001")
    graph = Graph().parse(tmp_path / "budi.ttl")
    assert (budi, RDF.type, SCHEMA.Person) in graph
    assert len(list(graph.subjects(ITSRDF.taIdentRef, budi))) == 1
    assert [c.qid for c in KnowledgeBase(small_kb).candidates("Budi Fiktif")] == ["Q999999001"]
    wikidata.close()  # the next run finds Budi in the KB, with Wikidata gone
    again = subprocess.run(
        [sys.executable, "-m", "kg", "extract", str(article), "--kb", str(small_kb), "-o", str(tmp_path / "again")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert (budi, RDF.type, SCHEMA.Person) in Graph().parse(tmp_path / "again" / "budi.ttl")


def test_unreachable_wikidata_is_said_once(
    small_kb: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_WIKIDATA_API", f"http://127.0.0.1:{free_port()}/w/api.php")
    monkeypatch.setenv("KG_WIKIDATA_RETRIES", "0")
    article = tmp_path / "dua.txt"
    article.write_text("Menteri Budi Fiktif bertemu Gubernur Andi Karya di Bandung.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--kb", str(small_kb), "--online", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stderr.count("Wikidata is unreachable") == 1
    assert "continuing offline with the local knowledge base" in result.stderr


def test_kb_add_and_show(
    wikidata: FakeWikidata, small_kb: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_WIKIDATA_API", wikidata.api)
    monkeypatch.setenv("KG_WIKIDATA_SPARQL", wikidata.sparql)
    added = runner.invoke(app, ["kb", "add", "Q999999001", "Q999999003", "--kb", str(small_kb)])
    assert added.exit_code == 1
    assert added.stdout == "added Q999999001\tPER\tBudi Fiktif\n"
    assert added.stderr == ("kg: error: not added (missing, or not a person, organization or place): Q999999003\n")
    shown = runner.invoke(app, ["kb", "show", "pak budi", "--kb", str(small_kb)])
    assert (shown.exit_code, shown.stdout) == (
        0,
        "Q999999001\tPER\tBudi Fiktif\tfictional Indonesian minister\tpopularity 0.45\n",
    )
    assert runner.invoke(app, ["kb", "show", "Q999999001", "--kb", str(small_kb)]).exit_code == 0
    missing = runner.invoke(app, ["kb", "show", "Nobody Here", "--kb", str(small_kb)])
    assert missing.exit_code == 1


def write_dump(path: Path, records: list[dict], extra_lines: Sequence[str] = ()) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("[\n")
        for record in records:
            handle.write(json.dumps(record) + ",\n")
        for line in extra_lines:
            handle.write(line + "\n")
        handle.write("]\n")


def test_kb_import_from_a_dump(tmp_path: Path, runner: CliRunner) -> None:
    dump = tmp_path / "latest-all.json.gz"
    org = wikidata_record("Q999999020", "Harian Fiktif", p31="Q999999097")
    prop = {"type": "property", "id": "P31", "labels": {"en": {"language": "en", "value": "instance of"}}}
    city = wikidata_record("Q999999021", "Kota Lain", p31="Q515")
    write_dump(dump, [BUDI, org, THING, prop, city], ['{this line of "Q5" is broken'])
    out = tmp_path / "dump.sqlite"
    result = runner.invoke(app, ["kb", "import", str(dump), "-o", str(out), "--class", "Q999999097:ORG"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{out}: 3 entities kept of 8 lines (")
    assert result.stdout.endswith("; 1 malformed lines skipped\n")
    kb = KnowledgeBase(out)
    assert kb.stats() == {"entities": 3, "names": 5, "type LOC": 1, "type ORG": 1, "type PER": 1}


def test_an_interrupted_import_leaves_nothing(tmp_path: Path, runner: CliRunner) -> None:
    dump = tmp_path / "cut.json.gz"
    write_dump(dump, [BUDI] * 200)
    data = dump.read_bytes()
    dump.write_bytes(data[: len(data) // 2])  # a download that stopped half way
    out = tmp_path / "never.sqlite"
    result = runner.invoke(app, ["kb", "import", str(dump), "-o", str(out)])
    assert result.exit_code == 9
    assert "the dump is truncated or corrupt, and no knowledge base was written" in result.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".never")] == []


def wiratma() -> dict:
    """A made-up minister with an English and an Indonesian label and Indonesian aliases."""
    record = wikidata_record(
        "Q9999990001", "Wiratma Sundoro", p31="Q5", description="fictional Indonesian minister", sitelinks=3
    )
    record["labels"]["id"] = {"language": "id", "value": "Wiratma Sundoro"}
    record["aliases"]["id"] = [{"language": "id", "value": "Pak Wiratma"}, {"language": "id", "value": "Wiratmâ"}]
    return record


@pytest.fixture()
def wikidata_env(wikidata: FakeWikidata, monkeypatch: pytest.MonkeyPatch) -> FakeWikidata:
    """The loopback Wikidata, knowing the made-up minister, as the one kg's client talks to."""
    wikidata.records["Q9999990001"] = wiratma()
    monkeypatch.setenv("KG_WIKIDATA_API", wikidata.api)
    monkeypatch.setenv("KG_WIKIDATA_SPARQL", wikidata.sparql)
    monkeypatch.setenv("KG_WIKIDATA_RETRIES", "0")
    return wikidata


def test_kb_add_creates_a_new_kb_that_extract_links_to(
    wikidata_env: FakeWikidata, tmp_path: Path, runner: CliRunner
) -> None:
    kb = tmp_path / "kbs" / "new.sqlite"
    added = runner.invoke(app, ["kb", "add", "Q9999990001", "--kb", str(kb)])
    assert added.exit_code == 0, added.stderr
    assert added.stdout == f"created {kb}\nadded Q9999990001\tPER\tWiratma Sundoro\n"
    assert KnowledgeBase(kb).stats() == {"entities": 1, "names": 4, "type PER": 1}
    article = tmp_path / "wiratma.txt"
    article.write_text(
        "JAKARTA - Menteri Wiratma Sundoro meninjau Pelabuhan Tanjung Priok pada Selasa pagi. "
        "Sundoro mengatakan bongkar muat harus lebih cepat.",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(article), "--kb", str(kb), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(out / "wiratma.ttl")
    minister = URIRef("http://www.wikidata.org/entity/Q9999990001")
    assert (minister, RDF.type, SCHEMA.Person) in graph
    linked = sorted(str(graph.value(m, NIF.anchorOf)) for m in graph.subjects(ITSRDF.taIdentRef, minister))
    assert linked == ["Sundoro", "Wiratma Sundoro"]


def test_kb_add_creates_nothing_when_nothing_is_added(
    wikidata_env: FakeWikidata, tmp_path: Path, runner: CliRunner
) -> None:
    kb = tmp_path / "new.sqlite"
    result = runner.invoke(app, ["kb", "add", "Q9999990009", "--kb", str(kb)])  # missing in Wikidata
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "kg: error: not added (missing, or not a person, organization or place): Q9999990009\n"
    assert not kb.exists()
    jsonl = tmp_path / "new.jsonl"
    asked = len(wikidata_env.server.requests)
    result = runner.invoke(app, ["kb", "add", "Q9999990001", "--kb", str(jsonl)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"kg: error: --kb {jsonl}: no such file; kg kb add creates a new KB only as a .sqlite (or .db) file\n"
    )
    assert len(wikidata_env.server.requests) == asked  # refused before Wikidata was asked
    wikidata_env.close()
    result = runner.invoke(app, ["kb", "add", "Q9999990001", "--kb", str(kb)])
    assert result.exit_code == 12
    assert not kb.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # not even a temporary file


def test_kb_show_lists_the_names_text_is_matched_on(tmp_path: Path, runner: CliRunner) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps(wiratma()) + "\n", encoding="utf-8")
    kb = tmp_path / "kb.sqlite"
    assert runner.invoke(app, ["kb", "import", str(records), "-o", str(kb)]).exit_code == 0
    shown = runner.invoke(app, ["kb", "show", "q9999990001", "--kb", str(kb)])
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == [
        "Q9999990001\tPER\tWiratma Sundoro\tfictional Indonesian minister\tpopularity 0.24",
        "  label\ten\tWiratma Sundoro\twiratma sundoro",
        "  alias\tid\tPak Wiratma\tpak wiratma",
        "  alias\tid\tWiratmâ\twiratma",
        "  surname\tmul\tSundoro\tsundoro",
    ]
    by_name = runner.invoke(app, ["kb", "show", "WIRATMA", "--kb", str(kb)])  # a name: the entity's line only
    assert by_name.stdout == "Q9999990001\tPER\tWiratma Sundoro\tfictional Indonesian minister\tpopularity 0.24\n"


def test_import_reads_what_the_standard_json_reads_and_the_last_record_of_an_id_wins(tmp_path: Path) -> None:
    """Lines orjson refuses (NaN, a number past a double, a lone surrogate, in fields kg does not
    read) are read as ``json`` reads them; a QID met again, here in a later batch of writes, keeps
    only its last record's names."""
    dump = tmp_path / "dump.json.gz"
    nan = json.dumps(wikidata_record("Q999999030", "Orang Satu", p31="Q5"))[:-1] + ', "score": NaN}'
    huge = json.dumps(wikidata_record("Q999999031", "Orang Dua", p31="Q5"))[:-1] + ', "score": 1e400}'
    surrogate = json.dumps(wikidata_record("Q999999032", "Kota Tiga", p31="Q515"))[:-1] + ', "note": "\\ud800"}'
    again = wikidata_record("Q999999033", "Nama Baru Sekali", p31="Q5")
    renamed = wikidata_record("Q999999035", "Nama Sama", p31="Q5", aliases=("Baru",))  # the label kept
    filler = [wikidata_record(f"Q9999990{n:05d}", f"Isi {n}", p31="Q999999098") for n in range(5_001)]
    first = [
        wikidata_record("Q999999033", "Nama Lama", p31="Q5", aliases=("Lama",)),
        wikidata_record("Q999999035", "Nama Sama", p31="Q5", aliases=("Lama", "Sama")),
    ]
    records = [*first, *filler, again, renamed]
    write_dump(dump, records, [nan, huge, surrogate, '{"id": "Q999999034", "claims": "Q5" broken'])
    counts = import_dump(dump, tmp_path / "kb.sqlite")
    assert (counts.kept, counts.malformed) == (7, 1)  # records kept: Q999999033 and Q999999035 twice
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    assert [c.qid for c in kb.candidates("orang satu")] == ["Q999999030"]
    assert [c.qid for c in kb.candidates("orang dua")] == ["Q999999031"]
    assert [c.qid for c in kb.candidates("kota tiga")] == ["Q999999032"]
    assert kb.names_of("Q999999033") == ["nama baru sekali", "sekali"]
    names = [(n.kind, n.name) for n in kb.names("Q999999035")]
    assert names == [("label", "Nama Sama"), ("alias", "Baru"), ("surname", "Sama")]
    assert kb.stats()["type PER"] == 4


def tricky_lines() -> dict[str, str]:
    """Dump lines by what makes them tricky for a search of the raw text, each a made-up record."""
    person = json.dumps(wikidata_record("Q9999990101", "Orang Biasa", p31="Q5"))
    qualified = wikidata_record("Q9999990107", "Benda Berkelas", p31="Q999999098")
    qualified["claims"]["P31"][0]["qualifiers"] = {"P642": [{"datavalue": {"value": {"id": "Q5"}}}]}
    declared = {"type": "item", "id": "Q9999990104", "labels": {}, "kg": {"type": "PER"}}
    return {
        "plain": person,
        "escaped class": person.replace("Q9999990101", "Q9999990102").replace('"id": "Q5"', '"id": "\\u0051\\u0035"'),
        "escaped digit": person.replace("Q9999990101", "Q9999990103").replace('"id": "Q5"', '"id": "Q\\u0035"'),
        "declared": json.dumps(declared),
        "escaped key": json.dumps(declared).replace("Q9999990104", "Q9999990105").replace('"kg"', '"\\u006Bg"'),
        "class in a label": json.dumps(wikidata_record("Q9999990106", "Q5", p31="Q999999098")),
        "class in a qualifier": json.dumps(qualified),
        "longer class": json.dumps(
            wikidata_record("Q9999990108", "Kota Baru", p31="Q9999990970")
        ),  # "Q999999097" and more
        "extra class": json.dumps(wikidata_record("Q9999990109", "Harian Fiktif", p31="Q999999097")),
        "escaped accent": json.dumps(wikidata_record("Q9999990110", "Kota Bañar", p31="Q999999098")),
        "no class": json.dumps(wikidata_record("Q9999990111", "Benda Fiktif", p31="Q999999098")),
    }


def test_only_lines_that_cannot_hold_a_kept_record_go_unparsed(tmp_path: Path) -> None:
    """The raw-text test passes every line whose record is kept, however JSON escapes its class or
    kg's key, and those whose text merely holds a class; a kept set the same as parsing every line."""
    classes = {**TYPE_BY_CLASS, "Q999999097": EntityType.ORG}
    lines = tricky_lines()
    may_keep = may_be_kept(classes)
    kept = {name for name, line in lines.items() if record_type(parse_record(line), classes) is not None}
    assert kept == {"plain", "escaped class", "escaped digit", "declared", "escaped key", "extra class"}
    passed = {name for name, line in lines.items() if may_keep(line)}
    assert passed == kept | {"class in a label", "class in a qualifier"}
    dump = tmp_path / "tricky.json.gz"
    write_dump(dump, [], [*lines.values(), "{broken, of no class"])  # as written: json.dumps would unescape
    counts = import_dump(dump, tmp_path / "kb.sqlite", {"Q999999097": EntityType.ORG})
    assert (counts.lines, counts.kept, counts.malformed) == (14, 6, 0)  # the broken line cannot hold a kept record
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    assert kb.stats() == {"entities": 6, "names": 7, "type ORG": 1, "type PER": 5}
