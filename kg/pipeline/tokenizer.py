"""The tokenizer of every kg pipeline: spaCy's own for the language, with four mends (grouped
prefixes, the U+02BC possessive, no URL for a domain then a name, a suffix search over the tail).

Registered as ``kg.tokenizer.v1`` and named in the pipeline's config, so spaCy builds it once.
Tuning a built tokenizer through its setters instead reloads the language's exceptions on each
setter (16,000 for Indonesian: seconds of start-up) and left the chunk cache looking full, so
nothing was cached. Every setting carries its compiled regex (``__self__``), so ``nlp.to_disk()``
can write it out and ``spacy.load()`` read it back.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

# "Russiaʼs" with U+02BC (a modifier letter apostrophe, as some sites type it) splits like "Russia’s".
MODIFIER_APOSTROPHE_SUFFIXES = (r"(?<=[^\W\d_])ʼ[sS]", r"(?<=[^\W\d_])ʼ")

# "Tribunnews.com/Andari" is a domain followed by a name (a photo credit), not a URL to keep whole.
DOMAIN_THEN_NAME = r"(?![\s\S]*\.[a-z]{2,}/[A-Z])"


@registry.tokenizers("kg.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    def make(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        # spaCy joins prefixes as "^a|^b"; an entry with its own top-level "|" (Indonesian's
        # "<(b|…)\s?/>|<a([^>]+)>") leaves its second branch unanchored, so every prefix search
        # scanned the whole chunk. Grouped, each entry is anchored whole: the same tokens, faster.
        prefixes = [f"(?:{p})" if isinstance(p, str) else p for p in defaults.prefixes or ()]
        suffixes = [*(defaults.suffixes or ()), *MODIFIER_APOSTROPHE_SUFFIXES]
        url_match = defaults.url_match
        if url_match is not None:
            url_match = _refuse_domain_then_name(url_match.__self__)  # type: ignore[attr-defined]
        return Tokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(prefixes).search,
            suffix_search=TailSearch(compile_suffix_regex(suffixes)),
            infix_finditer=compile_infix_regex(defaults.infixes or ()).finditer,
            token_match=defaults.token_match,
            url_match=url_match,
        )

    return make


class TailSearch:
    """The suffix search over a chunk's last characters only. spaCy looks for a suffix ("…$") once
    for every suffix it strips, and a search anchored at the end still tries every start: a 10 KB
    run of quote marks took 40 s to tokenize. spaCy reads only the match's length, and no suffix is
    near this long, so the tokens are the same. ``__self__`` is the regex, as on a bound ``search``,
    so ``nlp.to_disk()`` writes its pattern (read back, it is a plain search: the same tokens)."""

    TAIL = 64  # characters; spaCy's longest suffix is a few (only an ellipsis of 64 dots would differ)

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.__self__ = pattern

    def __call__(self, text: str) -> re.Match[str] | None:
        return self.__self__.search(text[-self.TAIL :])


def _refuse_domain_then_name(url: re.Pattern[str]) -> Callable[[str], re.Match[str] | None]:
    # After the pattern's leading global flags ("(?u)"), which must stay first.
    flags, rest = re.fullmatch(r"((?:\(\?[a-zA-Z]+\))*)(.*)", url.pattern, re.DOTALL).groups()  # type: ignore[union-attr]
    return re.compile(flags + DOMAIN_THEN_NAME + rest, url.flags).match
