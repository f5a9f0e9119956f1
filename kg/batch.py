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
import os
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar

from kg.article import MAX_BYTES
from kg.choices import OutputFormat
from kg.errors import ExitCode, GraphInvalid, InputNotFound, InternalError, KgError, OutputError, UsageError
from kg.extract import ArticleResult, extract
from kg.files import AtomicFile, write_atomically
from kg.sources import Source, iter_sources, output_name, read_source
from kg.validate import default_validator

CHUNK = 16  # articles a worker takes at a time
COLLECT_EVERY = 64  # chunks (1,024 articles) between garbage collections in a long run


@dataclass(slots=True, frozen=True)
class Options:
    """How each article is read and extracted (sent to every worker)."""

    format: OutputFormat | str = OutputFormat.ttl
    lang: str = "auto"
    kb_path: Path | None = None
    published: date | None = None
    max_bytes: int = MAX_BYTES
    online: bool = False
    ner: str | None = None  # "learned" or "rules"; None: kg.choices.DEFAULT_NAME_FINDER


# What became of one source: exactly one of these.


@dataclass(slots=True, frozen=True)
class _Extracted:
    """An outcome without an error: its source and its output name (file stem, or entry in the stream's .names)."""

    source: Source
    name: str
    error: ClassVar[None] = None

    @property
    def origin(self) -> str:
        return self.source.origin


@dataclass(slots=True, frozen=True)
class Serialized(_Extracted):
    """Extracted, valid and serialized; not written yet (what a worker sends back)."""

    graph: str  # the article's IRI, its named graph
    payload: bytes
    summary: str


@dataclass(slots=True, frozen=True)
class Written(_Extracted):
    """Written to ``output`` (its Turtle file, or the stream that holds its named graph)."""

    graph: str
    summary: str
    output: Path


@dataclass(slots=True, frozen=True)
class Skipped(_Extracted):
    """Left alone: an earlier run wrote it (``resume``)."""


@dataclass(slots=True, frozen=True)
class Failed:
    """Not written, and why; ``source`` is None for an input that was not found."""

    origin: str
    error: KgError
    source: Source | None = None


Outcome = Written | Skipped | Failed


def process_chunk(sources: list[Source], options: Options) -> list[Serialized | Failed]:
    """A few articles, each read, extracted, validated and serialized."""
    validator = default_validator()
    rdf_format = OutputFormat(options.format)
    done: list[Serialized | Failed] = []
    for source in sources:
        try:
            article = read_source(source, options.lang, options.published, options.max_bytes)
            result = extract(article, options.kb_path, validator, options.online, options.ner)
            done.append(_serialized(source, output_name(article.name or source.name), result, rdf_format))
        except Exception as error:
            done.append(_failed(source, error))
    return done


def _serialized(source: Source, name: str, result: ArticleResult, rdf_format: OutputFormat) -> Serialized | Failed:
    if not result.report.conforms:
        message = f"{source.origin}: the graph breaks the shapes and was not written:\n{result.report.describe()}"
        return Failed(source.origin, GraphInvalid(message), source)
    graph = result.graph
    payload = {OutputFormat.ttl: graph.turtle, OutputFormat.nq: graph.nquads, OutputFormat.trig: graph.trig}
    return Serialized(source, name, graph.name, payload[rdf_format](), result.summary())


