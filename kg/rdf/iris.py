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


def statement_iri(article_id: str, start: int, end: int) -> str:
    """One statement per occasion: the words where this article reports them. The same words in two
    articles may have been said twice (on other days, at other events), so they are two statements,
    tied by :func:`words_iri`; one node for both would carry both dates."""
    return f"{_KGID}statement/{article_id}-{start}-{end}"


def words_iri(speaker_key: str, text: str) -> str:
    """The same words from the same speaker, whichever article reports them and however it writes
    accents, quote marks or spacing: the key of what the statements of each occasion share."""
    words = " ".join(re.findall(r"\w+", fold(text)))
    digest = hashlib.sha256(f"{speaker_key}\n{words}".encode()).hexdigest()[:16]
    return f"{_KGID}words/{digest}"


def role_iri(article_id: str, start: int, end: int) -> str:
    return f"{_KGID}role/{article_id}-{start}-{end}"


def event_iri(article_id: str, event: Event) -> str:
    """An event with a date and a place is the same event whichever article reports it."""
    if event.start_date and event.location_key:
        place = event.location_key if event.location_key.startswith("Q") else slug(event.location_key)
        return f"{_KGID}event/{event.type.value.lower()}/{event.start_date.isoformat()}/{place}"
    return f"{_KGID}event/{article_id}-{event.start}-{event.end}"
