"""Shared fixtures: the seed article, a CLI runner, and small knowledge bases written in Wikidata's JSON."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

# Built KBs go to a private cache, so tests never touch (or depend on) the user's ~/.cache.
os.environ.setdefault("KG_CACHE_DIR", tempfile.mkdtemp(prefix="kg-test-cache-"))

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SEED = ROOT / "examples" / "000_3d31550ceac5e1d3.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


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
