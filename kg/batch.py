"""Many articles in, in parallel: per-article Turtle or JSON-LD files, or one N-Quads/TriG stream.

Sources go to ``jobs`` worker processes a few at a time (memory stays flat however long the
corpus) and come back in order, so a stream is the same on every run. Every file is written
whole or not at all: per-article files one by one, a stream beside its target and renamed at the end.
An article that fails is reported (and in the failures JSONL) and the others go on; ``resume``
skips what an earlier run finished.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar

from kg.article import MAX_BYTES
from kg.choices import OutputFormat
from kg.collector import LongRunCollector
from kg.errors import ExitCode, GraphInvalid, InternalError, KgError, OutputError, UsageError
from kg.extract import ArticleResult, extract
from kg.files import AtomicFile, write_atomically
from kg.sources import Refused, Source, iter_sources, output_name, read_source
from kg.stream_file import StdoutStream, StreamFile, partial_paths, read_index
from kg.validate import default_validator

STDOUT = "-"  # -o - : standard output
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
    ner_model: str | None = None  # a spaCy pipeline whose entities the learned name finder proposes


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
    triples: int


@dataclass(slots=True, frozen=True)
class Written(_Extracted):
    """Written to ``output`` (its own file, or the stream that holds its named graph)."""

    graph: str
    summary: str
    output: Path
    triples: int


@dataclass(slots=True, frozen=True)
class Skipped(_Extracted):
    """Left alone: an earlier run wrote it (``resume``)."""


@dataclass(slots=True, frozen=True)
class Duplicate(_Extracted):
    """Not written again: the same text as ``first`` (an input of this run or an earlier one), whose
    graph (named for the text) the stream already holds."""

    graph: str
    first: str


@dataclass(slots=True, frozen=True)
class Failed:
    """Not written, and why; ``source`` is None for an input that was not found."""

    origin: str
    error: KgError
    source: Source | None = None


Outcome = Written | Skipped | Duplicate | Failed


def process_chunk(sources: list[Source], options: Options) -> list[Serialized | Failed]:
    """A few articles, each read, extracted, validated and serialized."""
    validator = default_validator()
    rdf_format = OutputFormat(options.format)
    done: list[Serialized | Failed] = []
    for source in sources:
        try:
            article = read_source(source, options.lang, options.published, options.max_bytes)
            result = extract(article, options.kb_path, validator, options.online, options.ner, options.ner_model)
            done.append(_serialized(source, output_name(article.name or source.name), result, rdf_format))
        except Exception as error:
            done.append(_failed(source, error))
    return done


def _serialized(source: Source, name: str, result: ArticleResult, rdf_format: OutputFormat) -> Serialized | Failed:
    if not result.report.conforms:
        message = f"{source.origin}: the graph breaks the shapes and was not written:\n{result.report.describe()}"
        return Failed(source.origin, GraphInvalid(message), source)
    graph = result.graph
    payload = {
        OutputFormat.ttl: graph.turtle,
        OutputFormat.jsonld: graph.jsonld,
        OutputFormat.nq: graph.nquads,
        OutputFormat.trig: graph.trig,
    }
    return Serialized(source, name, graph.name, payload[rdf_format](), result.summary(), len(graph))


_WORKER_COLLECTOR = LongRunCollector(COLLECT_EVERY)  # a worker process is kg's own: its collector stays set


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
    written beside ``target`` from the first failure on and renamed at :meth:`close`; without
    failures no (stale) report at all, and no temporary file that a killed run could leave."""

    def __init__(self, target: Path | None) -> None:
        self.target = target  # None: only counted
        self.file: AtomicFile | None = None
        self.count = 0
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)

    def write(self, failed: Failed) -> None:
        self.count += 1
        if self.target is None:
            return
        record = {"input": failed.origin, "reason": str(failed.error), "exit_code": int(failed.error.exit_code)}
        if self.file is None:
            self.file = AtomicFile(self.target)
        self.file.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))

    def close(self) -> None:
        if self.file is not None and self.count:
            self.file.commit()
        else:
            if self.file is not None:
                self.file.abort()
            if self.target is not None:
                self.target.unlink(missing_ok=True)


def output_target(rdf_format: OutputFormat | str, out: Path | None = None) -> Path:
    """Where a run writes: ``out``, else ``exports/`` for a file per article, ``exports/corpus.<format>`` a stream."""
    rdf_format = OutputFormat(rdf_format)
    if out is None:
        return Path("exports") / f"corpus.{rdf_format.value}" if rdf_format.streaming else Path("exports")
    if rdf_format.streaming and str(out) != STDOUT and out.is_dir():
        raise UsageError(f"-o {out} is a directory; with --format {rdf_format.value} give the stream's file name")
    return out


