"""Typed records read off a finished spaCy ``Doc``: the contract between NLP and RDF.

The RDF layer sees only these records, never a ``Doc`` or the text's tokens, so either
side can change without the other noticing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from kg.normalize import fold, slug


class EntityType(str, Enum):
    """Coarse entity types, named as in common NER gold files."""

    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"


class EventType(str, Enum):
    """Kinds of events news reports; each is a class in ``ontology/kg.ttl``."""

    PRESS_CONFERENCE = "PressConference"
    MEETING = "Meeting"
    SUMMIT = "Summit"
    VISIT = "Visit"
    PHONE_CALL = "PhoneCall"
    SIGNING = "Signing"
    CEREMONY = "Ceremony"


def local_key(entity_type: EntityType | str, name: str) -> str:
    """Key of an unlinked entity: the same name and type give the same key on every run."""
    type_name = EntityType(entity_type).value
    readable = slug(name.removeprefix("www."))
    return f"{type_name}:{readable or hashlib.sha1(fold(name).encode()).hexdigest()[:12]}"


def entity_key(qid: str, entity_type: EntityType | str, name: str) -> str:
    """The QID when linked, else the local key: what "the same entity" means inside kg."""
    return qid or local_key(entity_type, name)


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
class Anaphor:
    """A common noun that stands for an entity the article named before ("aliansi" for NATO): not a name,
    so not a mention, but the graph says what it refers to."""

    start: int
    end: int
    text: str
    entity_key: str
    confidence: float


@dataclass(slots=True, frozen=True)
class Role:
    """A title the article gives a person ("Sekjen NATO Jens Stoltenberg"), true as of the article."""

    holder_key: str
    title: str  # as written: "Sekjen", "Juru Bicara", "Secretary General"
    start: int  # the words that say it, title through name
    end: int
    of_key: str | None = None  # the organization or country
    position_qid: str | None = None  # the Wikidata position item, when the KB knows it
    position_label: str | None = None


@dataclass(slots=True, frozen=True)
class Event:
    """A press conference, meeting, summit, visit, call or signing the article reports."""

    type: EventType
    label: str
    start: int  # the words that describe it
    end: int
    start_date: date | None = None
    end_date: date | None = None
    location_key: str | None = None
    organizer_key: str | None = None
    attendee_keys: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Statement:
    """Something someone said: a direct quote (verbatim) or reported speech (its content)."""

    text: str
    start: int  # the quoted words, without the quote marks, or the reported content
    end: int
    direct: bool
    speaker_key: str | None = None  # None: the text does not say who spoke
    channel_key: str | None = None  # the organization it came through ("dikutip TASS")
    to_reporters: bool = False  # "kepada wartawan", "told reporters"
    date: date | None = None
    event: int | None = None  # index into Extraction.events


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
    extracted_from: str | None = None  # the page's URL (an IRI in the graph)
    extracted_from_input: str | None = None  # no URL known: the input as given (a string in the graph)
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
    statements: tuple[Statement, ...] = field(default_factory=tuple)
    events: tuple[Event, ...] = field(default_factory=tuple)
    roles: tuple[Role, ...] = field(default_factory=tuple)
    anaphors: tuple[Anaphor, ...] = field(default_factory=tuple)

    @property
    def linked(self) -> int:
        return sum(1 for e in self.entities if e.qid)
