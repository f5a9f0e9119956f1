"""kg validate as other projects' CI uses it: the pre-commit hook, JSON and JUnit reports, severities."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from conftest import ROOT, SEED
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node
from typer.testing import CliRunner

from kg.article import read_article
from kg.cli import app
from kg.extract import extract
from kg.rdf.namespaces import NIF
from kg.shacl import SH
from kg.validate import load_shapes


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample repository: graphs/good.ttl conforms, graphs/bad/broken.ttl does not, docs/ has no RDF."""
    repo = tmp_path_factory.mktemp("repo")
    graph = extract(read_article(SEED)).graph.to_rdflib()
    (repo / "graphs" / "bad").mkdir(parents=True)
    (repo / "docs").mkdir()
    graph.serialize(repo / "graphs" / "good.ttl", format="turtle")
    broken = Graph()
    broken += graph
    phrase = next(broken.subjects(NIF.anchorOf, Literal("TASS")))
    broken.remove((phrase, NIF.beginIndex, None))
    broken.serialize(repo / "graphs" / "bad" / "broken.ttl", format="turtle")
    (repo / "docs" / "notes.md").write_text("# notes\n", encoding="utf-8")
    return repo


@pytest.mark.slow
def test_pre_commit_hook_runs_on_a_repository(graphs: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "kg-validate"
    staged = [p.relative_to(graphs).as_posix() for p in sorted(graphs.rglob("*")) if p.is_file()]
    selected = [f for f in staged if re.search(hook["files"], f)]
    assert selected == ["graphs/bad/broken.ttl", "graphs/good.ttl"]  # docs/notes.md is not passed
    entry = shlex.split(hook["entry"])
    entry[0] = shutil.which(entry[0], path=str(Path(sys.executable).parent)) or entry[0]
    done = subprocess.run([*entry, *selected], cwd=graphs, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "graphs/bad/broken.ttl: 1 result at violation or worse"
    assert "graphs/good.ttl: conforms" in done.stdout.splitlines()
    good_only = subprocess.run([*entry, "graphs/good.ttl"], cwd=graphs, capture_output=True, text=True, timeout=300)
    assert (good_only.returncode, good_only.stdout) == (0, "graphs/good.ttl: conforms\n")


def test_globs_pick_the_files(graphs: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(graphs), "--exclude", "bad/*"])
    assert (result.exit_code, result.stdout) == (0, f"{graphs / 'graphs' / 'good.ttl'}: conforms\n")
    result = runner.invoke(app, ["validate", str(graphs), "--include", "broken.*"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{graphs / 'graphs' / 'bad' / 'broken.ttl'}: 1 result")
    result = runner.invoke(app, ["validate", str(graphs / "docs")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kg: error: no RDF files found in {graphs / 'docs'}")


def test_json_report(graphs: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(graphs), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    (bad, good) = report["files"]
    assert (good["path"], good["conforms"], good["results"]) == (str(graphs / "graphs" / "good.ttl"), True, [])
    (finding,) = bad["results"]
    assert finding["shape"] == "kgsh:Phrase-beginIndex"
    assert finding["component"] == "sh:MinCountConstraintComponent"
    assert finding["path"] == "nif:beginIndex"
    assert finding["message"] == "A mention needs exactly one nif:beginIndex, an xsd:nonNegativeInteger."
    assert isinstance(finding["line"], int)


def test_junit_report(graphs: Path, runner: CliRunner) -> None:
    (graphs / "graphs" / "junk.ttl").write_text("this is not turtle", encoding="utf-8")
    try:
        result = runner.invoke(app, ["validate", str(graphs), "--format", "junit"])
    finally:
        (graphs / "graphs" / "junk.ttl").unlink()
    assert result.exit_code == 2
    suite = ET.fromstring(result.stdout)
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    failure = cases[str(graphs / "graphs" / "bad" / "broken.ttl")].find("failure")
    error = cases[str(graphs / "graphs" / "junk.ttl")].find("error")
    assert failure is not None and error is not None
    assert failure.get("message") == "1 SHACL results"
    assert "  constraint: sh:MinCountConstraintComponent\n" in (failure.text or "")
    assert "not parseable RDF" in error.get("message", "")
    assert list(cases[str(graphs / "graphs" / "good.ttl")]) == []


WARNING_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <http://example.org/> .
ex:WantsDate a sh:NodeShape ; sh:targetClass schema:NewsArticle ;
    sh:property [ sh:path schema:datePublished ; sh:minCount 1 ; sh:severity sh:Warning ;
                  sh:message "No publication date." ] .
"""


def test_severity_decides_what_fails(graphs: Path, tmp_path: Path, runner: CliRunner) -> None:
    shapes = tmp_path / "warn.ttl"
    shapes.write_text(WARNING_SHAPES, encoding="utf-8")
    good = graphs / "graphs" / "good.ttl"
    result = runner.invoke(app, ["validate", str(good), "--shapes", str(shapes)])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{good}: conforms (1 below violation)\n")
    assert "Warning: No publication date." in result.stdout
    result = runner.invoke(app, ["validate", str(good), "--shapes", str(shapes), "--severity", "warning"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{good}: 1 result at warning or worse\n")


def test_shapes_beyond_the_fast_engine_fall_back_to_pyshacl(graphs: Path, tmp_path: Path, runner: CliRunner) -> None:
    shapes = tmp_path / "qualified.ttl"
    shapes.write_text(
        """
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix schema: <https://schema.org/> .
        @prefix ex: <http://example.org/> .
        ex:TwoPeople a sh:NodeShape ; sh:targetClass schema:NewsArticle ;
            sh:property [ sh:path schema:mentions ; sh:qualifiedMinCount 10 ;
                          sh:qualifiedValueShape [ sh:class schema:Person ] ; sh:message "Fewer than 10 people." ] .
    """,
        encoding="utf-8",
    )
    good = graphs / "graphs" / "good.ttl"
    result = runner.invoke(app, ["validate", str(good), "--shapes", str(shapes), "--no-kg-shapes"])
    assert result.exit_code == 1  # the seed names four people: pyshacl, not the fast engine, checks that
    assert "Violation: Fewer than 10 people." in result.stdout
    result = runner.invoke(app, ["validate", str(good), "--shapes", str(shapes), "--engine", "fast"])
    assert result.exit_code == 2
    assert "the fast engine cannot run these shapes" in result.stderr


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_report_as_rdf(graphs: Path, runner: CliRunner, engine: str) -> None:
    """--format ttl: an sh:ValidationReport per file, its results as pyshacl itself reports them."""
    result = runner.invoke(app, ["validate", str(graphs / "graphs"), "--format", "ttl", "--engine", engine])
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    by_file = {str(report.value(r, DCTERMS.source)): r for r in report.subjects(RDF.type, SH.ValidationReport)}
    bad, good = (graphs / "graphs" / "bad" / "broken.ttl", graphs / "graphs" / "good.ttl")
    assert set(by_file) == {bad.resolve().as_uri(), good.resolve().as_uri()}
    assert report.value(by_file[good.resolve().as_uri()], SH.conforms) == Literal(True)
    assert report.value(by_file[bad.resolve().as_uri()], SH.conforms) == Literal(False)
    assert set(report.objects(by_file[good.resolve().as_uri()], SH.result)) == set()
    _, reference, _ = pyshacl_validate(
        Graph().parse(bad, format="turtle"), shacl_graph=load_shapes(), inference="none", meta_shacl=False
    )
    assert _results(report, by_file[bad.resolve().as_uri()]) == _results(
        reference, next(reference.subjects(RDF.type, SH.ValidationReport))
    )


def _results(graph: Graph, report: Node) -> set[tuple[Node | None, ...]]:
    parts = ("focusNode", "resultPath", "resultSeverity", "sourceConstraintComponent", "sourceShape", "resultMessage")
    return {tuple(graph.value(r, SH[p]) for p in parts) for r in graph.objects(report, SH.result)}


def test_report_as_rdf_is_the_same_on_every_run(graphs: Path, runner: CliRunner, tmp_path: Path) -> None:
    """A report kept in CI changes only when the findings do: its blank nodes are named by their place."""
    broken = Graph().parse(graphs / "graphs" / "bad" / "broken.ttl", format="turtle")
    for phrase in list(broken.subjects(RDF.type, NIF.Phrase))[:5]:
        broken.remove((phrase, NIF.endIndex, None))
    broken.serialize(tmp_path / "worse.ttl", format="turtle")
    inputs = [str(tmp_path / "worse.ttl"), str(graphs / "graphs")]
    runs = [runner.invoke(app, ["validate", *inputs, "--format", "ttl"]).stdout for _ in range(3)]
    assert runs[0].count("sh:ValidationResult") == 7  # 6 in worse.ttl, 1 in broken.ttl
    assert set(runs) == {runs[0]}