def articles_kept(out: Path, rdf_format: OutputFormat | str) -> int:
    """How many articles a stopped run leaves for ``--resume``: those in the partial stream's index,
    or the files of the format in ``out``."""
    if str(out) == STDOUT:
        return 0
    rdf_format = OutputFormat(rdf_format)
    if rdf_format.streaming:
        _, index = partial_paths(out)
        return len(read_index(index.read_bytes())[0]) if index.exists() else 0
    return sum(1 for _ in out.glob(f"*.{rdf_format.value}")) if out.is_dir() else 0


def default_jobs(inputs: Sequence[str]) -> int:
    """One process for a single article (or stdin), where workers would only cost their start; else every core."""
    single = len(inputs) == 1 and Path(inputs[0]).is_file() and not inputs[0].endswith((".jsonl", ".ndjson"))
    return 1 if single or list(inputs) == ["-"] else os.cpu_count() or 1


@dataclass(slots=True)
class Tally:
    """A run's outcomes counted as they come, for its closing line and exit code."""

    written: int = 0
    skipped: int = 0
    duplicates: int = 0
    triples: int = 0
    failures: list[KgError] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        if isinstance(outcome, Failed):
            self.failures.append(outcome.error)
        elif isinstance(outcome, Skipped):
            self.skipped += 1
        elif isinstance(outcome, Duplicate):
            self.duplicates += 1
        else:
            self.written += 1
            self.triples += outcome.triples

    def closing_line(self, target: Path, seconds: float, report: Path | None) -> str:
        """What a run says at its end: written, skipped, failed, triples, time, where the failures are."""
        parts = [f"{self.written:,} written", f"{self.skipped:,} skipped"]
        if self.duplicates:
            parts.append(f"{self.duplicates:,} duplicate{'s' if self.duplicates != 1 else ''}")
        parts.append(f"{len(self.failures):,} failed")
        where = f" (see {report or 'above'})" if self.failures else ""
        to = "standard output" if str(target) == STDOUT else target
        return f"{', '.join(parts)}{where}; {self.triples:,} triples in {_duration(seconds)} to {to}"

    @property
    def exit_code(self) -> ExitCode:
        """The first failure decides."""
        return self.failures[0].exit_code if self.failures else ExitCode.OK


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def failures_path(out: Path, rdf_format: OutputFormat | str, report: Path | None = None) -> Path | None:
    """Where a run writes its failures: ``report``, else beside the stream or in the output directory
    (none for standard output: the errors are on stderr)."""
    if report is not None:
        return report
    if str(out) == STDOUT:
        return None
    return out.with_name(out.name + ".failures.jsonl") if OutputFormat(rdf_format).streaming else out / "failures.jsonl"


def expected_name(source: Source) -> str:
    """The output name a source will get, known before extraction (for --resume)."""
    if source.kind == "jsonl" and source.line:
        try:
            record = json.loads(source.line)
            if isinstance(record, dict) and record.get("id") not in (None, ""):
                return output_name(str(record["id"]))
        except (ValueError, RecursionError):
            pass
    return output_name(source.name)


def _results(
    sources: Iterable[Source | Refused], options: Options, jobs: int, skip: set[str], tune_gc: bool
) -> Iterator[Serialized | Skipped | Failed]:
    """Outcomes in input order; sources go out in chunks, at most ``4 * jobs`` chunks in flight."""

    def chunks() -> Iterator[list[Source] | Skipped | Failed]:
        pending: list[Source] = []
        for item in sources:
            ready: Skipped | Failed | None = None
            if isinstance(item, Refused):
                ready = Failed(item.origin, item.error)
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
        collector = LongRunCollector(COLLECT_EVERY) if tune_gc else None
        try:
            for i, chunk in enumerate(chunks()):
                if i and collector is not None:  # stepped between units: a run of one never collects
                    collector.step()
                yield from process_chunk(chunk, options) if isinstance(chunk, list) else [chunk]
        finally:  # the caller's process: its collector goes back as it was
            if collector is not None:
                collector.restore()
        return
    window: deque[Skipped | Failed | Future[list[Serialized | Failed]]] = deque()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker)
    try:
        for chunk in chunks():
            window.append(pool.submit(_in_worker, chunk, options) if isinstance(chunk, list) else chunk)
            while len(window) >= 4 * jobs:
                yield from _unpack(window.popleft())
        while window:
            yield from _unpack(window.popleft())
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown()