class LongRunCollector:
    """Python's garbage collector, set for a long run and stepped after each chunk.

    Pipelines, the KB's matcher and the compiled shapes are built with the first chunk and live
    as long as the process; every article then allocates tens of thousands of containers that
    reference counting frees on its own (the pipeline makes next to no reference cycles). The
    collector still walked them every 700 allocations, and the long-lived objects in each full
    collection. Here the long-lived objects are frozen out of its sight after the first chunk,
    and it runs every ``COLLECT_EVERY`` chunks instead, with the same peak memory (extract_records
    frees the one per-article cycle, the Doc's cached spans); the gain is measured by
    ``bench/bench_extract.py`` and given in the README.
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


def _in_worker(sources: list[Source], options: Options) -> list[Serialized | Failed]:
    """A chunk in a worker process: a process kg owns, so its collector is set for the run."""
    done = process_chunk(sources, options)
    _WORKER_COLLECTOR.step()
    return done


def _failed(source: Source, error: Exception) -> Failed:
    if not isinstance(error, KgError):  # an extraction bug must not cost the rest of the batch
        error = InternalError(
            f"{source.origin}: internal error ({type(error).__name__}: {error}); please report it with this input"
        )
    return Failed(source.origin, error, source)


class FailuresReport:
    """The failures of a run as JSONL (input, reason, exit_code), kept only when there were some:
    written beside ``target`` and renamed at :meth:`close`; without failures no (stale) report at all."""

    def __init__(self, target: Path) -> None:
        self.file = AtomicFile(target)
        self.count = 0

    def write(self, failed: Failed) -> None:
        record = {"input": failed.origin, "reason": str(failed.error), "exit_code": int(failed.error.exit_code)}
        self.file.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        self.count += 1

    def close(self) -> None:
        if self.count:
            self.file.commit()
        else:
            self.file.abort()
            self.file.target.unlink(missing_ok=True)


def output_target(rdf_format: OutputFormat | str, out: Path | None = None) -> Path:
    """Where a run writes: ``out``, else ``exports/`` for Turtle files or ``exports/corpus.<format>`` for a stream."""
    rdf_format = OutputFormat(rdf_format)
    if out is None:
        return Path("exports") / f"corpus.{rdf_format.value}" if rdf_format.streaming else Path("exports")
    if rdf_format.streaming and out.is_dir():
        raise UsageError(f"-o {out} is a directory; with --format {rdf_format.value} give the stream's file name")
    return out


def default_jobs(inputs: Sequence[str]) -> int:
    """One process for a single article (or stdin), where workers would only cost their start; else every core."""
    single = len(inputs) == 1 and Path(inputs[0]).is_file() and not inputs[0].endswith((".jsonl", ".ndjson"))
    return 1 if single or list(inputs) == ["-"] else os.cpu_count() or 1


@dataclass(slots=True)
class Tally:
    """A run's outcomes counted as they come, for its closing line and exit code."""

    written: int = 0
    skipped: int = 0
    failures: list[KgError] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        if isinstance(outcome, Failed):
            self.failures.append(outcome.error)
        elif isinstance(outcome, Skipped):
            self.skipped += 1
        else:
            self.written += 1

    def closing_line(self, target: Path) -> str | None:
        """What a run with failures or skips says at the end; nothing for a clean run or one lone failure."""
        total = self.written + self.skipped + len(self.failures)
        if self.failures and total > 1:
            done = f", {self.skipped} already done" if self.skipped else ""
            return f"{len(self.failures)} of {total} inputs failed; {self.written} written to {target}{done}"
        if self.skipped:
            return f"{self.skipped} already done, skipped (--resume)"
        return None

    @property
    def exit_code(self) -> ExitCode:
        """The first failure decides."""
        return self.failures[0].exit_code if self.failures else ExitCode.OK


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


