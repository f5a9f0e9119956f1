"""Deterministic IRIs: the same article and entity get the same IRI on every run.

NIF strings use RFC 5147 fragments on the article IRI (``…#char=0,2231``), as NIF 2.0 does.
Every part taken from text is slugged or percent-encoded, so each IRI is valid as minted.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from kg.normalize import fold, slug
from kg.rdf.namespaces import KGID, WD
from kg.records import Entity, Event

_KGID = str(KGID)


def article_iri(article_id: str) -> str:
    return f"{_KGID}article/{article_id}"


def char_iri(article_id: str, start: int, end: int) -> str:
    return f"{_KGID}article/{article_id}#char={start},{end}"


def wikidata_iri(qid: str) -> str:
    return f"{WD}{qid}"


def entity_iri(entity: Entity) -> str:
    if entity.qid:
        return wikidata_iri(entity.qid)
    type_name, _, name = entity.key.partition(":")
    return f"{_KGID}entity/{type_name.lower()}/{quote(name, safe='-')}"


def statement_iri(speaker_key: str | None, text: str, article_id: str, start: int) -> str:
    """A statement with a speaker is the same whichever article reports it: same speaker, same words."""
    if speaker_key:
        words = " ".join(re.findall(r"\w+", fold(text)))
        digest = hashlib.sha256(f"{speaker_key}\n{words}".encode()).hexdigest()[:16]
        return f"{_KGID}statement/{digest}"
    return f"{_KGID}statement/{article_id}-{start}"


def role_iri(article_id: str, start: int, end: int) -> str:
    return f"{_KGID}role/{article_id}-{start}-{end}"


def event_iri(article_id: str, event: Event) -> str:
    """An event with a date and a place is the same event whichever article reports it."""
    if event.start_date and event.location_key:
        place = event.location_key if event.location_key.startswith("Q") else slug(event.location_key)
        return f"{_KGID}event/{event.type.value.lower()}/{event.start_date.isoformat()}/{place}"
    return f"{_KGID}event/{article_id}-{event.start}-{event.end}"
