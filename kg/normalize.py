"""Name folding shared by the knowledge base and the pipeline.

Both sides must fold names identically, or an alias stored in the KB never meets the
token it was written for; hence one function, in one place.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})


def fold_uncached(text: str) -> str:
    """Lower-case, strip diacritics and unify quotes, dashes and spaces ("Erdoğan" -> "erdogan").

    :func:`fold` is this with a cache; this for names met once each, as a KB's writes meet them,
    where a cache's miss costs more than the folding of an ASCII name does."""
    unified = text
    if not unified.isascii():
        unified = unified.translate(_QUOTES)
        if not unified.isascii():  # ASCII has nothing to decompose: no per-letter pass
            decomposed = unicodedata.normalize("NFKD", unified)
            unified = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    elif "`" in unified:  # of the quotes the one ASCII one
        unified = unified.replace("`", "'")
    return " ".join(unified.split()).casefold()  # str.split and re's \s: the same white space


fold = lru_cache(maxsize=1 << 16)(fold_uncached)  # called for every token: news reuses its words


def is_acronym(name: str) -> bool:
    """True for names written in capitals ("AS", "WHO", "U.S."), which match only capitals in text."""
    if not name.isupper():  # a lower-case letter, or no cased letter at all: no acronym, found at once
        return False
    if name.isascii():  # its letters all capitals (ASCII's are all cased), one at least (the cased one)
        return len(name) <= 6 or sum(map(str.isalpha, name)) <= 6
    letters = [*filter(str.isalpha, name)]
    return bool(letters) and len(letters) <= 6 and all(map(str.isupper, letters))


def slug(text: str) -> str:
    """ASCII slug for IRIs; empty when the name has no Latin letters or digits."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
