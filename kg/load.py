"""``kg load`` as a library call: RDF files in, read into article graphs, each validated, loaded.

Validation is per article graph, not per file: an N-Quads stream of 2,000 articles with one bad
article loads the 1,999 others and refuses that one (its IRI, shape and message). A file that
cannot be read is refused whole. ``dry_run`` reads and validates but leaves the store untouched
(it is not even opened). The store side, one named graph per article replaced whole, is
:mod:`kg.store`.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.collector import LongRunCollector
from kg.errors import ExitCode, GraphInvalid, KgError, OutputError, StoreError
from kg.rdf.graph import ArticleGraph, Loadable
from kg.rdf.io import rdf_files, rdf_format
from kg.rdf.nquads import NotStreamable, graph_runs
from kg.store import EmbeddedStore, LoadReport, Method, RemoteStore, load, read_article_graphs
from kg.validate import COLLECT_EVERY, Report, Validator, load_shapes


@dataclass(slots=True)
class LoadOutcome:
    """What a load did: the graphs read, the files refused, and (unless a dry run) what the store took."""

    graphs: list[Loadable] = field(default_factory=list)
    refused: list[KgError] = field(default_factory=list)
    report: LoadReport | None = None  # None: a dry run

    @property
    def not_loaded(self) -> list[StoreError]:
        """One error per reason the store did not take graphs (an unreachable store is one line, not one
        per article), then one per reason graphs may or may not have been taken."""
        if self.report is None:
            return []
        errors = [
            StoreError(_grouped(graphs, "not loaded", reason)) for reason, graphs in _by_reason(self.report.failed)
        ]
        errors += [
            StoreError(_grouped(graphs, "perhaps loaded, perhaps not", reason) + "; load again to be sure")
            for reason, graphs in _by_reason(self.report.unknown)
        ]
        return errors

    @property
    def exit_code(self) -> ExitCode:
        """A store failure first (the store is what to fix), else the first refused file's code."""
        if self.not_loaded:
            return ExitCode.STORE
        return self.refused[0].exit_code if self.refused else ExitCode.OK

    def failures(self) -> Iterator[dict[str, str | None]]:
        """Every article that is not surely in the store, as a record for the failures file."""
        for error in self.refused:
            yield {"status": "refused", "graph": None, "source": None, "reason": str(error)}
        if self.report is not None:
            for status, listed in (("not loaded", self.report.failed), ("unknown", self.report.unknown)):
                for graph, reason in listed:
                    yield {"status": status, "graph": graph.name, "source": str(graph.source), "reason": reason}


def _by_reason(failed: list[tuple[Loadable, str]]) -> list[tuple[str, list[Loadable]]]:
    grouped: dict[str, list[Loadable]] = {}
    for graph, reason in failed:
        grouped.setdefault(reason, []).append(graph)
    return list(grouped.items())


def _grouped(graphs: list[Loadable], what: str, reason: str) -> str:
    if len(graphs) == 1:
        return f"{graphs[0].source}: {graphs[0].name} {what}: {reason}"
    return f"{len(graphs)} articles {what}: {reason}"


def read_for_load(paths: Sequence[Path], *, validate: bool = True) -> LoadOutcome:
    """The article graphs of the files (directories searched): an unreadable file is refused, and so is
    each article graph that breaks the shapes (checked on its own, as it will sit in the store)."""
    validator = Validator(load_shapes()) if validate else None
    outcome = LoadOutcome()
    for path in rdf_files(paths):
        try:
            graphs = read_article_graphs(path)
        except KgError as error:
            outcome.refused.append(error)
            continue
        if validator is None:
            outcome.graphs.extend(graphs)
            continue
        for graph, report in zip(graphs, validator.check_graphs(graphs), strict=True):
            if report.conforms:
                outcome.graphs.append(graph)
            else:
                outcome.refused.append(refusal(graph, report))
    return outcome


def refusal(graph: Loadable, report: Report) -> GraphInvalid:
    """Why an article graph is not loaded: its file and IRI, then each finding (shape, focus, message)."""
    count = len(report.findings)
    return GraphInvalid(
        f"{graph.source}: {graph.name} refused, it breaks the shapes "
        f"({count} {'result' if count == 1 else 'results'}):\n{report.describe()}"
    )


