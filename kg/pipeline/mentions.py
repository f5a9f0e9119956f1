"""``kg_mentions``: one set of non-overlapping mentions, written to ``doc.ents``.

Sources in order of trust: the article's own layout (dateline, byline), strong cues, the
gazetteer, weak cues. Longer spans win; on equal spans the more trusted source decides the
type. Nothing inside an excluded line (``Baca juga``) survives, nor a lone month or weekday.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.pipeline.cues import STRONG, WEAK
from kg.pipeline.gazetteer import GAZETTEER
from kg.pipeline.layout import ARTICLE_ROLES, EXCLUDED, ROLE_TYPES, set_ents
from kg.records import entity_key

SOURCES = (ARTICLE_ROLES, STRONG, GAZETTEER, WEAK)


def mention_key(span: Span) -> str:
    """The key of the entity a finished mention (``doc.ents``, after linking) names."""
    return entity_key(span.kb_id_, span.label_, span.id_ or span.text)


@Language.factory("kg_mentions", default_config={"weekdays": [], "months": []})
def make_mentions(nlp: Language, name: str, weekdays: list[str], months: list[str]) -> Mentions:
    return Mentions(frozenset(weekdays) | frozenset(months))


class Mentions:
    def __init__(self, calendar_words: frozenset[str]) -> None:
        self.calendar_words = calendar_words

    def __call__(self, doc: Doc) -> Doc:
        excluded = {i for span in doc.spans.get(EXCLUDED, []) for i in range(span.start, span.end)}
        known: dict[int, list[Span]] = {}  # token -> the KB names over it
        for name in doc.spans.get(GAZETTEER, []):
            for i in range(name.start, name.end):
                known.setdefault(i, []).append(name)
        ranked: list[tuple[int, int, int, Span]] = []
        for trust, group in enumerate(SOURCES):
            for span in doc.spans.get(group, []):
                label = ROLE_TYPES[span.label_].value if group == ARTICLE_ROLES else span.label_
                span = Span(doc, span.start, span.end, label=label, span_id=span.id_)
                if group in {STRONG, WEAK} and any(
                    _crosses(span, name) for i in range(span.start, span.end) for name in known.get(i, ())
                ):
                    continue  # "Serikat Joe Biden" cuts "Amerika Serikat" in two: the cue misread
                if self._keep(span, excluded):
                    ranked.append((-len(span), trust, span.start, span))
        taken: set[int] = set()
        chosen: list[Span] = []
        for *_, span in sorted(ranked, key=lambda item: item[:3]):
            if taken.isdisjoint(range(span.start, span.end)):
                chosen.append(span)
                taken.update(range(span.start, span.end))
        set_ents(doc, sorted(chosen, key=lambda span: span.start))
        return doc

    def _keep(self, span: Span, excluded: set[int]) -> bool:
        if any(i in excluded for i in range(span.start, span.end)):
            return False
        return not (len(span) == 1 and span[0].lower_ in self.calendar_words)


def _crosses(span: Span, other: Span) -> bool:
    """True when the two overlap but neither contains the other."""
    overlap = span.start < other.end and other.start < span.end
    contains = (span.start <= other.start and other.end <= span.end) or (
        other.start <= span.start and span.end <= other.end
    )
    return overlap and not contains
