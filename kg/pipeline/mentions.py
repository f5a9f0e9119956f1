"""``kg_mentions``: one set of non-overlapping mentions, written to ``doc.ents``.

Sources in order of trust: the article's own layout (dateline, byline), strong cues, the
gazetteer, weak cues. Longer spans win; on equal spans the more trusted source decides the
type. Nothing inside an excluded line (``Baca juga``) survives, nor a lone month or weekday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.pipeline.doc import (
    ARTICLE_ROLES,
    EXCLUDED,
    GAZETTEER,
    LEARNED,
    ROLE_TYPES,
    STRONG,
    TITLE_CASE,
    WEAK,
    set_ents,
    set_span_value,
    span_text,
    span_value,
    spans_of,
    text_of,
    tokens_of,
)
from kg.records import EntityType

SOURCES = (ARTICLE_ROLES, STRONG, GAZETTEER, WEAK)
# a shorter form of the mention's name that the KB may know it by: "Kenya" for "Republik Kenya", "Marcos" for
# "Marcos Jr"; the linker looks both up


@Language.factory(
    "kg_mentions",
    requires=["doc.spans", "token.is_sent_start"],
    assigns=["doc.ents", "span._.kg_also_named"],
    default_config={
        "weekdays": [],
        "months": [],
        "honorifics": [],
        "name_suffixes": [],
        "place_directions_after": [],
        "place_directions_before": [],
        "place_prefixes": [],
        "not_alone": [],
        "acronym_countries": [],
        "org_continuations": [],
        "titles": [],
        "title_words": [],
    },
)
def make_mentions(
    nlp: Language,
    name: str,
    weekdays: list[str],
    months: list[str],
    honorifics: list[str],
    name_suffixes: list[str],
    place_directions_after: list[str],
    place_directions_before: list[str],
    place_prefixes: list[str],
    not_alone: list[str],
    acronym_countries: list[str],
    org_continuations: list[str],
    titles: list[str],
    title_words: list[str],
) -> Mentions:
    words = NameWords(
        honorifics=_phrases(honorifics),
        suffixes=frozenset(name_suffixes),
        directions_after=_phrases(place_directions_after),
        directions_before=_phrases(place_directions_before),
        place_prefixes=_phrases(place_prefixes),
        not_alone=frozenset(not_alone),
        acronym_countries=frozenset(acronym_countries),
        org_continuations=frozenset(org_continuations),
        not_names=frozenset(weekdays)
        | frozenset(months)
        | frozenset(nlp.Defaults.stop_words)
        | frozenset(title_words)
        | frozenset(word for title in titles for word in title.split())
        | frozenset(word for honorific in honorifics for word in honorific.split()),
    )
    return Mentions(frozenset(weekdays) | frozenset(months), words)


def _phrases(phrases: list[str]) -> tuple[tuple[str, ...], ...]:
    """Multi-word phrases as token tuples, longest first (so "datuk seri" is tried before "datuk")."""
    return tuple(sorted({tuple(p.split()) for p in phrases}, key=lambda words: (-len(words), words)))


@dataclass(slots=True, frozen=True)
class NameWords:
    """The words around names that decide where a mention begins and ends (per language, from the lexicon)."""

    honorifics: tuple[tuple[str, ...], ...]  # "datuk seri", "pak", "mr.": outside a person's span
    suffixes: frozenset[str]  # "jr", "sr": inside it
    directions_after: tuple[tuple[str, ...], ...]  # "Jakarta Pusat", "Asia Tenggara": part of the place
    directions_before: tuple[tuple[str, ...], ...]  # "South Jakarta", "Central Java"
    place_prefixes: tuple[tuple[str, ...], ...]  # "Republik Kenya", "Republik Islam Iran"
    not_alone: frozenset[str]  # "Kantor", "Pemerintah": capitalized common nouns, no name on their own
    acronym_countries: frozenset[str]  # "RI" after an acronym: part of the organization ("DPR RI")
    org_continuations: frozenset[str]  # "ASEAN Plus Three": a longer name than the KB's inside it
    not_names: frozenset[str]  # stop words, titles, calendar words: never part of a personal name
    honorific_starts: frozenset[str] = field(init=False, default=frozenset())
    after_starts: frozenset[str] = field(init=False, default=frozenset())
    before_ends: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        # first (last) words of the phrases, checked before any phrase is tried at a token
        object.__setattr__(self, "honorific_starts", frozenset(h[0] for h in self.honorifics))
        object.__setattr__(self, "after_starts", frozenset(d[0] for d in self.directions_after))
        object.__setattr__(
            self, "before_ends", frozenset(d[-1] for d in (*self.directions_before, *self.place_prefixes))
        )


class Mentions:
    def __init__(self, calendar_words: frozenset[str], words: NameWords) -> None:
        self.calendar_words = calendar_words
        self.words = words

    def __call__(self, doc: Doc) -> Doc:
        excluded = {i for span in spans_of(doc, EXCLUDED) for i in range(span.start, span.end)}
        known: dict[int, list[Span]] = {}  # token -> the KB names over it
        gazetteer = spans_of(doc, GAZETTEER)
        for name in gazetteer:
            for i in range(name.start, name.end):
                known.setdefault(i, []).append(name)
        kb_bounds = {(name.start, name.end) for name in gazetteer}
        # (-length, trust, start, end, label, id): a Span is made only for the candidates chosen
        ranked: list[tuple[int, int, int, int, str, str]] = []
        for trust, group in enumerate(SOURCES):
            for span in spans_of(doc, group):
                start, end = span.start, span.end
                if group in {STRONG, WEAK} and any(
                    _crosses(start, end, name) for i in range(start, end) for name in known.get(i, ())
                ):
                    continue  # "Serikat Joe Biden" cuts "Amerika Serikat" in two: the cue misread
                if group == STRONG and (start, end) in kb_bounds:
                    continue  # "Gedung Putih" read by the head word "Gedung" is the KB's (an organization)
                if self._keep(doc, start, end, excluded):
                    label = ROLE_TYPES[span.label_].value if group == ARTICLE_ROLES else span.label_
                    ranked.append((start - end, trust, start, end, label, span.id_))
        taken: set[int] = set()
        chosen: list[Span] = []
        for *_, start, end, label, span_id in sorted(ranked, key=lambda item: item[:3]):
            if taken.isdisjoint(range(start, end)):
                chosen.append(Span(doc, start, end, label=label, span_id=span_id))
                taken.update(range(start, end))
        chosen.extend(_learned(doc, taken, excluded, known))
        roles = {(span.start, span.end) for span in spans_of(doc, ARTICLE_ROLES)}
        untrusted = {i for span in spans_of(doc, TITLE_CASE) for i in range(span.start, span.end)}
        bounds = Boundaries(doc, self.words, excluded | untrusted, roles, kb_bounds)
        set_ents(doc, bounds.refine(sorted(chosen, key=lambda span: span.start)))
        return doc

    def _keep(self, doc: Doc, start: int, end: int, excluded: set[int]) -> bool:
        if any(i in excluded for i in range(start, end)):
            return False
        return not (end - start == 1 and tokens_of(doc).lower[start] in self.calendar_words)


def _learned(doc: Doc, taken: set[int], excluded: set[int], known: dict[int, list[Span]]) -> list[Span]:
    """The learned model's names (#15) where no other source took a token: the KB and the cues are surer
    where they speak (measured: letting the model's longer spans win lost more than it found)."""
    out = []
    for span in spans_of(doc, LEARNED):
        tokens = range(span.start, span.end)
        if taken.isdisjoint(tokens) and excluded.isdisjoint(tokens) and not any(i in known for i in tokens):
            out.append(Span(doc, span.start, span.end, label=span.label_))
            taken.update(tokens)
    return out


def _crosses(start: int, end: int, other: Span) -> bool:
    """True when the tokens from ``start`` to ``end`` and ``other`` overlap but neither holds the other."""
    overlap = start < other.end and other.start < end
    contains = (start <= other.start and other.end <= end) or (other.start <= start and end <= other.end)
    return overlap and not contains


PER, ORG, LOC = EntityType.PER.value, EntityType.ORG.value, EntityType.LOC.value
MAX_PERSON_TOKENS = 4
_QUOTES = frozenset({'"', "'", "“", "”", "‘", "’"})
_NICKNAME = re.compile(r"[A-Z][\w-]+ [\"'“‘](?P<nick>[A-Z][\w-]+)[\"'”’] [A-Z][\w-]+")


class Boundaries:
    """Where the chosen mentions begin and end, fixed with the words around them:

    - ``Joko "Jokowi" Widodo`` is one person; ``Marcos Jr`` ends with its suffix; ``Datuk Seri``, ``Pak``,
      ``Mr`` stay outside a person's span;
    - two people side by side are one name (``Budi`` ``Santoso``), and a person the KB knows by part of
      the name takes the rest of it (``Sergei Lavrov`` after ``Lavrov``);
    - direction words belong to the place (``Jakarta Pusat``, ``South Jakarta``), so do ``Republik`` and
      the like (``Republik Kenya``); an acronym followed by ``RI`` is one organization (``DPR RI``);
    - a capitalized common noun alone (``Kantor``, ``Pemerintah``) is no mention.
    """

    def __init__(
        self,
        doc: Doc,
        words: NameWords,
        untrusted: set[int],
        roles: set[tuple[int, int]],
        kb_names: set[tuple[int, int]],
    ) -> None:
        self.doc = doc
        tokens = tokens_of(doc)  # doc[i] makes a Token on every access
        self.text, self.lower = tokens.text, tokens.lower
        self.kb_names = kb_names  # spans the KB knows as they are written ("Sheikh Mohammed …" as an alias)
        self.words = words
        self.untrusted = untrusted
        self.roles = roles  # dateline and credit spans: read off the layout, kept as they are

    def refine(self, ents: list[Span]) -> list[Span]:
        trimmed = (self._trim_honorifics(ent) for ent in ents)
        ents = [ent for ent in trimmed if ent is not None and not self._common_noun(ent)]
        ents = self._merge_people(ents)
        ents = self._acronym_country(ents)
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        out = []
        for ent in ents:
            if (ent.start, ent.end) not in self.roles:
                ent = self._extend(ent, taken)
            out.append(ent)
        return out

    def _span(self, ent: Span, start: int, end: int, same_name: bool = False) -> Span:
        """``ent`` from ``start`` to ``end``; ``same_name`` when the longer form names the entity the shorter
        names (``Republik Kenya`` is ``Kenya``, ``Marcos Jr`` is ``Marcos``): the linker then reads it as such."""
        if start == ent.start and end == ent.end:
            return ent
        span = Span(self.doc, start, end, label=ent.label_, span_id=ent.id_)
        if same_name:
            set_span_value(span, "kg_also_named", span_value(ent, "kg_also_named") or span_text(ent))
        return span

    def _lower(self, start: int, words: tuple[str, ...]) -> bool:
        end = start + len(words)
        return (
            0 <= start
            and end <= len(self.doc)
            and all(self.lower[i] == word for i, word in zip(range(start, end), words, strict=True))
        )

    def _trim_honorifics(self, ent: Span) -> Span | None:
        if ent.label_ != PER:
            return ent
        start = ent.start
        while start < ent.end and self.lower[start] in self.words.honorific_starts:
            honorific = next((h for h in self.words.honorifics if self._lower(start, h)), None)
            if honorific is None:
                break
            start += len(honorific)
        if start == ent.end:
            return None
        return self._span(ent, start, ent.end, same_name=(ent.start, ent.end) in self.kb_names)

    def _common_noun(self, ent: Span) -> bool:
        return (
            len(ent) == 1 and self.lower[ent.start] in self.words.not_alone and (ent.start, ent.end) not in self.roles
        )

    def _name_token(self, i: int, taken: set[int]) -> bool:
        if not 0 <= i < len(self.doc) or i in taken or i in self.untrusted:
            return False
        text = self.text[i]
        has_lower = any(ch.islower() for ch in text)
        return text[:1].isupper() and has_lower and self.lower[i] not in self.words.not_names

    def _acronym_country(self, ents: list[Span]) -> list[Span]:
        """``DPR RI``, ``MPR RI``: an acronym followed by the country's abbreviation is one organization."""
        out: list[Span] = []
        for ent in ents:
            i = ent.start
            before = self.text[i - 1] if i > 0 else None
            if (
                ent.label_ == LOC
                and len(ent) == 1
                and span_text(ent) in self.words.acronym_countries
                and before is not None
                and before.isupper()
                and before.isalpha()
                and 2 <= len(before) <= 6
                and i - 1 not in self.untrusted
                and self.doc[i - 1].whitespace_
            ):
                if out and out[-1].end == i and out[-1].label_ == ORG and len(out[-1]) == 1:
                    out[-1] = Span(self.doc, i - 1, ent.end, label=ORG)
                    continue
                if not out or out[-1].end < i:
                    out.append(Span(self.doc, i - 1, ent.end, label=ORG))
                    continue
            out.append(ent)
        return out

    def _merge_people(self, ents: list[Span]) -> list[Span]:
        """``Budi`` ``Santoso``, ``Ferdinand`` ``Marcos``: people side by side are one name; so are
        ``Joko "Jokowi" Widodo`` and its quoted nickname."""
        out: list[Span] = []
        for ent in ents:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.label_ == PER
                and ent.label_ == PER
                and prev.end == ent.start
                and self.doc[prev.end - 1].whitespace_
                and (ent.start not in self.untrusted or (ent.start, ent.end) in self.kb_names)
                and len(prev) + len(ent) <= MAX_PERSON_TOKENS
                and (prev.start, prev.end) not in self.roles
                and (ent.start, ent.end) not in self.roles
            ):
                out[-1] = Span(self.doc, prev.start, ent.end, label=PER)
                continue
            out.append(ent)
        return self._nicknames(out)

    def _nicknames(self, ents: list[Span]) -> list[Span]:
        """``Joko "Jokowi" Widodo``, ``Rano 'Doel' Karno``: first name, quoted nickname, last name."""
        doc = self.doc
        shapes = list(_NICKNAME.finditer(text_of(doc)))  # where the text has the shape of one
        if not shapes:
            return ents
        drop: set[int] = set()
        added: list[Span] = []
        taken = {i: n for n, ent in enumerate(ents) for i in range(ent.start, ent.end)}
        for found in shapes:
            nick = doc.char_span(found.start("nick"), found.end("nick"))
            if nick is None or len(nick) != 1:
                continue
            i = nick.start
            if not (2 <= i < len(doc) - 2 and self.text[i - 1] in _QUOTES and self.text[i + 1] in _QUOTES):
                continue
            first, last = i - 2, i + 2
            if not all(self._name_token(j, set()) for j in (first, i, last)):
                continue
            owners = {taken[j] for j in (first, i, last) if j in taken}
            if any(ents[n].label_ != PER or ents[n].start < first or ents[n].end > last + 1 for n in owners):
                continue
            nickname = next((ents[n] for n in owners if ents[n].start == i), None)
            # 'Rano "Doel" Karno' is named "Rano Karno" for coreference, and is what the KB knows as "Doel"
            whole = Span(doc, first, last + 1, label=PER, span_id=f"{self.text[first]} {self.text[last]}")
            if nickname is not None:
                set_span_value(whole, "kg_also_named", span_text(nickname))
            drop.update(owners)
            added.append(whole)
        if not added:
            return ents
        kept = [ent for n, ent in enumerate(ents) if n not in drop]
        return sorted([*kept, *added], key=lambda span: span.start)

    def _extend(self, ent: Span, taken: set[int]) -> Span:
        doc = self.doc
        start, end = ent.start, ent.end
        if ent.label_ == PER:
            if end < len(doc) and end not in taken and self.lower[end] in self.words.suffixes:
                taken.add(end)
                return self._span(ent, start, end + 1, same_name=True)  # "Marcos Jr"
            # a person the KB knows by part of the name takes the rest: "Sergei Lavrov" where the KB has "Lavrov"
            while end - start < MAX_PERSON_TOKENS and self._name_token(end, taken) and not doc[end].is_sent_start:
                taken.add(end)
                end += 1
            while (
                end - start < MAX_PERSON_TOKENS
                and self._name_token(start - 1, taken)
                and not doc[start - 1].is_sent_start
            ):
                start -= 1
                taken.add(start)
            return self._span(ent, start, end)
        if ent.label_ == ORG and end + 1 < len(doc) and self.lower[end] in self.words.org_continuations:
            last = end + 1
            while (
                last < len(doc)
                and last - end <= 3
                and (self._name_token(last, taken) or (doc[last].like_num and last not in taken))
            ):
                last += 1
            if last > end + 1 and self.text[end][:1].isupper():
                taken.update(range(end, last))
                return self._span(ent, start, last)  # "ASEAN Plus Three" is not ASEAN
        if ent.label_ == LOC:
            before = self.lower[start - 1] if start > 0 else ""
            after = self.lower[end] if end < len(doc) else ""
            if before not in self.words.before_ends and after not in self.words.after_starts:
                return ent
            prefixed = start
            for words in self.words.place_prefixes:  # "Republik Kenya" is Kenya
                first = start - len(words)
                if (
                    self._lower(first, words)
                    and self.text[first][:1].isupper()
                    and not taken & set(range(first, start))
                ):
                    taken.update(range(first, start))
                    prefixed = first
                    break
            if prefixed < start:
                return self._span(ent, prefixed, end, same_name=True)
            for words in self.words.directions_after:
                free = not taken & set(range(end, end + len(words)))
                if self._lower(end, words) and self.text[end][:1].isupper() and free:
                    taken.update(range(end, end + len(words)))
                    end += len(words)
                    break
            for words in self.words.directions_before:
                first = start - len(words)
                if (
                    self._lower(first, words)
                    and self.text[first][:1].isupper()
                    and not taken & set(range(first, start))
                    and first not in self.untrusted
                ):
                    taken.update(range(first, start))
                    start = first
                    break
            return self._span(ent, start, end)
        return ent
