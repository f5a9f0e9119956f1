"""Knowledge bases from Wikidata JSON dumps: streamed, filtered to people, organizations and places.

A dump (``latest-all.json.gz`` or ``.bz2``) is a JSON array with one entity per line; a JSONL of
entity records reads the same way. Lines are parsed one at a time and written to SQLite as they
come, so memory stays flat however large the dump; the KB file appears only when the import
finished (it is built beside its target and renamed), so an interrupted import leaves nothing.
"""

from __future__ import annotations

import bz2
import gzip
import json
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from kg.errors import KnowledgeBaseError
from kg.kb.entity import TYPE_BY_CLASS, entity_fields, record_type
from kg.kb.store import EntityRows, KnowledgeBase, rows_of
from kg.records import EntityType


@dataclass(slots=True)
class ImportCounts:
    lines: int = 0
    kept: int = 0
    malformed: int = 0


def open_entity_file(path: Path) -> IO[str]:
    """A file of entity records as text lines, decompressed by its suffix (.gz, .bz2)."""
    if not path.is_file():
        raise KnowledgeBaseError(f"{path}: no such file of entity records")
    opener = gzip.open if path.suffix == ".gz" else bz2.open if path.suffix == ".bz2" else open
    return opener(path, "rt", encoding="utf-8")


def parse_record(line: str) -> Any:
    """One line of JSON: by orjson, twice the standard library's speed, which most of an import
    is; where orjson refuses what the standard library reads (NaN, 1e400, a lone surrogate),
    by the standard library, so that the same lines are kept and the same counted malformed.
    (An integer past 64 bits orjson reads as a float: no field a KB keeps is one.)"""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)


# A \u escape of a character from "0" to "o": the digits, "Q", "g" and "k" a kept record's tokens are made of.
_ESCAPED_TOKEN_CHARACTER = re.compile(r"\\u00[3-6][0-9a-fA-F]")


def may_be_kept(classes: Collection[str]) -> Callable[[str], bool]:
    """A test of a raw line, true of every line a record of ``classes`` (or one with kg's extension)
    may be on. Most of a full dump is of no kept class, and searching a line is a fraction of parsing
    it. Exact: a kept record holds the string "Q5" (or another class) or the key "kg", which JSON
    writes as is unless a character of it is \\u-escaped, and such a line is parsed too."""
    # one pattern: re factors out the classes' common '"Q' and scans for it alone, where a search
    # per class would read the line once each
    quoted_class = re.compile('"(?:' + "|".join(map(re.escape, classes)) + ')"')

    def test(line: str) -> bool:
        return (
            quoted_class.search(line) is not None
            or '"kg"' in line
            or ("\\u00" in line and _ESCAPED_TOKEN_CHARACTER.search(line) is not None)
        )

    return test


def entity_rows_in(
    lines: IO[str],
    classes: Mapping[str, EntityType],
    counts: ImportCounts,
    progress: Callable[[int], None] | None = None,
) -> Iterator[EntityRows]:
    """The KB rows of people, organizations and places, by their P31 classes; other items and broken
    lines skipped. A broken line is counted malformed if it may hold a kept record; one that cannot
    is not parsed."""
    may_keep = may_be_kept(classes.keys())
    for line in lines:
        counts.lines += 1
        if progress is not None and counts.lines % 10_000 == 0:
            progress(10_000)
        line = line.strip().rstrip(",")
        if line in {"", "[", "]"} or not may_keep(line):
            continue
        try:
            record = parse_record(line)
            if record.get("type", "item") != "item" or (kind := record_type(record, classes)) is None:
                continue
            rows = rows_of(entity_fields(record, kind))
        except (ValueError, KeyError, TypeError, AttributeError):
            counts.malformed += 1
            continue
        counts.kept += 1
        yield rows


def import_dump(
    dump: Path,
    out: Path,
    extra_classes: Mapping[str, EntityType] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportCounts:
    """Build the KB at ``out`` from ``dump``; ``extra_classes`` add P31 classes to keep (QID -> type)."""
    classes = {**TYPE_BY_CLASS, **(extra_classes or {})}
    counts = ImportCounts()
    try:
        with open_entity_file(dump) as lines:
            rows = entity_rows_in(lines, classes, counts, progress)
            KnowledgeBase.build_from_rows(out, rows, source=dump.name)
    except (EOFError, OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(
            f"{dump}: unreadable after line {counts.lines:,} ({exc}); the dump is truncated "
            "or corrupt, and no knowledge base was written"
        ) from exc
    return counts
