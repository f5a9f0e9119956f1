"""SHACL validation: the shapes under ``shapes/`` are the single definition of a valid graph.

:class:`Validator` reads the shapes once and checks any number of graphs or files with them.
By default it compiles the shapes to Python (:mod:`kg.shacl`, which covers what kg's own shapes use)
and checks each graph on its own; shapes that use more are run by pyshacl, the reference
implementation (``engine="pyshacl"`` forces that).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.choices import SEVERITIES, Engine, InputFormat
from kg.collector import LongRunCollector
from kg.errors import GraphUnreadable, GraphUnvalidated, UsageError
from kg.rdf.graph import ArticleGraph
from kg.rdf.io import (
    STDIN,
    SUFFIXES,
    TURTLE_FAMILY,
    base_iri,
    display_name,
    first_line,
    rdf_files,
    rdf_format,
    read_graph,
    read_stdin,
    sniff_format,
)
from kg.rdf.io import read_triples as _read_triples
from kg.rdf.lines import text_lines, turtle_lines
from kg.rdf.namespaces import bind_prefixes
from kg.rdf.oxigraph import to_nt
from kg.resources import resource_dir
from kg.shacl import SH, ShapesEngine, Unsupported, ValidationResult
from kg.shacl.data import graph_triples


@dataclass(slots=True, frozen=True)
class ResultTerms:
    """A result's RDF terms, as an sh:ValidationResult gives them (for the report as RDF and line numbers)."""

    severity: Node
    shape: Node
    component: Node
    constraint: Node | None
    focus: Node
    path: Node | None
    value: Node | None


@dataclass(slots=True, frozen=True)
class Finding:
    """One SHACL result, with every term written compactly for people."""

    severity: str
    shape: str
    focus: str
    path: str | None
    value: str | None
    message: str
    line: int | None = None  # where the focus node is written in the file, when that can be told
    component: str = ""  # the constraint component that failed: sh:MinCountConstraintComponent
    terms: ResultTerms | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        parts = [f"{self.severity}: {self.message}", f"  shape: {self.shape}"]
        if self.component:
            parts.append(f"  constraint: {self.component}")
        parts.append(f"  focus: {self.focus}{where}")
        if self.path:
            parts.append(f"  path:  {self.path}")
        if self.value is not None:
            parts.append(f"  value: {self.value}")
        return "\n".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "shape": self.shape,
            "component": self.component,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "line": self.line,
        }


@dataclass(slots=True, frozen=True)
class Report:
    findings: tuple[Finding, ...] = ()

    @property
    def conforms(self) -> bool:
        return self.passes("Violation")

    def passes(self, fail_on: str = "Violation") -> bool:
        """No finding at ``fail_on`` severity or worse."""
        worst = SEVERITIES.index(fail_on)
        return not any(SEVERITIES.index(f.severity) <= worst for f in self.findings if f.severity in SEVERITIES)

    def describe(self) -> str:
        return "\n".join(f.describe() for f in self.findings)


@dataclass(slots=True)
class FileResult:
    """A file and what validating it found, or why it could not be read."""

    path: Path
    report: Report | None = None
    error: GraphUnreadable | None = None
    empty: bool = False  # read, and no triples in it: conforms, but a gate may want to know (--strict)
    data: bytes | None = field(default=None, repr=False)  # the content, when not read from path (stdin)
    format: ox.RdfFormat | None = None  # the format it is read as, when not its suffix's

    @property
    def name(self) -> str:
        return display_name(self.path)

    def read_as(self) -> ox.RdfFormat:
        """The format the file is read in: as told, else as standard input's first bytes or its suffix say."""
        if self.format is not None:
            return self.format
        return sniff_format(self.data) if self.data is not None else rdf_format(self.path)

    def checked(self) -> Report:
        """The report of a file that was read; the reason it could not be, raised, otherwise."""
        if self.report is None:
            raise self.error or GraphUnreadable(f"{self.path}: not validated")
        return self.report


