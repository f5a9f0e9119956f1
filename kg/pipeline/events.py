"""``kg_events``: press conferences, meetings, summits, visits, calls, signings and ceremonies.

A cue word names the event (``konferensi pers``, ``pertemuan``, ``KTT``, ``press conference``), or
a verb tells it (``bertemu``, ``meresmikan``, ``visited``; one event when the sentence also names
it). Words said at a place on a day (``kata Budi di Gedung Nusantara, Senin (3/6/2024)``, ``told
reporters``) are a doorstop: a press conference there and then.
Its sentence is cut into parts at each cue and at words that relate one event to another
(``menjelang``, ``setelah``, ``ahead of``); each event takes the date, place (after ``di``/``in``),
organizer and participants of its own part, and a date left over at the sentence's end (``…,
Selasa (11/10/2022).``) goes to the sentence's main event. ``pertemuan itu`` refers back to an
event already found rather than making a new one.

Where the text says statements were made at an event (in the same sentence, ``dalam konferensi
pers``, or by a sentence like ``Pernyataan Stoltenberg disampaikan pada konferensi pers …``, which
places all of that speaker's statements there) is kept in ``doc._.kg_event_sites``; ``kg_said_at``
links the statements. Results: ``doc._.kg_events``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.pipeline.dates import SHIFTED
from kg.pipeline.doc import (
    DATELINE,
    DATES,
    EXCLUDED,
    HEADLINE,
    TITLE_CASE,
    ents_within,
    mention_key,
    sentences_of,
    spans_of,
    tokens_of,
)
from kg.records import EntityType, Event, EventType

_VERB, _DOORSTOP, _SPEECH = "verb:", "doorstop", "speech"
PER, ORG, LOC = EntityType.PER.value, EntityType.ORG.value, EntityType.LOC.value
ORGANIZED = frozenset({EventType.MEETING, EventType.SUMMIT, EventType.SIGNING})
MAX_LABEL_TOKENS = 12


@dataclass(slots=True)
class EventSites:
    """Where the text says statements were made at an event, for ``kg_said_at``."""

    sentences: dict[int, int] = field(default_factory=dict)  # sentence start token -> event index ("at <event>")
    speakers: dict[str, int] = field(default_factory=dict)  # speaker key -> event ("X's statements were made at")


class _Place(NamedTuple):
    """Where an event is: ``key`` the place it is at, ``chain`` every place the text names for it, the venue
    first (``di Hotel Kencana, Jakarta Selatan, Jakarta``), and ``end`` the token after the last name."""

    key: str
    end: int
    chain: tuple[str, ...]


@dataclass(slots=True)
class _Draft:
    type: EventType
    cue: Span
    part: tuple[int, int]  # token range: the cue to the next cue or relation word
    before: tuple[int, int]  # token range: what precedes the cue back to the last boundary
    label_end: int
    dates: tuple[date, date] | None = None
    location: str | None = None
    organizer: str | None = None
    attendees: list[str] = field(default_factory=list)
    doorstop: bool = False  # the words of its sentence were said there
    chain: tuple[str, ...] = ()  # the places the text names for it, the venue first (:class:`_Place`)

    def place_at(self, place: _Place | None) -> None:
        self.location, self.chain = (place.key, place.chain) if place else (None, ())

    def same_place(self, other: _Draft) -> bool:
        """Whether the two may be at one place: one is untold, or the venue of one is among the places of the
        other ("di Hotel Kencana, Jakarta" and "di Hotel Kencana, Jakarta Selatan, Jakarta" are one place;
        two hotels in one city are two)."""
        if self.location is None or other.location is None:
            return True
        mine, theirs = self.chain or (self.location,), other.chain or (other.location,)
        return mine[0] in theirs or theirs[0] in mine


@Language.factory(
    "kg_events",
    requires=["doc.ents", "doc.spans", "doc._.kg_sentences", "doc._.kg_statements", "span._.kg_date_range"],
    assigns=["doc._.kg_events", "doc._.kg_event_sites"],
    default_config={
        "event_cues": {},
        "event_boundaries": [],
        "event_anaphors": [],
        "event_at": [],
        "said_at": [],
        "event_qualifiers": [],
        "place_preps": [],
        "event_verbs": {},
        "doorstop_cues": [],
        "quote_verbs": [],
        "quote_suffix": "",
        "reporting_verbs": [],
        "event_after": [],
        "event_sidelines": [],
        "determiners": [],
        "event_label_trailers": [],
        "anaphor_determiners": [],
    },
)
def make_events(
    nlp: Language,
    name: str,
    event_cues: dict[str, list[str]],
    event_boundaries: list[str],
    event_anaphors: list[str],
    event_at: list[str],
    said_at: list[str],
    event_qualifiers: list[str],
    place_preps: list[str],
    event_verbs: dict[str, list[str]],
    doorstop_cues: list[str],
    quote_verbs: list[str],
    quote_suffix: str,
    reporting_verbs: list[str],
    event_after: list[str],
    event_sidelines: list[str],
    determiners: list[str],
    event_label_trailers: list[str],
    anaphor_determiners: list[str],
) -> Events:
    # one matcher, one pass over the text: event nouns (by type), event verbs ("verb:" type), doorstop
    # phrases and speech verbs
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for event_type, cues in event_cues.items():
        matcher.add(EventType(event_type).value, [nlp.make_doc(cue) for cue in cues])
    for event_type, cues in event_verbs.items():
        matcher.add(_VERB + EventType(event_type).value, [nlp.make_doc(cue) for cue in cues])
    matcher.add(_DOORSTOP, [nlp.make_doc(cue) for cue in doorstop_cues])
    speech = {*quote_verbs, *reporting_verbs, *(verb + quote_suffix for verb in quote_verbs if quote_suffix)}
    matcher.add(_SPEECH, [nlp.make_doc(verb) for verb in sorted(speech)])
    return Events(
        matcher,
        frozenset(event_boundaries),
        frozenset(event_anaphors),
        frozenset(event_at),
        frozenset(said_at),
        frozenset(event_qualifiers),
        frozenset(place_preps),
        frozenset(event_after),
        frozenset(event_sidelines),
        frozenset(determiners),
        frozenset(event_label_trailers),
        frozenset(anaphor_determiners),
    )


@dataclass(slots=True, frozen=True)
class Events:
    # nouns that name an event ("pertemuan", "press conference"), verbs that tell one ("verb:Meeting":
    # "bertemu", "visited"), doorstops ("kepada wartawan", "told reporters"), speech verbs ("kata", "said")
    matcher: PhraseMatcher
    boundaries: frozenset[str]
    anaphors: frozenset[str]
    at_words: frozenset[str]
    said_at: frozenset[str]
    qualifiers: frozenset[str]  # lower-case words that still describe the event: "para", "anggota", "of"
    place_preps: frozenset[str]
    after: frozenset[str]  # "usai", "after": what a doorstop follows happened there and then too
    sidelines: frozenset[str]  # "di sela", "on the sidelines of": held where the next event is
    determiners: frozenset[str]  # "sebuah", "a", "its": between "at"/"di" and the event's noun
    label_trailers: frozenset[str]  # "of", "antara": dropped from the end of an event's label
    anaphor_determiners: frozenset[str]  # "the", "that": "the meeting" points back to one told before

    def __call__(self, doc: Doc) -> Doc:
        skipped = {
            i
            for group in (EXCLUDED, TITLE_CASE, HEADLINE)
            for span in spans_of(doc, group)
            for i in range(span.start, span.end)
        }
        said: set[int] = set()  # tokens of what someone said, quoted or reported
        edges: set[int] = set()  # where a statement ends: an event's part does not run past it
        starts: set[int] = set()
        for statement in doc._.kg_statements:
            words = doc.char_span(statement.start, statement.end, alignment_mode="expand")
            if words is not None:
                said.update(range(words.start, words.end))
                edges.add(words.end)
                starts.add(words.start)
        stops = starts | edges  # a doorstop's attribution ends where a statement starts or ends
        found = self._cues(doc, skipped)
        nouns = [(EventType(k), c) for k, c in found if k not in (_DOORSTOP, _SPEECH) and not k.startswith(_VERB)]
        verbs = [(EventType(k.removeprefix(_VERB)), c) for k, c in found if k.startswith(_VERB)]
        # the longer wins where a verb and a noun overlap: "menerima delegasi" (a meeting) over a noun in it
        # (spans overlap when they share a token; cues are a few tokens long, so each looks only at its own)
        nouns_at: dict[int, list[Span]] = {}
        for _, n in nouns:
            for k in range(n.start, n.end):
                nouns_at.setdefault(k, []).append(n)
        verbs = [
            (t, v)
            for t, v in verbs
            if not any(len(n) >= len(v) for k in range(v.start, v.end) for n in nouns_at.get(k, ()))
        ]
        verb_tokens = {k for _, v in verbs for k in range(v.start, v.end)}
        nouns = [(t, n) for t, n in nouns if verb_tokens.isdisjoint(range(n.start, n.end))]
        verb_starts = {c.start for _, c in verbs}
        cues = sorted(nouns + verbs, key=lambda tc: tc[1].start)
        doorstop_cues = [c for k, c in found if k == _DOORSTOP]
        speech = [c.start for k, c in found if k == _SPEECH and c.start not in said]
        sentences = sentences_of(doc)
        by_sentence: dict[int, list[tuple[EventType, Span]]] = {}
        for event_type, cue in cues:
            by_sentence.setdefault(bisect_right(sentences.starts, cue.start) - 1, []).append((event_type, cue))
        first_speech: dict[int, int] = {}
        for i in speech:
            first_speech.setdefault(bisect_right(sentences.starts, i) - 1, i)
        dates_in: dict[int, list[Span]] = {}
        for span in spans_of(doc, DATES):
            dates_in.setdefault(bisect_right(sentences.starts, span.start) - 1, []).append(span)
        in_dates = {t.i for spans in dates_in.values() for span in spans for t in span}
        drafts: list[_Draft] = []
        refers: dict[int, int] = {}  # cue token -> index of the event it refers back to
        for index in sorted(by_sentence.keys() | first_speech.keys()):
            sent = sentences.spans[index]
            in_sentence = by_sentence.get(index, [])
            named = {t for t, c in in_sentence if c.start not in verb_starts}
            fresh = []
            for event_type, cue in in_sentence:
                if cue.start in verb_starts:  # "bertemu … dalam pertemuan bilateral" is one meeting
                    if event_type not in named:
                        fresh.append((event_type, cue))
                    continue
                earlier = self._antecedent(doc, event_type, cue, drafts)
                if earlier is not None:
                    refers[cue.start] = earlier
                    self._told_of(drafts[earlier], sent, cue, in_sentence, dates_in.get(index, []))
                elif (earlier is None and not self._is_anaphoric(doc, cue)) or self._is_described(doc, cue):
                    fresh.append((event_type, cue))
            # an event inside what someone said is reported only when it is concrete: "KTT G20 di Bali pada
            # 15-16 November" is, "perundingan damai harus dimulai" is not. Dropped here, before the next
            # sentence, so that every index into ``drafts`` (``refers``, antecedents) points at a kept event.
            dates = dates_in.get(index, [])
            drafted = self._draft_sentence(sent, fresh, edges, dates, in_dates)
            sentence_drafts = [d for d in drafted if self._reported(d, said)]
            verb = first_speech.get(index)
            if verb is not None and not any(t is EventType.PRESS_CONFERENCE for t, _ in in_sentence):
                doorstop = self._doorstop(sent, doc[verb], said, stops, in_sentence, doorstop_cues, dates, in_dates)
                if doorstop is not None:
                    sentence_drafts.append(doorstop)
            for draft in sentence_drafts:
                same = self._same_as(draft, drafts)
                if same is None:
                    drafts.append(draft)
                else:  # "konferensi pers … Kamis 13 Maret" told again: one event, its place from either
                    refers[draft.cue.start] = same
                    if drafts[same].location is None:
                        drafts[same].location, drafts[same].chain = draft.location, draft.chain
        here = self._dateline_place(doc)
        for draft in drafts:
            if draft.location is None and draft.type is EventType.VISIT:  # "visit the United States"
                draft.location = self._visited(doc, draft.cue)
            if draft.location is None and draft.type is EventType.PRESS_CONFERENCE:
                draft.location = here  # reporters meet the speaker where they report from: "JAKARTA, KOMPAS.com -"
        doc._.kg_events = [self._event(doc, d) for d in drafts]
        doc._.kg_event_sites = self._sites(doc, drafts, refers)
        return doc

    # --- finding events -----------------------------------------------------------------

    def _told_of(
        self, earlier: _Draft, sent: Span, cue: Span, cues: list[tuple[EventType, Span]], dates: list[Span]
    ) -> None:
        """ "Lokakarya itu berlangsung pada 4-6 Juni": what the anaphor's part tells of an undated event."""
        doc = sent.doc
        end = min([sent.end, *(c.start for _, c in cues if c.start > cue.start)])
        end = min([end, *(t.i for t in doc[cue.end : end] if t.lower_ in self.boundaries)])
        if earlier.dates is None:
            earlier.dates = next((d._.kg_date_range for d in dates if cue.end <= d.start < end), None)
        if earlier.location is None:
            earlier.place_at(self._place(doc, cue.end, end))

    @staticmethod
    def _dateline_place(doc: Doc) -> str | None:
        dateline = spans_of(doc, DATELINE)
        places = [e for span in dateline for e in ents_within(doc, span.start, span.end) if e.label_ == LOC]
        return mention_key(places[0]) if places else None

    @staticmethod
    def _visited(doc: Doc, cue: Span) -> str | None:
        """The place a visit names right after it: "mengunjungi Jepang", "visit the United States"."""
        after = ents_within(doc, cue.end, min(len(doc), cue.end + 3))
        first = after[0] if after else None
        if first is None or first.label_ != LOC or any(not t.is_lower for t in doc[cue.end : first.start]):
            return None
        return mention_key(first) if first.start - cue.end <= 1 else None

    @staticmethod
    def _same_as(draft: _Draft, drafts: list[_Draft]) -> int | None:
        """An event already found of the same type on the same days, in the same place or an untold one."""
        if draft.dates is None:
            return None
        for index, earlier in enumerate(drafts):
            if earlier.type is draft.type and earlier.dates == draft.dates and earlier.same_place(draft):
                return index
        return None

    def _cues(self, doc: Doc, skipped: set[int]) -> list[tuple[str, Span]]:
        """(label, span) of every match, the longest where two overlap: "pertemuan bilateral"; a doorstop
        phrase and a speech verb stand beside events ("told" in "told reporters" is both)."""
        matches = sorted(
            ((doc.vocab.strings[key], start, end) for key, start, end in self.matcher(doc) if start not in skipped),
            key=lambda m: (m[1], -m[2]),
        )
        found: list[tuple[str, Span]] = []
        last_end = {"event": 0, _DOORSTOP: 0, _SPEECH: 0}
        for key, start, end in matches:
            kind = key if key in (_DOORSTOP, _SPEECH) else "event"
            if kind == "event" and key.startswith(_VERB):  # verbs and nouns are weighed against each other later
                kind = _VERB
            if start >= last_end.get(kind, 0):
                found.append((key, doc[start:end]))
                last_end[kind] = end
        return found

    def _doorstop(
        self,
        sent: Span,
        verb: Token,
        said: set[int],
        edges: set[int],
        cues: list[tuple[EventType, Span]],
        doorstop_cues: list[Span],
        sentence_dates: list[Span],
        in_dates: set[int],
    ) -> _Draft | None:
        """ "…," kata Budi di Gedung Nusantara, Senin (3/6/2024): the speaker talked to reporters there and then.

        The attribution after a speech verb, up to the next event cue, relation word or statement, names
        a place (after ``di``/``at``) or says ``kepada wartawan``/``told reporters``, and gives a date.
        """
        if not any(d.start > verb.i for d in sentence_dates):
            return None  # no day to date it by
        doc = sent.doc
        cue_starts = {c.start for _, c in cues}
        told: Span | None = None
        end, after = sent.end, sent.end
        for token in doc[verb.i : sent.end]:
            told = told or next((c for c in doorstop_cues if c.start == token.i and token.i not in said), None)
            if token.i > verb.i and (
                token.i in edges
                or (
                    token.lower_ in self.boundaries
                    and token.i not in in_dates
                    and not (told and token.lower_ in self.after)
                )
                or (token.i in cue_starts and after == sent.end)
            ):
                end = token.i
                break
            if told and token.lower_ in self.after and after == sent.end:
                after = token.i  # "told reporters after attending the forum …, on Wednesday": there and then
        dates = [
            d for d in sentence_dates if verb.i < d.start < end and not (d.start > after and SHIFTED.fullmatch(d.text))
        ]
        place = self._place(doc, verb.i + 1, end)
        if not dates or (place is None and told is None):
            return None
        place_end = place.end if place else verb.i + 1
        label = told if told is not None else doc[verb.i : place_end]
        draft = _Draft(
            EventType.PRESS_CONFERENCE,
            label,
            (verb.i, end),
            (sent.start, verb.i),
            label.end,
            dates=dates[0]._.kg_date_range,
            attendees=unique_keys([mention_key(e) for e in ents_within(doc, sent.start, end) if e.label_ == PER][:1]),
            doorstop=True,
        )
        draft.place_at(place)
        return draft

    def _place(self, doc: Doc, start: int, end: int) -> _Place | None:
        """The place after ``di``/``in`` in tokens [start, end), and where its names end.

        ``di Istana Kepresidenan, Jakarta`` names a venue, then its city: the first that is linked is
        the place (a venue the KB does not know gives way to its city); a place inside a longer name
        (``di Kantor Wali Kota Bandung, Jawa Barat``) is not the venue, the city after it is, but it is
        better than a venue the KB does not know (``di Kantor Pusat PT Maju Jaya Surabaya``).
        """
        chain: list[tuple[Span, bool]] = []  # (place, inside a longer name)
        for ent in ents_within(doc, start, end):
            if ent.label_ != LOC:
                continue
            if chain:
                between = doc[chain[-1][0].end : ent.start]
                if len(between) <= 5 and all(t.text == "," or t.is_title or t.is_upper for t in between):
                    chain.append((ent, bool(between) and between[-1].text != ","))
                    continue
                break
            k, inside = ent.start - 1, False
            while k >= start and ent.start - k <= 4 and doc[k].lower_ not in self.place_preps:
                if doc[k].is_punct or not (doc[k].is_lower or doc[k].is_title):
                    break
                inside = inside or (doc[k].is_title and k == ent.start - 1)
                k -= 1
            if k >= start and doc[k].lower_ in self.place_preps:
                chain.append((ent, inside))
        if not chain:
            return None
        keys = [(mention_key(e), inside) for e, inside in chain]
        linked = [(k, inside) for k, inside in keys if k.startswith("Q")]
        best = next((k for k, inside in linked if not inside), linked[0][0] if linked else keys[0][0])
        return _Place(best, chain[-1][0].end, tuple(unique_keys([k for k, _ in keys])))

    @staticmethod
    def _reported(draft: _Draft, said: set[int]) -> bool:
        """An event outside any statement, or one a statement makes concrete with a date or a place."""
        return draft.cue.start not in said or draft.dates is not None or draft.location is not None

    def _is_anaphoric(self, doc: Doc, cue: Span) -> bool:
        follows = doc[cue.end].lower_ if cue.end < len(doc) else ""
        precedes = doc[cue.start - 1].lower_ if cue.start > 0 else ""
        return follows in self.anaphors or precedes in self.anaphor_determiners

    def _is_described(self, doc: Doc, cue: Span) -> bool:
        """ "the signing of the grain agreement" introduces an event; "the meeting." only points back."""
        return cue.end < len(doc) and doc[cue.end].lower_ in self.qualifiers | self.at_words

    def _antecedent(self, doc: Doc, event_type: EventType, cue: Span, drafts: list[_Draft]) -> int | None:
        """ "pertemuan itu", "the meeting": an event named before, not a new one."""
        if not self._is_anaphoric(doc, cue) or self._is_described(doc, cue):
            return None
        same = [i for i, d in enumerate(drafts) if d.type is event_type]
        demonstrative = cue.end < len(doc) and doc[cue.end].lower_ in self.anaphors
        return same[-1] if same else (len(drafts) - 1 if drafts and demonstrative else None)

    def _draft_sentence(
        self,
        sent: Span,
        cues: list[tuple[EventType, Span]],
        edges: set[int],
        dates: list[Span],
        in_dates: set[int],
    ) -> list[_Draft]:
        if not cues:
            return []
        doc = sent.doc
        lowers = tokens_of(doc).lower
        cut_at = sorted(
            {c.start for _, c in cues}
            | {
                i
                for i in range(sent.start, sent.end)
                if (lowers[i] in self.boundaries and i not in in_dates)  # not "the day before", "Selasa lalu"
                or (i in edges and i > sent.start)
            }
        )
        drafts = []
        for event_type, cue in cues:
            part_end = next((i for i in cut_at if i > cue.start), sent.end)
            before_start = max([sent.start, *(i for i in cut_at if i < cue.start)])
            drafts.append(
                _Draft(
                    event_type,
                    cue,
                    (cue.start, part_end),
                    (before_start, cue.start),
                    self._label_end(doc, cue, part_end, in_dates),
                )
            )
        used: set[int] = set()
        for draft in drafts:
            for span in dates:
                if draft.part[0] <= span.start < draft.part[1] and span.start not in used:
                    draft.dates = span._.kg_date_range
                    used.add(span.start)
                    break
        for span in dates:  # "…, Selasa (11/10/2022)." belongs to the sentence's main event
            if span.start not in used:
                undated = next((d for d in drafts if d.dates is None), None)
                if undated is not None:
                    undated.dates = span._.kg_date_range
                    used.add(span.start)
        for draft in drafts:
            part = ents_within(doc, *draft.part)
            draft.place_at(self._place(doc, *draft.part))
            orgs = [e for e in part if e.label_ == ORG]
            if draft.type in ORGANIZED and orgs:
                draft.organizer = mention_key(orgs[0])
            around = ents_within(doc, draft.before[0], draft.part[1])
            draft.attendees = unique_keys([mention_key(e) for e in around if e.label_ == PER])
        for held, bigger in pairwise(drafts):  # "met … on the sidelines of the summit in Bali": there and then
            if any(t.lower_ in self.sidelines for t in doc[max(held.cue.end, bigger.cue.start - 5) : bigger.cue.start]):
                if held.location is None:
                    held.location, held.chain = bigger.location, bigger.chain
                if held.dates is None and bigger.dates is not None and bigger.dates[0] == bigger.dates[1]:
                    held.dates = bigger.dates
        first = drafts[0]
        if first.location is None:  # "Di Jakarta, Retno menggelar konferensi pers …"
            first.place_at(self._place(doc, sent.start, first.cue.start))
        return drafts

    def _label_end(self, doc: Doc, cue: Span, part_end: int, dates: set[int]) -> int:
        """The words that describe the event: the cue and what qualifies it, up to a date, place or comma."""
        end = cue.end
        while end < min(part_end, cue.start + MAX_LABEL_TOKENS):
            token = doc[end]
            if (
                token.is_punct
                or end in dates
                or token.is_space
                or token.lower_ in self.at_words | self.place_preps
                or not (token.text[:1].isupper() or token.lower_ in self.qualifiers)
            ):
                break
            end += 1
        while (
            end > cue.end
            and doc[end - 1].lower_ in self.qualifiers
            and not doc[end - 1].text[:1].isupper()
            and doc[end - 1].lower_ in self.label_trailers
        ):
            end -= 1  # "signing of the" reads better as "signing"
        return end

    @staticmethod
    def _event(doc: Doc, draft: _Draft) -> Event:
        label = doc[draft.cue.start : draft.label_end]
        start_date, end_date = draft.dates if draft.dates else (None, None)
        return Event(
            type=draft.type,
            label=label.text,
            start=label.start_char,
            end=label.end_char,
            start_date=start_date,
            end_date=end_date,
            location_key=draft.location,
            organizer_key=draft.organizer,
            attendee_keys=tuple(draft.attendees),
        )

    # --- statements made at events ------------------------------------------------------

    def _sites(self, doc: Doc, drafts: list[_Draft], refers: dict[int, int]) -> EventSites:
        sites = EventSites()
        for index, draft in enumerate(drafts):
            if draft.doorstop:
                sites.sentences.setdefault(sentences_of(doc).at(draft.cue.start).start, index)
            self._note_at(doc, draft.cue, index, sites)
        for cue_start, index in refers.items():
            self._note_at(doc, doc[cue_start : cue_start + 1], index, sites)
        return sites

    def _note_at(self, doc: Doc, cue: Span, index: int, sites: EventSites) -> None:
        sentence = sentences_of(doc).at(cue.start).start
        tokens = tokens_of(doc)  # the lowers of the words before the cue, without a Token for each
        before = [tokens.lower[k] for k in range(sentence, cue.start) if not tokens.is_space[k]]
        while before and before[-1] in self.determiners:
            before.pop()
        if not before or before[-1] not in self.at_words:
            return
        sites.sentences.setdefault(sentence, index)
        if any(lower in self.said_at for lower in before):
            for ent in ents_within(doc, sentence, cue.start):
                if ent.label_ == PER:
                    sites.speakers.setdefault(mention_key(ent), index)


def unique_keys(keys: list[str]) -> list[str]:
    """The keys in first-seen order, each once."""
    return list(dict.fromkeys(keys))
