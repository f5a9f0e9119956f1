"""Who said it: the speaker, channel and date of each statement the quote and reported-speech
finders found (``Found``), and the speaker-finding steps both share.

A ``Found`` says how its speaker is found (``How``): named (``ENT``), the person quoted now or
introduced just before (``CURRENT``, for ``ujarnya``/``he said``), the holder of a title
(``TITLE``), the speaker of the words before (``PREVIOUS``), someone the text does not name
(``UNNAMED``) or not yet known (``NONE``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from spacy.tokens import Doc, Span, Token

from kg.normalize import fold
from kg.pipeline.doc import DATES, ents_of, mention_key, sentences_of, span_text, spans_of, text_of, tokens_of
from kg.pipeline.intervals import Ranges
from kg.records import EntityType, Role, Statement

PER, ORG = EntityType.PER.value, EntityType.ORG.value
SPEAKER_LABELS = frozenset({PER, ORG})
QUOTE = re.compile(r"[\"“”]")


class How(Enum):
    """How a statement's speaker is found."""

    ENT = "ent"  # named: ``speaker``
    CURRENT = "current"  # "ujarnya", "he said": the person introduced just before, else the one quoted now
    TITLE = "title"  # "kata Presiden": the holder of ``title``
    PREVIOUS = "previous"  # the speaker of the words just before
    UNNAMED = "unnamed"  # said by someone the text does not name
    NONE = "none"  # not known (yet)


@dataclass(slots=True)
class Found:
    """A statement before its speaker is resolved; ``how`` says how to find the speaker."""

    start: int
    end: int
    direct: bool
    how: How
    speaker: Span | None = None
    title: str = ""
    cue: Span | None = None  # where to look for channel and date: the attribution's sentence
    line: int = -1  # the paragraph it starts in
    para_start: bool = False  # a quote that opens its paragraph
    inside: bool = False  # a quote inside a reported sentence, which is reported speech too


@dataclass(slots=True, frozen=True)
class SpeechWords:
    """The language's words for speech, from the lexicon (see ``kg_statements``'s config)."""

    quote_verbs: frozenset[str]
    quote_suffix: str
    reporting_verbs: frozenset[str]
    according_to: tuple[str, ...]
    complementizers: frozenset[str]
    pronouns: frozenset[str]
    fillers: frozenset[str]
    channel_cues: tuple[str, ...]
    reporter_words: tuple[str, ...]
    title_words: frozenset[str]
    title_heads: frozenset[str]  # the words of the titles themselves ("minister", "menlu"), not of portfolios
    passive_verbs: frozenset[str]  # "Hal itu disampaikan X": said, with the speaker after
    speech: frozenset[str]  # quote and reporting verbs
    speech_or_pronoun: frozenset[str]  # and pronouns, "menurut"/"according to": not an opening phrase
    articles: frozenset[str]  # "the", "sang": before a title that stands for its holder
    to_reporters: tuple[str, ...]  # "kepada", "told": before "wartawan"/"reporters"
    date_preps: frozenset[str]  # "pada", "on": before a date
    affiliation_words: frozenset[str]  # "dari", "of the": between a person and their organization