@dataclass(slots=True)
class Validator:
    """Shapes read once, then used for every graph; see the module docstring for the engines."""

    shapes: Graph
    engine: Engine | str = Engine.auto
    compiled: ShapesEngine | None = field(init=False, default=None)
    fallback_reason: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        try:
            self.engine = Engine(self.engine)
        except ValueError:
            raise ValueError(f"engine must be one of {', '.join(e.value for e in Engine)}") from None
        if self.engine is Engine.pyshacl:
            return
        try:
            self.compiled = ShapesEngine(self.shapes)
        except Unsupported as exc:
            if self.engine is Engine.fast:
                raise UsageError(f"the fast engine cannot run these shapes: {exc}; use --engine pyshacl") from exc
            self.fallback_reason = str(exc)

    @property
    def per_pass(self) -> int:
        """How many graphs to validate together: one, each as it is read, unless SPARQL constraints run in
        Oxigraph, which load a pass of graphs into one store for the price of one (memory is bounded by a
        pass either way)."""
        return _A_PASS if self.compiled is not None and self.compiled.sparql else 1

    def check_graph(self, graph: Graph | ArticleGraph) -> Report:
        """Validate one in-memory graph (what ``kg extract`` does before writing)."""
        return self.check_graphs([graph])[0]

    def check_graphs(self, graphs: Sequence[Graph | ArticleGraph]) -> list[Report]:
        """Validate in-memory graphs, each on its own (SPARQL constraints that run in Oxigraph load them
        into one store, so a batch costs them little more than one graph)."""
        if self.compiled is None:
            return [_pyshacl_report(g.to_rdflib() if isinstance(g, ArticleGraph) else g, self.shapes) for g in graphs]
        return self._fast([g.triples if isinstance(g, ArticleGraph) else graph_triples(g) for g in graphs])

    def _fast(self, graphs: Sequence[Sequence[tuple[str, str, str]]]) -> list[Report]:
        assert self.compiled is not None
        names = [f"{_GRAPH}{index}" for index in range(len(graphs))]
        by_graph: dict[str, list[ValidationResult]] = {name: [] for name in names}
        for found in self.compiled.validate(list(zip(names, graphs, strict=True))):
            by_graph[found.graph].append(found)
        return [_report(by_graph[name]) for name in names]

    def check_files(self, paths: Iterable[Path | FileResult]) -> list[FileResult]:
        """Validate files, each on its own; unreadable ones are reported, not fatal. A
        :class:`FileResult` given in place of a path brings its content (standard input) or format."""
        results = [p if isinstance(p, FileResult) else FileResult(p) for p in paths]
        if self.compiled is None:
            for result in results:
                try:
                    graph = read_graph(result.path, result.data, result.format)
                    result.empty = _holds_nothing(result, len(graph))
                    result.report = _pyshacl_report(graph, self.shapes, result.name)
                except GraphUnreadable as error:
                    result.error = error
            return _with_lines(results)
        per_pass = self.per_pass
        collector = LongRunCollector(COLLECT_EVERY)
        try:
            for first in range(0, len(results), per_pass):
                readable: list[tuple[FileResult, list[tuple[str, str, str]]]] = []
                for result in results[first : first + per_pass]:
                    try:
                        triples = _read_triples(result.path, result.data, result.format)
                        result.empty = _holds_nothing(result, len(triples))
                        readable.append((result, triples))
                    except GraphUnreadable as error:
                        result.error = error
                reports = self._fast([triples for _, triples in readable])
                for (result, _), report in zip(readable, reports, strict=True):
                    result.report = report
                collector.step()
        finally:
            collector.restore()
        return _with_lines(results)


