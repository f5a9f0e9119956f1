"""``kg_learned_ner``: person, organization and place names that no list and no cue knows, proposed by a
span classifier learned from Indonesian NER corpora (``make train``; the model card is ``kg/models/README.md``).

Candidates are the spans of capitalized runs (``Bupati Sleman Kustini Sri Purnomo`` gives ``Sleman``,
``Kustini Sri Purnomo`` and every other sub-span of up to six words); each is scored for PER, ORG, LOC
and "no name" by a linear model over hashed-free string features (its words, their shapes, the words
around it), and the best non-overlapping spans whose margin over "no name" clears the threshold are kept.
A linear model over a few dozen candidates an article costs about a millisecond; a neural tagger over
every token costs tens.

The proposals go to ``doc.spans["kg_learned"]``; ``kg_mentions`` adds them where the KB and the cues
left the tokens free, so a sure span is never cut or retyped by a guess.

With ``spacy_model`` (``kg extract --ner-model en_core_web_sm``, or a pipeline's directory) the proposals
are that spaCy pipeline's entities instead (:data:`SPACY_LABELS`), under the same rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.errors import UsageError
from kg.pipeline.doc import (
    ARTICLE_ROLES,
    EXCLUDED,
    GAZETTEER,
    LEARNED,
    STRONG,
    TITLE_CASE,
    sentences_of,
    set_spans,
    spans_of,
    text_of,
    tokens_of,
)

CLASSES = ("", "PER", "ORG", "LOC")  # "" is "no name"
MAX_SPAN = 6
MAX_RUN = 12
MODEL_FILE = "id_ner.npz"
# a spaCy pipeline's entity labels (OntoNotes' as en_core_web_* has them, and WikiNER's) as kg's types; the
# others (dates, numbers, events, works, nationalities: NORP) are no name kg holds
SPACY_LABELS = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


@lru_cache(maxsize=1 << 16)
def shape(word: str) -> str:
    """``Xx`` capitalized, ``X`` all capitals, ``d`` with a digit, ``x`` lower case, ``p`` anything else."""
    if _DIGIT.search(word):
        return "d"
    if word[:1].isupper():
        return "X" if word.isupper() and len(word) > 1 else "Xx"
    if word[:1].islower():
        return "x"
    return "p"


_DIGIT = re.compile(r"\d")


def candidates(
    words: Sequence[str],
    joiners: frozenset[str],
    blocked: frozenset[int] | set[int] = frozenset(),
    lo: int = 0,
    hi: int | None = None,
) -> Iterator[tuple[int, int]]:
    """(start, end) of every span of a capitalized run in the sentence ``words[lo:hi]``: it starts and ends on a
    capitalized word, holds only capitalized words and ``joiners`` (the lexicon's ``name_joiners``: "Ahmad bin
    Salim", "Kementerian Energi dan Sumber Daya Mineral"), and none of its tokens is ``blocked``."""
    n = len(words) if hi is None else hi
    i = lo
    while i < n:
        if i in blocked or not words[i][:1].isupper():
            i += 1
            continue
        end = i + 1
        while end < n and end - i < MAX_RUN and end not in blocked:
            word = words[end]
            if word[:1].isupper():
                end += 1
            elif word.lower() in joiners and end + 1 < n and end + 1 not in blocked and words[end + 1][:1].isupper():
                end += 2
            else:
                break
        caps = [j for j in range(i, end) if words[j][:1].isupper()]
        for a, start in enumerate(caps):
            for stop in caps[a:]:
                if stop + 1 - start > MAX_SPAN:
                    break
                yield start, stop + 1
        i = end


def start_features(
    words: Sequence[str], lower: Sequence[str], start: int, sent_start: int, common: frozenset[str] = frozenset()
) -> list[str]:
    """What a span starting at ``start`` is scored on that depends on its start alone: its first word and
    the words before it (``sent_start``: the sentence's first word; before it is another sentence).
    ``common``: words the training text writes in lower case ("Diketahui," opening a sentence is no name)."""
    first = lower[start]
    prev = lower[start - 1] if start - 1 >= sent_start else "<s>"
    prev2 = lower[start - 2] if start - 2 >= sent_start else "<s>"
    out = [
        "bias",
        f"first={first}",
        f"pre3={first[:3]}",
        f"prev={prev}",
        f"prev2={prev2}|{prev}",
        f"prev+first={prev}|{first}",
        f"pshape={shape(words[start - 1]) if start - 1 >= sent_start else '<s>'}",
    ]
    if start == sent_start:
        out.append(f"ss+first={first}")
    if first in common:
        out.append("common-first+ss" if start == sent_start else "common-first")
    return out


def end_features(
    words: Sequence[str], lower: Sequence[str], end: int, sent_end: int, common: frozenset[str] = frozenset()
) -> list[str]:
    """What depends on the span's end alone: its last word and the words after it."""
    last = lower[end - 1]
    after = lower[end] if end < sent_end else "</s>"
    after2 = lower[end + 1] if end + 1 < sent_end else "</s>"
    return [
        *(["common-last"] if last in common else []),
        f"last={last}",
        f"suf3={last[-3:]}",
        f"next={after}",
        f"next2={after}|{after2}",
        f"last+next={last}|{after}",
        f"nshape={shape(words[end]) if end < sent_end else '</s>'}",
    ]


def span_features(
    words: Sequence[str], lower: Sequence[str], start: int, end: int, sent_start: int, sent_end: int
) -> list[str]:
    """What depends on both ends: the whole span, its length and shapes, the words inside."""
    length = min(end - start, 5)
    prev_shape = shape(words[start - 1]) if start - 1 >= sent_start else "<s>"
    after_shape = shape(words[end]) if end < sent_end else "</s>"
    shapes = "".join(shape(w) for w in words[start : min(end, start + 3)])
    out = [
        f"len={length}",
        f"whole={' '.join(lower[start:end])}",
        f"shapes={shapes}",
        f"pshape+len={prev_shape}|{length}|{after_shape}",
    ]
    out.extend(f"w={word}" for word in lower[start + 1 : end - 1])
    return out


def features(
    words: Sequence[str],
    lower: Sequence[str],
    start: int,
    end: int,
    sent_start: int,
    sent_end: int,
    common: frozenset[str] = frozenset(),
) -> list[str]:
    """The strings a span is scored on: what it says, what it looks like, and the words around it, within
    the sentence ``words[sent_start:sent_end]``."""
    return [
        *start_features(words, lower, start, sent_start, common),
        *end_features(words, lower, end, sent_end, common),
        *span_features(words, lower, start, end, sent_start, sent_end),
    ]


@dataclass(slots=True, frozen=True)
class Model:
    """Feature string -> row of ``weights`` (one column per class in :data:`CLASSES`); spans whose best name
    score beats the "no name" score by more than ``threshold`` are proposed."""

    index: dict[str, int]
    weights: np.ndarray  # float32, (features, classes)
    threshold: float
    meta: dict[str, object]
    common: frozenset[str] = frozenset()  # words the training text writes in lower case

    def save(self, path: Path) -> None:
        names = sorted(self.index, key=self.index.__getitem__)
        vocabulary = np.frombuffer("\n".join(names).encode(), dtype=np.uint8)
        common = np.frombuffer("\n".join(sorted(self.common)).encode(), dtype=np.uint8)
        meta = json.dumps({**self.meta, "threshold": self.threshold, "classes": CLASSES})
        with path.open("wb") as out:
            np.savez_compressed(out, weights=self.weights, vocabulary=vocabulary, common=common, meta=np.array(meta))

    @classmethod
    def load(cls, path: Path | None = None) -> Model:
        source = path or resources.files("kg.models").joinpath(MODEL_FILE)
        with source.open("rb") as stream, np.load(stream, allow_pickle=False) as data:
            names = bytes(data["vocabulary"]).decode().split("\n")
            weights = data["weights"].astype(np.float32)
            meta = json.loads(str(data["meta"]))
            common = frozenset(bytes(data["common"]).decode().split("\n")) - {""}
        if tuple(meta["classes"]) != CLASSES:
            raise ValueError(f"{source}: classes {meta['classes']}, expected {CLASSES}")
        return cls({name: i for i, name in enumerate(names)}, weights, float(meta["threshold"]), meta, common)

    def ids(self, names: list[str]) -> list[int]:
        index = self.index
        return [j for j in map(index.get, names) if j is not None]

    def sums(self, rows: list[list[int]]) -> np.ndarray:
        """(rows, classes): the summed weights of each row of feature ids."""
        out = np.zeros((len(rows), len(CLASSES)), dtype=np.float32)
        filled = [k for k, row in enumerate(rows) if row]
        if filled:
            flat = [j for k in filled for j in rows[k]]
            offsets = np.cumsum([0] + [len(rows[k]) for k in filled[:-1]])
            out[filled] = np.add.reduceat(self.weights[flat], offsets, axis=0)
        return out

    def propose(
        self,
        words: Sequence[str],
        lower: Sequence[str],
        sentences: Sequence[tuple[int, int]],
        blocked: set[int],
        joiners: frozenset[str],
    ) -> list[tuple[int, int, str, float]]:
        """Non-overlapping (start, end, label, margin) over the sentences (start, end), best margin first.

        Scores are summed in three parts (features of the start, of the end, of the pair) so that a
        word's features are looked up once however many spans start or end there."""
        spans: list[tuple[int, int]] = []
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        start_rows: list[list[int]] = []
        end_rows: list[list[int]] = []
        pair_rows: list[list[int]] = []
        for first, stop in sentences:
            for start, end in candidates(words, joiners, blocked, first, stop):
                if start not in starts:
                    starts[start] = len(start_rows)
                    start_rows.append(self.ids(start_features(words, lower, start, first, self.common)))
                if end not in ends:
                    ends[end] = len(end_rows)
                    end_rows.append(self.ids(end_features(words, lower, end, stop, self.common)))
                spans.append((start, end))
                pair_rows.append(self.ids(span_features(words, lower, start, end, first, stop)))
        if not spans:
            return []
        scores = (
            self.sums(start_rows)[[starts[s] for s, _ in spans]]
            + self.sums(end_rows)[[ends[e] for _, e in spans]]
            + self.sums(pair_rows)
        )
        best = scores[:, 1:].argmax(axis=1)
        margins = scores[np.arange(len(spans)), best + 1] - scores[:, 0]
        taken: set[int] = set()
        out = []
        for k in np.argsort(-margins, kind="stable"):
            margin = float(margins[k])
            if margin <= self.threshold:
                break
            start, end = spans[k]
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                out.append((start, end, CLASSES[best[k] + 1], margin))
        return out


@lru_cache(maxsize=2)
def bundled_model(path: Path | None = None) -> Model:
    """The model shipped in the package (loaded once per process)."""
    return Model.load(path)


@lru_cache(maxsize=4)
def spacy_ner(name: str) -> Language:
    """The installed spaCy pipeline ``name`` (a package such as ``en_core_web_sm``, or a directory written by
    ``nlp.to_disk``), with only its ``ner`` and what that listens to left on; loaded once per process.

    Raises :class:`~kg.errors.UsageError` (exit 2) when there is none or it finds no entities."""
    try:
        nlp = spacy.load(name)
    except Exception as error:  # a missing package, a directory that is no pipeline, a broken config
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise UsageError(
            f"--ner-model {name}: no spaCy pipeline could be loaded ({reason}); install one "
            f"(e.g. python -m spacy download en_core_web_sm) or give the directory of one saved with nlp.to_disk()"
        ) from error
    if "ner" not in nlp.pipe_names:
        raise UsageError(
            f"--ner-model {name}: the pipeline has no 'ner' component (it has: {', '.join(nlp.pipe_names) or 'none'}); "
            "name one with an entity recognizer"
        )
    needed = {"ner"} | {n for n, pipe in nlp.pipeline if "ner" in getattr(pipe, "listening_components", ())}
    for other in nlp.pipe_names:
        if other not in needed:
            nlp.disable_pipe(other)  # a tagger or parser would only cost time
    return nlp


@Language.factory(
    "kg_learned_ner",
    requires=["doc.spans", "token.is_sent_start"],
    assigns=["doc.spans"],
    default_config={"model_path": None, "spacy_model": None, "event_cues": {}, "name_joiners": []},
)
def make_learned_ner(
    nlp: Language,
    name: str,
    model_path: str | None,
    spacy_model: str | None,
    event_cues: dict[str, list[str]],
    name_joiners: list[str],
) -> LearnedNames:
    cues = frozenset(tuple(cue.split()) for words in event_cues.values() for cue in words)
    if spacy_model:
        return LearnedNames(None, cues, spacy=spacy_ner(spacy_model))
    return LearnedNames(bundled_model(Path(model_path) if model_path else None), cues, frozenset(name_joiners))


class LearnedNames:
    def __init__(
        self,
        model: Model | None,
        event_words: frozenset[tuple[str, ...]] = frozenset(),
        joiners: frozenset[str] = frozenset(),
        spacy: Language | None = None,
    ) -> None:
        self.model = model
        self.joiners = joiners  # the words the model's candidate names were cut with in training
        # the words that name an event ("KTT", "Munas", "Konferensi Pers"): no name on their own, however
        # the corpora wrote the names of the events around them
        self.event_words = event_words
        self.spacy = spacy  # a spaCy pipeline whose entities are proposed instead of the model's

    def __call__(self, doc: Doc) -> Doc:
        tokens = tokens_of(doc)
        starts = list(sentences_of(doc).starts)
        sentences = list(zip(starts, [*starts[1:], len(doc)], strict=True))
        # headlines capitalize every word; the KB's names and the cues' are kept as they are (kg_mentions adds
        # a learned name only where no other source took a token), so spans over them need no score
        blocked = {
            i
            for group in (EXCLUDED, TITLE_CASE, ARTICLE_ROLES, GAZETTEER, STRONG)
            for span in spans_of(doc, group)
            for i in range(span.start, span.end)
        }
        lower = tokens.lower
        if self.spacy is not None:
            found = self._spacy_entities(doc, blocked)
        else:
            assert self.model is not None
            found = [
                (start, end, label)
                for start, end, label, _ in self.model.propose(tokens.text, lower, sentences, blocked, self.joiners)
            ]
        proposed = [
            (start, end, label) for start, end, label in found if tuple(lower[start:end]) not in self.event_words
        ]
        set_spans(doc, LEARNED, [Span(doc, start, end, label=label) for start, end, label in sorted(proposed)])
        return doc

    def _spacy_entities(self, doc: Doc, blocked: set[int]) -> list[tuple[int, int, str]]:
        """The spaCy pipeline's entities of the kinds kg holds, on kg's tokens (its tokenizer cuts words
        its own way: an entity that does not end on kg's token boundaries is shrunk to the tokens inside)."""
        assert self.spacy is not None
        out = []
        for ent in self.spacy(text_of(doc)).ents:
            label = SPACY_LABELS.get(ent.label_)
            span = doc.char_span(ent.start_char, ent.end_char, alignment_mode="contract") if label else None
            if label and span is not None and len(span) and blocked.isdisjoint(range(span.start, span.end)):
                out.append((span.start, span.end, label))
        return out
