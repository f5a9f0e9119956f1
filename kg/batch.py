"""Many articles in, in parallel: per-article Turtle files, or one N-Quads/TriG stream.

Sources go to ``jobs`` worker processes a few at a time (memory stays flat however long the
corpus) and come back in order, so a stream is the same on every run. Every file is written
whole or not at all: Turtle files one by one, a stream beside its target and renamed at the end.
An article that fails is reported (and in the failures JSONL) and the others go on; ``resume``
skips what an earlier run finished.
"""

from __future__ import annotations

import gc
import json
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.article import MAX_BYTES, Article
from kg.errors import GraphInvalid, InputNotFound, KgError, OutputError
from kg.extract import Result, extract_records
from kg.files import AtomicFile, write_atomically
from kg.rdf.graph import ArticleGraph
from kg.rdf.mapping import to_article_graph
from kg.records import Extraction
from kg.sources import Source, iter_sources, output_name, read_source
from kg.validate import Report, default_validator

STREAMS = ("nq", "trig")
CHUNK = 16  # articles a worker takes at a time
FORMATS = ("ttl", *STREAMS)
COLLECT_EVERY = 64  # chunks (1,024 articles) between garbage collections in a long run


@dataclass(slots=True, frozen=True)
class Options:
    """How each article is read and extracted (sent to every worker)."""

    format: str = "ttl"
    lang: str = "auto"
    kb_path: Path | None = None
    published: date | None = None
    max_bytes: int = MAX_BYTES
    online: bool = False


@dataclass(slots=True, frozen=True)
class Done:
    """What became of one source: written (``output``), skipped (resumed), or ``error``."""

    source: Source | None
    origin: str
    name: str | None = None
    graph: str | None = None
    payload: bytes | None = None
    summary: str | None = None
    error: KgError | None = None
    output: Path | None = None
    skipped: bool = False

    def extracted(self) -> tuple[str, bytes]:
        """The output name and serialized graph of a source extracted without error."""
        if self.name is None or self.payload is None:
            raise ValueError(f"{self.origin}: no graph to write ({self.error or 'skipped'})")
        return self.name, self.payload


def process_chunk(sources: list[Source], options: Options) -> list[Done]:
    """A few articles, each read, extracted, mapped and validated (right away: its graph is still in
    the CPU's caches, ~10 % faster than after the chunk), then each serialized."""
    validator = default_validator()
    staged: list[tuple[Source, Article, Extraction, ArticleGraph, Report] | Done] = []
    for source in sources:
        try:
            article = read_source(source, options.lang, options.published, options.max_bytes)
            extraction = extract_records(article, options.kb_path, options.online)
            graph = to_article_graph(extraction)
            staged.append((source, article, extraction, graph, validator.check_graph(graph)))
        except Exception as error:
            staged.append(_failed(source, error))
    return [item if isinstance(item, Done) else _finish(*item, options) for item in staged]


def _finish(
    source: Source, article: Article, extraction: Extraction, graph: ArticleGraph, report: Report, options: Options
) -> Done:
    result = Result(extraction, graph, report)
    if not report.conforms:
        return Done(
            source,
            source.origin,
            error=GraphInvalid(
                f"{source.origin}: the graph breaks the shapes and was not written:\n{report.describe()}"
            ),
        )
    try:
        payload = {"ttl": graph.turtle, "nq": graph.nquads, "trig": graph.trig}[options.format]()
    except Exception as error:
        return _failed(source, error)
    return Done(source, source.origin, output_name(article.name or source.name), graph.name, payload, result.summary())


class LongRunCollector:
    """Python's garbage collector, set for a long run and stepped after each chunk.

    Pipelines, the KB's matcher and the compiled shapes are built with the first chunk and live
    as long as the process; every article then allocates tens of thousands of containers that
    reference counting frees on its own (the pipeline makes next to no reference cycles). The
    collector still walked them every 700 allocations, and the long-lived objects in each full
    collection. Here the long-lived objects are frozen out of its sight after the first chunk,
    and it runs every ``COLLECT_EVERY`` chunks instead: bench_extract measured +20 % articles a
    second against the defaults (+3 % against a young-generation threshold of 50,000), with the
    same peak memory (extract_records frees the one per-article cycle, the Doc's cached spans).
    """

    def __init__(self) -> None:
        self.chunks = 0
        self.was_enabled = gc.isenabled()

    def step(self) -> None:
        if self.chunks == 0:
            gc.collect()  # what is garbage now would otherwise be frozen with the rest
            gc.freeze()
            gc.disable()
        elif self.chunks % COLLECT_EVERY == 0:
            gc.collect()
        self.chunks += 1

    def restore(self) -> None:
        gc.unfreeze()
        if self.was_enabled:
            gc.enable()


_WORKER_COLLECTOR = LongRunCollector()  # a worker process is kg's own: its collector stays set


def _in_worker(sources: list[Source], options: Options) -> list[Done]:
    """A chunk in a worker process: a process kg owns, so its collector is set for the run."""
    done = process_chunk(sources, options)
    _WORKER_COLLECTOR.step()
    return done


def _failed(source: Source, error: Exception) -> Done:
    if not isinstance(error, KgError):  # an extraction bug must not cost the rest of the batch
        error = KgError(
            f"{source.origin}: internal error ({type(error).__name__}: {error}); please report it with this input"
        )
    return Done(source, source.origin, error=error)


