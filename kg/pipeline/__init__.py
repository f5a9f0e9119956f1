"""The spaCy pipelines, one per language, built from registered components and config.

    sentencizer -> layout -> fold_norms -> gazetteer -> cues -> mentions -> coref -> linker -> anaphora
    -> dates -> roles -> statements -> events -> said_at

Results live on the ``Doc``: ``doc.ents`` with ``kb_id_`` (QID or empty), ``id_`` (the
in-article cluster key) and ``span._.kg_confidence``; the article's publisher and authors in
``doc.spans["kg_article_roles"]``; headline and kicker in ``doc._.kg_headline`` / ``kg_section``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_prefix_regex, compile_suffix_regex

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

# "Tribunnews.com/Andari" is a domain followed by a name, not a URL to keep whole.
_DOMAIN_THEN_NAME = re.compile(r"\.[a-z]{2,}/[A-Z]")
_SUFFIX_TAIL = 64  # characters; spaCy's suffixes are a few (only an ellipsis of 64 dots would differ)


def build_pipeline(lang: str, kb_path: Path | None = None, online: bool = False) -> Language:
    """A fresh pipeline for ``lang`` ("id" or "en") over the KB at ``kb_path`` (bundled if None);
    ``online`` looks names the KB lacks up in Wikidata and keeps them in the KB."""
    if lang not in LEXICONS:
        raise ValueError(f"no pipeline for language {lang!r}; choose one of {', '.join(LEXICONS)}")
    nlp = spacy.blank(lang)
    _tune_tokenizer(nlp)
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


def _tail_search(search: Callable[[str], re.Match[str] | None]) -> Callable[[str], re.Match[str] | None]:
    """The suffix search over a token's last characters only. spaCy looks for a suffix ("…$") once for
    every suffix it strips, and a search anchored at the end still tries every start: a 10 KB run of
    quote marks took 40 s to tokenize. spaCy reads only the length of the match, and no suffix is
    anywhere near this long, so the tokens are the same."""

    def tail(text: str) -> re.Match[str] | None:
        return search(text[-_SUFFIX_TAIL:])

    return tail


def _tune_tokenizer(nlp: Language) -> None:
    # "Russiaʼs" with U+02BC (a modifier letter apostrophe, as some sites type it) splits like "Russia’s"
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        raise TypeError(f"the {nlp.lang} pipeline has no spaCy Tokenizer to tune")
    suffixes = [*(nlp.Defaults.suffixes or ()), r"(?<=[^\W\d_])ʼ[sS]", r"(?<=[^\W\d_])ʼ"]
    tokenizer.suffix_search = _tail_search(compile_suffix_regex(suffixes).search)
    # spaCy joins prefixes as "^a|^b"; an entry with its own top-level "|" (Indonesian's
    # "<(b|…)\s?/>|<a([^>]+)>") leaves its second branch unanchored, so every prefix search scanned
    # the whole token. Grouped, each entry is anchored whole: the same tokens, found much faster.
    prefixes = [f"(?:{p})" if isinstance(p, str) else p for p in nlp.Defaults.prefixes or ()]
    tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    url_match = tokenizer.url_match
    if url_match is not None:
        tokenizer.url_match = lambda text: None if _DOMAIN_THEN_NAME.search(text) else url_match(text)
