"""``kg_sentencizer``: spaCy's rule sentencizer, reading each token's text and punctuation flag from
the token lists (``tokens_of(doc)``) instead of making a ``Token`` for every token of the article."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from kg.pipeline.doc import tokens_of


class TokenListSentencizer(Sentencizer):
    """Sentence starts exactly as ``Sentencizer.predict`` finds them (same rule, same punctuation)."""

    def predict(self, docs: Iterable[Doc]) -> list[list[bool]]:
        guesses = []
        for doc in docs:
            n_tokens = len(doc)
            doc_guesses = [False] * n_tokens
            if n_tokens > 0:
                tokens = tokens_of(doc)
                punct_chars = self.punct_chars
                start = 0
                seen_period = False
                doc_guesses[0] = True
                for i, (word, is_punct) in enumerate(zip(tokens.text, tokens.is_punct, strict=True)):
                    is_in_punct_chars = word in punct_chars
                    if seen_period and not is_punct and not is_in_punct_chars:
                        doc_guesses[start] = True
                        start = i
                        seen_period = False
                    elif is_in_punct_chars:
                        seen_period = True
                if start < n_tokens:
                    doc_guesses[start] = True
            guesses.append(doc_guesses)
        return guesses


@Language.factory(
    "kg_sentencizer",
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={"punct_chars": None, "overwrite": False, "scorer": {"@scorers": "spacy.senter_scorer.v1"}},
    default_score_weights={"sents_f": 1.0, "sents_p": 0.0, "sents_r": 0.0},
)
def make_sentencizer(
    nlp: Language, name: str, punct_chars: list[str] | None, overwrite: bool, scorer: Callable | None
) -> TokenListSentencizer:
    return TokenListSentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)
