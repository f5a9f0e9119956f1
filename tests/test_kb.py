from __future__ import annotations

import gc
import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import wikidata_record, write_kb

from kg.errors import KnowledgeBaseError
from kg.kb import KnowledgeBase, entity_from_wikidata, open_kb, read_entity_records
from kg.normalize import fold, is_acronym
from kg.records import EntityType


def test_bundled_kb_links_indonesian_names_to_verified_ids() -> None:
    kb = open_kb()
    assert [c.qid for c in kb.candidates("Rusia")] == ["Q159"]
    assert [c.qid for c in kb.candidates("Brussel")] == ["Q239"]
    assert [c.qid for c in kb.candidates("Amerika Serikat")] == ["Q30"]
    assert [c.qid for c in kb.candidates("Tiongkok")] == ["Q148"]
    assert [c.qid for c in kb.candidates("Jokowi")] == ["Q3318231"]


def test_names_match_whatever_the_case_and_diacritics() -> None:
    kb = open_kb()
    assert [c.qid for c in kb.candidates("ERDOGAN")] == ["Q39259"]
    assert [c.qid for c in kb.candidates("Erdoğan")] == ["Q39259"]


def test_surnames_are_derived_and_marked_as_such() -> None:
    (kishida,) = open_kb().candidates("Kishida")
    assert (kishida.qid, kishida.name_kind, kishida.type) == ("Q359480", "surname", EntityType.PER)
    (stoltenberg,) = open_kb().candidates("Stoltenberg")  # a curated alias outranks the derived surname
    assert (stoltenberg.qid, stoltenberg.name_kind) == ("Q57665", "alias")


def test_anaphors_are_kept_apart_from_names() -> None:
    kb = open_kb()
    assert kb.anaphors()["aliansi"] == frozenset({"Q7184"})
    assert kb.candidates("aliansi") == []


def test_peskov_is_not_in_the_bundled_kb() -> None:
    # ../shared/wikidata does not confirm his ID, so the KB must not guess one
    assert open_kb().candidates("Dmitry Peskov") == []


def test_reads_wikidata_entity_json() -> None:
    record = wikidata_record(
        "Q999999001",
        "Budi Fiktif",
        p31="Q5",
        aliases=("Pak Budi",),
        description="fictional Indonesian minister",
        sitelinks=300,
    )
    record["labels"]["id"] = {"language": "id", "value": "Budi Fiktif"}
    entity = entity_from_wikidata(record)
    assert entity.qid == "Q999999001"
    assert entity.label == "Budi Fiktif"
    assert entity.type is EntityType.PER
    assert entity.names == (("Budi Fiktif", "en"), ("Budi Fiktif", "id"), ("Pak Budi", "en"))
    assert entity.description == "fictional Indonesian minister"
    assert entity.popularity == 1.0  # log-scaled sitelinks, saturating at 300


def test_type_comes_from_p31_and_unknown_classes_give_none() -> None:
    assert entity_from_wikidata(wikidata_record("Q999999002", "Kota Fiktif", p31="Q515")).type is EntityType.LOC
    assert entity_from_wikidata(wikidata_record("Q999999003", "Benda", p31="Q999999099")).type is None


def test_non_items_are_refused() -> None:
    with pytest.raises(ValueError, match="not a Wikidata item record"):
        entity_from_wikidata({"id": "P31", "labels": {}})


def test_reads_dump_lines_and_gzip(tmp_path: Path) -> None:
    lines = [
        "[",
        json.dumps(wikidata_record("Q999999001", "Budi Fiktif", p31="Q5")) + ",",
        json.dumps(wikidata_record("Q999999002", "Kota Fiktif", p31="Q515")),
        "]",
    ]
    path = tmp_path / "dump.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    assert [e.qid for e in read_entity_records(path)] == ["Q999999001", "Q999999002"]


def test_malformed_record_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "kb.jsonl"
    path.write_text(json.dumps(wikidata_record("Q999999001", "Budi Fiktif")) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"kb\.jsonl:2: not a Wikidata entity record"):
        list(read_entity_records(path))


