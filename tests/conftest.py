"""Shared fixtures and helpers: the seed article and its graph (with ways to break it), a CLI runner, and
small knowledge bases written in Wikidata's JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from servers import OxigraphServer
from typer.testing import CliRunner

from kg.rdf.namespaces import NIF

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SEED = ROOT / "examples" / "000_3d31550ceac5e1d3.txt"


# Where the user's own run caches (their KG_CACHE_DIR, else XDG_CACHE_HOME/kg), as the session found it.
USER_CACHE = {name: os.environ.get(name) for name in ("KG_CACHE_DIR", "XDG_CACHE_HOME")}


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Built KBs go to the session's own cache, whatever the user's KG_CACHE_DIR says, so ``make test`` never
    writes ``kb-*.sqlite`` there (nor depends on what is there). Set in ``os.environ``: subprocesses inherit it."""
    cache = tmp_path_factory.mktemp("kg-cache")
    saved = dict(USER_CACHE)
    os.environ["KG_CACHE_DIR"] = str(cache)
    os.environ["XDG_CACHE_HOME"] = str(cache / "xdg")
    yield cache
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A real Oxigraph server on loopback, on disk in the test's folder, killed afterwards."""
    running = OxigraphServer(tmp_path / "oxigraph").start()
    yield running
    running.kill()


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    """The seed article's graph as rdflib holds it; tests copy it before they break it."""
    from kg.article import read_article
    from kg.extract import extract

    return extract(read_article(SEED)).graph.to_rdflib()


# --- ways to break the seed graph, each the way one SHACL shape catches (test_validate, test_shacl_engine) ---


def a_phrase(graph: Graph, anchor: str) -> URIRef:
    phrase = next(p for p in graph.subjects(NIF.anchorOf, Literal(anchor)))
    assert isinstance(phrase, URIRef)
    return phrase


def drop_offsets(g: Graph) -> None:
    phrase = a_phrase(g, "TASS")
    g.remove((phrase, NIF.beginIndex, None))


def swap_offsets(g: Graph) -> None:
    phrase = a_phrase(g, "Kyiv")
    begin, end = g.value(phrase, NIF.beginIndex), g.value(phrase, NIF.endIndex)
    assert begin is not None and end is not None
    g.set((phrase, NIF.beginIndex, end))
    g.set((phrase, NIF.endIndex, begin))


def wrong_anchor(g: Graph) -> None:
    g.set((a_phrase(g, "Kyiv"), NIF.anchorOf, Literal("Kiev")))


def string_offset(g: Graph) -> None:
    g.set((a_phrase(g, "Kyiv"), NIF.endIndex, Literal("end")))


def wikidata_record(
    qid: str,
    label: str,
    *,
    p31: str | None = None,
    aliases: tuple[str, ...] = (),
    description: str = "",
    sitelinks: int = 0,
    lang: str = "en",
) -> dict:
    """An entity as ``wbgetentities`` returns it (only the fields kg reads)."""
    record: dict = {
        "type": "item",
        "id": qid,
        "labels": {lang: {"language": lang, "value": label}},
        "descriptions": {"en": {"language": "en", "value": description}} if description else {},
        "aliases": {lang: [{"language": lang, "value": alias} for alias in aliases]} if aliases else {},
        "claims": {},
        "sitelinks": {f"site{i}wiki": {"site": f"site{i}wiki", "title": label} for i in range(sitelinks)},
    }
    if p31:
        record["claims"]["P31"] = [
            {
                "mainsnak": {
                    "snaktype": "value",
                    "property": "P31",
                    "datatype": "wikibase-item",
                    "datavalue": {
                        "value": {"entity-type": "item", "numeric-id": int(p31[1:]), "id": p31},
                        "type": "wikibase-entityid",
                    },
                },
                "type": "statement",
                "rank": "normal",
            }
        ]
    return record


def write_kb(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
