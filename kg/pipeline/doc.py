"""What the components write on the ``Doc`` for each other: every extension, every span-group key
and the caches they share, in one place so that a component's contract can be read in one file.

Span groups (``doc.spans[KEY]``), in the order the pipeline fills them:

- ``EXCLUDED``, ``ARTICLE_ROLES``, ``TITLE_CASE``, ``HEADLINE``, ``DATELINE`` (``kg_layout``);
- ``GAZETTEER`` (``kg_gazetteer``), ``STRONG`` and ``WEAK`` (``kg_cues``), ``LEARNED`` (``kg_learned_ner``);
- ``ANAPHORS`` (``kg_anaphora``), ``DATES`` (``kg_dates``).

Extensions (``doc._.NAME`` / ``span._.NAME``) are listed in ``DOC_EXTENSIONS`` and
``SPAN_EXTENSIONS``; each entry's comment names the component that writes it. Every factory
declares what it reads and writes (``requires``/``assigns``), so ``nlp.analyze_pipes()`` shows the
flow and flags a component moved before what it needs. spaCy names span groups only as
``doc.spans``; the keys are the constants below.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, SENT_START
from spacy.tokens import Doc, Span

from kg.records import EntityType, entity_key

# --- span groups --------------------------------------------------------------------------
EXCLUDED = "kg_excluded"  # "Baca juga: …" lines and footers: not the story
ARTICLE_ROLES = "kg_article_roles"  # spans labelled "publisher", "author", "editor", "location", "credit_*"
TITLE_CASE = "kg_title_case"  # lines that capitalize (nearly) every word: headlines
HEADLINE = "kg_headline"  # the kicker and headline lines: they repeat the story, they do not tell it
DATELINE = "kg_dateline"  # "WASHINGTON (Reuters) - ": where and by whom, not what was said
GAZETTEER = "kg_gazetteer"  # names the KB knows, as written
STRONG = "kg_cues"  # names a cue (title, honorific, organization word) vouches for
WEAK = "kg_cues_weak"  # capitalized runs nothing vouches for
LEARNED = "kg_learned"  # names the learned model proposes (kg_learned_ner, with --ner learned)
ANAPHORS = "kg_anaphors"  # "the minister", "sang presiden": kb_id_ is the entity referred to
DATES = "kg_dates"  # dates, each with span._.kg_date_range

SPAN_GROUPS = (
    EXCLUDED,
    ARTICLE_ROLES,
    TITLE_CASE,
    HEADLINE,
    DATELINE,
    GAZETTEER,
    STRONG,
    WEAK,
    LEARNED,
    ANAPHORS,
    DATES,
)

ROLE_TYPES = {
    "publisher": EntityType.ORG,
    "author": EntityType.PER,
    "editor": EntityType.PER,
    "location": EntityType.LOC,
    "credit_org": EntityType.ORG,  # a photo credit's agency
    "credit_per": EntityType.PER,  # a photo credit's photographer
}

# --- extensions ---------------------------------------------------------------------------
DOC_EXTENSIONS: dict[str, object] = {
    "kg_headline": None,  # the headline's text (kg_layout)
    "kg_section": None,  # the kicker's text (kg_layout)
    "kg_published": None,  # the publication date, set by the caller before the pipeline runs
    "kg_labels": {},  # QID -> the KB's label, for the graph (kg_linker)
    "kg_roles": [],  # records.Role (kg_roles)
    "kg_statements": [],  # records.Statement (kg_statements; kg_said_at links events)
    "kg_events": [],  # records.Event (kg_events; kg_said_at adds speakers)
    "kg_event_sites": None,  # EventSites: where statements were said at events (kg_events)
}
SPAN_EXTENSIONS = (  # each None unless set; components read and set them with span_value/set_span_value
    "kg_also_named",  # another name the article gives the entity: "Jokowi" for Joko Widodo (kg_mentions)
    "kg_confidence",  # the linker's confidence in kb_id_ (kg_linker, kg_anaphora)
    "kg_date_range",  # (first day, last day) of a date span (kg_dates)
)
for _name, _default in DOC_EXTENSIONS.items():
    Doc.set_extension(_name, default=_default, force=True)


def span_value(span: Span, name: str) -> Any:
    """``span._.<name>`` (one of ``SPAN_EXTENSIONS``) without the ``Underscore`` object spaCy makes on
    each access: the values are kept by name, then by the span's tokens, in ``doc.user_data``."""
    values = span.doc.user_data.get(name)
    return None if values is None else values.get((span.start, span.end))