def test_custom_kb_from_jsonl_and_sqlite(tmp_path: Path) -> None:
    source = write_kb(tmp_path / "mine.jsonl", [wikidata_record("Q999999001", "Budi Fiktif", p31="Q5")])
    kb = open_kb(source)
    assert kb.stats() == {"entities": 1, "names": 2, "type PER": 1}  # label + derived surname
    assert open_kb(kb.path).candidates("budi fiktif")[0].qid == "Q999999001"


def test_missing_and_foreign_kb_files(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="knowledge base not found"):
        open_kb(tmp_path / "absent.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(KnowledgeBaseError, match="is not a kg knowledge base"):
        KnowledgeBase(junk)


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Erdoğan", "erdogan"),
        ("  Jens\tStoltenberg\n", "jens stoltenberg"),
        ("O`Brien", "o'brien"),  # the one ASCII quote unified
        ("O’Brien\u3000Jr.", "o'brien jr."),  # a quote that leaves the name ASCII, an ideographic space
        ("Al\u00a0Sharaa\x85", "al sharaa"),  # no-break space inside, next-line at the end
        ("Kim–Jong", "kim-jong"),
        ("Straße", "strasse"),
        ("ǅemal  Bijedić", "dzemal bijedic"),
        ("", ""),
    ],
)
def test_names_fold_alike_however_spaced_quoted_or_accented(name: str, folded: str) -> None:
    assert fold(name) == folded


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("NATO", True),
        ("U.S.", True),
        ("AS", True),
        ("ABCDEF", True),
        ("ABCDEFG", False),  # seven letters: a word in capitals, not an acronym
        ("G20", True),
        ("A1234567", True),  # long, but one letter
        ("A.B.C.D.E.F.", True),
        ("A.B.C.D.E.F.G.", False),
        ("Nato", False),
        ("123", False),  # no letter
        ("ÖBB", True),
        ("ÖBBÖBBÖ", False),
        ("UN中", False),  # a letter with no case
        ("Ⓐ", False),  # a capital that is no letter
    ],
)
def test_acronyms_are_short_names_in_capitals(name: str, acronym: bool) -> None:
    assert is_acronym(name) is acronym


def kb_tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of a KB file with its rowid, and its schema (the index a build makes last among it)."""
    db = sqlite3.connect(path)
    try:
        tables = {"schema": db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").fetchall()}
        for table in ("entity", "name"):
            tables[table] = db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
        return tables
    finally:
        db.close()


@pytest.mark.parametrize("again", [False, True])
def test_a_new_kb_holds_what_its_entities_upserted_into_an_empty_one_do(tmp_path: Path, again: bool) -> None:
    """A build adds its batches without a delete per QID and indexes name at the end; a QID met
    again in a later batch (``again``) has that batch written as upserts write it. Either way the
    file holds the same rows, rowids and schema as one filled by upsert, and the cyclic collector,
    off while the rows load, is on again after."""
    records = [
        wikidata_record(f"Q9999990{n:05d}", f"Orang Nomor{n}", p31="Q5", aliases=(f"N{n}",)) for n in range(5_003)
    ]
    if again:  # the first and the last of the first batch, met again in the second
        records += [
            wikidata_record("Q999999000000", "Nama Baru Sekali", p31="Q5"),
            wikidata_record("Q999999004999", "Orang Lain", p31="Q515", aliases=("Lain",)),
        ]
    entities = [entity_from_wikidata(record) for record in records]
    built = KnowledgeBase.build(tmp_path / "built.sqlite", entities, source="test")
    upserted = KnowledgeBase.build(tmp_path / "upserted.sqlite", [], source="test")
    assert upserted.upsert(entities) == len(entities)
    tables = kb_tables(built.path)
    assert tables == kb_tables(upserted.path)
    assert [row[:2] for row in tables["schema"][-2:]] == [("index", "name_key"), ("index", "name_by_qid")]
    assert len(tables["entity"]) == 5_003
    assert built.names_of("Q999999000000") == (
        ["nama baru sekali", "sekali"] if again else ["n0", "nomor0", "orang nomor0"]
    )
    assert gc.isenabled()