class Speakers(SpeechWords):
    """Speaker resolution, and the speaker-finding steps quotes and reported speech share."""

    __slots__ = ()

    def _resolve(
        self, doc: Doc, found: list[Found], ents: dict[int, Span], lines: list[tuple[int, int]]
    ) -> list[Statement]:
        roles = doc._.get("kg_roles") or []
        dates = [(d.start_char, d._.kg_date_range) for d in spans_of(doc, DATES)]
        text = text_of(doc)
        sentences = sentences_of(doc)
        spoken = [sent for sent in sentences.spans if text[sent.start_char : sent.end_char].strip()]
        persons = sorted((ent for ent in ents_of(doc) if ent.label_ == PER), key=lambda e: e.start_char)
        person_ends = [p.end_char for p in persons]  # in the same order: entities do not overlap
        current: str | None = None
        statements: list[Statement] = []
        channels: dict[int, tuple[list[Span], bool]] = {}  # per sentence: one read however many it quotes
        said = Ranges((f.start, f.end) for f in found)
        quoted = Ranges((f.start, f.end) for f in found if f.direct)
        dates = [(start, rng) for start, rng in dates if not said.cover(start)]
        date_starts = [start for start, _ in dates]  # in text order, as kg_dates gives them
        spoken_starts = [sent.start for sent in spoken]
        line_starts = [start for start, _ in lines]
        names: dict[str, str] = {}  # speaker key -> the longest name the article gives it
        for ent in ents_of(doc):
            if ent.label_ == PER and len(surface := span_text(ent)) > len(names.get(mention_key(ent), "")):
                names[mention_key(ent)] = surface
        previous: Found | None = None
        previous_speaker: str | None = None
        for item in found:
            speaker: str | None = None
            how = item.how
            if (
                how is How.NONE
                and item.para_start
                and previous is not None
                and previous.line == item.line - 1
                and previous_speaker
            ):
                how = How.PREVIOUS  # a quote paragraph right after a paragraph of someone's words: theirs
            if how is How.ENT and item.speaker is not None:
                speaker = mention_key(item.speaker)
                if current is not None and speaker != current and _short_for(item.speaker, names.get(current, "")):
                    speaker = current  # "ujar Hasto" right after Hasto Wardoyo spoke: the same Hasto
            elif how is How.CURRENT:
                # "…," ujarnya / he said: the person the sentence before introduced, else the one quoted now
                subject = self._subject_before(doc, item.start, ents, lines, line_starts, quoted, 1 if current else 8)
                if subject is not None:
                    speaker = mention_key(subject)
                else:
                    last = bisect_right(person_ends, item.start)  # the persons named before: persons[:last]
                    speaker = current or (mention_key(persons[last - 1]) if last else None)
            elif how is How.PREVIOUS:  # the run goes on: the speaker of the words just before
                speaker = previous_speaker
                if speaker is None and previous is not None and previous.how is How.NONE:
                    speaker = current  # past a paragraph whose speaker was not said at all
            elif how is How.TITLE:
                speaker = _holder(item.title, item.start, roles, ents_of(doc), text)
            if speaker is not None:
                current = speaker
            previous, previous_speaker = item, speaker
            cue = item.cue or doc.char_span(item.start, item.end, alignment_mode="expand")
            channel, to_reporters = self._channel(cue, ents, speaker, channels) if cue is not None else (None, False)
            statements.append(
                Statement(
                    text=_clean(text[item.start : item.end]),
                    start=item.start,
                    end=item.end,
                    direct=item.direct,
                    speaker_key=speaker,
                    channel_key=channel,
                    to_reporters=to_reporters,
                    date=_date_near(sentences.at(cue.start), spoken, spoken_starts, dates, date_starts)
                    if cue is not None
                    else None,
                )
            )
        return _unique(_share_dates(statements))

    def _subject_before(
        self,
        doc: Doc,
        at: int,
        ents: dict[int, Span],
        lines: list[tuple[int, int]],
        starts: list[int],
        quoted: Ranges,
        back: int,
    ) -> Span | None:
        """The person who opens one of the ``back`` sentences before the one holding ``at`` (the
        sentences of left-out lines, such as ``Baca juga:``, do not count; one inside a quote opens
        with the speaker's words, not the speaker)."""
        sentences = sentences_of(doc)
        token = doc.char_span(at, at + 1, alignment_mode="expand")
        if token is None or not len(token):
            return None
        index = bisect_right(sentences.starts, token[0].i) - 1
        while index > 0 and back > 0:
            index -= 1
            sent = sentences.spans[index]
            line = bisect_right(starts, sent.start_char) - 1
            if line < 0 or sent.start_char >= lines[line][1] or not span_text(sent).strip():
                continue
            back -= 1
            if quoted.cover(sent.start_char):
                continue
            subject = self._subject(sent, ents)
            if subject is not None:
                return subject
        return None

    def _subject(self, sent: Span, ents: dict[int, Span]) -> Span | None:
        """The person a sentence is about when it opens with them, past titles, their organization
        and a short opening phrase: "Sementara itu, Kepala BNPB Suharyanto …", "Ruto, who …"."""
        doc = sent.doc
        i = sent.start
        speech = self.speech_or_pronoun
        tokens = tokens_of(doc)  # doc[i] makes a Token on every access
        words, lowers = tokens.text, tokens.lower
        comma = next((k for k in range(sent.start, min(sent.end, sent.start + 6)) if words[k] == ","), None)
        if comma is not None and not any(k in ents or lowers[k] in speech for k in range(sent.start, comma)):
            i = comma + 1  # "Sementara itu," / "In his opening remarks," (not "Ia menambahkan, Jokowi …")
        while i < min(sent.end, sent.start + 20):
            ent = ents.get(i)
            word = words[i]
            if lowers[i] in self.pronouns:
                return None  # "Dia mengatakan Jokowi …": about the one quoted now
            if ent is not None:
                if ent.label_ == PER:
                    return ent
                i = ent.end
            elif QUOTE.fullmatch(word) or word in {"‘", "’", "'"}:
                return None
            elif tokens.is_punct[i] or word[:1].isupper() or lowers[i] in self.title_words:
                i += 1
            else:
                return None
        return None

    def _channel(
        self, sent: Span, ents: dict[int, Span], speaker: str | None, seen: dict[int, tuple[list[Span], bool]]
    ) -> tuple[str | None, bool]:
        """The organization a channel cue names in the sentence ("told Reuters"), not the speaker,
        and whether it was said to reporters. ``seen`` keeps each sentence's reading."""
        sentence = sentences_of(sent.doc).at(sent.start)
        if sentence.start_char not in seen:
            seen[sentence.start_char] = self._channels_in(sentence, ents)
        candidates, to_reporters = seen[sentence.start_char]
        for channel in candidates:
            if mention_key(channel) != speaker:
                return mention_key(channel), to_reporters
        return None, to_reporters

    def _channels_in(self, sentence: Span, ents: dict[int, Span]) -> tuple[list[Span], bool]:
        lowered = text_of(sentence.doc)[sentence.start_char : sentence.end_char].casefold()
        base = sentence.start_char
        to_reporters = any(f"{cue} {word}" in lowered for cue in self.to_reporters for word in self.reporter_words)
        candidates = []
        for cue in self.channel_cues:
            at = lowered.find(cue + " ")
            if at < 0:
                continue
            after = sentence.doc.char_span(base + at + len(cue) + 1, base + len(lowered), alignment_mode="expand")
            channel = _organization_at(after, ents) if after is not None else None
            if channel is not None:
                candidates.append(channel)
        return candidates, to_reporters

    def _speaker_before(self, verb: Token, ents: dict[int, Span]) -> Span | None:
        i = verb.i - 1
        tokens = tokens_of(verb.doc)
        while i >= 0 and (tokens.lower[i] in self.fillers or tokens.text[i] == ","):
            i -= 1
        ent = ents.get(i)
        if ent is None or ent.label_ not in SPEAKER_LABELS or ent.end != i + 1:
            return None
        # "Maria Gunawan of the Centre for … said": the person speaks, the organization is her affiliation
        j = ent.start - 1
        while j >= 0 and tokens.lower[j] in self.affiliation_words:
            j -= 1
        person = ents.get(j)
        if ent.label_ == ORG and j < ent.start - 1 and person is not None and person.label_ == PER:
            return person
        return ent

    def _head(self, titles: list[str]) -> str:
        """The title itself in a run of title words: "Menlu" in "Menlu RI", "Minister" in "Minister of
        Investment and Head of …", "Perdana Menteri" in "Perdana Menteri Qatar"."""
        at = next((k for k, t in enumerate(titles) if t.lower() in self.title_heads), 0)
        end = at
        while end < len(titles) and titles[end].lower() in self.title_heads:
            end += 1
        return " ".join(titles[at : max(end, at + 1)])


