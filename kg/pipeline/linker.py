"""``kg_linker``: decide which knowledge-base entity each mention cluster names, if any.

A cluster is every mention of one name in the article (after ``kg_coref``). Candidates come
from the KB by each surface form; each is scored by how it matched (full name over alias over
surname), its popularity share among the candidates, and context (its description names
something else the article mentions: "Minister of Foreign Affairs of Indonesia" beside
"Indonesia"; for people and organizations only, since place descriptions name their
parents unevenly). The best candidate is linked only when it clears ``threshold`` and beats the
runner-up by ``margin``: a wrong link is worse than none.

A surname (or short name) says less than a full name, so a candidate found only by one is dropped
when the cluster's full name is some entity's own name ("Joko Widodo" beats every other Widodo),
when the cluster's full name is another person's ("Rudi Santoso" is not Budi Santoso), and when
the name runs on into capitalised words the KB does not have ("Basuki Tjahaja Purnama").
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.kb import Candidate, open_kb
from kg.normalize import fold
from kg.pipeline.doc import ents_of, set_ents, set_span_value, span_value, text_of

NAME_WEIGHT = {"label": 1.0, "alias": 0.9, "surname": 0.6, "short": 0.6}
POPULARITY_FLOOR = 0.01
FULL_NAME_KINDS = frozenset({"label", "alias"})
_ROMAN_NUMERAL = re.compile(r"^[IVXLCDM]{2,}$")  # "Komisi XI", "Paus Leo XIV": not "Xi"


@Language.factory(
    "kg_linker",
    requires=["doc.ents", "span._.kg_also_named", "token.is_sent_start"],
    assigns=["doc.ents", "span._.kg_confidence", "doc._.kg_labels"],
    default_config={
        "kb_path": None,
        "threshold": 0.55,
        "margin": 0.1,
        "context_weight": 0.2,
        "context_labels": ["PER", "ORG"],
        "weekdays": [],
        "months": [],
        "titles": [],
        "title_words": [],
    },
)
def make_linker(
    nlp: Language,
    name: str,
    kb_path: str | None,
    threshold: float,
    margin: float,
    context_weight: float,
    context_labels: list[str],
    weekdays: list[str],
    months: list[str],
    titles: list[str],
    title_words: list[str],
) -> Linker:
    linker = Linker(Path(kb_path) if kb_path else None, threshold, margin, context_weight, frozenset(context_labels))
    linker.date_words = frozenset(fold(w) for w in [*weekdays, *months])
    words_of_titles = [w for t in titles for w in t.split()] + title_words
    linker.not_names = frozenset(fold(w) for w in [*words_of_titles, *nlp.Defaults.stop_words]) | linker.date_words
    return linker


class Linker:
    def __init__(
        self,
        kb_path: Path | None,
        threshold: float,
        margin: float,
        context_weight: float,
        context_labels: frozenset[str],
    ) -> None:
        self.kb = open_kb(kb_path)
        self.context_labels = context_labels
        self.date_words: frozenset[str] = frozenset()  # "kata Kishida Senin": a weekday does not lengthen a name
        self.not_names: frozenset[str] = frozenset()  # nor does a title before it: "Presiden Kishida"
        self.threshold = threshold
        self.margin = margin
        self.context_weight = context_weight

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)  # span.text joins tokens on every access
        clusters, surfaces_of = name_clusters(doc)
        ents_at = {i for ent in ents_of(doc) for i in range(ent.start, ent.end)}
        context = {word for surfaces in surfaces_of.values() for s in surfaces for word in fold(s).split()}
        linked: list[Span] = []
        labels: dict[str, str] = {}
        for (label, key), members in clusters.items():
            surfaces = names_to_look_up(key, surfaces_of[(label, key)])
            own_words = {w for s in surfaces for w in fold(s).split()}
            own_context = context - own_words if label in self.context_labels else set()
            runs_on = any(_runs_on(doc, ent, self.date_words, self.not_names, ents_at) for ent in members)
            qid, confidence = self.decide(surfaces, label, own_context, runs_on)
            entity = self.kb.get(qid) if qid else None
            if qid and entity is not None:
                labels[qid] = entity.label
            for ent in members:
                roman = bool(qid) and _ROMAN_NUMERAL.match(text[ent.start_char : ent.end_char]) is not None
                span = Span(doc, ent.start, ent.end, label=label, kb_id="" if roman else qid or "", span_id=ent.id_)
                set_span_value(span, "kg_confidence", confidence)
                linked.append(span)
        set_ents(doc, sorted(linked, key=lambda span: span.start))
        doc._.kg_labels = labels
        return doc

    def decide(
        self, surfaces: set[str], label: str, context: set[str], runs_on: bool = False
    ) -> tuple[str | None, float]:
        """The QID to link (or None) and the confidence of that decision."""
        scores = self.score(self._by_full_name(self._known(surfaces, label), surfaces, runs_on), context)
        if not scores:
            return None, 1.0
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        best_qid, best = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best >= self.threshold and best - runner_up >= self.margin:
            return best_qid, round(best, 3)
        return None, round(1.0 - best, 3)

    def _by_full_name(self, found: dict[str, Candidate], surfaces: set[str], runs_on: bool) -> dict[str, Candidate]:
        """Drop candidates found only by a surname when the full name in the text says otherwise."""
        if all(c.name_kind in FULL_NAME_KINDS for c in found.values()):
            return found
        full = [s for s in surfaces if len(s.split()) >= 2]
        full_match = any(c.name_kind in FULL_NAME_KINDS for c in found.values()) and bool(full)
        if full_match or runs_on:
            return {q: c for q, c in found.items() if c.name_kind in FULL_NAME_KINDS}
        if full:  # a full name the KB does not have: a surname candidate must share its first name
            firsts = {w[:3] for s in full for w in fold(s).split()[:-1]}  # not the last: "Datuk Seri Anwar Ibrahim"
            return {
                q: c
                for q, c in found.items()
                if c.name_kind in FULL_NAME_KINDS or firsts & {n.split()[0][:3] for n in self.kb.names_of(q)}
            }
        return found

    def _known(self, surfaces: set[str], label: str) -> dict[str, Candidate]:
        found: dict[str, Candidate] = {}
        for surface in surfaces:
            for cand in self.kb.candidates(surface):
                if cand.type is None or cand.type.value != label:
                    continue
                held = found.get(cand.qid)
                if held is None or NAME_WEIGHT[cand.name_kind] > NAME_WEIGHT[held.name_kind]:
                    found[cand.qid] = cand
        return found

    def score(self, candidates: dict[str, Candidate], context: set[str]) -> dict[str, float]:
        # a small floor keeps a lone candidate of unknown popularity at share 1, not 0
        total = sum(c.popularity + POPULARITY_FLOOR for c in candidates.values())
        scores = {}
        for qid, cand in candidates.items():
            share = (cand.popularity + POPULARITY_FLOOR) / total
            in_context = bool(context & _description_words(cand.description))
            score = NAME_WEIGHT[cand.name_kind] * (0.5 + 0.5 * share) + self.context_weight * in_context
            scores[qid] = min(1.0, score)
        return scores


def _runs_on(doc: Doc, ent: Span, date_words: frozenset[str], not_names: frozenset[str], ents_at: set[int]) -> bool:
    """A one-word name next to a capitalised word that is no title, date or other name: part of a longer
    name ("Basuki Tjahaja Purnama", "Rudi Santoso")."""
    if len(ent) != 1:
        return False
    if ent.end < len(doc):
        following = doc[ent.end]
        if (
            following.is_alpha
            and following.text[:1].isupper()
            and not following.is_sent_start
            and fold(following.text) not in date_words
            and following.i not in ents_at
        ):
            return True
    if ent.start > 0 and not ent[0].is_sent_start:
        before = doc[ent.start - 1]
        return (
            before.is_alpha
            and before.text[:1].isupper()
            and fold(before.text) not in not_names
            and before.i not in ents_at
        )
    return False


Cluster = tuple[str, str]  # (label, folded name or coref key)


def name_clusters(doc: Doc) -> tuple[dict[Cluster, list[Span]], dict[Cluster, set[str]]]:
    """Each cluster's mentions and the surfaces it goes by: what is linked, and looked up, as one."""
    text = text_of(doc)
    members: dict[Cluster, list[Span]] = defaultdict(list)
    surfaces_of: dict[Cluster, set[str]] = defaultdict(set)
    for ent in ents_of(doc):
        surface = text[ent.start_char : ent.end_char]
        cluster = (ent.label_, fold(ent.id_ or surface))
        members[cluster].append(ent)
        surfaces_of[cluster].add(surface)
        also_named = span_value(ent, "kg_also_named")
        if also_named:  # "Marcos Jr" is also "Marcos" (kg_mentions)
            surfaces_of[cluster].add(also_named)
    return members, surfaces_of


def names_to_look_up(key: str, surfaces: set[str]) -> set[str]:
    """A cluster's key and surfaces; none for Roman numerals alone ("II" in "Perang Dunia II")."""
    if all(_ROMAN_NUMERAL.match(s) for s in surfaces):
        return set()
    return {key} | surfaces


@lru_cache(maxsize=20_000)
def _description_words(description: str) -> frozenset[str]:
    """The words of a KB description, without its brackets and punctuation: "(Indonesia)" is "indonesia"."""
    return frozenset(re.findall(r"\w+", fold(description)))
