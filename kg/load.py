"""``kg load`` as a library call: RDF files in, read into article graphs, each validated, loaded.

Validation is per article graph, not per file: an N-Quads stream of 2,000 articles with one bad
article loads the 1,999 others and refuses that one (its IRI, shape and message). A file that
cannot be read is refused whole. ``dry_run`` reads and validates but leaves the store untouched
(it is not even opened). The store side, one named graph per article replaced whole, is
:mod:`kg.store`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ExitCode, GraphInvalid, KgError, OutputError, StoreError
from kg.rdf.graph import ArticleGraph
from kg.rdf.io import rdf_files
from kg.store import EmbeddedStore, LoadReport, Method, RemoteStore, load, read_article_graphs
from kg.validate import Report, Validator, load_shapes


@dataclass(slots=True)
class LoadOutcome:
    """What a load did: the graphs read, the files refused, and (unless a dry run) what the store took."""

    graphs: list[ArticleGraph] = field(default_factory=list)
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


def _by_reason(failed: list[tuple[ArticleGraph, str]]) -> list[tuple[str, list[ArticleGraph]]]:
    grouped: dict[str, list[ArticleGraph]] = {}
    for graph, reason in failed:
        grouped.setdefault(reason, []).append(graph)
    return list(grouped.items())


def _grouped(graphs: list[ArticleGraph], what: str, reason: str) -> str:
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


def refusal(graph: ArticleGraph, report: Report) -> GraphInvalid:
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
    batch: int = 50,
    method: Method | str = Method.update,
    progress: Callable[[int], None] | None = None,
    verify: bool = True,
) -> LoadOutcome:
    """Read, validate and load ``paths`` into ``store``, each article its own named graph (a server's yes
    checked by a query, with ``verify``)."""
    outcome = read_for_load(paths, validate=validate)
    if not dry_run:
        outcome.report = load(store, outcome.graphs, batch=batch, method=method, progress=progress, verify=verify)
    return outcome


def write_failures(outcome: LoadOutcome, path: Path) -> None:
    """The failures file: one JSON object a line (status, graph, source, reason), to reload from or to read."""
    try:
        with path.open("w", encoding="utf-8") as out:
            for record in outcome.failures():
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as error:
        raise OutputError(f"{path}: cannot write the failures file ({error.strerror or error})") from None