def _holder(title: str, before: int, roles: list[Role], ents: tuple[Span, ...], text: str) -> str | None:
    """Who "the minister" / "Presiden" / "Menlu RI" / "the French president" is: a holder of that
    title (as written; else one ending in its word, written with its qualifier: "French President
    Emmanuel Macron"; else any ending in it), the one named last before; without a role, the person
    the title was written before ("Prince Faisal"), or the organization it names ("kata kementerian")."""
    words = fold(title).split()
    word = words[-1]
    exact = {r.holder_key for r in roles if fold(r.title) == " ".join(words)}
    loose = [r for r in roles if fold(r.title).split()[-1] == word]
    qualified = {r.holder_key for r in loose if len(words) > 1 and set(words[:-1]) <= _written_with(r, text)}
    earlier = [e for e in ents if e.end_char <= before]
    described = next((e for e in reversed(earlier) if e.label_ == PER and _described_as(e, word)), None)
    for holders in (exact, qualified, {r.holder_key for r in loose}):
        named = [e for e in earlier if mention_key(e) in holders]
        if named:
            # "Wang Yi, China's foreign minister, …": named after the last holder, and so described
            later = described is not None and described.start_char > named[-1].start_char
            return mention_key(described if later and described is not None else named[-1])
        if len(holders) == 1:
            return next(iter(holders))
    if described is not None:
        return mention_key(described)
    for ent in reversed(earlier):
        doc = ent.doc
        if ent.label_ == PER and ent.start > 0 and fold(doc[ent.start - 1].text) == word:
            return mention_key(ent)
        if ent.label_ == ORG and word in fold(ent.text).split():
            return mention_key(ent)
    return None


