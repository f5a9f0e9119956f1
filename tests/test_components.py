"""Components on the smallest pipeline that feeds them: each stage is usable on its own, and its
declared ``requires`` are all it needs."""

from __future__ import annotations

from datetime import date

import spacy
from spacy.language import Language

import kg.pipeline  # noqa: F401  (registers the factories)
from kg.lexicon import LEXICONS
from kg.pipeline.doc import ARTICLE_ROLES, DATES, GAZETTEER


def small(lang: str, *components: str) -> Language:
    nlp = spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    for name in components:
        declared = nlp.get_factory_meta(name).default_config or {}
        nlp.add_pipe(name, config={k: v for k, v in LEXICONS[lang].items() if k in declared})
    return nlp


def test_dates_alone_resolve_against_the_day_the_caller_gives() -> None:
    nlp = small("id", "kg_dates")
    doc = nlp.make_doc("Rapat digelar Selasa (11/10/2022); sehari sebelumnya para menteri tiba, kata Budi kemarin.")
    doc._.kg_published = date(2022, 10, 12)
    doc = nlp(doc)
    assert [(s.text, s._.kg_date_range) for s in doc.spans[DATES]] == [
        ("Selasa (11/10/2022)", (date(2022, 10, 11), date(2022, 10, 11))),
        ("sehari sebelumnya", (date(2022, 10, 10), date(2022, 10, 10))),
        ("kemarin", (date(2022, 10, 11), date(2022, 10, 11))),
    ]


def test_the_gazetteer_needs_only_folded_norms() -> None:
    nlp = small("en", "kg_fold_norms", "kg_gazetteer")
    # "Erdoğan" matches the KB's "Erdogan" through the folded norm; "who" is no acronym in lower case
    doc = nlp("Erdoğan met NATO officials in Ankara; the who said nothing.")
    found = [(s.text, s.label_) for s in doc.spans[GAZETTEER]]
    assert found == [("Erdoğan", "PER"), ("NATO", "ORG"), ("Ankara", "LOC")]


def test_credit_line_cues_are_the_lexicons_words() -> None:
    """A credit line's cues come from the language's lexicon: a new cue needs no code."""
    text = "Banjir Rendam Kota Medan\nHujan deras mengguyur kota sejak pagi.\nRedaktur: Rina Kartika"

    def roles(editor_cues: list[str]) -> list[tuple[str, str]]:
        nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
        nlp.add_pipe("sentencizer")
        declared = nlp.get_factory_meta("kg_layout").default_config or {}
        config = {k: v for k, v in LEXICONS["id"].items() if k in declared}
        nlp.add_pipe("kg_layout", config={**config, "editor_cues": editor_cues})
        return [(s.label_, s.text) for s in nlp(text).spans[ARTICLE_ROLES]]

    assert roles(LEXICONS["id"]["editor_cues"]) == []
    assert roles([*LEXICONS["id"]["editor_cues"], "Redaktur"]) == [("editor", "Rina Kartika")]


def test_a_mentions_key_follows_its_label_kb_id_and_span_id() -> None:
    """mention_key keeps each key in the Doc: the same words with another label, QID or span id (before
    and after linking, say) have their own key."""
    from spacy.tokens import Span

    from kg.pipeline.doc import mention_key

    doc = small("id").make_doc("Wiratma Sundoro tiba di Jakarta.")
    spans = [
        Span(doc, 0, 2, label="PER"),
        Span(doc, 0, 2, label="PER", kb_id="Q9999990001"),
        Span(doc, 0, 2, label="ORG"),
        Span(doc, 0, 2, label="PER", span_id="Wiratma Sundoro Putra"),
        Span(doc, 0, 2, label="PER"),
    ]
    assert [mention_key(span) for span in spans] == [
        "PER:wiratma-sundoro",
        "Q9999990001",
        "ORG:wiratma-sundoro",
        "PER:wiratma-sundoro-putra",
        "PER:wiratma-sundoro",
    ]
