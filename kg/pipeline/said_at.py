"""``kg_said_at``: statements linked to the event they were made at, and events to their speakers.

``kg_events`` finds where the text says words were said at an event (``doc._.kg_event_sites``);
here each statement in such a sentence, or by such a speaker, gets ``Statement.event`` (and the
event's date when it is a single day), and each event gets its speakers as attendees and, for a
press conference, the speaker's organization as organizer.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from kg.pipeline.doc import ents_of, mention_key, sentences_of
from kg.pipeline.events import EventSites, unique_keys
from kg.records import EntityType, Event, EventType, Statement

ORG = EntityType.ORG.value


@Language.factory(
    "kg_said_at",
    requires=["doc.ents", "doc._.kg_sentences", "doc._.kg_roles", "doc._.kg_events", "doc._.kg_event_sites"],
    assigns=["doc._.kg_statements", "doc._.kg_events"],
)
def make_said_at(nlp: Language, name: str) -> SaidAt:
    return SaidAt()


class SaidAt:
    def __call__(self, doc: Doc) -> Doc:
        sites = doc._.kg_event_sites or EventSites()
        events = doc._.kg_events
        statements = _link_statements(doc, events, sites)
        doc._.kg_events, doc._.kg_statements = _with_speakers(doc, events, statements), statements
        return doc


def _link_statements(doc: Doc, events: list[Event], sites: EventSites) -> list[Statement]:
    linked = []
    for statement in doc._.kg_statements:
        token = doc.char_span(statement.start, statement.end, alignment_mode="expand")
        sentence = sentences_of(doc).at(token.start).start if token is not None else -1
        event = sites.sentences.get(sentence)
        if event is None and statement.speaker_key is not None:
            event = sites.speakers.get(statement.speaker_key)
        if event is not None:
            day = events[event].start_date if events[event].start_date == events[event].end_date else None
            statement = replace(statement, event=event, date=statement.date if day is None else day)
        linked.append(statement)
    return linked


def _with_speakers(doc: Doc, events: list[Event], statements: list[Statement]) -> list[Event]:
    """Who spoke at an event attended it; a press conference is organized by the speaker's organization."""
    roles = doc._.get("kg_roles") or []
    types = {mention_key(ent): ent.label_ for ent in ents_of(doc)}
    spoke: dict[int, list[str]] = {}  # event index -> its speakers' keys, in statement order
    for statement in statements:
        if statement.event is not None and statement.speaker_key:
            spoke.setdefault(statement.event, []).append(statement.speaker_key)
    completed = []
    for index, event in enumerate(events):
        speakers = unique_keys(spoke.get(index, []))
        organizer = event.organizer_key
        if organizer is None and event.type is EventType.PRESS_CONFERENCE:
            organizer = next(
                (r.of_key for r in roles if r.holder_key in speakers and r.of_key and types.get(r.of_key) == ORG),
                None,
            )
        completed.append(
            replace(event, organizer_key=organizer, attendee_keys=tuple(unique_keys([*event.attendee_keys, *speakers])))
        )
    return completed
