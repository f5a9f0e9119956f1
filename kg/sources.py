"""Where articles come from: text files, HTML pages, JSONL lines, directories of those, and stdin.

A :class:`Source` is small and picklable (a path, or one JSONL line), so a batch can hand
sources to worker processes and read each article there; reading one can fail on its own
without stopping the others.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from kg.article import MAX_BYTES, Article, decode_text, is_html, read_article, url_problem
from kg.errors import InputEmpty, InputEncoding, InputFormat, InputNotFound, InputTooLarge, KgError

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_UNSAFE = re.compile(r"[^\w.-]+")
_BOM = b"\xef\xbb\xbf"


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


@dataclass(slots=True, frozen=True)
class Refused:
    """An input that cannot even be listed or split into articles (missing, unreadable, not UTF-8, empty)."""

    origin: str
    error: KgError


def iter_sources(inputs: Iterable[Path | str]) -> Iterator[Source | Refused]:
    """Every article the inputs hold, lazily; what cannot be read is yielded as its refusal."""
    for item in inputs:
        if str(item) == "-":
            yield from _stdin_sources(sys.stdin.buffer.read())
            continue
        path = Path(item)
        try:
            mode = path.stat().st_mode
        except PermissionError:
            yield Refused(str(path), InputNotFound(f"{path}: cannot be read (permission denied); check its mode"))
            continue
        except OSError:
            yield Refused(str(path), InputNotFound(f"{path}: no such file or directory; check the path"))
            continue
        if stat.S_ISDIR(mode):
            yield from _directory_sources(path)
        elif stat.S_ISREG(mode):
            yield from _file_sources(path)
        else:
            yield Refused(str(path), InputNotFound(f"{path}: not a regular file or directory; check the path"))


def count_articles(inputs: Iterable[Path | str]) -> int | None:
    """How many articles the inputs hold, counted before the run (for its progress and its closing line):
    a file is one, a JSONL file one per non-blank line; None when standard input is one of them."""
    total = 0
    for item in inputs:
        if str(item) == "-":
            return None
        path = Path(item)
        try:
            files = sorted(_listed(path)) if path.is_dir() else [path]
        except OSError:
            files = [path]
        for file in files:
            total += _count_lines(file) if _kind(file) == "jsonl" else 1
    return total


def _listed(root: Path) -> Iterator[Path]:
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if _kind(Path(name)) is not None:
                yield Path(folder, name)


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as lines:
            return sum(1 for line in lines if line.strip()) or 1
    except OSError:
        return 1


def _directory_sources(root: Path) -> Iterator[Source | Refused]:
    """The articles under ``root`` in path order; a folder that cannot be listed is refused, not skipped."""
    files: list[Path] = []
    refused: list[Refused] = []

    def unlistable(error: OSError) -> None:
        where = error.filename or str(root)
        reason = "permission denied" if isinstance(error, PermissionError) else (error.strerror or str(error))
        refused.append(Refused(where, InputNotFound(f"{where}: cannot be read ({reason}); check its mode")))

    for folder, _dirs, names in os.walk(root, onerror=unlistable):
        files.extend(Path(folder, name) for name in names)
    for child in sorted(p for p in files if p.is_file() and _kind(p) is not None):
        yield from _file_sources(child)
    yield from refused


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _file_sources(path: Path) -> Iterator[Source | Refused]:
    kind = _kind(path) or "text"
    if kind != "jsonl":
        yield Source(path.stem, kind, str(path), path=str(path))
        return
    try:
        with path.open("rb") as lines:
            yield from _jsonl_sources(lines, path.stem, str(path), str(path))
    except PermissionError:
        yield Refused(str(path), InputNotFound(f"{path}: cannot be read (permission denied); check its mode"))


def _jsonl_sources(lines: Iterable[bytes], stem: str, origin: str, path: str | None) -> Iterator[Source | Refused]:
    """One source per non-blank line, each strictly UTF-8 (a line that is not is refused on its own);
    a byte-order mark before the first line is not part of it."""
    found = 0
    for number, raw in enumerate(lines, 1):
        if number == 1:
            raw = raw.removeprefix(_BOM)
        if not raw.strip():
            continue
        found += 1
        where = f"{origin}:{number}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            error = InputEncoding(
                f"{where}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                "convert the file first, e.g. iconv -f latin1 -t utf-8"
            )
            yield Refused(where, error)
            continue
        yield Source(f"{stem}-{number}", "jsonl", where, path=path, line=line)
    if not found:
        yield Refused(origin, InputEmpty(f"{origin}: no articles (the JSONL holds no lines); nothing to extract"))


def _stdin_sources(data: bytes) -> Iterator[Source | Refused]:
    """Standard input read as strictly as a file: JSONL when it starts with ``{``, an HTML page, or one text."""
    body = data.removeprefix(_BOM)
    if not body.strip():
        yield Refused("-", InputEmpty("-: standard input is empty; nothing to extract"))
    elif body.lstrip().startswith(b"{"):
        yield from _jsonl_sources(body.splitlines(keepends=True), "stdin", "-", None)
    elif is_html(body[:8192]):
        try:
            yield Source("stdin", "html", "-", line=body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            reason = f"-: not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})"
            yield Refused("-", InputEncoding(reason))
    else:
        try:
            yield Source("stdin", "text", "-", line=decode_text(data, "-"))
        except KgError as error:
            yield Refused("-", error)


def read_source(
    source: Source, lang: str = "auto", published: date | None = None, max_bytes: int = MAX_BYTES
) -> Article:
    """The article a source holds; raises the input error that says why not."""
    if source.kind == "jsonl":
        return _from_record(source, lang, published, max_bytes)
    if source.path is None:  # text or an HTML page on stdin
        text = source.text()
        if len(text.encode("utf-8")) > max_bytes:
            raise InputTooLarge(f"{source.origin}: over the {max_bytes:,}-byte limit for one article")
        if source.kind == "html":
            return _from_html_text(text, "-", lang, published)
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
    except RecursionError as exc:
        raise InputFormat(f"{source.origin}: not an article (JSON nested too deeply to read)") from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputFormat(
            f'{source.origin}: a JSONL article needs a "text" string '
            "(and may have id, title, url, published, lang, source)"
        )
    _check_fields(source.origin, record)
    try:
        day = date.fromisoformat(record["published"][:10]) if record.get("published") else published
    except (TypeError, ValueError) as exc:
        raise InputFormat(f'{source.origin}: "published" is not a date (YYYY-MM-DD)') from exc
    record_lang: str = record["lang"] if record.get("lang") in ("id", "en") else lang
    if not record["text"].strip():
        raise InputEmpty(f'{source.origin}: "text" is empty; nothing to extract')
    name = output_name(str(record["id"])) if record.get("id") not in (None, "") else None
    publisher = (str(record["source"]).strip() or None) if record.get("source") else None
    if is_html(record["text"][:8192].encode("utf-8")):  # a crawled page: its main text, as for an .html file
        page = _from_html_text(record["text"], source.origin, record_lang, day, record.get("url") or None)
        return replace(page, title=record.get("title") or page.title, name=name, publisher=publisher)
    return Article.from_text(
        record["text"],
        record_lang,
        source=source.origin,
        published=day,
        url=record.get("url") or None,
        title=record.get("title") or None,
        name=name,
        publisher=publisher,
    )


_STRING_FIELDS = ("text", "title", "url", "published", "lang", "source")


def _check_fields(origin: str, record: dict[str, object]) -> None:
    """Each field kg reads is of the type it reads, and its text can be written as UTF-8."""
    for key in _STRING_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputFormat(f'{origin}: "{key}" must be a string, not {_json_type(value)}')
    given_id = record.get("id")
    if given_id is not None and (not isinstance(given_id, str | int) or isinstance(given_id, bool)):
        raise InputFormat(f'{origin}: "id" must be a string or a number, not {_json_type(record["id"])}')
    for key in ("id", *_STRING_FIELDS):
        value = record.get(key)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise InputEncoding(
                    f'{origin}: "{key}" holds a lone surrogate (\\u{ord(value[exc.start]):04x} at character '
                    f"{exc.start}), which is not text; fix the escape in the JSON"
                ) from exc


def _json_type(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "an array", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _from_html(path: Path, lang: str, published: date | None, max_bytes: int) -> Article:
    if path.stat().st_size > max_bytes:
        raise InputTooLarge(f"{path}: {path.stat().st_size:,} bytes is over the {max_bytes:,}-byte limit")
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputNotFound(f"{path}: cannot be read (permission denied); check its mode") from exc
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputEncoding(f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc
    return _from_html_text(html, str(path), lang, published)


def _from_html_text(html: str, origin: str, lang: str, published: date | None, url: str | None = None) -> Article:
    """The main text of a page, with what its metadata says (date, URL, title).

    The graph says the text was extracted (``kg:extractedFrom``) from the page's URL: ``url`` (a JSONL
    record's), else the one the page names (canonical link, og:url); with neither, from the input as
    given (``origin``: the path as typed, ``-``, or ``feed.jsonl:3``), never this machine's file:// IRI.
    """
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputEmpty(f"{origin}: no article text found in this HTML page")
    metadata = trafilatura.extract_metadata(html)
    day = published
    if day is None and metadata is not None and metadata.date:
        try:
            day = date.fromisoformat(metadata.date[:10])
        except ValueError:
            day = None
    page_url = metadata.url if metadata is not None else None  # read off the page: dropped when malformed
    known = url or (page_url if page_url and not url_problem(page_url) else None)
    return Article.from_text(
        text,
        lang,
        source=origin,
        published=day,
        url=known,
        title=(metadata.title if metadata is not None else None) or None,
        extracted_from=known,
        extracted_from_input=None if known else origin,
    )


def output_name(name: str) -> str:
    """A file name from a record id: no separators, nothing hidden."""
    return _UNSAFE.sub("_", name).strip("._") or "article"
