"""The tokenizer of every kg pipeline: spaCy's own for the language, with five mends (grouped
prefixes, the U+02BC possessive, no URL for a domain then a name, a suffix search over the tail,
and the hyphenated one-word exceptions as a set lookup: :class:`KgTokenizer`), giving spaCy's tokens.

Registered as ``kg.tokenizer.v1`` and named in the pipeline's config, so spaCy builds it once.
Tuning a built tokenizer through its setters instead reloads the language's exceptions on each
setter (16,000 for Indonesian: seconds of start-up) and left the chunk cache looking full, so
nothing was cached. Every setting carries its compiled regex (``__self__``), so ``nlp.to_disk()``
can write it out and ``spacy.load()`` read it back.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from kg.resources import cache_dir

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
        prefix_search = compile_prefix_regex(prefixes).search
        suffix_search = TailSearch(compile_suffix_regex(suffixes))
        rules: dict[str, Sequence[Mapping[Any, str]]] = dict(defaults.tokenizer_exceptions or {})
        token_match = defaults.token_match
        if token_match is None:  # a language's own token_match would run before the words
            rules, words = split_hyphen_words(rules, prefix_search, suffix_search)
            token_match = words.__contains__ if words else None  # built in: no Python call per chunk
        return KgTokenizer(
            nlp.vocab,
            rules,
            prefix_search,
            suffix_search,
            compile_infix_regex(defaults.infixes or ()).finditer,
            token_match,
            url_match,
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


def split_hyphen_words(
    rules: Mapping[str, Sequence[Mapping[Any, str]]],
    prefix_search: Callable[[str], re.Match[str] | None],
    suffix_search: Callable[[str], re.Match[str] | None],
) -> tuple[dict[str, Sequence[Mapping[Any, str]]], frozenset[str]]:
    """The exceptions that stay special cases, and the hyphenated words among them that are one token
    with no other attribute and no prefix or suffix (for these a ``token_match`` is exact).

    The affix searches (a suffix search is ~6 µs a word: a tenth of a second for Indonesian) are done
    once: the words they set apart are kept in the cache, under the words asked about (spaCy builds
    the exceptions from sets: their order changes from one process to the next) and the rules."""
    candidates = [
        chunk
        for chunk, tokens in rules.items()
        if "-" in chunk
        and not any(c.isspace() for c in chunk)
        and len(tokens) == 1
        and set(tokens[0]) in ({ORTH}, {"ORTH"})
    ]
    digest = hashlib.sha256(
        "\x00".join(
            [
                f"{sys.version_info[:2]}",
                *(_describe(search) for search in (prefix_search, suffix_search)),
                *sorted(candidates),
            ]
        ).encode()
    ).hexdigest()[:16]
    path = cache_dir() / f"tokenizer-affixed-{digest}.json"
    try:
        affixed = frozenset(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        affixed = frozenset(
            chunk for chunk in candidates if _length(prefix_search(chunk)) or _length(suffix_search(chunk))
        )
        _write_atomically(path, json.dumps(sorted(affixed), ensure_ascii=False))
    words = frozenset(candidates) - affixed
    return {chunk: tokens for chunk, tokens in rules.items() if chunk not in words}, words


def _describe(search: Callable[[str], re.Match[str] | None]) -> str:
    """What an affix search finds: its regex (and flags), and the wrapper's name."""
    pattern = getattr(search, "__self__", None)
    if not isinstance(pattern, re.Pattern):
        raise TypeError(f"an affix search without its regex: {search!r}")
    return f"{type(search).__name__} {getattr(search, 'TAIL', '')} {pattern.flags} {pattern.pattern}"


def _write_atomically(path: Path, text: str) -> None:
    """Best effort: a read-only cache only costs the searches again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(name, path)
    except OSError:
        Path(name).unlink(missing_ok=True)


def _length(match: re.Match[str] | None) -> int:
    """An affix's length as spaCy reads it (an empty match is no affix)."""
    return 0 if match is None else match.end() - match.start()


