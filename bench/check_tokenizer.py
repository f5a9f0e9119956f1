"""Does kg's Indonesian tokenizer (hyphenated words as a token_match, their merges redone after it)
give the tokens spaCy's special cases give? Compares text, offset, trailing whitespace and norm of
every token, over the raw sentences of the Indonesian NER corpora, kg's test articles, bench_extract's
generated articles, and strings built around every hyphenated word (affixes, chains, case, quotes,
"-nya", spaces inside, the special cases whose pieces a word's pieces may share). Also checks the
facts the equivalence rests on: every word's pieces hold a "-", and spaCy's other special cases split
the same with the words as a token_match. Prints the counts; exits 1 on any difference.

    .venv/bin/python bench/check_tokenizer.py [--corpora /work/shared/corpora/id-ner] [--generated 300]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.pipeline.tokenizer import KgTokenizer

ROOT = Path(__file__).resolve().parent.parent


def reference(nlp: spacy.language.Language, new: KgTokenizer) -> Tokenizer:
    """The tokenizer kg had: the same rules, every exception of the language a special case."""
    rules = nlp.Defaults.tokenizer_exceptions
    return Tokenizer(nlp.vocab, rules, new.prefix_search, new.suffix_search, new.infix_finditer, None, new.url_match)


def falls_back(new: KgTokenizer, text: str) -> bool:
    """Whether ``new`` hands ``text`` to its tokenizer with every exception."""
    texts = [t.text for t in Tokenizer.__call__(new, text)]
    return "-" in texts and new._runs(texts) is None


def key(doc: Doc) -> list[tuple[str, int, str, str]]:
    return [(t.text, t.idx, t.whitespace_, t.norm_) for t in doc]


def corpus_sentences(root: Path) -> Iterator[str]:
    """Each sentence of the CoNLL files, its tokens joined by spaces, and once more as written text
    (no space before punctuation or around a hyphen)."""
    for path in sorted(root.rglob("*.txt")):
        words: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                if words:
                    yield " ".join(words)
                    glued = " ".join(words)
                    for mark in (" ,", " .", " )", " -nya", " - ", "( ", ' "'):
                        glued = glued.replace(mark, mark.strip() if mark != "( " else "(")
                    yield glued
                words = []
            else:
                words.append(line.split()[0])
        if words:
            yield " ".join(words)


def constructed(words: list[str], rng: random.Random) -> Iterator[str]:
    """Strings around every hyphenated word."""
    shared = ["p.", "Ka.", "putra/i", "siswa/i", "muda/i", "Muda/I", ":-)", "Jan.", "Dr.", "Hj.", "-nya", "-ku"]
    for w in words:
        other = rng.choice(words)
        piece = w.split("-")[0]
        yield " ".join(
            [
                w,
                f"si-{w}",
                f"{w}-nya",
                f"{w}-Nya",
                f"({w})",
                f'"{w}"',
                f"“{w}”",
                f"{w}.",
                f"{w},",
                f"{w}-{other}",
                f"x-{w}-y",
                f"{w}/i",
                f"{w}-",
                f"-{w}",
                f"{w.upper()}",
                f"{w.lower()}-{w.title()}",
                f"{w.replace('-', ' - ')}",
                f"{w.replace('-', ' -')}",
                f"{w.replace('-', '- ')}",
                f"{w.replace('-', '—')}",
                f"{piece}-{w}",
                f"{w}{rng.choice(shared)}",
                f"{rng.choice(shared)}{w}",
                f"{w}-{rng.choice(shared)}",
                f"{rng.choice(shared)}-{w}",
                f"{w}'s",
                f"{w}ʼ",
                f"<b>{w}</b>",
                f"{w}\n{other}",
                f"2-{w}",
                f"{w}-3",
            ]
        )
    for pieces in (["siswa-siswa/i", "putra-putra/i", "x-pdi-p.", "Ki-Ka.", "si-Ki-Ka.", "muda-muda/i"],):
        yield " ".join(pieces)
        yield "".join(pieces)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=Path("/work/shared/corpora/id-ner"))
    parser.add_argument("--generated", type=int, default=300, help="bench_extract articles")
    parser.add_argument("--lang", default="id", help="id (the NER corpora are Indonesian) or en")
    args = parser.parse_args()
    nlp = spacy.blank(args.lang, config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    new = nlp.tokenizer
    assert isinstance(new, KgTokenizer) and new._words is not None
    old = reference(nlp, new)
    words = sorted(new._words)

    # the facts the equivalence rests on
    no_dash = [w for w in words if len(new._pieces(w)) > 1 and "-" not in new._pieces(w)]
    longest = max(len(new._pieces(w)) for w in words)
    with_words = Tokenizer(
        nlp.vocab, None, new.prefix_search, new.suffix_search, new.infix_finditer, new.token_match, new.url_match
    )
    moved = [c for c in new.rules if tuple(t.text for t in with_words(c)) != new._pieces(c)]
    runs = [new._pieces(w) for w in words if len(new._pieces(w)) > 1]  # one piece: nothing to merge
    odd_pieces = {p for pieces in runs for p in pieces if p != "-" and not any(c.isalnum() for c in p)}
    print(f"{len(words)} words as token_match, {len(new.rules)} special cases kept; longest word {longest} pieces")
    print(f"facts: pieces without '-' {no_dash[:5]}, kept cases cut otherwise {moved[:5]}, odd pieces {odd_pieces}")
    failed = bool(no_dash or moved or odd_pieces or longest > new.MAX_TOKENS)

    sources: dict[str, list[str]] = {}
    if args.lang == "id" and args.corpora.exists():
        sources["id-ner sentences"] = list(corpus_sentences(args.corpora))
    articles = sorted((ROOT / "tests/data").rglob("*.txt"))
    sources["tests/data articles"] = [p.read_text(encoding="utf-8") for p in articles]
    if args.generated:
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_extract import generate

        sources["bench_extract articles"] = [a.text for a in generate(args.generated, 7) if a.lang == args.lang]
    sources["constructed"] = list(constructed(words, random.Random(16)))
    for name, texts in sources.items():
        differ = 0
        chars = 0
        fallbacks = 0
        merged = 0  # texts whose tokens the merges after the token_match change
        for text in texts:
            chars += len(text)
            fallbacks += falls_back(new, text)
            merged += key(Tokenizer.__call__(new, text)) != key(new(text))
            if key(new(text)) != key(old(text)):
                differ += 1
                if differ <= 5:
                    a, b = key(new(text)), key(old(text))
                    first = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y) if a != b else 0
                    print(f"  DIFF in {name}: new {a[first : first + 4]} old {b[first : first + 4]}")
        print(f"{name}: {len(texts)} texts, {chars:,} characters, {differ} differ", end=" ")
        print(f"({merged} changed by the merges, {fallbacks} to every exception)")
        failed |= differ > 0
    print("FAILED" if failed else "identical")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
