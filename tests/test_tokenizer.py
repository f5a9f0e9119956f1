"""kg's Indonesian tokenizer keeps the hyphenated words of spaCy's exceptions as a token_match (a set
lookup) and redoes their merges itself: the tokens must be those of every exception as a special case."""

from __future__ import annotations

import json
import pickle
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.pipeline.tokenizer import KgTokenizer

# Built to meet each rule: reduplicated words whole and cut, affixes and quotes around them, "-nya",
# case variants, hyphen chains, spaces around the hyphen, and words next to special cases spaCy keeps
# whose pieces a word's pieces share ("siswa/i" after "siswa-siswa", "p." after "pdi-p").
ADVERSARIAL = [
    "Warga membawa abu-abu dan Abu-abu serta ABU-ABU ke balai desa.",
    "Si-abu-abu tiba, si-abu-abu pergi, abu-abu-nya hilang, abu-abunya pula.",
    '"abu-abu" (abu-abu) [Abu-Abu], “abu-abu”, ‘anak-anak’.',
    "anak-anak-anak-anak cucu-cucu-cucu x-anak-anak-y anak-anak-",
    "anak - anak, anak -anak, anak- anak, anak—anak, anak–anak.",
    "Para siswa-siswa/i dan putra-putra/i serta muda-muda/i datang; Muda-Muda/I juga.",
    "Kader x-pdi-p. dan Ki-Ka. serta si-Ki-Ka. hadir, juga pdi-p.",
    "Dr. anak-anak, Hj. Siti-siti - Jan. anak-anak -nya :-) anak-anak:-)",
    "2-anak-anak anak-anak-3 <b>anak-anak</b> anak-anakʼs Anak-anak's.",
    "Rp10-anak-anak\nanak\n-\nanak dua-duanya berlari-lari kecil-kecilan.",
]


@pytest.fixture(scope="module")
def old(nlp: Language) -> Tokenizer:
    """The tokenizer kg had: its own affix rules, every exception of the language a special case."""
    new = nlp.tokenizer
    assert isinstance(new, KgTokenizer)
    rules = nlp.Defaults.tokenizer_exceptions
    return Tokenizer(nlp.vocab, rules, new.prefix_search, new.suffix_search, new.infix_finditer, None, new.url_match)


def tokens(doc: Doc) -> list[tuple[str, int, str, str]]:
    return [(t.text, t.idx, t.whitespace_, t.norm_) for t in doc]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})


def test_hyphenated_words_are_a_token_match_not_special_cases(nlp: Language) -> None:
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, KgTokenizer)
    assert tokenizer.token_match("abu-abu") and tokenizer.token_match("ABU-ABU")
    assert "abu-abu" not in tokenizer.rules and "Jan." in tokenizer.rules
    assert len(tokenizer.rules) < 1000 < len(nlp.Defaults.tokenizer_exceptions)


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_tokens_are_those_of_every_exception_as_a_special_case(nlp: Language, old: Tokenizer, text: str) -> None:
    assert tokens(nlp.tokenizer(text)) == tokens(old(text))


def test_runs_of_a_words_pieces_are_merged_as_spacy_merges_them(nlp: Language) -> None:
    doc = nlp.tokenizer("si-abu-abu abu-abu-nya x-anak-anak-y anak - anak")
    assert [t.text for t in doc] == [
        "si", "-", "abu-abu", "abu-abu", "-nya", "x", "-", "anak-anak", "-", "y", "anak", "-", "anak",
    ]  # fmt: skip
    # the longer run, leftmost first, takes the shared token: "putra/i" stays cut
    assert [t.text for t in nlp.tokenizer("putra-putra/i")] == ["putra-putra", "/", "i"]


def test_the_tokenizer_survives_disk_and_pickle(nlp: Language, old: Tokenizer, tmp_path: Path) -> None:
    text = " ".join(ADVERSARIAL[:5])  # merges, none that needs every exception (built per tokenizer)
    expected = tokens(old(text))
    nlp.to_disk(tmp_path / "id")
    loaded = spacy.load(tmp_path / "id")
    assert isinstance(loaded.tokenizer, KgTokenizer) and loaded.tokenizer.token_match("abu-abu")
    assert tokens(loaded.tokenizer(text)) == expected
    assert tokens(pickle.loads(pickle.dumps(nlp.tokenizer))(text)) == expected


