"""Where articles come from: text files, HTML pages, JSONL lines, directories of those, and stdin.

A :class:`Source` is small and picklable (a path, or one JSONL line), so a batch can hand
sources to worker processes and read each article there; reading one can fail on its own
without stopping the others.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.article import MAX_BYTES, Article, read_article, url_problem
from kg.errors import InputEmpty, InputEncoding, InputFormat, InputNotFound, InputTooLarge

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(slots=True, frozen=True)
class Source:
    """One article to read: ``kind`` is "text", "html" or "jsonl" (then ``line`` holds it)."""

    name: str  # output name: the file's stem, or the JSONL record's id
    kind: str
    origin: str  # for reports: the path, with ":<line>" for JSONL
    path: str | None = None
    line: str | None = None

    def text(self) -> str:
        """What a JSONL line or stdin gave: the line, or all of stdin's text."""
        if self.line is None:
            raise ValueError(f"{self.origin}: a {self.kind} source read from a file holds no line of text")
        return self.line


def iter_sources(inputs: Iterable[Path | str]) -> Iterator[Source | InputNotFound]:
    """Every article the inputs hold, lazily; a missing input is yielded as its error."""
    for item in inputs:
        if str(item) == "-":
            yield from _stdin_sources()
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and _kind(p) is not None):
                yield from _file_sources(child)
        elif path.is_file():
            yield from _file_sources(path)
        else:
            yield InputNotFound(f"{path}: no such file or directory; check the path")


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _file_sources(path: Path) -> Iterator[Source]:
    kind = _kind(path) or "text"
    if kind != "jsonl":
        yield Source(path.stem, kind, str(path), path=str(path))
        return
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield Source(f"{path.stem}-{number}", "jsonl", f"{path}:{number}", path=str(path), line=line)


def _stdin_sources() -> Iterator[Source]:
    data = sys.stdin.read()
    if data.lstrip().startswith("{"):
        for number, line in enumerate(data.splitlines(), 1):
            if line.strip():
                yield Source(f"stdin-{number}", "jsonl", f"-:{number}", line=line)
    else:
        yield Source("stdin", "text", "-", line=data)


def read_source(
    source: Source, lang: str = "auto", published: date | None = None, max_bytes: int = MAX_BYTES
) -> Article:
    """The article a source holds; raises the input error that says why not."""
    if source.kind == "jsonl":
        return _from_record(source, lang, published, max_bytes)
    if source.path is None:  # plain text on stdin
        text = source.text()
        if len(text.encode("utf-8")) > max_bytes:
            raise InputTooLarge(f"{source.origin}: over the {max_bytes:,}-byte limit for one article")
        return Article.from_text(text, lang, source="-", published=published)
    if source.kind == "html":
        return _from_html(Path(source.path), lang, published, max_bytes)
    return read_article(Path(source.path), lang, published=published, max_bytes=max_bytes)


def _from_record(source: Source, lang: str, published: date | None, max_bytes: int) -> Article:
    line = source.text()
    if len(line.encode("utf-8")) > max_bytes:
        raise InputTooLarge(f"{source.origin}: over the {max_bytes:,}-byte limit for one article")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputFormat(f"{source.origin}: not a JSON object ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputFormat(
            f'{source.origin}: a JSONL article needs a "text" string '
            "(and may have id, title, url, published, lang, source)"
        )
    try:
        day = date.fromisoformat(record["published"][:10]) if record.get("published") else published
    except (TypeError, ValueError) as exc:
        raise InputFormat(f'{source.origin}: "published" is not a date (YYYY-MM-DD)') from exc
    record_lang: str = record["lang"] if record.get("lang") in ("id", "en") else lang
    if not record["text"].strip():
        raise InputEmpty(f'{source.origin}: "text" is empty; nothing to extract')
    name = output_name(str(record["id"])) if record.get("id") not in (None, "") else None
    return Article.from_text(
        record["text"],
        record_lang,
        source=source.origin,
        published=day,
        url=record.get("url") or None,
        title=record.get("title") or None,
        name=name,
        publisher=(str(record["source"]).strip() or None) if record.get("source") else None,
    )


def _from_html(path: Path, lang: str, published: date | None, max_bytes: int) -> Article:
    import trafilatura

    if path.stat().st_size > max_bytes:
        raise InputTooLarge(f"{path}: {path.stat().st_size:,} bytes is over the {max_bytes:,}-byte limit")
    data = path.read_bytes()
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputEncoding(f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputEmpty(f"{path}: no article text found in this HTML page")
    metadata = trafilatura.extract_metadata(html)
    day = published
    if day is None and metadata is not None and metadata.date:
        try:
            day = date.fromisoformat(metadata.date[:10])
        except ValueError:
            day = None
    page_url = metadata.url if metadata is not None else None  # read off the page: dropped when malformed
    return Article.from_text(
        text,
        lang,
        source=str(path),
        published=day,
        url=page_url if page_url and not url_problem(page_url) else None,
        title=(metadata.title if metadata is not None else None) or None,
        extracted_from=path.resolve().as_uri(),
    )


def output_name(name: str) -> str:
    """A file name from a record id: no separators, nothing hidden."""
    return _UNSAFE.sub("_", name).strip("._") or "article"