def set_span_value(span: Span, name: str, value: Any) -> None:
    span.doc.user_data.setdefault(name, {})[(span.start, span.end)] = value


def _register_span_extension(name: str) -> None:
    def get(span: Span) -> Any:
        return span_value(span, name)

    def set_(span: Span, value: Any) -> None:
        set_span_value(span, name, value)

    Span.set_extension(name, getter=get, setter=set_, force=True)


for _name in SPAN_EXTENSIONS:
    _register_span_extension(_name)


# Components read what they share through the functions below, not ``doc._``: spaCy makes a new
# ``Underscore`` object on each ``doc._`` access, ~50 times the cost of the dict lookup underneath,
# and components read these hundreds of times an article. The extensions stay, for users and tests.


def text_of(doc: Doc) -> str:
    """``doc.text`` joins every token on each access; components read it often, so once is kept."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


def keep_text(doc: Doc, text: str) -> Doc:
    """Keep ``text``, the text ``doc`` was tokenized from, as its ``text_of``: spaCy's tokenizer loses
    no character, so it is ``doc.text``, which would otherwise be joined from every token once more."""
    doc.user_data["kg_text"] = text
    return doc


def ents_of(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents`` read once: spaCy rebuilds the spans from every token's entity tag on each access
    (so does ``span.ents``), ~16 times an article; components that set ents use :func:`set_ents`."""
    ents = doc.user_data.get("kg_ents")
    if ents is None:
        ents = doc.user_data["kg_ents"] = tuple(doc.ents)
    return ents


@dataclass(slots=True, frozen=True)
class Tokens:
    """Each token's text and flags as plain lists, read once. ``doc[i]`` and ``for token in doc``
    make a new ``Token`` object on every access, which cost components more than their own work;
    loops over tokens read these lists instead (the tokens never change after the tokenizer)."""

    text: list[str]
    lower: list[str]  # token.lower_
    idx: list[int]  # token.idx
    is_punct: list[int]
    is_space: list[int]

    def end_char(self, end: int) -> int:
        """Where the tokens before ``end`` stop: ``doc[start:end].end_char`` without making the Span."""
        return self.idx[end - 1] + len(self.text[end - 1])

    @classmethod
    def of(cls, doc: Doc) -> Tokens:
        text = text_of(doc)
        columns = doc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE]).T.tolist()
        words = [text[start : start + length] for start, length in zip(columns[0], columns[1], strict=True)]
        # spaCy's LOWER is str.lower() of the text for every language kg has (tested)
        return cls(words, [word.lower() for word in words], columns[0], *columns[2:])


def tokens_of(doc: Doc) -> Tokens:
    tokens = doc.user_data.get("kg_tokens")
    if tokens is None:
        tokens = doc.user_data["kg_tokens"] = Tokens.of(doc)
    return tokens


Doc.set_extension("kg_text", getter=text_of, force=True)
Doc.set_extension("kg_ents", getter=ents_of, force=True)
Doc.set_extension("kg_tokens", getter=tokens_of, force=True)


def set_spans(doc: Doc, key: str, spans: Iterable[Span]) -> None:
    """``doc.spans[key] = spans``, the spans kept for :func:`spans_of`."""
    kept = doc.user_data[f"kg_spans {key}"] = tuple(spans)
    doc.spans[key] = list(kept)


def spans_of(doc: Doc, key: str) -> tuple[Span, ...]:
    """The spans of group ``key``: those :func:`set_spans` kept, as a ``SpanGroup`` makes its spans
    anew (and a ``Token`` for each end) on every pass."""
    kept = doc.user_data.get(f"kg_spans {key}")
    return kept if kept is not None else tuple(doc.spans.get(key, ()))


