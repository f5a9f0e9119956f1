"""Work linear in an article's length: the helpers that replaced scans of every quote, date, line and
entity give exactly the answers the scans gave, and hostile inputs (a run of quote marks, a
quote-and-attribution repeated, one word a line) go through whole. Speed itself: bench/bench_length.py."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import DATA, SEED
from spacy.tokenizer import Tokenizer
from spacy.tokens import Span
from spacy.util import compile_suffix_regex

from kg.article import Article
from kg.extract import extract
from kg.pipeline import build_pipeline, get_pipeline
from kg.pipeline.doc import ents_within, text_of
from kg.pipeline.intervals import Ranges, Taken
from kg.pipeline.speakers import words_before
from kg.pipeline.tokenize import LONGEST_RUN, make_doc
from kg.pipeline.tokenizer import TailSearch


def test_ranges_answer_as_a_scan_does() -> None:
    rng = random.Random(3)
    for _ in range(200):
        spans = [(a, a + rng.randint(0, 15)) for a in (rng.randint(0, 100) for _ in range(rng.randint(0, 12)))]
        ranges = Ranges(spans)
        for position in range(-2, 120):
            assert ranges.cover(position) == any(s <= position < e for s, e in spans)
            end = position + rng.randint(0, 10)
            assert ranges.start_within(position, end) == any(position <= s < end for s, _ in spans)


def test_taken_answers_as_a_scan_does() -> None:
    rng = random.Random(5)
    for _ in range(200):
        taken, scanned = Taken(), list[tuple[int, int]]()
        for _ in range(30):
            start = rng.randint(0, 200)
            span = (start, start + rng.randint(1, 20))
            free = not any(span[0] < end and begin < span[1] for begin, end in scanned)
            assert taken.take(*span) == free
            if free:
                scanned.append(span)


def test_the_words_before_a_role_are_the_last_words_of_all_the_text_before_it() -> None:
    rng = random.Random(11)
    pieces = ["Menteri", "Luar", "Negeri", "é", " ", "  ", "\n", "\t", "\u00a0", "\u2003", ",", "x" * 70, "(AFP)"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        end = rng.randint(0, len(text))
        for count in (1, 2, 3):
            assert words_before(text, end, count) == text[:end].split()[-count:]


def test_ents_within_is_what_a_scan_finds() -> None:
    nlp = get_pipeline("id")
    doc = nlp(make_doc(nlp, SEED.read_text(encoding="utf-8")))
    ents = doc._.kg_ents
    assert len(ents) > 30
    for start in range(0, len(doc), 7):
        for end in (start, start + 3, start + 40, len(doc)):
            scanned: list[Span] = []
            for ent in ents:  # the scan ents_within used to be
                if ent.start >= start:
                    if ent.end > end:
                        break
                    scanned.append(ent)
            assert ents_within(doc, start, end) == scanned


def test_the_suffix_search_over_the_tail_gives_the_same_tokens() -> None:
    plain = build_pipeline("en")
    suffixes = [*(plain.Defaults.suffixes or ()), r"(?<=[^\W\d_])ʼ[sS]", r"(?<=[^\W\d_])ʼ"]
    plain_tokenizer, tail = plain.tokenizer, build_pipeline("en")
    assert isinstance(plain_tokenizer, Tokenizer) and isinstance(tail.tokenizer, Tokenizer)
    plain_tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    assert isinstance(tail.tokenizer.suffix_search, TailSearch)
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "articles").glob("*.txt"))]
    texts.append("Harga naik 25%... lalu 3km²!!! (lihat: https://example.org/a?b=c). " + "." * 60 + '"')
    for text in texts:
        assert [t.text for t in tail.make_doc(text)] == [t.text for t in plain.make_doc(text)]


def test_long_runs_are_cut_and_the_text_kept() -> None:
    nlp = get_pipeline("id")
    text = 'Awal berita.\n"' + "x" * (2 * LONGEST_RUN + 500) + '" kata Budi.\n' + '"' * 3001
    doc = make_doc(nlp, text)
    assert doc.text == text
    assert max(len(t) for t in doc) == LONGEST_RUN
    seed = SEED.read_text(encoding="utf-8")  # no run that long: the tokenizer's own tokens, in one call
    assert [t.text for t in make_doc(nlp, seed)] == [t.text for t in nlp.make_doc(seed)]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_text_kept_for_components_is_the_docs_own(lang: str) -> None:
    """make_doc keeps the text it was given as text_of(doc) instead of joining the tokens again: that
    holds only while the tokenizer loses no character, whatever the whitespace and symbols."""
    nlp = get_pipeline(lang)
    texts = [
        "",
        '  \n\t Awal  berita.\r\n\r\nKata\u00a0Budi\u200b:  "ya" \U0001f600 \x00 akhir  ',
        "abu-abu si-abu-abu :-) Jan. e-mail https://contoh.id/a?b=1 (11/10/2022) Rp1.000,50 \u2014 \ufeff",
        "x" * (LONGEST_RUN + 7) + " \n" + "-" * (LONGEST_RUN * 2),
    ]
    for text in texts:
        doc = make_doc(nlp, text)
        assert (text_of(doc), doc.text) == (text, text)


def test_every_line_starts_a_sentence() -> None:
    nlp = get_pipeline("id")
    words = "Menlu Retno Marsudi bertemu Menlu Singapura di Jakarta pada Senin".split() * 30
    doc = nlp(make_doc(nlp, "\n".join(words)))
    assert list(doc._.kg_sentences.starts) == list(range(len(words) * 2))[::2]  # a word, then its line break


def test_hostile_inputs_go_through_whole() -> None:
    quotes = extract(Article.from_text('"' * 20_000, "id"))
    assert quotes.report.conforms and quotes.extraction.statements == ()
    line = '"Kami siap menjadi tuan rumah {}," kata Menlu Retno Marsudi.'
    repeated = extract(Article.from_text(" ".join(line.format(i) for i in range(400)), "id"))
    assert repeated.report.conforms
    assert [s.text for s in repeated.extraction.statements] == [f"Kami siap menjadi tuan rumah {i}" for i in range(400)]
    assert {s.speaker_key for s in repeated.extraction.statements} == {"Q18342668"}


def test_an_article_over_spacys_limit_is_extracted_and_one_over_the_pipelines_is_refused_with_code_7(
    tmp_path: Path,
) -> None:
    """spaCy's own bound (1,000,000 characters) is below the 5 MB that --max-bytes lets in by default: such an
    article is read, whole; one over the pipeline's bound (which only a larger --max-bytes lets in) is not."""
    from typer.testing import CliRunner

    from kg.cli import app

    article = tmp_path / "panjang.txt"
    article.write_text("Kata demi kata. " * 62_600, encoding="utf-8")  # 1,001,600 characters, under 5 MB
    result = CliRunner().invoke(app, ["extract", str(article), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(", conforms\n")
    assert "1001600" in (tmp_path / "out" / "panjang.ttl").read_text(encoding="utf-8")  # the context's end
    article.write_text("Kata demi kata. " * 312_501, encoding="utf-8")  # 5,000,016 characters
    result = CliRunner().invoke(app, ["extract", str(article), "-o", str(tmp_path / "out"), "--max-bytes", "6000000"])
    assert result.exit_code == 7
    assert (
        f"{article}: 5,000,016 characters is over the 5,000,000 one article may have; split it into parts"
        in result.stderr
    )


@pytest.mark.parametrize("limit", ["0", "-5"])
def test_a_byte_limit_below_one_is_a_usage_error(limit: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    article = tmp_path / "a.txt"
    article.write_text("Menlu Retno tiba di Jakarta.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(article), "-o", str(tmp_path), "--max-bytes", limit])
    assert result.exit_code == 2
    assert "Invalid value for '--max-bytes': Input should be greater than or equal to 1" in result.stderr
    assert not (tmp_path / "a.ttl").exists()


def test_a_lone_cr_breaks_lines_as_lf_does() -> None:
    lines = [
        "JAKARTA - Menteri Luar Negeri Sugiono mengatakan Indonesia siap membantu",
        "Menurut Sugiono, bantuan akan dikirim pekan depan",
        '"Kami tidak akan diam," kata Sugiono.',
    ]
    with_lf, with_cr = (extract(Article.from_text(end.join(lines), "id")).extraction for end in ("\n", "\r"))
    found = [("bantuan akan dikirim pekan depan", 90, 123), ("Kami tidak akan diam", 124, 144)]
    assert [(s.text, s.start, s.end) for s in with_lf.statements] == found
    assert [(s.text, s.start, s.end) for s in with_cr.statements] == found


MARKS = ['"', "“", "”", "'", "(", ")", "[", "]", "\n", "\n\n", ' "', '" ', ", kata", "."]


def test_stray_marks_anywhere_in_our_texts_still_give_a_graph_that_conforms() -> None:
    """A property over our own texts: quote marks, brackets and line breaks dropped in at random
    places (a line that ends in a lone quote mark among them) never break extraction or the shapes."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "articles").glob("*.txt"))]
    texts.append('Kata terakhir "\nMenteri Sugiono tiba di Jakarta. "Kami siap," katanya "')
    pick = random.Random(17)
    for number in range(120):
        text = pick.choice(texts)
        for _ in range(pick.randint(1, 8)):
            at = pick.randrange(len(text) + 1)
            text = text[:at] + pick.choice(MARKS) + text[at:]
        result = extract(Article.from_text(text, "auto"))
        assert result.report.conforms, (number, result.report.describe()[:500], text[:300])
        assert all(statement.text.strip() for statement in result.extraction.statements), number