def load_files(
    paths: Sequence[Path],
    store: EmbeddedStore | RemoteStore,
    *,
    validate: bool = True,
    dry_run: bool = False,
    batch: int | None = None,
    method: Method | str | None = None,
    progress: Callable[[int], None] | None = None,
    verify: bool = True,
) -> LoadOutcome:
    """Read, validate and load ``paths`` into ``store``, each article its own named graph (a server's yes
    checked by a query, with ``verify``).

    Memory does not grow with the files: each article graph is validated as it is read (an N-Quads
    file a graph at a time, :mod:`kg.rdf.nquads`) and what conforms waits in a temporary file, a
    batch of it read back at a time, until every file has been read (so a file that turns out
    unreadable at its end is still refused whole, nothing of it loaded)."""
    with tempfile.TemporaryFile(prefix="kg-load-") as spilled:
        outcome = LoadOutcome()
        _read_spilled(paths, Validator(load_shapes()) if validate else None, Spill(spilled), outcome)
        if not dry_run:
            outcome.report = load(
                store, outcome.graphs, batch=batch, method=method, progress=progress, verify=verify, checked=True
            )
    return outcome


@dataclass(slots=True)
class Spill:
    """The temporary file where conforming graphs wait, as N-Quads, for their batch to be loaded."""

    file: IO[bytes]
    end: int = 0

    def add(self, graph: ArticleGraph, nquads: bytes | None) -> SpilledGraph:
        data = graph.nquads() if nquads is None else nquads
        try:
            self.file.seek(self.end)
            self.file.write(data)
        except OSError as error:
            raise OutputError(
                f"cannot write the temporary file where graphs wait to be loaded in {tempfile.gettempdir()} "
                f"({error.strerror or error}); nothing was loaded: free some space there, or set TMPDIR"
            ) from None
        spilled = SpilledGraph(graph.name, graph.source, len(graph), self, self.end, len(data))
        self.end += len(data)
        return spilled

    def read(self, offset: int, length: int) -> bytes:
        self.file.seek(offset)
        return self.file.read(length)


@dataclass(slots=True, frozen=True, eq=False)
class SpilledGraph:
    """An article graph that conforms, held as where its N-Quads are in the spill: a name, not its triples."""

    name: str
    source: Path | None
    size: int
    spill: Spill = field(repr=False)
    offset: int = field(repr=False)
    length: int = field(repr=False)

    def __len__(self) -> int:
        return self.size

    def nquads(self) -> bytes:
        return self.spill.read(self.offset, self.length)

    def ntriples(self) -> bytes:
        return self.nquads().replace(f" <{self.name}> .\n".encode(), b" .\n")


def _read_spilled(paths: Sequence[Path], validator: Validator | None, spill: Spill, outcome: LoadOutcome) -> None:
    """Each file's article graphs validated as read, the conforming ones spilled; a file's own results
    are kept only once all of it has been read."""
    per_pass = validator.per_pass if validator is not None else 1
    collector = LongRunCollector(COLLECT_EVERY)
    try:
        for path in rdf_files(paths):
            start = spill.end
            try:
                try:
                    graphs, refused = _checked(_streamed(path), validator, spill, per_pass, collector)
                except NotStreamable:
                    spill.end = start  # what was spilled of this file is written over
                    graphs, refused = _checked(_whole(path), validator, spill, per_pass, collector)
            except OutputError:
                raise  # not this file's fault: no file can be read on
            except KgError as error:
                spill.end = start
                outcome.refused.append(error)
                continue
            outcome.graphs.extend(graphs)
            outcome.refused.extend(refused)
    finally:
        collector.restore()


def _streamed(path: Path) -> Iterator[tuple[ArticleGraph, bytes | None]]:
    """An N-Quads file a graph at a time (its lines as they are, to spill); any other file read whole."""
    if rdf_format(path) is not ox.RdfFormat.N_QUADS:
        yield from _whole(path)
        return
    yield from graph_runs(path)


def _whole(path: Path) -> Iterator[tuple[ArticleGraph, bytes | None]]:
    for graph in read_article_graphs(path):
        yield graph, None


def _checked(
    graphs: Iterable[tuple[ArticleGraph, bytes | None]],
    validator: Validator | None,
    spill: Spill,
    per_pass: int,
    collector: LongRunCollector,
) -> tuple[list[Loadable], list[KgError]]:
    taken: list[Loadable] = []
    refused: list[KgError] = []
    pending = iter(graphs)
    while batch := list(islice(pending, per_pass)):
        reports = validator.check_graphs([g for g, _ in batch]) if validator is not None else [None] * len(batch)
        for (graph, nquads), report in zip(batch, reports, strict=True):
            if report is None or report.conforms:
                taken.append(spill.add(graph, nquads))
            else:
                refused.append(refusal(graph, report))
        collector.step()
    return taken, refused


def write_failures(outcome: LoadOutcome, path: Path) -> None:
    """The failures file: one JSON object a line (status, graph, source, reason), to reload from or to read."""
    try:
        with path.open("w", encoding="utf-8") as out:
            for record in outcome.failures():
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as error:
        raise OutputError(f"{path}: cannot write the failures file ({error.strerror or error})") from None
