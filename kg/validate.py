"""SHACL validation: the shapes under ``shapes/`` are the single definition of a valid graph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.util import guess_format

from kg.errors import KgError
from kg.rdf.namespaces import bind_prefixes
from kg.resources import resource_dir

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITIES = ("Violation", "Warning", "Info")


class GraphUnreadable(KgError):
    """A file that is missing or does not parse as RDF."""

    exit_code = 2


@dataclass(slots=True, frozen=True)
class Finding:
    """One SHACL result, with every term written compactly for people."""

    severity: str
    shape: str
    focus: str
    path: str | None
    value: str | None
    message: str

    def describe(self) -> str:
        parts = [f"{self.severity}: {self.message}", f"  shape: {self.shape}", f"  focus: {self.focus}"]
        if self.path:
            parts.append(f"  path:  {self.path}")
        if self.value is not None:
            parts.append(f"  value: {self.value}")
        return "\n".join(parts)


@dataclass(slots=True, frozen=True)
class Report:
    findings: tuple[Finding, ...]

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def describe(self) -> str:
        return "\n".join(f.describe() for f in self.findings)


def default_shapes() -> tuple[Path, ...]:
    """The shapes shipped with kg (``shapes/*.ttl`` in the source tree)."""
    return tuple(sorted(resource_dir("shapes").glob("*.ttl")))


RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".json", ".rdf", ".owl", ".n3")


def rdf_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given, and the RDF files (by suffix) under any directory, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in RDF_SUFFIXES))
        else:
            found.append(path)
    return found


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
def load_shapes(paths: tuple[Path, ...] | None = None) -> Graph:
    """Parse the shapes once per process; every validation reuses the graph."""
    graph = Graph()
    for path in shape_files(paths) if paths else default_shapes():
        graph += read_graph(path)
    return graph


def read_graph(path: Path) -> Graph:
    """Parse an RDF file (format from its suffix, Turtle when unknown); quads are merged into one graph."""
    if not path.is_file():
        raise GraphUnreadable(f"{path}: no such file")
    rdf_format = guess_format(str(path)) or "turtle"
    try:
        if rdf_format in {"nquads", "trig"}:
            dataset = Dataset(default_union=True)
            dataset.parse(path, format=rdf_format)
            graph = Graph()
            for triple in dataset.triples((None, None, None)):
                graph.add(triple)
            return graph
        return Graph().parse(path, format=rdf_format)
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraphUnreadable(f"{path}: not parseable RDF ({reason[:300]})") from exc


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate ``data`` against ``shapes`` (kg's own when None) and return every finding."""
    shapes = shapes if shapes is not None else load_shapes()
    _, results, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True, meta_shacl=False
    )
    findings = [_finding(results, node) for node in results.subjects(RDF.type, SH.ValidationResult)]
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9,
                                 f.shape, f.focus, f.path or "", f.value or ""))
    return Report(tuple(findings))


_NAMES = bind_prefixes(Graph()).namespace_manager
_NAMES.bind("kgsh", "https://w3id.org/kg-news/shapes#")
_NAMES.bind("sh", SH)


def _show(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, URIRef):
        return _NAMES.normalizeUri(value)
    if isinstance(value, Literal):
        return str(value)
    return value.n3()  # type: ignore[attr-defined]


def _finding(results: Graph, node: URIRef) -> Finding:
    severity = results.value(node, SH.resultSeverity)
    shape = results.value(node, SH.sourceShape)
    shape_name = _show(shape) if isinstance(shape, URIRef) else "(anonymous shape)"
    constraint = results.value(node, SH.sourceConstraint)
    if isinstance(constraint, URIRef):  # a named SPARQL constraint says more than its shape
        shape_name = f"{shape_name} ({_show(constraint)})"
    return Finding(
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        shape=shape_name,
        focus=_show(results.value(node, SH.focusNode)) or "",
        path=_show(results.value(node, SH.resultPath)),
        value=_show(results.value(node, SH.value)),
        message=_show(results.value(node, SH.resultMessage)) or "(no message)",
    )
