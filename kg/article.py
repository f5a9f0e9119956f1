"""The input model: an article's text and what we know about it, and the reader for text files.

Reading is strict on purpose: a file that is empty, binary, not UTF-8, HTML or too large
is refused with a message that says what to do, before any NLP runs on it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputBinary, InputEmpty, InputEncoding, InputFormat, InputNotFound, InputTooLarge

MAX_BYTES = 5_000_000  # a long news article is ~50 kB; 5 MB is a book, not an article
LANGUAGES = ("id", "en")

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+")
# Frequent function words: enough to tell Indonesian from English news in a few lines.
_FUNCTION_WORDS = {
    "id": frozenset(
        "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena bahwa "
        "oleh kata ada telah sudah bagi menjadi tersebut".split()
    ),
    "en": frozenset(
        "the and of to in is that for on with said was as by at from it be has have will are an this".split()
    ),
}


_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass(slots=True, frozen=True)
class Article:
    """One news article: text exactly as given, plus metadata the user or the source knows."""

    text: str
    lang: str
    id: str
    source: str | None = None  # file path or other origin, for reports
    published: date | None = None
    url: str | None = None
    title: str | None = None  # given with the text (JSONL, HTML); else read off the text
    extracted_from: str | None = None  # the URL of the page the text was extracted from: offsets count into the text
    extracted_from_input: str | None = None  # else the input the page was read from, as given (a path, a JSONL line)
    name: str | None = None  # what to call its output file, when the source says (a JSONL id)
    publisher: str | None = None  # the outlet, when the source names it (JSONL "source")

    @classmethod
    def from_text(
        cls,
        text: str,
        lang: str = "auto",
        *,
        source: str | None = None,
        published: date | None = None,
        url: str | None = None,
        title: str | None = None,
        extracted_from: str | None = None,
        extracted_from_input: str | None = None,
        name: str | None = None,
        publisher: str | None = None,
    ) -> Article:
        """Build an article; ``lang="auto"`` guesses Indonesian or English from function words."""
        if not text.strip():
            raise InputEmpty(f"{source or 'input'}: no text to extract from (only white space)")
        for field, value in (("url", url), ("extracted_from", extracted_from)):  # IRIs in the graph
            problem = url_problem(value) if value is not None else None
            if problem:
                raise InputFormat(
                    f'{source or "input"}: "{field}" is not an absolute URL ({problem}); fix it or leave it out'
                )
        # A lone CR (old Mac files, some CMS exports) breaks a line as LF does; one character for one,
        # so every offset stays where it was. CRLF is left as it is.
        text = _LONE_CR.sub("\n", text)
        if lang == "auto":
            lang = detect_language(text)
        elif lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)} or auto")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        return cls(
            text=text,
            lang=lang,
            id=digest,
            source=source,
            published=published,
            url=url,
            title=title,
            extracted_from=extracted_from,
            extracted_from_input=extracted_from_input,
            name=name,
            publisher=publisher,
        )


def url_problem(value: object) -> str | None:
    """Why ``value`` cannot be written into the graph as an IRI (None when it can)."""
    if not isinstance(value, str):
        return "not a string"
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        return str(exc)
    return None


def detect_language(text: str) -> str:
    """``"id"`` or ``"en"``, whichever has more of its function words in the first 2,000 words."""
    words = [w.casefold() for w in _WORDS.findall(text[:20_000])][:2000]
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in _FUNCTION_WORDS.items()}
    return max(LANGUAGES, key=lambda lang: scores[lang])


def read_article(
    path: Path,
    lang: str = "auto",
    *,
    published: date | None = None,
    max_bytes: int = MAX_BYTES,
) -> Article:
    """Read a UTF-8 plain-text article, refusing what is not one with an actionable error."""
    if not path.exists():
        raise InputNotFound(f"{path}: no such file; check the path (a directory is not read here)")
    if not path.is_file():
        raise InputNotFound(f"{path}: not a regular file; pass article files, one per argument")
    size = path.stat().st_size
    if size == 0:
        raise InputEmpty(f"{path}: file is empty (0 bytes); nothing to extract")
    if size > max_bytes:
        raise InputTooLarge(
            f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit for one article; "
            "split it into articles or raise --max-bytes"
        )
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputNotFound(f"{path}: cannot be read (permission denied); check its mode") from exc
    text = decode_text(data, str(path))
    return Article.from_text(text, lang, source=str(path), published=published)


def decode_text(data: bytes, origin: str) -> str:
    """An article's bytes as text (a file's or stdin's: one reader for both), refusing binary data,
    HTML and what is not UTF-8; a byte-order mark is not part of the text."""
    head = data[:8192]
    if b"\x00" in head or _control_ratio(head) > 0.1:
        raise InputBinary(f"{origin}: binary data, not text; pass the article as a UTF-8 text file")
    if is_html(head):
        raise InputFormat(f"{origin}: this is HTML in a text file; name it .html and kg extracts the page's main text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputEncoding(
            f"{origin}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from exc
    return text.removeprefix("\ufeff")


def is_html(head: bytes) -> bool:
    """Whether bytes start as an HTML page does (after white space and a byte-order mark)."""
    return _HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")) is not None


def _control_ratio(data: bytes) -> float:
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(1, len(data))
