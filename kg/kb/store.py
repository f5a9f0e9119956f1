"""The knowledge base: an embedded SQLite file of entities and the names they go by.

SQLite because the KB must open in milliseconds, answer alias look-ups without loading
everything into memory, and grow (live look-ups, dumps) without a server.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from kg.errors import KnowledgeBaseError
from kg.files import honour_umask
from kg.kb.entity import EntityFields, KBEntity
from kg.lexicon import NAME_PARTICLES, NAME_SUFFIXES, PATRONYMICS
from kg.normalize import fold, fold_uncached, is_acronym
from kg.records import EntityType

SCHEMA_VERSION = "2"
# Bump when the names derived at load time change (surnames, kinds), so cached KBs are rebuilt.
NAMES_VERSION = "3"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity (
    qid TEXT PRIMARY KEY, label TEXT NOT NULL, type TEXT, kind TEXT NOT NULL, description TEXT NOT NULL,
    popularity REAL NOT NULL
);
-- kind: label | alias | surname (derived from a person's label) | short (a part of a person's name, not
-- matched in text on its own) | anaphor (a common noun)
CREATE TABLE name (
    norm TEXT NOT NULL, qid TEXT NOT NULL REFERENCES entity(qid), name TEXT NOT NULL,
    lang TEXT NOT NULL, kind TEXT NOT NULL, acronym INTEGER NOT NULL
);
"""
# The schema's last part, made by _load once a new KB's names are in (or when it first needs it): name's
# key, what a look-up searches by (a KB made before held it as the table's PRIMARY KEY, the same index
# to SQLite, but one that only a CREATE TABLE can make), and name(qid), what an upsert's delete does
_NAME_INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS name_key ON name(norm, qid, kind)",
    "CREATE INDEX IF NOT EXISTS name_by_qid ON name(qid)",
)

EntityRow = tuple[str, str, str | None, str, str, float]  # entity's columns
NameRow = tuple[str, str, str, str, str, int]  # name's columns
EntityRows = tuple[EntityRow, list[NameRow]]  # one entity's rows in both

_BATCH = 5_000  # entities written per statement batch; memory stays flat in the dump's size
MEMO_SIZE = 100_000  # names remembered per process; news repeats its names, the KB is read-only between upserts
_SUFFIXES = NAME_SUFFIXES | {"ii", "iii", "iv"}  # and regnal numbers: "Charles III" has no surname
_NOT_SURNAMES = NAME_PARTICLES | {f"{suffix}." for suffix in NAME_SUFFIXES} | NAME_SUFFIXES


@dataclass(slots=True, frozen=True)
class Candidate:
    """A KB entity that a name may refer to, and how the name was found."""

    qid: str
    label: str
    type: EntityType | None
    popularity: float
    description: str
    name_kind: str


@dataclass(slots=True, frozen=True)
class EntityName:
    """One name an entity goes by, as the KB holds it: ``norm`` is the folded key the linker looks up,
    ``kind`` how it is used (label, alias, surname, short: a candidate only after a title, anaphor)."""

    kind: str
    lang: str
    name: str
    norm: str


@dataclass(slots=True, frozen=True)
class GazetteerName:
    name: str
    type: EntityType
    acronym: bool