def set_ents(doc: Doc, spans: list[Span]) -> None:
    """``doc.ents = spans``, kept for ``ents_of(doc)`` as ``doc.ents`` would give them back (by start,
    labelled, not empty): spaCy's setter copies every span, and its getter makes each one anew."""
    doc.set_ents(spans, default="outside")  # what the setter does with its copies
    doc.user_data["kg_ents"] = tuple(sorted((span for span in spans if span.label and len(span)), key=_start))
    doc.user_data.pop("kg_ent_starts", None)


def _start(span: Span) -> int:
    return span.start


def date_tokens(doc: Doc) -> frozenset[int]:
    """The tokens inside the date spans (``kg_dates``), gathered once: reported speech asks for each
    candidate sentence, and gathering them each time grew with the square of the article's length."""
    tokens = doc.user_data.get("kg_date_tokens")
    if tokens is None:
        tokens = doc.user_data["kg_date_tokens"] = frozenset(
            k for span in spans_of(doc, DATES) for k in range(span.start, span.end)
        )
    return tokens


def ents_within(doc: Doc, start: int, end: int) -> list[Span]:
    """``doc[start:end].ents`` (the entities wholly inside), from the kept ents: found by bisection,
    as a scan from the first entity for every sentence and cue grew with the square of the length."""
    ents = ents_of(doc)
    starts = doc.user_data.get("kg_ent_starts")
    if starts is None:
        starts = doc.user_data["kg_ent_starts"] = [ent.start for ent in ents]
    within = []
    for i in range(bisect_left(starts, start), len(ents)):
        if ents[i].end > end:
            break
        within.append(ents[i])
    return within


def mention_key(span: Span) -> str:
    """The key of the entity a finished mention (``doc.ents``, after linking) names. Components ask it of
    each mention many times, and it costs ~3 µs (three StringStore look-ups, a slug): each is kept
    in the Doc under what it depends on, the span's bounds, label, KB id and span id (plain ints)."""
    keys = span.doc.user_data.get("kg_mention_keys")
    if keys is None:
        keys = span.doc.user_data["kg_mention_keys"] = {}
    held = (span.start, span.end, span.label, span.kb_id, span.id)
    key = keys.get(held)
    if key is None:
        key = keys[held] = entity_key(span.kb_id_, span.label_, span.id_ or span_text(span))
    return key


def span_text(span: Span) -> str:
    """``span.text`` from the kept text: spaCy's joins a new Token object per token on each access."""
    text = span.doc.user_data.get("kg_text")
    return span.text if text is None else text[span.start_char : span.end_char]


@dataclass(slots=True, frozen=True)
class Sentences:
    """The article's sentences, found once: spaCy's ``doc.sents`` and ``span.sent`` scan every
    token on each call, which cost later components more than all their own work."""

    spans: tuple[Span, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, doc: Doc) -> Sentences:
        starts = [0] + [int(i) for i in np.flatnonzero(doc.to_array(SENT_START)[1:] == 1) + 1]
        ends = [*starts[1:], len(doc)]
        return cls(tuple(doc[start:end] for start, end in zip(starts, ends, strict=True) if start < end), tuple(starts))

    def at(self, token: int) -> Span:
        """The sentence holding token index ``token``."""
        return self.spans[bisect_right(self.starts, token) - 1]


def sentences_of(doc: Doc) -> Sentences:
    """The article's sentences, final after ``kg_layout`` (also ``doc._.kg_sentences``)."""
    sentences: Sentences = doc.user_data["kg_sentences"]
    return sentences


Doc.set_extension(
    "kg_sentences",
    getter=lambda doc: doc.user_data.get("kg_sentences"),
    setter=lambda doc, sentences: doc.user_data.__setitem__("kg_sentences", sentences),
    force=True,
)


def text_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-empty line, without its line break."""
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        if stripped.strip():
            yield offset, offset + len(stripped)
        offset += len(line)
