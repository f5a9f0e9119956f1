"""The spaCy pipelines, one per language, built from registered components and config.

    sentencizer -> layout -> fold_norms -> gazetteer -> cues -> mentions -> coref -> linker -> anaphora
    -> dates -> roles -> statements -> events -> said_at

Results live on the ``Doc``: ``doc.ents`` with ``kb_id_`` (QID or empty), ``id_`` (the
in-article cluster key) and ``span._.kg_confidence``; the article's publisher and authors in
``doc.spans["kg_article_roles"]``; headline and kicker in ``doc._.kg_headline`` / ``kg_section``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from kg.pipeline import (  # noqa: F401  (registers the factories)
    anaphora,
    coref,
    cues,
    dates,
    events,
    gazetteer,
    layout,
    linker,
    mentions,
    roles,
    said_at,
    statements,
    tokenizer,
)
from kg.pipeline.lexicon import LEXICONS, POSITION_NAMES

COMPONENTS = (
    "sentencizer",
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


def build_pipeline(lang: str, kb_path: Path | None = None, online: bool = False) -> Language:
    """A fresh pipeline for ``lang`` ("id" or "en") over the KB at ``kb_path`` (bundled if None);
    ``online`` looks names the KB lacks up in Wikidata and keeps them in the KB."""
    if lang not in LEXICONS:
        raise ValueError(f"no pipeline for language {lang!r}; choose one of {', '.join(LEXICONS)}")
    nlp = spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    settings = LEXICONS[lang] | {
        "kb_path": str(kb_path) if kb_path else None,
        "position_names": POSITION_NAMES,
        "online": online,
    }
    for component in COMPONENTS:
        nlp.add_pipe(component, config=_config(component, settings))
    return nlp


def get_pipeline(lang: str, kb_path: Path | None = None, online: bool = False) -> Language:
    """The pipeline for ``lang``, built once per process (building matches the whole KB)."""
    # One cache key however the caller spells the arguments: lru_cache keys get_pipeline("id") and
    # get_pipeline("id", None, False) apart, and each miss costs two seconds of building.
    return _cached_pipeline(lang, kb_path, online)


@lru_cache(maxsize=8)
def _cached_pipeline(lang: str, kb_path: Path | None, online: bool) -> Language:
    return build_pipeline(lang, kb_path, online)


def _config(component: str, settings: dict[str, object]) -> dict[str, object]:
    """The settings (cue lists, KB path) for every config key the component declares."""
    declared = Language.get_factory_meta(component).default_config or {}
    return {key: settings[key] for key in declared if key in settings}