class KgTokenizer(Tokenizer):
    """spaCy's tokenizer with the hyphenated words kept whole ("abu-abu", "Abu-abu", "ABU-ABU": 15,578
    of Indonesian's 15,963 exceptions) as its ``token_match``, a set lookup: spaCy builds a lexeme, an
    affix split and a phrase pattern for every special case, most of a second of start-up.

    For a word with no prefix or suffix, matching it as a token in spaCy's affix loop gives the token
    its special case gives (the loop checks both at the same places, and a chunk whose prefix is cut
    leaves the word for the next turn, where the match stops it). What the special cases add after
    that, merging a word's affix-split pieces back where a chunk held more ("si-abu-abu" is "si",
    "-", "abu-abu"), is redone here as spaCy's special-case matcher does it: every run of tokens
    that are a word's affix-split pieces (whitespace between them or not), the longest then the
    leftmost first, each taking its tokens, the first and last of which no run taken before holds;
    a run whose text is the word becomes one token. A run that may share a token with a special
    case spaCy still holds (":-)", "Jan.": any with a piece that has a letter or digit or is "-")
    decides with it which is merged: such a text goes to the tokenizer with every exception.
    ``bench/check_tokenizer.py`` compares both tokenizers over corpora and constructed strings."""

    MAX_TOKENS = 7  # the most pieces a word splits into (Indonesian: 7)
    MAX_CHARS = 40  # the longest word (Indonesian: 25)
    # Distinct chunks spaCy's cache holds. Its default, 10,000, fills within a few hundred real articles,
    # and from then on every chunk not in it is split by the affix regexes again (half the tokenizer's
    # speed over a long corpus). A cached chunk costs ~330 bytes (measured): this bounds the cache at ~33 MB.
    CACHE_SIZE = 100_000

    def __init__(
        self,
        vocab: Any,
        rules: Mapping[str, Sequence[Mapping[Any, str]]] | None = None,
        prefix_search: Callable[[str], re.Match[str] | None] | None = None,
        suffix_search: Callable[[str], re.Match[str] | None] | None = None,
        infix_finditer: Callable[[str], Iterator[re.Match[str]]] | None = None,
        token_match: Callable[[str], Any] | None = None,
        url_match: Callable[[str], Any] | None = None,
    ) -> None:
        self._cached: set[str] = set()  # the plain chunks put in spaCy's cache (_cache_chunks); first, as
        # spaCy's set-up empties its cache (_reset_cache)
        super().__init__(
            vocab,
            rules,
            prefix_search,
            suffix_search,
            infix_finditer,
            token_match,
            url_match,
            max_cache_size=self.CACHE_SIZE,
        )
        words = getattr(token_match, "__self__", None)  # frozenset.__contains__, as made above
        self._words: frozenset[str] | None = words if isinstance(words, frozenset) else None
        self._pieces_of: dict[str, tuple[str, ...]] = {}
        self._plain: Tokenizer | None = None  # no exceptions: a word's pieces
        self._full: Tokenizer | None = None  # every exception, built when a text needs it
        self._shared: tuple[dict[str, list[tuple[tuple[str, ...], int]]], dict[str, tuple[str, ...]]] | None = None

    def __call__(self, text: str) -> Doc:
        self._cache_chunks(text)
        doc = super().__call__(text)
        if self._words is None or "-" not in text:  # every run holds a "-" token
            return doc
        strings = self.vocab.strings
        texts = [strings[orth] for orth in doc.to_array(ORTH).tolist()]  # no Token objects
        if "-" not in texts:
            return doc
        runs = self._runs(texts)
        if runs is None:
            return self._full_tokenizer()(text)
        if runs:
            with doc.retokenize() as retokenizer:
                for start, end in runs:
                    if not any(doc[i].whitespace_ for i in range(start, end - 1)):  # its text is the word
                        retokenizer.merge(doc[start:end])
        return doc

    def _cache_chunks(self, text: str) -> None:
        """Put the text's chunks (its runs without whitespace) in spaCy's chunk cache before the text
        is tokenized, the plain ones first and the special cases themselves left out.

        spaCy caches a chunk's tokens only while the document has met no special case ("Jan.",
        "don't"): from the first on, every chunk not yet cached is split by the affix regexes again
        and never cached (spaCy's guard for a chunk a special case touched holds for the rest of the
        document). Most news articles meet one early, so most of their chunks were split anew each
        time they came, most of the tokenizer's time. One pass over the distinct chunks caches each
        of them by spaCy's own rule (one touched by a special case is not), so the text is then read
        from the cache: the same tokens, several times faster."""
        cached = self._cached
        if len(cached) >= self.max_cache_size:  # spaCy's cache holds at least these: it takes no more
            return
        rules = self.rules  # spaCy's own dict of the special cases, not a copy
        chunks = [chunk for chunk in dict.fromkeys(text.split()) if chunk not in cached]
        plain = [chunk for chunk in chunks if chunk.isalnum() and chunk not in rules]
        cached.update(plain)  # cached now, as nothing before them in the text below is a special case
        if len(plain) < len(chunks):  # the ones with punctuation may meet a special case inside: last,
            plain += [chunk for chunk in chunks if not chunk.isalnum() and chunk not in rules]  # asked each time
        super().__call__(" ".join(plain))

    def _reset_cache(self, keys: Sequence[int]) -> None:
        """spaCy empties its cache (all of it, or the chunks a new special case touches) here."""
        self._cached.clear()
        super()._reset_cache(keys)

    def _runs(self, texts: list[str]) -> list[tuple[int, int]] | None:
        """The runs spaCy's special cases take (start, end), or None when one may share a token with
        the pieces of a special case spaCy still holds."""
        found = self._found(texts)
        shared, merged = self._shared_pieces()
        for start, end in found:
            for i in range(start, end):
                if texts[i] in merged:  # a run through a special case spaCy may have merged
                    return None
                for pieces, at in shared.get(texts[i], ()):  # one left unmerged, sharing a token with the run
                    if i >= at and tuple(texts[i - at : i - at + len(pieces)]) == pieces:
                        return None
        reach = self.MAX_TOKENS
        for i, text in enumerate(texts):  # one spaCy merged, whose pieces a run may have held
            if text in merged and "-" in texts[max(0, i - reach) : i + reach + 1]:
                # every merged one near it back in pieces, as spaCy's matcher saw them
                around: list[str] = []
                first = last = 0
                for k in range(max(0, i - reach), min(len(texts), i + reach + 1)):
                    if k == i:
                        first = len(around)
                    around.extend(merged.get(texts[k], (texts[k],)))
                    if k == i:
                        last = len(around)
                if any(start < last and end > first for start, end in self._found(around)):
                    return None
        seen: set[int] = set()
        taken = []
        for start, end in sorted(found, key=lambda run: (run[0] - run[1], run[0])):
            if start not in seen and end - 1 not in seen:
                taken.append((start, end))
            seen.update(range(start, end))
        return sorted(taken)

    def _found(self, texts: list[str]) -> set[tuple[int, int]]:
        """Every run of tokens that are a word's pieces (each holds a "-")."""
        words = self._words or frozenset()
        n = len(texts)
        reach = self.MAX_TOKENS
        found: set[tuple[int, int]] = set()
        for d in (i for i, text in enumerate(texts) if text == "-"):
            for start in range(max(0, d - reach + 1), d + 1):
                chunk = ""
                for end in range(start + 1, min(n, start + reach) + 1):
                    chunk += texts[end - 1]
                    if len(chunk) > self.MAX_CHARS:
                        break
                    if end > d and chunk in words and self._pieces(chunk) == tuple(texts[start:end]):
                        found.add((start, end))
        return found

    def _plain_tokenizer(self) -> Tokenizer:
        if self._plain is None:
            self._plain = Tokenizer(
                self.vocab, None, self.prefix_search, self.suffix_search, self.infix_finditer, None, self.url_match
            )
        return self._plain

    def _pieces(self, chunk: str) -> tuple[str, ...]:
        """The tokens of ``chunk`` with no exception: the pattern spaCy matches for its special case."""
        pieces = self._pieces_of.get(chunk)
        if pieces is None:
            pieces = self._pieces_of[chunk] = tuple(token.text for token in self._plain_tokenizer()(chunk))
        return pieces

    def _shared_pieces(self) -> tuple[dict[str, list[tuple[tuple[str, ...], int]]], dict[str, tuple[str, ...]]]:
        """The special cases spaCy holds whose pieces a word's pieces may share (a piece with a letter
        or digit, or "-"): by piece, each with its place; and by text."""
        if self._shared is None:
            shared: dict[str, list[tuple[tuple[str, ...], int]]] = {}
            merged: dict[str, tuple[str, ...]] = {}
            for chunk in self.rules:
                pieces = self._pieces(chunk)
                if len(pieces) > 1 and any(p == "-" or any(c.isalnum() for c in p) for p in pieces):
                    merged[chunk] = pieces
                    for at, piece in enumerate(pieces):
                        shared.setdefault(piece, []).append((pieces, at))
            self._shared = (shared, merged)
        return self._shared

    def _full_tokenizer(self) -> Tokenizer:
        if self._full is None:
            rules = {**self.rules, **{word: [{ORTH: word}] for word in self._words}}  # type: ignore[union-attr]
            self._full = Tokenizer(
                self.vocab, rules, self.prefix_search, self.suffix_search, self.infix_finditer, None, self.url_match
            )
        return self._full

    def to_bytes(self, *, exclude: Sequence[str] = ()) -> bytes:
        """Without the token_match, which is not a regex: the config builds it (``kg.tokenizer.v1``)."""
        return super().to_bytes(exclude=[*exclude, "token_match"])

    def from_bytes(self, bytes_data: bytes, *, exclude: Sequence[str] = ()) -> KgTokenizer:
        words = self._words
        super().from_bytes(bytes_data, exclude=[*exclude, "token_match"])
        if words is not None:
            self.token_match = words.__contains__
        self._pieces_of, self._plain, self._full, self._shared = {}, None, None, None
        return self