def _start_worker() -> None:
    """A worker leaves Ctrl-C and SIGTERM to its parent (which stops it), and dies with it on Linux,
    even when the parent is killed with SIGKILL and can stop nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the line above: nobody would stop this worker
            os._exit(1)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """The run was stopped: queued chunks are cancelled and the workers ended now, not when their chunks end
    (waiting for them is what kept a Ctrl-C'd run alive).

    A worker ended while it was sending a chunk's results leaves half a message in the pool's result
    pipe, and the pool's reading thread would wait for the rest for ever, which Python waits for at
    exit (a Ctrl-C'd run that printed its message and hung, one time in six on a loaded machine).
    Closing this process's end of the pipe once the workers are gone makes that read end instead.
    The pool cancels the queued chunks itself (``cancel_futures``): cancelling them here too, behind
    its back, makes Python 3.11's pool fail on them when it finds its workers dead.
    """
    workers = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)  # both are gone from the pool once it is shut down
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(timeout=5)
        if worker.is_alive():
            worker.kill()
            worker.join()
    if results is not None:
        results._writer.close()


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
    """Extract every article of ``inputs``: Turtle or JSON-LD files in directory ``out``, or the stream file ``out``.

    A stream is written as :class:`~kg.stream_file.StreamFile` does: when the run is stopped (an
    exception, Ctrl-C, the consumer closing this generator) what is written stays as ``<out>.partial``
    for ``resume``. Worker processes (``jobs`` > 1) set their garbage collector for a long run
    (:class:`~kg.collector.LongRunCollector`); with ``jobs=1`` the articles are extracted in this process, whose
    collector is left alone unless ``tune_gc`` asks for the same (it is given back at the end).
    """
    rdf_format = OutputFormat(options.format)
    to_stdout = str(out) == STDOUT
    if to_stdout and resume:
        raise UsageError("--resume needs a stream file to go on with; -o - writes to standard output")
    streaming = rdf_format.streaming or to_stdout
    if not streaming and out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a directory; give -o a directory for the {rdf_format.kind} files")
    report = failures_path(out, rdf_format, report)
    try:
        stream: StreamFile | StdoutStream | None = (
            StdoutStream() if to_stdout else StreamFile(out, resume) if streaming else None
        )
        failures = FailuresReport(report)
    except OSError as exc:
        raise OutputError(
            f"cannot write beside {exc.filename or out} ({exc.strerror or exc}); "
            "choose a writable place with -o (and --report)"
        ) from exc
    done_names: set[str] = set()
    written: dict[str, str] = {}  # output name -> the input it came from
    graphs: dict[str, str] = {}  # graph IRI -> the input it came from (one graph once in a stream)
    if stream is not None:
        done_names = {entry.name for entry in stream.entries}
        written = dict.fromkeys(done_names, "an earlier run")
        graphs = {entry.graph: f"{entry.name} (an earlier run)" for entry in stream.entries if entry.graph}
    elif resume and out.is_dir():
        done_names = {p.stem for p in out.glob(f"*.{rdf_format.value}")}
    try:
        for done in _results(iter_sources(inputs), options, jobs, done_names, tune_gc):
            outcome = _write(done, out, stream, written, graphs, rdf_format) if isinstance(done, Serialized) else done
            if isinstance(outcome, Failed):
                failures.write(outcome)
            yield outcome
    except BaseException:
        if stream is not None:
            stream.keep()
        failures.close()
        raise
    if stream is not None:
        stream.commit()
    failures.close()


def _write(
    done: Serialized,
    out: Path,
    stream: StreamFile | StdoutStream | None,
    written: dict[str, str],
    graphs: dict[str, str],
    rdf_format: OutputFormat,
) -> Written | Duplicate | Failed:
    name = done.name
    if stream is not None and done.graph in graphs:
        return Duplicate(done.source, name, done.graph, graphs[done.graph])
    if name in written:
        used = (
            f"its graph would overwrite {out / f'{name}.{rdf_format.value}'}"
            if stream is None
            else f"its graph name {name!r} is taken"
        )
        error = OutputError(f"{done.origin}: {used}, written from {written[name]}; rename one of the inputs")
        return Failed(done.origin, error, done.source)
    written[name] = f"{done.origin} in this run"
    if stream is not None:
        stream.write(name, done.graph, done.payload)
        graphs[done.graph] = done.origin
        return Written(done.source, name, done.graph, done.summary, stream.target, done.triples)
    target = out / f"{name}.{rdf_format.value}"
    try:
        write_atomically(target, done.payload)
    except OSError as exc:
        error = OutputError(
            f"{done.origin}: cannot write {target} ({exc.strerror or exc}); choose a writable directory with -o"
        )
        return Failed(done.origin, error, done.source)
    return Written(done.source, name, done.graph, done.summary, target, done.triples)
