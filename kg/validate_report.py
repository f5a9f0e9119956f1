"""Validation reports for people (text), scripts (JSON), CI systems (JUnit XML) and RDF tools (Turtle)."""

from __future__ import annotations

import json
from itertools import groupby
from xml.etree import ElementTree as ET

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.choices import SEVERITIES, ReportFormat
from kg.errors import ExitCode
from kg.rdf.io import STDIN
from kg.rdf.namespaces import bind_prefixes
from kg.shacl import SH
from kg.validate import FileResult

KGSH = Namespace("https://w3id.org/kg-news/shapes#")


def render(
    results: list[FileResult], report_format: ReportFormat | str, fail_on: str = "Violation", strict: bool = False
) -> str:
    renderers = {ReportFormat.text: _text, ReportFormat.json: _json, ReportFormat.junit: _junit, ReportFormat.ttl: _ttl}
    return renderers[ReportFormat(report_format)](results, fail_on, strict)


def verdict(results: list[FileResult], fail_on: str = "Violation", strict: bool = False) -> ExitCode:
    """``kg validate``'s exit code: a file unreadable, else one failing (or, ``strict``, empty), else success."""
    if any(r.error is not None for r in results):
        return ExitCode.USAGE
    return ExitCode.OK if all(_passes(r, fail_on, strict) for r in results) else ExitCode.GRAPH_INVALID


def _passes(result: FileResult, fail_on: str, strict: bool) -> bool:
    return result.report is not None and result.report.passes(fail_on) and not (strict and result.empty)


def _text(results: list[FileResult], fail_on: str, strict: bool) -> str:
    """Grouped by file, then by shape: what CI logs should show a person."""
    lines: list[str] = []
    for result in results:
        if result.report is None:
            continue  # unreadable: already said on stderr
        findings = result.report.findings
        if result.empty:
            lines.append(f"{result.name}: no triples ({'fails with --strict' if strict else 'an empty file'})")
        elif result.report.passes(fail_on):
            extra = f" ({len(findings)} below {fail_on.lower()})" if findings else ""
            lines.append(f"{result.name}: conforms{extra}")
        else:
            failing = sum(1 for f in findings if not _below(f.severity, fail_on))
            lines.append(
                f"{result.name}: {failing} {'result' if failing == 1 else 'results'} at {fail_on.lower()} or worse"
            )
        for shape, group in groupby(sorted(findings, key=lambda f: f.shape), key=lambda f: f.shape):
            members = list(group)
            lines.append(f"  {shape}: {len(members)}")
            for finding in members:
                lines.extend(f"    {line}" for line in finding.describe().splitlines())
    return "\n".join(lines)


def _json(results: list[FileResult], fail_on: str, strict: bool) -> str:
    files = [
        {
            "path": r.name,
            "conforms": _passes(r, fail_on, strict),
            "empty": r.empty,
            "error": str(r.error) if r.error is not None else None,
            "results": [f.as_dict() for f in r.report.findings] if r.report is not None else [],
        }
        for r in results
    ]
    return json.dumps({"conforms": all(f["conforms"] for f in files), "fail_on": fail_on, "files": files}, indent=2)


def _junit(results: list[FileResult], fail_on: str, strict: bool) -> str:
    """One test case per file: a failure when it breaks the shapes, an error when it cannot be read."""
    failures = sum(1 for r in results if r.report is not None and not _passes(r, fail_on, strict))
    errors = sum(1 for r in results if r.error is not None)
    suite = ET.Element(
        "testsuite", name="kg validate", tests=str(len(results)), failures=str(failures), errors=str(errors)
    )
    for result in results:
        case = ET.SubElement(suite, "testcase", classname="kg.validate", name=result.name)
        if result.error is not None:
            ET.SubElement(case, "error", message=str(result.error)).text = str(result.error)
        elif result.empty and strict:
            ET.SubElement(case, "failure", message="no triples (--strict)", type="empty")
        elif result.empty:
            ET.SubElement(case, "system-out").text = "no triples (an empty file)"
        elif not result.checked().passes(fail_on):
            failing = [f for f in result.checked().findings if not _below(f.severity, fail_on)]
            ET.SubElement(case, "failure", message=f"{len(failing)} SHACL results", type="SHACL").text = "\n\n".join(
                f.describe() for f in failing
            )
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)


def _ttl(results: list[FileResult], fail_on: str, strict: bool) -> str:
    """An sh:ValidationReport per file read, as pyshacl and Jena write one, its file as dcterms:source.
    sh:conforms as SHACL defines it: no result of any severity (``fail_on`` decides the exit code only)."""
    graph = bind_prefixes(Graph())
    graph.bind("sh", SH)
    graph.bind("kgsh", KGSH)
    graph.bind("dcterms", DCTERMS)
    # blank nodes named by their place: with rdflib's random names the statements came in another order
    # on every run, and a report kept in CI changed with nothing else changed
    for index, result in enumerate(results):
        if result.report is None:
            continue  # unreadable: said on stderr
        report = BNode(f"report{index}")
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(not result.report.findings)))
        if result.path != STDIN:
            graph.add((report, DCTERMS.source, URIRef(result.path.resolve().as_uri())))
        for number, finding in enumerate(result.report.findings):
            terms = finding.terms
            if terms is None:
                raise AssertionError(f"a finding without its terms: {finding}")
            node = BNode(f"report{index}result{number}")
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            for predicate, value in (
                (SH.resultSeverity, terms.severity),
                (SH.sourceShape, terms.shape),
                (SH.sourceConstraintComponent, terms.component),
                (SH.sourceConstraint, terms.constraint),
                (SH.focusNode, terms.focus),
                (SH.resultPath, terms.path),
                (SH.value, terms.value),
                (SH.resultMessage, Literal(finding.message)),
            ):
                if value is not None:
                    graph.add((node, predicate, value))
    return graph.serialize(format="turtle").rstrip("\n")


def _below(severity: str, fail_on: str) -> bool:
    return severity in SEVERITIES and SEVERITIES.index(severity) > SEVERITIES.index(fail_on)