class KnowledgeBase:
    """Read access to a KB file, plus :meth:`build` and :meth:`upsert` to write one."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise KnowledgeBaseError(f"knowledge base not found: {path} (omit --kb to use the bundled one)")
        self.path = path
        self._memo: dict[str, list[Candidate]] = {}
        self._entities: dict[str, Candidate | None] = {}
        try:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            version = self._db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise KnowledgeBaseError(f"{path} is not a kg knowledge base ({exc})") from exc
        if not version or version[0] != SCHEMA_VERSION:
            raise KnowledgeBaseError(f"{path} has KB schema {version and version[0]!r}, expected {SCHEMA_VERSION!r}")

    @classmethod
    def build(cls, path: Path, entities: Iterable[KBEntity], source: str) -> KnowledgeBase:
        """Write a new KB to ``path`` atomically: readers see the old file or the new, never half."""
        return cls.build_from_rows(path, map(entity_rows, entities), source)

    @classmethod
    def build_from_rows(cls, path: Path, rows: Iterable[EntityRows], source: str) -> KnowledgeBase:
        """:meth:`build` from entities' rows (:func:`rows_of`), as a dump's import makes them."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        honour_umask(tmp)
        try:
            db = sqlite3.connect(tmp)
            try:
                # A private file renamed into place when whole: no journal or sync needed to be atomic.
                db.execute("PRAGMA journal_mode = OFF")
                db.execute("PRAGMA synchronous = OFF")
                db.executescript(_SCHEMA)
                db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", SCHEMA_VERSION), ("source", source)])
                with _without_cycle_collection():
                    _load(db, rows)
                db.commit()
            finally:
                db.close()
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}-journal").unlink(missing_ok=True)
        return cls(path)

    def upsert(self, entities: Iterable[KBEntity]) -> int:
        """Add or replace entities (what live look-ups fetched), so the next run finds them offline."""
        entities = list(entities)
        if not entities:
            return 0
        try:
            with sqlite3.connect(self.path) as db:
                _insert(db, map(entity_rows, entities))
            self._memo.clear()
            self._entities.clear()
        except sqlite3.OperationalError as exc:
            raise KnowledgeBaseError(f"cannot write to the knowledge base {self.path} ({exc})") from exc
        return len(entities)

    def candidates(self, name: str) -> list[Candidate]:
        """Entities that go by ``name`` (any case or diacritics), best-known first."""
        norm = fold(name)
        found = self._memo.get(norm)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[norm] = self._look_up(norm)
        return list(found)

    def _look_up(self, norm: str) -> list[Candidate]:
        rows = self._db.execute(
            "SELECT e.qid, e.label, e.type, e.popularity, e.description, n.kind FROM name n "
            "JOIN entity e ON e.qid = n.qid WHERE n.norm = ? AND n.kind != 'anaphor' "
            "ORDER BY e.popularity DESC, e.qid",
            (norm,),
        ).fetchall()
        best: dict[str, Candidate] = {}
        for qid, label, type_, popularity, description, kind in rows:
            if qid not in best or _KIND_RANK[kind] < _KIND_RANK[best[qid].name_kind]:
                best[qid] = Candidate(qid, label, EntityType(type_) if type_ else None, popularity, description, kind)
        return list(best.values())

    def gazetteer_names(self) -> Iterator[GazetteerName]:
        """Names of people, organizations and places, for the text matcher."""
        rows = self._db.execute(
            "SELECT n.name, e.type, n.acronym FROM name n JOIN entity e ON e.qid = n.qid "
            "WHERE e.type IS NOT NULL AND n.kind NOT IN ('anaphor', 'short') ORDER BY n.norm, e.popularity DESC"
        )
        for name, type_, acronym in rows:
            yield GazetteerName(name, EntityType(type_), bool(acronym))

    def anaphors(self) -> dict[str, frozenset[str]]:
        """Common nouns (folded) mapped to the entities they can stand for once named."""
        found: dict[str, set[str]] = {}
        for norm, qid in self._db.execute("SELECT norm, qid FROM name WHERE kind = 'anaphor'"):
            found.setdefault(norm, set()).add(qid)
        return {norm: frozenset(qids) for norm, qids in found.items()}

    def positions(self, name: str) -> list[str]:
        """QIDs of positions (offices) that go by ``name``, e.g. "President of Russia"."""
        rows = self._db.execute(
            "SELECT DISTINCT e.qid FROM name n JOIN entity e ON e.qid = n.qid "
            "WHERE n.norm = ? AND e.kind = 'position' ORDER BY e.qid",
            (fold(name),),
        )
        return [qid for (qid,) in rows]

    def names_of(self, qid: str) -> list[str]:
        """The folded names (labels, aliases, surnames) ``qid`` goes by."""
        rows = self._db.execute("SELECT norm FROM name WHERE qid = ? AND kind != 'anaphor' ORDER BY norm", (qid,))
        return [norm for (norm,) in rows]

    def names(self, qid: str) -> list[EntityName]:
        """Every name ``qid`` goes by, label first, then aliases, surnames, short names and anaphors, each
        kind in the order the record gave them (for ``kg kb show``: what text matches the entity)."""
        rows = self._db.execute("SELECT kind, lang, name, norm FROM name WHERE qid = ? ORDER BY rowid", (qid,))
        found = [EntityName(kind, lang, name, norm) for kind, lang, name, norm in rows]
        return sorted(found, key=lambda n: _KIND_RANK[n.kind])  # sorted() is stable: the record's order stays

    def get(self, qid: str) -> Candidate | None:
        if qid not in self._entities:
            if len(self._entities) >= MEMO_SIZE:
                self._entities.clear()
            self._entities[qid] = self._entity(qid)
        return self._entities[qid]

    def _entity(self, qid: str) -> Candidate | None:
        row = self._db.execute(
            "SELECT qid, label, type, popularity, description FROM entity WHERE qid = ?", (qid,)
        ).fetchone()
        if row is None:
            return None
        qid, label, type_, popularity, description = row
        return Candidate(qid, label, EntityType(type_) if type_ else None, popularity, description, "label")

    def stats(self) -> dict[str, int]:
        counts = {"entities": self._db.execute("SELECT count(*) FROM entity").fetchone()[0]}
        counts["names"] = self._db.execute("SELECT count(*) FROM name").fetchone()[0]
        for type_, count in self._db.execute("SELECT type, count(*) FROM entity GROUP BY type ORDER BY type"):
            counts[f"type {type_ or 'other'}"] = count
        return counts