def test_the_affix_searches_are_read_back_from_the_cache(
    nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.pipeline.tokenizer import split_hyphen_words

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, KgTokenizer)
    rules = dict(nlp.Defaults.tokenizer_exceptions)
    fresh = split_hyphen_words(rules, tokenizer.prefix_search, tokenizer.suffix_search)
    (cached,) = tmp_path.glob("tokenizer-affixed-*.json")
    affixed = json.loads(cached.read_text(encoding="utf-8"))
    assert ":-)" in affixed and "8-)" in affixed  # a prefix ":", a suffix ")": special cases still
    # reversed order (spaCy's differs between processes): the same file, the same split
    again = split_hyphen_words(dict(reversed(rules.items())), tokenizer.prefix_search, tokenizer.suffix_search)
    assert list(tmp_path.glob("tokenizer-affixed-*.json")) == [cached]
    assert again[1] == fresh[1] and again[0].keys() == fresh[0].keys()
    assert "abu-abu" in fresh[1] and ":-)" in fresh[0] and "Jan." in fresh[0]


@pytest.mark.parametrize("text", ["Grinning 8-D at us, x-8-D and 8-D-ish (8-D) 8 - D, -_- then -__-."])
def test_english_emoticons_kept_as_a_token_match_tokenize_as_before(text: str) -> None:
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    new = nlp.tokenizer
    assert isinstance(new, KgTokenizer) and new.token_match("8-D") and "8-D" not in new.rules
    rules = nlp.Defaults.tokenizer_exceptions
    old = Tokenizer(nlp.vocab, rules, new.prefix_search, new.suffix_search, new.infix_finditer, None, new.url_match)
    assert tokens(new(text)) == tokens(old(text))


class CountingSearch:
    """A suffix search that counts its calls: how often a chunk is split by the affix regexes."""

    def __init__(self, search: Callable[[str], re.Match[str] | None]) -> None:
        self.search, self.calls = search, 0
        self.__self__ = getattr(search, "__self__", None)

    def __call__(self, text: str) -> re.Match[str] | None:
        self.calls += 1
        return self.search(text)


def test_chunks_after_a_special_case_are_read_from_the_cache(nlp: Language, old: Tokenizer) -> None:
    """spaCy stops caching chunks at a document's first special case ("Jan."); kg caches them first."""
    new = nlp.tokenizer
    assert isinstance(new, KgTokenizer)
    search = CountingSearch(new.suffix_search)
    tokenizer = KgTokenizer(
        nlp.vocab, new.rules, new.prefix_search, search, new.infix_finditer, new.token_match, new.url_match
    )
    text = "Jan. lalu, warga (Sukamaju) datang; Jan. juga: warga-warga datang."
    assert tokens(tokenizer(text)) == tokens(old(text))
    search.calls = 0
    assert tokens(tokenizer(text)) == tokens(old(text))
    assert search.calls == 0  # every chunk, those after "Jan." too, came from spaCy's cache
    plain = Tokenizer(nlp.vocab, new.rules, new.prefix_search, search, new.infix_finditer, new.token_match)
    plain(text)
    search.calls = 0
    plain(text)
    assert search.calls > 0  # spaCy's own: the chunks after "Jan." are split again


def counting_tokenizer(nlp: Language) -> tuple[KgTokenizer, CountingSearch]:
    new = nlp.tokenizer
    assert isinstance(new, KgTokenizer)
    search = CountingSearch(new.suffix_search)
    tokenizer = KgTokenizer(
        nlp.vocab, new.rules, new.prefix_search, search, new.infix_finditer, new.token_match, new.url_match
    )
    return tokenizer, search


def test_the_cache_is_warmed_again_after_spacy_empties_it(nlp: Language, old: Tokenizer) -> None:
    """A new special case empties spaCy's cache: the chunks kg had put there go in again."""
    tokenizer, search = counting_tokenizer(nlp)
    text = "Jan. lalu, warga Sukamaju datang; Jan. juga: warga datang lagi."
    tokenizer(text)
    tokenizer.add_special_case("Sukamaju", [{ORTH: "Suka"}, {ORTH: "maju"}])
    old.add_special_case("Sukamaju", [{ORTH: "Suka"}, {ORTH: "maju"}])
    assert tokens(tokenizer(text)) == tokens(old(text))
    search.calls = 0
    assert tokens(tokenizer(text)) == tokens(old(text))
    assert search.calls == 0


def test_a_full_cache_is_not_warmed(nlp: Language) -> None:
    """Once spaCy's cache is full it takes no chunk more, and a warm-up would split every new chunk twice:
    kg then splits each once, as spaCy's own tokenizer does."""
    tokenizer, ours = counting_tokenizer(nlp)
    theirs = CountingSearch(ours.search)
    plain = Tokenizer(nlp.vocab, tokenizer.rules, tokenizer.prefix_search, theirs, tokenizer.infix_finditer)
    for each in (tokenizer, plain):
        each.max_cache_size = 5
        each("satu dua tiga empat lima enam tujuh")
    ours.calls = theirs.calls = 0
    text = "Jan. warga Sukamaju datang ke balai desa, kata Budi."
    assert tokens(tokenizer(text)) == tokens(plain(text))
    assert ours.calls == theirs.calls > 0
