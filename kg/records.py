"""Typed records read off a finished spaCy ``Doc``: the contract between NLP and RDF.

The RDF layer sees only these records, never a ``Doc`` or the text's tokens, so either
side can change without the other noticing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class EntityType(str, Enum):
    """Coarse entity types, named as in common NER gold files."""

    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"


@dataclass(slots=True, frozen=True)
class Entity:
    """A person, organization or place the article talks about.

    ``key`` is the Wikidata QID when linked, else ``"<TYPE>:<slug>"`` so that the same
    unlinked name and type give the same key (and IRI) on every run.
    """

    key: str
    label: str
    type: EntityType
    qid: str | None = None
    label_lang: str | None = None


@dataclass(slots=True, frozen=True)
class Mention:
    """One span of the article's text that names an entity (offsets are Python str indices)."""

    start: int
    end: int
    text: str
    entity_key: str
    confidence: float


@dataclass(slots=True, frozen=True)
class ArticleInfo:
    """What the article says about itself: headline, kicker, dateline, publisher, byline."""

    id: str
    text: str
    lang: str
    headline: str | None = None
    section: str | None = None
    published: date | None = None
    url: str | None = None
    publisher_key: str | None = None
    author_keys: tuple[str, ...] = ()
    editor_keys: tuple[str, ...] = ()
    location_key: str | None = None  # the dateline's place: where the story was filed


@dataclass(slots=True, frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: ArticleInfo
    entities: tuple[Entity, ...] = field(default_factory=tuple)
    mentions: tuple[Mention, ...] = field(default_factory=tuple)

    @property
    def linked(self) -> int:
        return sum(1 for e in self.entities if e.qid)