_KIND_RANK = {"label": 0, "alias": 1, "surname": 2, "short": 2, "anaphor": 3}


# an entity's type as its column holds it; an Enum's .value is a Python-level descriptor, read per entity
_TYPE_COLUMN: dict[EntityType | None, str] = {entity_type: entity_type.value for entity_type in EntityType}
_INSERT_ENTITY = "INSERT OR REPLACE INTO entity VALUES (?, ?, ?, ?, ?, ?)"
_ADD_ENTITY = "INSERT OR IGNORE INTO entity VALUES (?, ?, ?, ?, ?, ?)"  # a new KB's: a QID met again is not added
_INSERT_NAME = "INSERT OR IGNORE INTO name VALUES (?, ?, ?, ?, ?, ?)"


def _insert(db: sqlite3.Connection, rows: Iterable[EntityRows]) -> None:
    """Into a KB with its indexes: a QID's old names deleted before its new ones go in."""
    for latest in _batches(rows):
        _replace(db, latest)


def _replace(db: sqlite3.Connection, latest: list[EntityRows]) -> None:
    db.executemany(_INSERT_ENTITY, [entity for entity, _ in latest])
    db.executemany("DELETE FROM name WHERE qid = ?", [(entity[0],) for entity, _ in latest])
    db.executemany(_INSERT_NAME, chain.from_iterable(names for _, names in latest))


def _load(db: sqlite3.Connection, rows: Iterable[EntityRows]) -> None:
    """Into a new KB (its schema without name's indexes), writing what :func:`_insert` would.
    A dump holds each QID once, so a batch's entities are added, their names with no delete
    before (:func:`rows_of` gives an entity's (norm, kind) once: no key is met twice), and name
    indexed once all are in: one sort per index, not an entry put in at random per name (the
    key's was 9% of an import). A batch with a QID met before (it adds fewer rows than it has)
    is taken out again and written as :func:`_insert` writes, the indexes made for it first."""
    for latest in _batches(rows):
        last = db.execute("SELECT max(rowid) FROM entity").fetchone()[0]
        before = db.total_changes
        db.executemany(_ADD_ENTITY, [entity for entity, _ in latest])
        if db.total_changes - before == len(latest):
            db.executemany(_INSERT_NAME, chain.from_iterable(names for _, names in latest))
            continue
        # without AUTOINCREMENT a row gets max(rowid) + 1: taken out, the batch's rows leave the table as it was
        db.execute("DELETE FROM entity WHERE rowid > ?", (last or 0,))
        _index_names(db)
        _replace(db, latest)
    _index_names(db)


def _index_names(db: sqlite3.Connection) -> None:
    for index in _NAME_INDEXES:
        db.execute(index)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A load makes millions of short-lived tuples and dicts, none in a cycle, and holds a batch of
    them: the cyclic collector, run every few hundred of them, walked the batch each time (8% of an
    import). Enabled again after, if it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _batches(rows: Iterable[EntityRows]) -> Iterator[list[EntityRows]]:
    # Three statements a batch, not three an entity. The last record of a QID in a batch wins, as
    # it would one at a time.
    stream = iter(rows)
    while batch := list(islice(stream, _BATCH)):
        yield list({row[0][0]: row for row in batch}.values())


def entity_rows(entity: KBEntity) -> EntityRows:
    """An entity's rows in the KB's tables."""
    return rows_of(
        (
            entity.qid,
            entity.label,
            entity.type,
            entity.kind,
            entity.description,
            entity.popularity,
            entity.names,
            entity.anaphors,
            entity.surnames,
            entity.short_names,
        )
    )


