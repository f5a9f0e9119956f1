"""``kg load`` as a library call: RDF files in, each validated, read into article graphs, loaded.

A file that cannot be read, or whose graph breaks the shapes, is refused (with the reason) and
the others still load; ``dry_run`` reads and validates but leaves the store untouched (it is not
even opened). The store side, one named graph per article replaced whole, is :mod:`kg.store`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ExitCode, GraphInvalid, KgError, StoreError
from kg.rdf.graph import ArticleGraph
from kg.rdf.io import rdf_files
from kg.store import EmbeddedStore, LoadReport, Method, RemoteStore, load, read_article_graphs
from kg.validate import Validator, load_shapes


@dataclass(slots=True)
class LoadOutcome:
    """What a load did: the graphs read, the files refused, and (unless a dry run) what the store took."""

    graphs: list[ArticleGraph] = field(default_factory=list)
    refused: list[KgError] = field(default_factory=list)
    report: LoadReport | None = None  # None: a dry run

    @property
    def not_loaded(self) -> list[StoreError]:
        """One error per graph the store did not take."""
        failed = self.report.failed if self.report is not None else []
        return [StoreError(f"{graph.source}: {graph.name} not loaded: {reason}") for graph, reason in failed]

    @property
    def exit_code(self) -> ExitCode:
        """A store failure first (the store is what to fix), else the first refused file's code."""
        if self.not_loaded:
            return ExitCode.STORE
        return self.refused[0].exit_code if self.refused else ExitCode.OK


def read_for_load(paths: Sequence[Path], *, validate: bool = True) -> LoadOutcome:
    """The article graphs of the files (directories searched); a file unreadable or invalid is refused."""
    files = rdf_files(paths)
    outcome = LoadOutcome()
    checked = {r.path: r for r in Validator(load_shapes()).check_files(files)} if validate else {}
    for path in files:
        result = checked.get(path)
        if result is not None and result.error is not None:
            outcome.refused.append(result.error)
            continue
        if result is not None and not result.checked().conforms:
            outcome.refused.append(
                GraphInvalid(f"{path}: refused, it breaks the shapes:\n{result.checked().describe()}")
            )
            continue
        try:
            outcome.graphs.extend(read_article_graphs(path))
        except KgError as error:
            outcome.refused.append(error)
    return outcome


def load_files(
    paths: Sequence[Path],
    store: EmbeddedStore | RemoteStore,
    *,
    validate: bool = True,
    dry_run: bool = False,
    batch: int = 50,
    method: Method | str = Method.update,
    progress: Callable[[int], None] | None = None,
) -> LoadOutcome:
    """Read, validate and load ``paths`` into ``store``, each article its own named graph."""
    outcome = read_for_load(paths, validate=validate)
    if not dry_run:
        outcome.report = load(store, outcome.graphs, batch=batch, method=method, progress=progress)
    return outcome