def _described_as(ent: Span, word: str) -> bool:
    """A person followed by a description with the title's word: "Wang Yi, China's foreign minister"."""
    doc = ent.doc
    after = doc[ent.end : min(len(doc), ent.end + 6)]
    return len(after) > 1 and after[0].text == "," and word in {fold(t.text) for t in after[1:]}


def _short_for(mention: Span, name: str) -> bool:
    """An unlinked one-word name that is a word of another person's name ("Hasto" of "Hasto Wardoyo")."""
    words = fold(name).split()
    return (
        mention.label_ == PER
        and not mention.kb_id_
        and len(mention) == 1
        and len(words) > 1
        and fold(mention.text) in words
    )


def _written_with(role: Role, text: str) -> set[str]:
    """The words of a role as written, with the two before it ("French" in "French President Emmanuel Macron")."""
    return set(fold(" ".join(words_before(text, role.start, 2)) + " " + text[role.start : role.end]).split())


def words_before(text: str, end: int, count: int) -> list[str]:
    """``text[:end].split()[-count:]``, read from a window before ``end`` that grows until it holds ``count``
    whole words: splitting all the text before every role grew with the square of the article's length."""
    window = 64
    while True:
        start = max(0, end - window)
        words = text[start:end].split()
        if words and start > 0 and not text[start - 1].isspace() and not text[start].isspace():
            words = words[1:]  # the window starts inside a word
        if len(words) >= count or start == 0:
            return words[-count:] if count else []
        window *= 4


def _organization_at(span: Span, ents: dict[int, Span]) -> Span | None:
    """The organization a channel cue names: right after it, or after a country's possessive
    ("according to China's Foreign Ministry"); "told reporters at the alliance's …" names none."""
    for token in span[:4]:
        ent = ents.get(token.i)
        if ent is not None and ent.label_ == ORG:
            return ent
        if not ((ent is not None and ent.label_ == "LOC") or token.text in {"'s", "’s"}):
            return None
    return None


def _clean(text: str) -> str:
    """Verbatim, but a quote running over paragraphs reads without the inner quote marks."""
    return re.sub(r"\s*\n\s*[\"“]\s*", "\n", text).strip()


def _date_near(
    sent: Span,
    sentences: list[Span],
    starts: list[int],
    dates: list[tuple[int, tuple[date, date]]],
    date_starts: list[int],
) -> date | None:
    """A single day named in the statement's sentence, else in the sentence before it (never one
    named inside what was said: "would sign on October 20" is not when it was said). ``starts`` are
    the sentences' first tokens and ``date_starts`` the dates' offsets, both in text order."""
    index = bisect_left(starts, sent.start)
    if index == len(sentences) or sentences[index].start != sent.start:
        return None
    for candidate in (sentences[index], sentences[index - 1] if index > 0 else None):
        if candidate is None:
            continue
        for k in range(bisect_left(date_starts, candidate.start_char), len(dates)):
            start, rng = dates[k]
            if start >= candidate.end_char:
                break
            if rng[0] == rng[1]:
                return rng[0]
    return None


def _share_dates(statements: list[Statement]) -> list[Statement]:
    """Consecutive statements by one speaker were made on one occasion: they share its date."""
    shared = list(statements)
    run: list[int] = []
    for index in range(len(shared) + 1):
        if index < len(shared) and run and shared[index].speaker_key == shared[run[0]].speaker_key:
            run.append(index)
            continue
        days = {shared[i].date for i in run if shared[i].date is not None}
        if len(days) == 1 and shared[run[0]].speaker_key is not None:
            day = days.pop()
            for i in run:
                shared[i] = replace(shared[i], date=day)
        run = [index]
    return shared


def _unique(statements: list[Statement]) -> list[Statement]:
    """The lead and the first paragraph often say the same thing: keep the first of each. The same
    words (as the statement's IRI reads them: "Setuju?" and "Setuju!" alike) from one speaker are one
    statement, a direct quote when they were quoted ('Macron said: "…"' is not reported speech too)."""

    def key(statement: Statement) -> tuple[str | None, str]:
        words = " ".join(re.findall(r"\w+", fold(statement.text)))
        return (statement.speaker_key, words if statement.speaker_key else f"{statement.start}")

    keys = [key(statement) for statement in statements]
    quoted = {k for k, statement in zip(keys, statements, strict=True) if statement.direct}
    seen: set[tuple[str | None, str]] = set()
    kept = []
    for k, statement in zip(keys, statements, strict=True):
        if k not in seen and (statement.direct or k not in quoted):
            seen.add(k)
            kept.append(statement)
    return kept
