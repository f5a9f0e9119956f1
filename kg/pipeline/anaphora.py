"""``kg_anaphora``: common nouns that stand for an entity the article already named.

"aliansi" after "NATO", "the alliance" after "NATO": the KB lists such nouns per entity
(kind ``anaphor``); one is read as standing for it only when the entity was linked earlier in
the same article, so a lone "aliansi" in a story without NATO stays a word. An anaphor is not a
name: it goes to ``doc.spans["kg_anaphors"]`` (``kb_id_`` the entity), not to ``doc.ents``.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.kb import open_kb
from kg.normalize import fold
from kg.pipeline.doc import ANAPHORS, EXCLUDED, ents_of, set_span_value, set_spans, spans_of
from kg.pipeline.gazetteer import folded_pattern

ANAPHOR_CONFIDENCE = 0.7


@Language.factory(
    "kg_anaphora",
    requires=["doc.ents", "doc.spans"],
    assigns=["doc.spans", "span._.kg_confidence"],
    default_config={"kb_path": None},
)
def make_anaphora(nlp: Language, name: str, kb_path: str | None) -> Anaphora:
    return Anaphora(nlp, Path(kb_path) if kb_path else None)


class Anaphora:
    def __init__(self, nlp: Language, kb_path: Path | None) -> None:
        self.anaphors = open_kb(kb_path).anaphors()
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.matcher.add("ANAPHOR", [folded_pattern(nlp, norm) for norm in self.anaphors])

    def __call__(self, doc: Doc) -> Doc:
        ents = ents_of(doc)
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        taken |= {i for span in spans_of(doc, EXCLUDED) for i in range(span.start, span.end)}
        found: list[Span] = []
        for _, start, end in self.matcher(doc):
            if not taken.isdisjoint(range(start, end)):
                continue
            qids = self.anaphors[fold(doc[start:end].text)]
            antecedents = [ent for ent in ents if ent.kb_id_ in qids and ent.start < start]
            if len({ent.kb_id_ for ent in antecedents}) != 1:
                continue
            antecedent = antecedents[-1]
            span = Span(doc, start, end, label=antecedent.label_, kb_id=antecedent.kb_id_, span_id=antecedent.id_)
            set_span_value(span, "kg_confidence", ANAPHOR_CONFIDENCE)
            found.append(span)
            taken.update(range(start, end))
        set_spans(doc, ANAPHORS, sorted(found, key=lambda span: span.start))
        return doc