def rows_of(fields: EntityFields) -> EntityRows:
    """The rows of the entity with these fields (:func:`kg.kb.entity.entity_fields`)."""
    qid, label, entity_type, kind, description, popularity, names, anaphors, given_surnames, short_names = fields
    entity = (qid, label, _TYPE_COLUMN.get(entity_type), kind, description, popularity)
    # Each (norm, kind) once, the first: what INSERT OR IGNORE would keep of an entity's rows (its
    # qid is in the key, and a batch holds one record of a qid), without a row and a probe for each
    # label that reads the same in three languages; one the same as the name before is not folded
    # again. Folded without fold's cache: the names are a KB's, each met once.
    rows: dict[tuple[str, str], NameRow] = {}
    previous = previous_kind = None
    for index, (name, lang) in enumerate(names):
        name_kind = "label" if index == 0 or name == label else "alias"
        if name == previous and name_kind == previous_kind:
            continue
        previous, previous_kind = name, name_kind
        norm = fold_uncached(name)
        if (norm, name_kind) not in rows:
            # most names have a lower-case letter: no call to is_acronym made to find that out
            rows[norm, name_kind] = (norm, qid, name, lang, name_kind, 1 if name.isupper() and is_acronym(name) else 0)
    if entity_type is EntityType.PER:
        _add_names(rows, qid, surnames(label) if given_surnames is None else given_surnames, "surname")
        _add_names(rows, qid, short_names, "short")
    _add_names(rows, qid, anaphors, "anaphor")
    return entity, list(rows.values())


def _add_names(rows: dict[tuple[str, str], NameRow], qid: str, names: Iterable[str], kind: str) -> None:
    """Derived names (no language, never acronyms) of one kind, each norm once."""
    for name in names:
        norm = fold_uncached(name)
        if (norm, kind) not in rows:
            rows[norm, kind] = (norm, qid, name, "mul", kind, 0)


def surnames(label: str) -> list[str]:
    """The last name of a multi-word personal name, the way news refers back to people.

    A generational suffix stays with it ("Ferdinand Marcos Jr." is "Marcos Jr" and "Marcos"). A
    patronymic name ("Faisal bin Farhan Al Saud", "Mohammed bin Salman") or a regnal one ("Abdullah II
    of Jordan", "Charles III") has no surname to derive: its last word is a father's, a house's or a
    country's name, or a number.
    """
    parts = label.split()
    if len(parts) < 2 or "," in label or " of " in label:
        return []
    # each word after the first folded once, without fold's cache: a KB's labels are met once each
    folded = [*map(fold_uncached, parts[1:])]
    suffix = None
    if folded[-1].rstrip(".") in _SUFFIXES:
        suffix = parts.pop()
        folded.pop()
    if not folded or not PATRONYMICS.isdisjoint(folded):
        return []
    last = parts[-1]
    article, dash, bare = last.partition("-")
    if dash and fold_uncached(article) in {"al", "el"} and bare[:1].isupper() and len(bare) >= 3:
        return [last, bare]  # "al-Sharaa" is also "Sharaa"
    if folded[-1] in _NOT_SURNAMES or len(last) < 3 or not last[0].isupper():
        return []
    if suffix is None:
        return [last]
    # without the period, which news often ends a sentence with ("… Presiden Marcos Jr.")
    return [f"{last} {suffix.rstrip('.')}", last]


def dumps_record(entity: KBEntity) -> str:
    """Serialise a KB entity as a Wikidata-format record (with the ``kg`` extension)."""
    labels = {lang: {"language": lang, "value": name} for name, lang in entity.names[:1]}
    aliases: dict[str, list[dict[str, str]]] = {}
    for name, lang in entity.names[1:]:
        aliases.setdefault(lang, []).append({"language": lang, "value": name})
    record = {
        "id": entity.qid,
        "type": "item",
        "labels": labels,
        "aliases": aliases,
        "descriptions": {"en": {"language": "en", "value": entity.description}} if entity.description else {},
        "kg": {
            "type": entity.type.value if entity.type else None,
            "kind": entity.kind,
            "popularity": entity.popularity,
            "anaphors": list(entity.anaphors),
            **({"surnames": list(entity.surnames)} if entity.surnames is not None else {}),
            **({"short_names": list(entity.short_names)} if entity.short_names else {}),
        },
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True)
