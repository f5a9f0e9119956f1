"""Line numbers of validation results (kg/rdf/lines.py): prefixed names, the base, strings and comments,
TriG graphs and N-Quads, and kg's own output, where every focus node is a prefixed name with escapes."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import a_phrase, swap_offsets
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf.graph import ArticleGraph
from kg.rdf.lines import turtle_lines

EX = "http://example.org/"

HAND_WRITTEN = """@prefix ex: <http://example.org/> .
PREFIX schema: <https://schema.org/>
@base <http://example.org/base/> .

# ex:a in a comment is not ex:a
ex:b schema:description \"\"\"a long string
that says ex:a . ex:a schema:name "x" .
\"\"\" ; schema:about ex:a .

ex:a schema:name "A" ;
    schema:knows [ schema:name "in brackets" ; schema:knows ex:c ] , ( ex:d ex:e ) .
<rel> schema:name 'R' . _:n1 schema:name "N" .
ex:loc\\/al\\#x schema:name "escaped" .
"""


def test_subjects_and_mentions_of_hand_written_turtle() -> None:
    lines = turtle_lines(HAND_WRITTEN, "file:///data/x.ttl")
    assert lines.line(f"<{EX}b>") == 6
    assert lines.line(f"<{EX}a>") == 10  # not the comment, not the string, not ex:b's object on line 7
    assert lines.line(f"<{EX}c>") == 11  # never a subject: where it is first written
    assert lines.line(f"<{EX}e>") == 11
    assert lines.line(f"<{EX}base/rel>") == 12
    assert lines.line("_:n1") == 12
    assert lines.line(f"<{EX}loc/al#x>") == 13
    assert lines.line("<https://schema.org/name>") == 10  # first written as a predicate; line 7 is a string
    assert lines.line(f"<{EX}nowhere>") is None


def test_trig_graph_names_are_not_subjects() -> None:
    trig = (
        "@prefix ex: <http://example.org/> .\n"
        "ex:g1 {\n  ex:s ex:p ex:o .\n}\n"
        "GRAPH ex:g2 { ex:g1 ex:p ex:o }\n"
        "<http://example.org/o> ex:p 1 .\n"
    )
    lines = turtle_lines(trig, "file:///x.trig")
    assert lines.line(f"<{EX}s>") == 3
    assert lines.line(f"<{EX}g1>") == 5  # named on line 2, a subject on line 5
    assert lines.line(f"<{EX}g2>") == 5
    assert lines.line(f"<{EX}o>") == 6


def test_n_quads() -> None:
    quads = f'<{EX}a> <{EX}p> "x . y" <{EX}g> .\n<{EX}g> <{EX}p> <{EX}a> <{EX}g> .\n'
    lines = turtle_lines(quads, "file:///x.nq")
    assert (lines.line(f"<{EX}a>"), lines.line(f"<{EX}g>")) == (1, 2)


def _focus_lines(stdout: str) -> list[int | None]:
    (report,) = json.loads(stdout)["files"]
    return [r["line"] for r in report["results"]]


@pytest.mark.parametrize("suffix", ["ttl", "nt", "trig", "nq"])
@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_kg_output_with_prefixed_names_gets_lines(
    seed_graph: Graph, tmp_path: Path, runner: CliRunner, suffix: str, engine: str
) -> None:
    """Written by kg's own writer (ArticleGraph), where focus nodes are prefixed names with escapes."""
    broken = Graph()
    broken += seed_graph
    swap_offsets(broken)
    phrase = a_phrase(broken, "Kyiv")
    triples = ox.parse(broken.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    written = ArticleGraph.from_triples("https://w3id.org/kg-news/id/article/test", triples)
    path = tmp_path / f"broken.{suffix}"
    writers = {"ttl": written.turtle, "nt": written.ntriples, "trig": written.trig, "nq": written.nquads}
    path.write_bytes(writers[suffix]())
    text = path.read_text(encoding="utf-8")
    if suffix in ("ttl", "trig"):
        assert f"<{phrase}>" not in text  # a prefixed name: kgid:article\/…\#char\=…
    result = runner.invoke(app, ["validate", str(path), "--format", "json", "--engine", engine])
    assert result.exit_code == 1
    (line,) = _focus_lines(result.stdout)
    assert line is not None
    written_as = "kgid:article\\/" if suffix in ("ttl", "trig") else f"<{phrase}>"
    assert text.splitlines()[line - 1].lstrip().startswith(written_as)
    assert f"#char={phrase.split('=')[-1]}" in text.splitlines()[line - 1].replace("\\", "")


def test_every_result_of_a_hand_written_file_has_a_line(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "events.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n@prefix schema: <https://schema.org/> .\n"
        "@prefix kg: <https://w3id.org/kg-news/ontology#> .\n\n"
        "ex:meeting a schema:Event , kg:Meeting .\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    lines = _focus_lines(result.stdout)
    assert lines and set(lines) == {5}


def test_lines_from_standard_input(tmp_path: Path, runner: CliRunner) -> None:
    data = "@prefix ex: <http://example.org/> .\n@prefix schema: <https://schema.org/> .\n\nex:e a schema:Event .\n"
    result = runner.invoke(app, ["validate", "-", "--format", "json"], input=data)
    assert result.exit_code == 1
    assert set(_focus_lines(result.stdout)) == {4}
