"""The spaCy pipelines, one per language, built from registered components and config.

    kg_sentencizer -> layout -> fold_norms -> gazetteer -> cues [-> learned_ner] -> mentions -> coref
    [-> wikidata_lookup] -> linker -> anaphora -> dates -> roles -> statements -> events -> said_at

``learned_ner`` (names a model learned from NER corpora proposes) runs with ``ner="learned"`` (the
default) for the languages in :data:`LEARNED_NER`, and for the language of a spaCy pipeline named by
``ner_model`` (whose entities it then proposes instead); ``ner="rules"`` leaves it out. ``kg_wikidata_lookup`` runs only
online (``--online``); the linker itself never leaves the KB.

Results live on the ``Doc``: ``doc.ents`` with ``kb_id_`` (QID or empty), ``id_`` (the
in-article cluster key) and ``span._.kg_confidence``; the article's publisher and authors in
``doc.spans["kg_article_roles"]``; headline and kicker in ``doc._.kg_headline`` / ``kg_section``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from kg.article import MAX_BYTES
from kg.choices import DEFAULT_NAME_FINDER, NameFinder
from kg.errors import InternalError, UsageError
from kg.lexicon import LEXICONS, POSITION_NAMES
from kg.pipeline import (  # noqa: F401  (registers the factories)
    anaphora,
    coref,
    cues,
    dates,
    events,
    gazetteer,
    layout,
    learned_ner,
    linker,
    lookup,
    mentions,
    roles,
    said_at,
    sentencizer,
    statements,
    tokenizer,
)

COMPONENTS = (
    "kg_sentencizer",
    "kg_layout",
    "kg_fold_norms",
    "kg_gazetteer",
    "kg_cues",
    "kg_mentions",
    "kg_coref",
    "kg_linker",
    "kg_anaphora",
    "kg_dates",
    "kg_roles",
    "kg_statements",
    "kg_events",
    "kg_said_at",
)


LEARNED_NER = frozenset({"id"})  # the languages a learned model is shipped for


def ner_for(lang: str, ner: str | None, ner_model: str | None = None) -> tuple[str, str | None]:
    """What finds the names in ``lang``: ("learned", the spaCy pipeline ``ner_model`` when it is one for
    ``lang``, else None for the shipped model) where there is a model for ``lang``, else ("rules", None)."""
    choice = NameFinder(ner or DEFAULT_NAME_FINDER)  # ValueError names a value that is none
    if ner_model and choice is NameFinder.rules:
        raise UsageError(f"--ner-model {ner_model} needs --ner learned (the default), not --ner rules")
    if choice is NameFinder.learned and ner_model and learned_ner.spacy_ner(ner_model).lang == lang:
        return choice.value, ner_model
    return (choice.value if lang in LEARNED_NER else NameFinder.rules.value), None


def check_ner_model(ner_model: str) -> str:
    """The language of the spaCy pipeline ``ner_model`` (loaded now, so that a missing one is a usage error
    before any article is read); one kg has no pipeline for is refused."""
    lang = learned_ner.spacy_ner(ner_model).lang
    if lang not in LEXICONS:
        raise UsageError(
            f"--ner-model {ner_model}: a pipeline for language {lang!r}; kg reads {' and '.join(LEXICONS)} articles"
        )
    return lang


def _components(ner: str, online: bool) -> tuple[str, ...]:
    """The learned name finder just before mentions are chosen; online, names the KB lacks are looked
    up in Wikidata just before they are linked."""
    components = list(COMPONENTS)
    if ner == "learned":
        components.insert(components.index("kg_mentions"), "kg_learned_ner")
    if online:
        components.insert(components.index("kg_linker"), "kg_wikidata_lookup")
    return tuple(components)


def build_pipeline(
    lang: str,
    kb_path: Path | None = None,
    online: bool = False,
    lexicon: Mapping[str, object] | None = None,
    ner: str | None = None,
    ner_model: str | None = None,
) -> Language:
    """A fresh pipeline for ``lang`` ("id" or "en") over the KB at ``kb_path`` (bundled if None);
    ``online`` looks names the KB lacks up in Wikidata and keeps them in the KB. ``lexicon``
    replaces the language's word lists (:data:`LEXICONS`), e.g. for a new language. ``ner``
    ("learned" or "rules", :func:`ner_for`) says whether the learned name finder runs, ``ner_model``
    (an installed spaCy pipeline or its directory) what it proposes for that pipeline's language."""
    if lang not in LEXICONS and lexicon is None:
        raise ValueError(f"no pipeline for language {lang!r}; choose one of {', '.join(LEXICONS)}")
    nlp = spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    # spaCy's 1,000,000 guards the memory of parsers and NER models, which kg's pipeline has none of; its
    # components are linear in the length (bench/bench_length.py), so any article --max-bytes lets in by default
    nlp.max_length = max(nlp.max_length, MAX_BYTES)
    words = LEXICONS[lang] if lexicon is None else lexicon
    finder, spacy_model = ner_for(lang, ner, ner_model)
    settings = {
        **words,
        "kb_path": str(kb_path) if kb_path else None,
        "position_names": POSITION_NAMES,
        "spacy_model": spacy_model,
    }
    for component in _components(finder, online):
        config = Language.get_factory_meta(component).default_config or {}
        nlp.add_pipe(component, config=_config(component, config, settings, lang))
    # a key that no component of any of the language's pipelines reads (a typo, a renamed key)
    declared = {key for c in _components("learned", True) for key in Language.get_factory_meta(c).default_config or {}}
    if unread := sorted(set(words) - declared):
        raise InternalError(f"the {lang} lexicon has keys no component reads: {', '.join(unread)}")
    return nlp


def get_pipeline(
    lang: str, kb_path: Path | None = None, online: bool = False, ner: str | None = None, ner_model: str | None = None
) -> Language:
    """The pipeline for ``lang``, built once per process (building matches the whole KB)."""
    # One cache key however the caller spells the arguments: lru_cache keys get_pipeline("id") and
    # get_pipeline("id", None, False) apart, and each miss costs two seconds of building.
    return _cached_pipeline(lang, kb_path, online, *ner_for(lang, ner, ner_model))


@lru_cache(maxsize=8)
def _cached_pipeline(lang: str, kb_path: Path | None, online: bool, ner: str, ner_model: str | None) -> Language:
    return build_pipeline(lang, kb_path, online, ner=ner, ner_model=ner_model)


def _config(component: str, declared: dict[str, Any], settings: dict[str, object], lang: str) -> dict[str, object]:
    """The settings (cue lists, KB path) for every config key the component declares.

    A key whose default is an empty list or mapping is a word list the lexicon must give (an
    empty one switches the cue off on purpose); a renamed key fails here instead of silently
    running with no words. Keys with real defaults (thresholds, windows) may be left out."""
    missing = [key for key, default in declared.items() if default in ([], {}) and key not in settings]
    if missing:
        raise InternalError(f"the {lang} lexicon gives {component} no {', '.join(missing)}; add it to kg/lexicon.py")
    return {key: settings[key] for key in declared if key in settings}
