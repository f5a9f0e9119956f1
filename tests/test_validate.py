"""Deliberately broken graphs through ``kg validate``: the failing shape and the exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import a_phrase, drop_offsets, string_offset, swap_offsets, wrong_anchor
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf.namespaces import ITSRDF, KG, NIF, SCHEMA, WD, bind_prefixes
from kg.validate import Validator, load_shapes


def non_wikidata_link(g: Graph) -> None:
    phrase = a_phrase(g, "Kyiv")
    fake = URIRef("http://example.org/Kyiv")
    g.set((phrase, ITSRDF.taIdentRef, fake))
    g.add((fake, RDF.type, SCHEMA.Place))
    g.add((fake, RDFS.label, Literal("Kyiv")))


def untyped_entity(g: Graph) -> None:
    g.remove((WD.Q1899, RDF.type, None))


def unlabelled_entity(g: Graph) -> None:
    g.remove((WD.Q1899, RDFS.label, None))


def a_statement(g: Graph, start: str) -> URIRef:
    statement = next(node for node, text in g.subject_objects(SCHEMA.text) if str(text).startswith(start))
    assert isinstance(statement, URIRef)
    return statement


def speaker_removed(g: Graph) -> None:
    g.remove((a_statement(g, "Penting bagi kita"), SCHEMA.creator, None))


def unattributed_with_speaker(g: Graph) -> None:
    g.add((a_statement(g, "Penting bagi kita"), RDF.type, KG.UnattributedStatement))


def both_direct_and_reported(g: Graph) -> None:
    g.add((a_statement(g, "Penting bagi kita"), RDF.type, KG.ReportedStatement))


def reported_as_quotation(g: Graph) -> None:
    g.add((a_statement(g, "NATO harus siap"), RDF.type, SCHEMA.Quotation))


def direct_quote_not_a_quotation(g: Graph) -> None:
    g.remove((a_statement(g, "Penting bagi kita"), RDF.type, SCHEMA.Quotation))


def empty_quote(g: Graph) -> None:
    g.set((a_statement(g, "Penting bagi kita"), SCHEMA.text, Literal("")))


def an_event(g: Graph, kind: URIRef) -> URIRef:
    event = next(g.subjects(RDF.type, kind))
    assert isinstance(event, URIRef)
    return event


def event_ends_before_it_starts(g: Graph) -> None:
    g.set((an_event(g, KG.Meeting), SCHEMA.endDate, Literal("2022-10-01", datatype=XSD.date)))


def event_date_as_text(g: Graph) -> None:
    g.set((an_event(g, KG.Meeting), SCHEMA.startDate, Literal("12 Oktober 2022")))


def event_without_kg_type(g: Graph) -> None:
    g.remove((an_event(g, KG.Meeting), RDF.type, KG.Meeting))


def role_without_holder(g: Graph) -> None:
    g.remove((next(g.subjects(RDF.type, KG.RoleStatement)), KG.roleHolder, None))


def role_without_source(g: Graph) -> None:
    g.remove((next(g.subjects(RDF.type, KG.RoleStatement)), PROV.wasDerivedFrom, None))


def second_confidence(g: Graph) -> None:  # maxCount, found by counting each predicate's values
    g.add((a_phrase(g, "TASS"), ITSRDF.taConfidence, Literal(0.5, datatype=XSD.double)))


def confidence_above_one(g: Graph) -> None:  # a value check, found by scanning the predicate
    phrase = a_phrase(g, "Kyiv")
    g.set((phrase, ITSRDF.taConfidence, Literal(1.5, datatype=XSD.double)))


def confidence_as_text(g: Graph) -> None:  # a string where a double is required: three constraints fail
    g.set((a_phrase(g, "Kyiv"), ITSRDF.taConfidence, Literal("high")))


def holder_not_a_person(g: Graph) -> None:  # sh:class on a value, found by scanning the predicate
    holder = g.value(next(g.subjects(RDF.type, KG.RoleStatement)), KG.roleHolder)
    g.remove((holder, RDF.type, SCHEMA.Person))


@pytest.mark.parametrize(
    ("breakage", "shape", "message"),
    [
        (speaker_removed, "kgsh:StatementSpeakerShape", "A statement has exactly one speaker"),
        (unattributed_with_speaker, "kgsh:StatementSpeakerShape", "unless it is a kg:UnattributedStatement"),
        (both_direct_and_reported, "kgsh:StatementKindShape", "either a kg:DirectQuote or a kg:ReportedStatement"),
        (empty_quote, "kgsh:Statement-text", "A statement needs exactly one non-empty schema:text."),
        (reported_as_quotation, "kgsh:QuotationShape", "Only a direct quote is a schema:Quotation"),
        (direct_quote_not_a_quotation, "kgsh:DirectQuoteShape", "A kg:DirectQuote is also a schema:Quotation"),
        (event_ends_before_it_starts, "kgsh:Event-dateOrder", "An event cannot end before it starts"),
        (event_date_as_text, "kgsh:Event-startDate", "schema:startDate is at most one xsd:date."),
        (event_without_kg_type, "kgsh:EventTypeShape", "An event must have a kg type"),
        (role_without_holder, "kgsh:Role-holder", "A role needs exactly one kg:roleHolder"),
        (role_without_source, "kgsh:Role-source", "A role needs its source article"),
        (drop_offsets, "kgsh:Phrase-beginIndex", "A mention needs exactly one nif:beginIndex"),
        (swap_offsets, "kgsh:Phrase-offsetOrder", "nif:beginIndex must be smaller than its nif:endIndex"),
        (non_wikidata_link, "kgsh:LinkedEntityShape", "A linked entity's IRI must be a Wikidata entity IRI"),
        (untyped_entity, "kgsh:EntityTypeShape", "must be typed schema:Person, schema:Organization or schema:Place"),
        (unlabelled_entity, "kgsh:Entity-label", "An entity needs a non-empty rdfs:label."),
        (wrong_anchor, "kgsh:ContextShape (kgsh:Context-anchorsMatchText)", "has a nif:anchorOf that is not"),
        (string_offset, "kgsh:Phrase-endIndex", "A mention needs exactly one nif:endIndex"),
    ],
)
def test_broken_graphs_fail_with_the_shape_named(
    seed_graph: Graph, tmp_path: Path, runner: CliRunner, breakage: Callable[[Graph], None], shape: str, message: str
) -> None:
    broken = bind_prefixes(Graph())
    broken += seed_graph
    breakage(broken)
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}: ")
    assert f"      shape: {shape}\n" in result.stdout
    assert message in result.stdout


@pytest.mark.parametrize(
    "breakage",
    [
        drop_offsets,
        swap_offsets,
        non_wikidata_link,
        untyped_entity,
        unlabelled_entity,
        wrong_anchor,
        string_offset,
        speaker_removed,
        unattributed_with_speaker,
        both_direct_and_reported,
        empty_quote,
        event_ends_before_it_starts,
        event_date_as_text,
        event_without_kg_type,
        role_without_holder,
        role_without_source,
        second_confidence,
        confidence_above_one,
        holder_not_a_person,
        confidence_as_text,
    ],
)
def test_fast_engine_agrees_with_pyshacl(seed_graph: Graph, breakage: Callable[[Graph], None]) -> None:
    broken = Graph()
    broken += seed_graph
    breakage(broken)
    shapes = load_shapes()
    fast, reference = Validator(shapes, "fast").check_graph(broken), Validator(shapes, "pyshacl").check_graph(broken)
    assert fast.findings == reference.findings
    assert fast.findings  # each breakage is caught


def test_report_names_focus_path_and_value(seed_graph: Graph, tmp_path: Path, runner: CliRunner) -> None:
    broken = Graph()
    broken += seed_graph
    swap_offsets(broken)
    path = tmp_path / "swapped.ttl"
    broken.serialize(path, format="turtle")
    out = runner.invoke(app, ["validate", str(path)]).stdout
    phrase = a_phrase(broken, "Kyiv")
    line = next(
        n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith(f"<{phrase}>")
    )
    assert out.splitlines()[:2] == [f"{path}: 1 result at violation or worse", "  kgsh:Phrase-offsetOrder: 1"]
    assert f"      focus: <{phrase}> (line {line})\n" in out
    assert "      path:  nif:beginIndex\n" in out
    begin = broken.value(phrase, NIF.beginIndex)
    assert isinstance(begin, Literal)
    assert f"      value: {int(begin)}\n" in out


def test_conforming_and_unreadable_files(seed_graph: Graph, tmp_path: Path, runner: CliRunner) -> None:
    good = tmp_path / "good.ttl"
    seed_graph.serialize(good, format="turtle")
    result = runner.invoke(app, ["validate", str(good)])
    assert (result.exit_code, result.stdout) == (0, f"{good}: conforms\n")

    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(good), str(bad), str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2
    assert f"{good}: conforms\n" == result.stdout
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"kg: error: {bad}: not parseable RDF (")
    assert lines[1] == f"kg: error: {tmp_path / 'missing.ttl'}: no such file"


def test_directories_and_other_formats(seed_graph: Graph, tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "nested").mkdir()
    seed_graph.serialize(tmp_path / "nested" / "a.nt", format="nt", encoding="utf-8")
    seed_graph.serialize(tmp_path / "b.jsonld", format="json-ld")
    dataset = Dataset()
    named = dataset.graph(URIRef("https://example.org/graphs/seed"))
    named += seed_graph
    dataset.serialize(tmp_path / "c.nq", format="nquads")
    dataset.serialize(tmp_path / "d.trig", format="trig")
    (tmp_path / "notes.txt").write_text("not RDF, not looked at", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{tmp_path / name}: conforms" for name in ("b.jsonld", "c.nq", "d.trig", "nested/a.nt")
    ]


def test_users_own_shapes(seed_graph: Graph, tmp_path: Path, runner: CliRunner) -> None:
    shapes = tmp_path / "mine.ttl"
    shapes.write_text(
        """
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix schema: <https://schema.org/> .
        @prefix ex: <http://example.org/> .
        ex:NeedsDate a sh:NodeShape ; sh:targetClass schema:NewsArticle ;
            sh:property [ sh:path schema:datePublished ; sh:minCount 1 ; sh:message "Our newsroom needs a date." ] .
    """,
        encoding="utf-8",
    )
    data = tmp_path / "seed.ttl"
    seed_graph.serialize(data, format="turtle")
    result = runner.invoke(app, ["validate", str(data), "--shapes", str(shapes)])
    assert result.exit_code == 1
    assert "Violation: Our newsroom needs a date." in result.stdout
    assert "      shape: (anonymous shape)\n" in result.stdout


def test_missing_shapes_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path), "--shapes", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2
    assert result.stderr == f"kg: error: {tmp_path / 'none.ttl'}: no such shapes file or directory\n"


def test_datatype_of_confidence_is_checked(seed_graph: Graph, tmp_path: Path, runner: CliRunner) -> None:
    broken = Graph()
    broken += seed_graph
    broken.set((a_phrase(broken, "Kyiv"), ITSRDF.taConfidence, Literal(1.5, datatype=XSD.double)))
    path = tmp_path / "conf.ttl"
    broken.serialize(path, format="turtle")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "      shape: kgsh:Phrase-taConfidence\n" in result.stdout


def test_class_constraints_follow_subclasses_in_the_data(seed_graph: Graph) -> None:
    """A type declared as a subclass of schema:Person in the data still satisfies sh:class schema:Person."""
    graph = Graph()
    graph += seed_graph
    minister = URIRef("http://example.org/Minister")
    graph.remove((WD.Q57665, RDF.type, SCHEMA.Person))
    graph.add((WD.Q57665, RDF.type, minister))
    graph.add((minister, RDFS.subClassOf, SCHEMA.Person))
    shapes = load_shapes()
    assert Validator(shapes, "fast").check_graph(graph).findings == ()
    assert Validator(shapes, "pyshacl").check_graph(graph).findings == ()
    graph.remove((minister, RDFS.subClassOf, SCHEMA.Person))
    fast = Validator(shapes, "fast").check_graph(graph).findings
    assert fast == Validator(shapes, "pyshacl").check_graph(graph).findings
    assert {f.shape for f in fast} >= {"kgsh:EntityTypeShape"}


def test_graphs_validated_together_keep_their_own_results(seed_graph: Graph) -> None:
    broken = Graph()
    broken += seed_graph
    swap_offsets(broken)
    good, bad, good_again = Validator(load_shapes(), "fast").check_graphs([seed_graph, broken, seed_graph])
    assert good.findings == () and good_again.findings == ()
    assert [f.shape for f in bad.findings] == ["kgsh:Phrase-offsetOrder"]


@pytest.mark.parametrize("rdf_format", ["turtle", "nt", "json-ld", "xml", "trig"])
def test_dash_reads_standard_input(seed_graph: Graph, runner: CliRunner, rdf_format: str) -> None:
    data = seed_graph.serialize(format=rdf_format, encoding="utf-8")
    result = runner.invoke(app, ["validate", "-"], input=data)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "<stdin>: conforms\n", "")


def test_standard_input_as_n_quads_and_with_its_format_told(seed_graph: Graph, runner: CliRunner) -> None:
    dataset = Dataset()
    named = dataset.graph(URIRef("https://example.org/graphs/seed"))
    named += seed_graph
    quads = dataset.serialize(format="nquads", encoding="utf-8")
    assert runner.invoke(app, ["validate", "-"], input=quads).stdout == "<stdin>: conforms\n"  # told by trying
    result = runner.invoke(app, ["validate", "-", "--input-format", "nq"], input=quads)
    assert (result.exit_code, result.stdout) == (0, "<stdin>: conforms\n")
    result = runner.invoke(app, ["validate", "-", "--input-format", "jsonld"], input=quads)
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: error: <stdin>: not parseable RDF (")


def test_standard_input_that_breaks_the_shapes(seed_graph: Graph, runner: CliRunner) -> None:
    broken = Graph()
    broken += seed_graph
    swap_offsets(broken)
    result = runner.invoke(app, ["validate", "-", "--format", "json"], input=broken.serialize(format="nt"))
    assert result.exit_code == 1
    (report,) = json.loads(result.stdout)["files"]
    assert report["path"] == "<stdin>"
    assert [r["shape"] for r in report["results"]] == ["kgsh:Phrase-offsetOrder"]


def test_input_format_without_standard_input_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    good = tmp_path / "a.ttl"
    good.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(good), "--input-format", "nt"])
    assert (result.exit_code, result.stderr) == (
        2,
        "kg: error: --input-format is for standard input: give - as the file\n",
    )


@pytest.mark.parametrize("content", ["", "\n  \n", "@prefix ex: <http://example.org/> .\n# nothing yet\n"])
def test_a_file_with_no_triples_is_reported(tmp_path: Path, runner: CliRunner, content: str) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(empty)])
    assert (result.exit_code, result.stdout) == (0, f"{empty}: no triples (an empty file)\n")
    assert result.stderr == f"kg: warning: {empty}: no triples; an empty file conforms (--strict fails it)\n"
    result = runner.invoke(app, ["validate", str(empty), "--strict"])
    assert (result.exit_code, result.stdout, result.stderr) == (1, f"{empty}: no triples (fails with --strict)\n", "")
    result = runner.invoke(app, ["validate", str(empty), "--strict", "--format", "json"])
    (report,) = json.loads(result.stdout)["files"]
    assert (result.exit_code, report["conforms"], report["empty"]) == (1, False, True)


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_a_file_that_holds_no_rdf_is_unreadable(tmp_path: Path, runner: CliRunner, engine: str) -> None:
    plain = tmp_path / "settings.json"
    plain.write_text('{"name": "kg", "version": 3}\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(plain), "--engine", engine])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"kg: error: {plain}: no RDF in it (read as JSON-LD, it gives no triples)\n"


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_one_result_per_failed_constraint_named_by_its_component(
    seed_graph: Graph, tmp_path: Path, runner: CliRunner, engine: str
) -> None:
    broken = bind_prefixes(Graph())
    broken += seed_graph
    confidence_as_text(broken)
    path = tmp_path / "confidence.ttl"
    broken.serialize(path, format="turtle")
    result = runner.invoke(app, ["validate", str(path), "--engine", engine])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        f"{path}: 3 results at violation or worse",
        "  kgsh:Phrase-taConfidence: 3",
    ]
    components = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("constraint:")]
    assert components == [
        "constraint: sh:DatatypeConstraintComponent",
        "constraint: sh:MaxInclusiveConstraintComponent",
        "constraint: sh:MinInclusiveConstraintComponent",
    ]


def end_as_a_datetime(g: Graph) -> None:
    g.set((an_event(g, KG.Meeting), SCHEMA.endDate, Literal("2022-10-13T10:00:00", datatype=XSD.dateTime)))


def test_engines_differ_only_where_the_readme_says(seed_graph: Graph) -> None:
    """An xsd:date start and an xsd:dateTime end cannot be compared: SHACL makes that an sh:lessThanOrEquals
    result, which kg reports; pyshacl orders the two by datatype IRI and reports only the datatype."""
    broken = Graph()
    broken += seed_graph
    end_as_a_datetime(broken)
    shapes = load_shapes()
    fast, reference = Validator(shapes, "fast").check_graph(broken), Validator(shapes, "pyshacl").check_graph(broken)
    assert [(f.shape, f.component) for f in reference.findings] == [
        ("kgsh:Event-endDate", "sh:DatatypeConstraintComponent")
    ]
    extra = [f for f in fast.findings if f not in reference.findings]
    assert [(f.shape, f.component, f.value) for f in extra] == [
        ("kgsh:Event-dateOrder", "sh:LessThanOrEqualsConstraintComponent", "2022-10-12")
    ]
    assert len(fast.findings) == len(reference.findings) + 1


def test_an_ill_formed_date_is_reported_without_a_traceback(
    seed_graph: Graph, tmp_path: Path, runner: CliRunner
) -> None:
    broken = bind_prefixes(Graph())
    broken += seed_graph
    broken.set((an_event(broken, KG.Meeting), SCHEMA.startDate, Literal("2022-13-45", datatype=XSD.date)))
    path = tmp_path / "bad-date.ttl"
    broken.serialize(path, format="turtle")
    # A process of its own: pytest captures log records, and rdflib's traceback is one.
    done = subprocess.run([sys.executable, "-m", "kg", "validate", str(path)], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (1, "")
    assert "      shape: kgsh:Event-startDate\n      constraint: sh:DatatypeConstraintComponent\n" in done.stdout
    assert "      value: 2022-13-45\n" in done.stdout
    result = runner.invoke(app, ["validate", str(path), "--engine", "pyshacl"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"kg: error: {path}: pyshacl failed on it (TypeError: '<=' not supported between instances of 'Literal' "
        "and 'Literal'); --engine fast reports what is wrong with it\n"
    )


def test_files_validated_one_by_one_report_as_graphs_together_and_give_the_collector_back(
    seed_graph: Graph, tmp_path: Path
) -> None:
    """``check_files`` validates each file as it is parsed, with the collector set for a long run while it
    lasts: the reports are those of the graphs validated together, and the caller's collector comes back."""
    import gc

    broken = Graph() + seed_graph
    broken.remove((None, NIF.beginIndex, None))
    paths = [tmp_path / "good.ttl", tmp_path / "broken.ttl", tmp_path / "unreadable.ttl", tmp_path / "again.ttl"]
    seed_graph.serialize(paths[0], format="turtle")
    broken.serialize(paths[1], format="turtle")
    paths[2].write_text("<a> <b> .\n", encoding="utf-8")
    seed_graph.serialize(paths[3], format="turtle")
    validator = Validator(load_shapes())
    together = validator.check_graphs([seed_graph, broken, seed_graph])
    assert gc.isenabled() and gc.get_freeze_count() == 0
    files = validator.check_files(paths)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert files[2].error is not None and files[2].report is None
    reports = [f.report for f in (files[0], files[1], files[3])]
    assert all(reports)
    assert [[(f.shape, f.focus, f.path, f.component) for f in r.findings] for r in reports if r] == [
        [(f.shape, f.focus, f.path, f.component) for f in r.findings] for r in together
    ]
    assert all(f.line for r in reports[1:2] if r for f in r.findings)  # a file's results carry their lines too
    assert together[0].conforms and not together[1].conforms


def test_a_triple_written_twice_counts_once(seed_graph: Graph, tmp_path: Path) -> None:
    """A file may repeat a triple; the graph holds it once, so "exactly one nif:beginIndex" still holds."""
    path = tmp_path / "twice.nt"
    lines = seed_graph.serialize(format="nt").splitlines(keepends=True)
    repeated = next(line for line in lines if f"<{NIF.beginIndex}>" in line)
    path.write_text("".join([*lines, repeated]), encoding="utf-8")
    fast, reference = (Validator(load_shapes(), engine).check_files([path])[0] for engine in ("fast", "pyshacl"))
    assert fast.checked().findings == reference.checked().findings == ()
