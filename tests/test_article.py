from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SEED

from kg.article import Article, detect_language, read_article
from kg.errors import InputBinary, InputEmpty, InputEncoding, InputFormat, InputNotFound, InputTooLarge


def test_reads_the_seed_exactly_as_given(seed_text: str) -> None:
    article = read_article(SEED)
    assert article.text == seed_text
    assert article.lang == "id"
    assert article.id == read_article(SEED).id  # same text, same id
    assert len(article.id) == 16


def test_language_detection() -> None:
    assert detect_language("Menteri itu mengatakan bahwa pertemuan akan digelar di Jakarta pada Senin.") == "id"
    assert detect_language("The minister said that the meeting would be held in Jakarta on Monday.") == "en"


def test_explicit_language_is_kept_and_unknown_refused() -> None:
    assert Article.from_text("Halo dunia", "en").lang == "en"
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        Article.from_text("Bonjour", "fr")


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"", InputEmpty, "file is empty (0 bytes); nothing to extract"),
        (b"  \n\t\n", InputEmpty, "no text to extract from (only white space)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", InputBinary, "binary data, not text"),
        ("Menlu Rusia tiba di Bogotá".encode("latin-1"), InputEncoding, "not valid UTF-8 (byte 0xe1 at offset 25)"),
        (b"<!DOCTYPE html><html><body>Berita</body></html>", InputFormat, "this is HTML"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path: Path, content: bytes, error: type, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(error) as caught:
        read_article(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    with pytest.raises(InputTooLarge, match=r"52,428,800 bytes is over the 5,000,000-byte limit"):
        read_article(path)


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound, match="no such file"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputNotFound, match="not a regular file"):
        read_article(tmp_path)


def test_byte_order_mark_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffNATO bertemu di Brussel.".encode("utf-8"))
    assert read_article(path).text == "NATO bertemu di Brussel."


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("example.org/berita", "No scheme found in an absolute IRI"),
        ("https://example.org/berita satu", "Invalid IRI code point ' '"),
        (42, "not a string"),
    ],
)
def test_a_url_the_graph_cannot_hold_is_refused(url: Any, reason: str) -> None:  # Any: 42 stands for untyped JSON
    with pytest.raises(InputFormat) as caught:
        Article.from_text("Menlu Retno Marsudi tiba di Jakarta.", "id", source="feed.jsonl:3", url=url)
    assert str(caught.value) == f'feed.jsonl:3: "url" is not an absolute URL ({reason}); fix it or leave it out'
    assert (
        Article.from_text("Menlu Retno tiba.", "id", url="https://example.org/b?x=1#p").url
        == "https://example.org/b?x=1#p"
    )