class _IllFormedLiterals(logging.Filter):
    """rdflib logs a traceback for each literal whose lexical form is not of its datatype
    ("2022-13-45"^^xsd:date) when it makes the node; kg reports such a literal as an sh:datatype result."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form to value")


if not any(isinstance(f, _IllFormedLiterals) for f in logging.getLogger("rdflib.term").filters):
    logging.getLogger("rdflib.term").addFilter(_IllFormedLiterals())

_GRAPH = "urn:kg:validate:"
_A_PASS = 64
COLLECT_EVERY = 1024  # passes between garbage collections in a long run of validation (see kg.collector)


def _holds_nothing(result: FileResult, triples: int) -> bool:
    """True for a file with no triples that is empty as its format goes (blank, or Turtle with only
    prefixes and comments); :class:`GraphUnreadable` for one that holds something that is no RDF
    (a plain JSON file read as JSON-LD, an XML file that is not RDF/XML)."""
    if triples:
        return False
    format = result.read_as()
    if format in TURTLE_FAMILY or format is ox.RdfFormat.N3 or not _content(result).strip():
        return True
    raise GraphUnreadable(f"{result.name}: no RDF in it (read as {format.name}, it gives no triples)")


def _content(result: FileResult) -> bytes:
    if result.data is not None:
        return result.data
    try:
        with result.path.open("rb") as stream:
            return stream.read(4096)  # enough to tell blank from not
    except OSError:
        return b""


def default_shapes() -> tuple[Path, ...]:
    """The shapes shipped with kg (``shapes/*.ttl`` in the source tree)."""
    return tuple(sorted(resource_dir("shapes").glob("*.ttl")))


def shape_files(paths: Sequence[Path]) -> list[Path]:
    """The shapes files a user named, directories searched, in a stable order."""
    for path in paths:
        if not path.exists():
            raise GraphUnreadable(f"{path}: no such shapes file or directory")
    files = rdf_files(paths)
    if not files:
        raise GraphUnreadable(f"no shapes files found in {', '.join(map(str, paths))}")
    return files


@lru_cache(maxsize=4)
def load_shapes(paths: tuple[Path, ...] | None = None, with_defaults: bool = True) -> Graph:
    """kg's shapes and/or the given ones, parsed once per process."""
    graph = Graph()
    for path in (*(default_shapes() if with_defaults else ()), *(shape_files(paths) if paths else ())):
        graph += read_graph(path)
    return graph


@lru_cache(maxsize=4)
def default_validator() -> Validator:
    return Validator(load_shapes())


def validate_files(
    files: Sequence[Path],
    shapes: Sequence[Path] = (),
    *,
    kg_shapes: bool = True,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    engine: Engine | str = Engine.auto,
    stdin_format: InputFormat | str | None = None,
) -> list[FileResult]:
    """``kg validate``: the RDF files named or under directories, each checked against kg's shapes and/or
    ``shapes``; ``-`` is standard input, read as ``stdin_format`` or as its first bytes say."""
    if not kg_shapes and not shapes:
        raise UsageError("--no-kg-shapes needs at least one --shapes")
    validator = Validator(load_shapes(tuple(shapes) if shapes else None, with_defaults=kg_shapes), engine)
    paths = rdf_files(files, include, exclude)
    if not paths:
        raise UsageError(f"no RDF files found in {', '.join(map(str, files))}; kg reads {', '.join(sorted(SUFFIXES))}")
    if stdin_format is not None and STDIN not in paths:
        raise UsageError("--input-format is for standard input: give - as the file")
    told = SUFFIXES[f".{InputFormat(stdin_format).value}"] if stdin_format is not None else None
    inputs = [FileResult(STDIN, data=read_stdin(), format=told) if p == STDIN else p for p in paths]
    return validator.check_files(inputs)


def validate_graph(data: Graph | ArticleGraph, shapes: Graph | None = None) -> Report:
    """Validate ``data`` against ``shapes`` (kg's own when None)."""
    validator = default_validator() if shapes is None else Validator(shapes)
    return validator.check_graph(data)


def _pyshacl_report(data: Graph, shapes: Graph, name: str = "the graph") -> Report:
    from pyshacl import validate as pyshacl_validate  # the reference engine only: its import is start-up time

    try:
        _, results, _ = pyshacl_validate(
            data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True, meta_shacl=False
        )
    except Exception as exc:  # the reference engine's own failures have no common base (TypeError, …)
        raise GraphUnvalidated(
            f"{name}: pyshacl failed on it ({type(exc).__name__}: {first_line(exc)}); --engine fast reports what "
            "is wrong with it"
        ) from exc
    # The report's own results: pyshacl also types the nested sh:detail of an sh:node result so.
    return Report(
        _sorted(
            _finding(results.value(node, SH[p]) for p in _RESULT_PARTS)
            for report in results.subjects(RDF.type, SH.ValidationReport)
            for node in results.objects(report, SH.result)
        )
    )


def _report(results: Iterable[ValidationResult]) -> Report:
    return Report(
        _sorted(
            _finding((r.severity, r.shape, r.component, r.constraint, r.focus, r.path, r.value, Literal(r.message)))
            for r in results
        )
    )


_RESULT_PARTS = (
    "resultSeverity",
    "sourceShape",
    "sourceConstraintComponent",
    "sourceConstraint",
    "focusNode",
    "resultPath",
    "value",
    "resultMessage",
)


def _finding(parts: Iterable[Node | None]) -> Finding:
    severity, shape, component, constraint, focus, path, value, message = parts
    shape_name = _show_iri(shape) if isinstance(shape, URIRef) else "(anonymous shape)"
    if isinstance(constraint, URIRef) and not str(constraint).startswith(str(SH)):
        shape_name = f"{shape_name} ({_show_iri(constraint)})"  # a named SPARQL constraint says more than its shape
    if severity is None or shape is None or component is None or focus is None:
        raise AssertionError(f"a validation result without severity, shape, component or focus: {parts!r}")
    return Finding(
        severity=str(severity).rsplit("#", 1)[-1],
        shape=shape_name,
        component=_show_iri(component) if isinstance(component, URIRef) else "(anonymous component)",
        terms=ResultTerms(severity, shape, component, constraint, focus, path, value),
        focus=_show(focus) or "",
        path=_show_iri(path) if isinstance(path, URIRef) else None if path is None else "(complex path)",
        value=_show(value),
        message=str(message) if message is not None else "(no message)",
    )


def _sorted(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(
        sorted(
            findings,
            key=lambda f: (
                SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9,
                f.shape,
                f.component,
                f.focus,
                f.path or "",
                f.value or "",
                f.message,
            ),
        )
    )  # the message too: two constraints of one shape can break on the same value; equal findings are kept


_NAMES = bind_prefixes(Graph()).namespace_manager
_NAMES.bind("kgsh", "https://w3id.org/kg-news/shapes#")
_NAMES.bind("sh", SH)


def _show(value: Node | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, URIRef):
        return _show_iri(value)
    if isinstance(value, Literal):
        return str(value)
    return value.n3()


def _show_iri(iri: URIRef) -> str:
    return _NAMES.normalizeUri(iri)


def _with_lines(results: list[FileResult]) -> list[FileResult]:
    """Give each finding the line of the file where its focus node is first written as a subject."""
    for result in results:
        if result.report is None or not result.report.findings:
            continue
        text = _text(result)
        focus = [to_nt(f.terms.focus) if f.terms is not None else "" for f in result.report.findings]
        if result.read_as() in TURTLE_FAMILY:
            lines = turtle_lines(text, base_iri(result.path))
        else:
            lines = text_lines(text, sorted(set(focus)))
        located = tuple(
            replace(f, line=lines.line(term)) for f, term in zip(result.report.findings, focus, strict=True)
        )
        result.report = Report(located)
    return results


def _text(result: FileResult) -> str:
    if result.data is not None:
        return result.data.decode("utf-8", errors="replace")
    try:
        return result.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