def _results(
    sources: Iterable[Source | InputNotFound], options: Options, jobs: int, skip: set[str], tune_gc: bool
) -> Iterator[Serialized | Skipped | Failed]:
    """Outcomes in input order; sources go out in chunks, at most ``4 * jobs`` chunks in flight."""

    def chunks() -> Iterator[list[Source] | Skipped | Failed]:
        pending: list[Source] = []
        for item in sources:
            ready: Skipped | Failed | None = None
            if isinstance(item, KgError):
                ready = Failed(str(item).split(":")[0], item)
            elif skip and (name := expected_name(item)) in skip:  # parsing a JSONL line twice only to resume
                ready = Skipped(item, name)
            else:
                pending.append(item)
            if pending and (ready is not None or len(pending) >= CHUNK):
                yield pending
                pending = []
            if ready is not None:
                yield ready
        if pending:
            yield pending

    if jobs <= 1:
        collector = LongRunCollector() if tune_gc else None
        try:
            for chunk in chunks():
                yield from process_chunk(chunk, options) if isinstance(chunk, list) else [chunk]
                if collector is not None:
                    collector.step()
        finally:  # the caller's process: its collector goes back as it was
            if collector is not None:
                collector.restore()
        return
    window: deque[Skipped | Failed | Future[list[Serialized | Failed]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk in chunks():
            window.append(pool.submit(_in_worker, chunk, options) if isinstance(chunk, list) else chunk)
            while len(window) >= 4 * jobs:
                yield from _unpack(window.popleft())
        while window:
            yield from _unpack(window.popleft())


def _unpack(
    entry: Skipped | Failed | Future[list[Serialized | Failed]],
) -> list[Serialized | Failed] | list[Skipped | Failed]:
    return entry.result() if isinstance(entry, Future) else [entry]


def run(
    inputs: Iterable[Path | str],
    out: Path,
    options: Options,
    *,
    jobs: int = 1,
    resume: bool = False,
    report: Path | None = None,
    tune_gc: bool = False,
) -> Generator[Outcome, None, None]:
    """Extract every article of ``inputs``: Turtle files in directory ``out``, or the stream file ``out``.

    Worker processes (``jobs`` > 1) set their garbage collector for a long run (:class:`LongRunCollector`);
    with ``jobs=1`` the articles are extracted in this process, whose collector is left alone unless
    ``tune_gc`` asks for the same (it is given back at the end).
    """
    rdf_format = OutputFormat(options.format)
    streaming = rdf_format.streaming
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
        failures = FailuresReport(report)
        stream = AtomicFile(out, keep=resume) if streaming else None
        names = AtomicFile(names_file, keep=resume) if names_file is not None else None
    except OSError as exc:
        raise OutputError(
            f"cannot write beside {exc.filename or out} ({exc.strerror or exc}); "
            "choose a writable place with -o (and --report)"
        ) from exc
    written: dict[str, str] = {}
    try:
        for done in _results(iter_sources(inputs), options, jobs, done_names, tune_gc):
            outcome = _write(done, out, stream, names, written) if isinstance(done, Serialized) else done
            if isinstance(outcome, Failed):
                failures.write(outcome)
            yield outcome
    except BaseException:
        for handle in (stream, names):
            if handle is not None:
                handle.abort()
        failures.close()
        raise
    for handle in (stream, names):
        if handle is not None:
            handle.commit()
    failures.close()


def _write(
    done: Serialized, out: Path, stream: AtomicFile | None, names: AtomicFile | None, written: dict[str, str]
) -> Written | Failed:
    name = done.name
    if name in written:
        used = (
            f"its graph would overwrite {out / f'{name}.ttl'}"
            if stream is None
            else f"its graph name {name!r} is taken"
        )
        error = OutputError(
            f"{done.origin}: {used}, written from {written[name]} in this run; rename one of the inputs"
        )
        return Failed(done.origin, error, done.source)
    written[name] = done.origin
    if stream is not None:
        if names is None:
            raise ValueError("a stream is written with its .names file")
        stream.write(done.payload)
        names.write(f"{name}\n".encode())
        return Written(done.source, name, done.graph, done.summary, stream.target)
    target = out / f"{name}.ttl"
    try:
        write_atomically(target, done.payload)
    except OSError as exc:
        error = OutputError(
            f"{done.origin}: cannot write {target} ({exc.strerror or exc}); choose a writable directory with -o"
        )
        return Failed(done.origin, error, done.source)
    return Written(done.source, name, done.graph, done.summary, target)
