"""Knowledge-base entities, read from Wikidata's entity JSON.

Every source (the bundled file, ``wbgetentities`` responses, dumps) is an entity record in
Wikidata's JSON format, so one reader serves all. Records may carry a ``"kg"`` object with
what Wikidata has no slot for: a type decided by a curator and a popularity prior.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

from kg.records import EntityType

# P31 classes that decide a type on their own. The IDs come from ../shared/wikidata/verified.tsv.
TYPE_BY_CLASS: Mapping[str, EntityType] = {
    "Q5": EntityType.PER,  # human
    "Q43229": EntityType.ORG,  # organization
    "Q484652": EntityType.ORG,  # international organization
    "Q1127126": EntityType.ORG,  # military alliance
    "Q192283": EntityType.ORG,  # news agency
    "Q6256": EntityType.LOC,  # country
    "Q3624078": EntityType.LOC,  # sovereign state
    "Q515": EntityType.LOC,  # city
    "Q5119": EntityType.LOC,  # capital city
}

KIND_OF_TYPE: Mapping[EntityType, str] = {
    EntityType.PER: "person",
    EntityType.ORG: "organization",
    EntityType.LOC: "place",
}

# Sitelink count at which popularity saturates at 1.0: well-known items have hundreds.
_SITELINKS_SATURATION = 300
# popularity by sitelink count, up to saturation: a dump reads millions of records, with few distinct counts
_POPULARITY = tuple(
    round(min(1.0, math.log1p(count) / math.log1p(_SITELINKS_SATURATION)), 4)
    for count in range(_SITELINKS_SATURATION + 1)
)


@dataclass(slots=True, frozen=True)
class KBEntity:
    """One entity as the linker sees it."""

    qid: str
    label: str
    type: EntityType | None
    kind: str = "item"  # person | organization | place | position | event | item
    description: str = ""
    popularity: float = 0.0
    names: tuple[tuple[str, str], ...] = ()  # (name, language), labels first
    anaphors: tuple[str, ...] = ()
    # a person's surnames, matched in text like names ("Stoltenberg", "Yoon"); None: derived from the label
    surnames: tuple[str, ...] | None = None
    # parts of a person's name news refers to them by ("Gibran", "Gibran Rakabuming"): candidates for a
    # mention the text makes (after a title, a repeated name), never matched in text on their own
    short_names: tuple[str, ...] = ()


def entity_from_wikidata(
    record: Mapping[str, Any], type_by_class: Mapping[str, EntityType] = TYPE_BY_CLASS
) -> KBEntity:
    """Read one entity record as ``wbgetentities`` and the JSON dumps give it."""
    return entity_of_type(record, record_type(record, type_by_class))


def entity_of_type(record: Mapping[str, Any], entity_type: EntityType | None) -> KBEntity:
    """Read one entity record whose type :func:`record_type` gave already (a dump reads it first)."""
    return KBEntity(*entity_fields(record, entity_type))


# A KBEntity's fields in its order: what a dump's import writes rows from, without making the frozen
# dataclass (a few microseconds each, several times a tuple's cost, for millions of records)
EntityFields = tuple[
    str,  # qid
    str,  # label
    EntityType | None,  # type
    str,  # kind
    str,  # description
    float,  # popularity
    tuple[tuple[str, str], ...],  # names
    tuple[str, ...],  # anaphors
    tuple[str, ...] | None,  # surnames
    tuple[str, ...],  # short_names
]


def entity_fields(record: Mapping[str, Any], entity_type: EntityType | None) -> EntityFields:
    """:func:`entity_of_type`'s entity as a tuple of its fields; the ID :func:`record_type` checked."""
    qid: str = record["id"]
    labels = _values(record.get("labels", {}))
    aliases = _values_multi(record.get("aliases", {}))
    descriptions = _values(record.get("descriptions", {}))
    extension = record.get("kg", {})

    label = _first(labels) or next(iter(labels.values()), qid)
    # each (name, language) once, in the record's order: a dict keeps the first, without a scan per name
    # (labels are one a language: with no aliases, none to drop)
    label_names = zip(labels.values(), labels, strict=True)
    names = tuple(dict.fromkeys(chain(label_names, aliases))) if aliases else tuple(label_names)
    if "popularity" in extension:
        popularity = round(float(extension["popularity"]), 4)
    else:
        popularity = _POPULARITY[min(len(record.get("sitelinks", {}) or {}), _SITELINKS_SATURATION)]
    description = _first(descriptions)
    return (
        qid,
        label,
        entity_type,
        extension.get("kind") or (KIND_OF_TYPE[entity_type] if entity_type else "item"),
        description,
        popularity,
        names,
        tuple(extension.get("anaphors", ())),
        tuple(extension["surnames"]) if "surnames" in extension else None,
        tuple(extension.get("short_names", ())),
    )


def _first(by_lang: dict[str, str]) -> str:
    """The value in the first of English, Indonesian and "mul" that has one, else "". The values are
    not empty (:func:`_values`), so ``or`` finds it: no loop, twice an entity in a dump's import."""
    return by_lang.get("en") or by_lang.get("id") or by_lang.get("mul") or ""


def _values(by_lang: Mapping[str, Any]) -> dict[str, str]:
    return {lang: value for lang, item in by_lang.items() if (value := item.get("value"))}


def _values_multi(by_lang: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(value, language) pairs, as a name is held."""
    return [(value, lang) for lang, items in by_lang.items() for item in items if (value := item.get("value"))]


def record_type(
    record: Mapping[str, Any], type_by_class: Mapping[str, EntityType] = TYPE_BY_CLASS
) -> EntityType | None:
    """What a record is, if of a kind the KB keeps: declared in kg's extension, else by its P31
    claims. Readable before the rest of the record: most of a full dump is no person,
    organization or place, and reading their names is most of the work."""
    _item_id(record)  # a broken record is reported as one, whatever its type
    declared = record.get("kg", {}).get("type")
    return EntityType(declared) if declared else _type_from_claims(record, type_by_class)


def _item_id(record: Mapping[str, Any]) -> str:
    qid = record.get("id")
    if not isinstance(qid, str) or not qid.startswith("Q"):
        raise ValueError(f"not a Wikidata item record (id={qid!r})")
    return qid


def _type_from_claims(record: Mapping[str, Any], type_by_class: Mapping[str, EntityType]) -> EntityType | None:
    for claim in record.get("claims", {}).get("P31", []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value", {})
        if isinstance(value, dict) and value.get("id") in type_by_class:
            return type_by_class[value["id"]]
    return None
