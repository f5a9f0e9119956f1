"""``kg_gazetteer``: find the knowledge base's names in the text.

Token norms are folded first (case, diacritics) so "Erdogan" meets "Erdoğan"; a match must
still look like a name in the text: capitalized, and in capitals when the KB name is an
acronym ("AS" but not "as", "WHO" but not "Who").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

import numpy as np
from spacy.attrs import NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from thinc.types import Ints2d

from kg.kb import open_kb
from kg.normalize import fold
from kg.pipeline.doc import GAZETTEER, set_spans, text_of, tokens_of
from kg.records import EntityType

MIN_LOWER_CASE_NAME = 5
_ROMAN = re.compile(r"^(?=[IVXLC]{2,}$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


@Language.factory("kg_fold_norms", assigns=["token.norm"])
def make_fold_norms(nlp: Language, name: str) -> FoldNorms:
    return FoldNorms()


class FoldNorms:
    """Sets ``token.norm_`` to the folded text, the attribute every name lookup matches on."""

    MEMO_SIZE = 50_000  # words (a few MB); news repeats its words, so most are folded once a run

    def __init__(self) -> None:
        self.memo: dict[str, int] = {}  # word -> its folded text's key in the vocab's strings

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            memo, add = self.memo, doc.vocab.strings.add
            if len(memo) > self.MEMO_SIZE:
                memo.clear()
            norms = [memo.get(word) or memo.setdefault(word, add(fold(word))) for word in tokens_of(doc).text]
            doc.from_array([NORM], cast(Ints2d, np.array(norms, dtype=np.uint64).reshape(-1, 1)))
        return doc


def folded_pattern(nlp: Language, phrase: str) -> Doc:
    """A matcher pattern tokenized like running text ("U.S." stays one token), with folded norms."""
    pattern = nlp.make_doc(phrase)
    for token in pattern:
        token.norm_ = fold(token.text)
    return pattern


@Language.factory(
    "kg_gazetteer",
    requires=["token.norm", "token.is_sent_start"],
    assigns=["doc.spans"],
    default_config={"kb_path": None, "number_words": []},
)
def make_gazetteer(nlp: Language, name: str, kb_path: str | None, number_words: list[str]) -> Gazetteer:
    return Gazetteer(nlp, Path(kb_path) if kb_path else None, frozenset(number_words))


class Gazetteer:
    def __init__(self, nlp: Language, kb_path: Path | None, number_words: frozenset[str] = frozenset()) -> None:
        kb = open_kb(kb_path)
        self.number_words = number_words  # "Lima orang tewas": five, not the capital of Peru
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.stop_words = frozenset(nlp.Defaults.stop_words)
        first: dict[str, tuple[str, EntityType]] = {}  # folded name -> (a spelling, type of best entity)
        acronym_only: dict[str, bool] = {}
        holders: dict[str, int] = {}  # folded name -> how many names of entities spell it so
        for entry in kb.gazetteer_names():
            norm = fold(entry.name)
            first.setdefault(norm, (entry.name, entry.type))
            acronym_only[norm] = acronym_only.get(norm, True) and entry.acronym
            holders[norm] = holders.get(norm, 0) + 1
        # a name of one entity only, a person or place, long enough not to be a common word by chance: "putin",
        # "indonesia" in lower case are that entity when the article also names it in capitals
        self.lower_ok = frozenset(
            norm
            for norm, (name, entity_type) in first.items()
            if holders[norm] == 1
            and entity_type in {EntityType.PER, EntityType.LOC}
            and len(norm) >= MIN_LOWER_CASE_NAME
            and name[:1].isupper()
            and not acronym_only[norm]
        )
        by_type: dict[EntityType, list[Doc]] = {t: [] for t in EntityType}
        for name, entity_type in first.values():
            by_type[entity_type].append(folded_pattern(nlp, name))
        for entity_type, patterns in by_type.items():
            self.matcher.add(entity_type.value, patterns)
        self.acronyms = frozenset(norm for norm, only in acronym_only.items() if only)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        lower_case = []
        text = text_of(doc)
        tokens = tokens_of(doc)
        lowers, starts = tokens.lower, tokens.idx
        for match_id, start, end in self.matcher(doc):
            # the span's own start_char and end_char, without making it (and its Tokens) for a match dropped
            surface = text[starts[start] : tokens.end_char(end)]
            if self._looks_like_name(doc, start, end, surface):
                spans.append(Span(doc, start, end, label=match_id))
            elif surface.islower() and fold(surface) in self.lower_ok:
                lower_case.append(Span(doc, start, end, label=match_id))
        if lower_case:
            named = {fold(text[span.start_char : span.end_char]) for span in spans}
            spans.extend(
                span
                for span in lower_case
                if fold(text[span.start_char : span.end_char]) in named
                and not any(lowers[k] in self.stop_words for k in range(span.start, span.end))
            )
            spans.sort(key=lambda span: (span.start, span.end))
        set_spans(doc, GAZETTEER, spans)
        return doc

    def _looks_like_name(self, doc: Doc, start: int, end: int, surface: str) -> bool:
        tokens = tokens_of(doc)
        first = tokens.text[start]
        if not (first[:1].isupper() or first[:1].isdigit()):
            return False
        norm = fold(surface)
        if norm in self.acronyms and surface != surface.upper():
            return False
        if end - start == 1 and _ROMAN.match(surface):
            return False  # "Munas XI", "level II": a numeral in capitals, not "Xi" or "Ii"
        if end - start == 1 and tokens.lower[start] in self.number_words:
            after = doc[end] if end < len(doc) else None
            if after is not None and (after.is_lower or after.like_num):
                return False  # "Lima orang", "Lima belas": a number word counting what follows
        # "Ada" opening a sentence is the verb, not a name the KB happens to hold
        return not (end - start == 1 and norm in self.stop_words and doc[start].is_sent_start)