def expected_name(source: Source) -> str:
    """The output name a source will get, known before extraction (for --resume)."""
    if source.kind == "jsonl" and source.line:
        try:
            record = json.loads(source.line)
            if isinstance(record, dict) and record.get("id") not in (None, ""):
                return output_name(str(record["id"]))
        except ValueError:
            pass
    return output_name(source.name)


def _results(sources: Iterable[Source | InputNotFound], options: Options, jobs: int, skip: set[str]) -> Iterator[Done]:
    """Done records in input order; sources go out in chunks, at most ``4 * jobs`` chunks in flight."""

    def chunks() -> Iterator[list[Source] | Done]:
        pending: list[Source] = []
        for item in sources:
            if isinstance(item, KgError):
                ready: Done | None = Done(None, str(item).split(":")[0], error=item)
            elif skip and (name := expected_name(item)) in skip:  # parsing a JSONL line twice only to resume
                ready = Done(item, item.origin, name=name, skipped=True)
            else:
                ready = None
                pending.append(item)
            if pending and (ready is not None or len(pending) >= CHUNK):
                yield pending
                pending = []
            if ready is not None:
                yield ready
        if pending:
            yield pending

    if jobs <= 1:
        collector = LongRunCollector()
        try:
            for chunk in chunks():
                yield from [chunk] if isinstance(chunk, Done) else process_chunk(chunk, options)
                collector.step()
        finally:  # the caller's process: its collector goes back as it was
            collector.restore()
        return
    window: deque[Done | Future] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk in chunks():
            window.append(chunk if isinstance(chunk, Done) else pool.submit(_in_worker, chunk, options))
            while len(window) >= 4 * jobs:
                yield from _unpack(window.popleft())
        while window:
            yield from _unpack(window.popleft())


def _unpack(entry: Done | Future) -> list[Done]:
    return entry.result() if isinstance(entry, Future) else [entry]


def run(
    inputs: Iterable[Path | str],
    out: Path,
    options: Options,
    *,
    jobs: int = 1,
    resume: bool = False,
    report: Path | None = None,
) -> Generator[Done, None, None]:
    """Extract every article of ``inputs``: Turtle files in directory ``out``, or the stream file ``out``."""
    if options.format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    streaming = options.format in STREAMS
    names_file = out.with_name(out.name + ".names") if streaming else None
    done_names: set[str] = set()
    if resume:
        if names_file is not None and names_file.exists():
            done_names = set(names_file.read_text(encoding="utf-8").split())
        elif not streaming and out.is_dir():
            done_names = {p.stem for p in out.glob("*.ttl")}
    if not streaming and out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a directory; give -o a directory for the Turtle files")
    report = report or (out.with_name(out.name + ".failures.jsonl") if streaming else out / "failures.jsonl")
    try:
        failures = AtomicFile(report)
        stream = AtomicFile(out, keep=resume) if streaming else None
        names = AtomicFile(names_file, keep=resume) if names_file is not None else None
    except OSError as exc:
        raise OutputError(
            f"cannot write beside {exc.filename or out} ({exc.strerror or exc}); "
            "choose a writable place with -o (and --report)"
        ) from exc
    failed = False
    written: dict[str, str] = {}
    try:
        for done in _results(iter_sources(inputs), options, jobs, done_names):
            if done.error is None and not done.skipped:
                done = _write(done, out, stream, names, written)
            if done.error is not None:
                failed = True
                failures.write(
                    (
                        json.dumps(
                            {"input": done.origin, "reason": str(done.error), "exit_code": done.error.exit_code},
                            ensure_ascii=False,
                        )
                        + "\n"
                    ).encode("utf-8")
                )
            yield done
    except BaseException:
        for handle in (stream, names):
            if handle is not None:
                handle.abort()
        _close_report(failures, failed)
        raise
    for handle in (stream, names):
        if handle is not None:
            handle.commit()
    _close_report(failures, failed)


def _close_report(failures: AtomicFile, failed: bool) -> None:
    """Keep the failures report when there were failures; otherwise no (stale) report at all."""
    if failed:
        failures.commit()
    else:
        failures.abort()
        failures.target.unlink(missing_ok=True)


def _write(done: Done, out: Path, stream: AtomicFile | None, names: AtomicFile | None, written: dict[str, str]) -> Done:
    name, payload = done.extracted()
    if name in written:
        used = (
            f"its graph would overwrite {out / f'{name}.ttl'}"
            if stream is None
            else f"its graph name {name!r} is taken"
        )
        error = OutputError(
            f"{done.origin}: {used}, written from {written[name]} in this run; rename one of the inputs"
        )
        return Done(done.source, done.origin, error=error)
    written[name] = done.origin
    if stream is not None:
        if names is None:
            raise ValueError("a stream is written with its .names file")
        stream.write(payload)
        names.write(f"{name}\n".encode())
        return Done(done.source, done.origin, name, done.graph, None, done.summary, output=stream.target)
    target = out / f"{name}.ttl"
    try:
        write_atomically(target, payload)
    except OSError as exc:
        error = OutputError(
            f"{done.origin}: cannot write {target} ({exc.strerror or exc}); choose a writable directory with -o"
        )
        return Done(done.source, done.origin, error=error)
    return Done(done.source, done.origin, done.name, done.graph, None, done.summary, output=target)
