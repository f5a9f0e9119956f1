"""The knowledge base: where names become Wikidata IDs.

``open_kb()`` gives the bundled KB (shipped in the package, loaded into SQLite at first
use and cached); ``open_kb(path)`` opens a KB file, or imports a JSONL of Wikidata entity
records into the cache first.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from kg.errors import KnowledgeBaseError
from kg.kb.dump import open_entity_file
from kg.kb.entity import KBEntity, entity_from_wikidata
from kg.kb.store import NAMES_VERSION, SCHEMA_VERSION, Candidate, EntityName, GazetteerName, KnowledgeBase
from kg.resources import cache_dir, resource_dir

__all__ = [
    "Candidate",
    "EntityName",
    "GazetteerName",
    "KBEntity",
    "KnowledgeBase",
    "open_kb",
    "read_entity_records",
]

BUNDLED = "kb.jsonl.gz"
KB_SUFFIXES = frozenset({".sqlite", ".db"})  # a KB file opened as it is; anything else is entity JSONL


@lru_cache(maxsize=8)
def open_kb(path: Path | None = None) -> KnowledgeBase:
    """Open a KB once per process; ``.sqlite``/``.db`` files directly, entity JSONL via the cache."""
    if path is not None and path.suffix in KB_SUFFIXES:
        return KnowledgeBase(path)
    source = path or resource_dir("data") / BUNDLED
    if not source.is_file():
        raise KnowledgeBaseError(f"knowledge base not found: {source} (omit --kb to use the bundled one)")
    # the file and the code that derives names from it: either changing makes a new KB
    digest = hashlib.sha256(source.read_bytes() + f"{SCHEMA_VERSION}.{NAMES_VERSION}".encode()).hexdigest()[:16]
    target = cache_dir() / f"kb-{digest}.sqlite"
    if target.is_file():
        return KnowledgeBase(target)
    try:
        return KnowledgeBase.build(target, read_entity_records(source), source=source.name)
    except OSError:  # read-only home, say: a private temporary copy still works
        target = Path(tempfile.mkdtemp(prefix="kg-kb-")) / target.name
        return KnowledgeBase.build(target, read_entity_records(source), source=source.name)


def read_entity_records(path: Path) -> Iterator[KBEntity]:
    """Entities from a file of Wikidata entity JSON, one record per line (plain, gzip or bz2).

    Lines of a dump's enclosing JSON array (``[``, ``]``, trailing commas) are accepted too.
    """
    with open_entity_file(path) as lines:
        for number, line in enumerate(lines, 1):
            line = line.strip().rstrip(",")
            if line in {"", "[", "]"}:
                continue
            try:
                yield entity_from_wikidata(json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise KnowledgeBaseError(f"{path}:{number}: not a Wikidata entity record ({exc})") from exc
