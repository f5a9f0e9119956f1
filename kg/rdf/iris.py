"""Deterministic IRIs: the same article and entity get the same IRI on every run.

NIF strings use RFC 5147 fragments on the article IRI (``…#char=0,2231``), as NIF 2.0 does.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from rdflib import URIRef

from kg.normalize import fold, slug
from kg.rdf.namespaces import KGID, WD
from kg.records import Entity, Event


def article_iri(article_id: str) -> URIRef:
    return KGID[f"article/{article_id}"]


def char_iri(article_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{article_iri(article_id)}#char={start},{end}")


def entity_iri(entity: Entity) -> URIRef:
    if entity.qid:
        return WD[entity.qid]
    type_name, _, name = entity.key.partition(":")
    return KGID[f"entity/{type_name.lower()}/{quote(name, safe='-')}"]


def statement_iri(speaker_key: str | None, text: str, article_id: str, start: int) -> URIRef:
    """A statement with a speaker is the same whichever article reports it: same speaker, same words."""
    if speaker_key:
        words = " ".join(re.findall(r"\w+", fold(text)))
        digest = hashlib.sha256(f"{speaker_key}\n{words}".encode()).hexdigest()[:16]
        return KGID[f"statement/{digest}"]
    return KGID[f"statement/{article_id}-{start}"]


def role_iri(article_id: str, start: int, end: int) -> URIRef:
    return KGID[f"role/{article_id}-{start}-{end}"]


def event_iri(article_id: str, event: Event) -> URIRef:
    """An event with a date and a place is the same event whichever article reports it."""
    if event.start_date and event.location_key:
        place = event.location_key if event.location_key.startswith("Q") else slug(event.location_key)
        return KGID[f"event/{event.type.value.lower()}/{event.start_date.isoformat()}/{place}"]
    return KGID[f"event/{article_id}-{event.start}-{event.end}"]
