"""``kg extract`` and ``kg eval`` as a user runs them: files in, files out, exit codes, one-line errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, SEED, wikidata_record, write_kb
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf.namespaces import NIF


def test_extract_the_seed(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", str(SEED), "-o", str(tmp_path), "--published", "2022-10-11"])
    out = tmp_path / "000_3d31550ceac5e1d3.ttl"
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout
        == f"{out}: 44 mentions, 13 entities (10 linked), 14 statements, 2 events, 3 roles, 775 triples, conforms\n"
    )
    assert result.stderr == ""
    assert len(Graph().parse(out)) == 775
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary files left behind


@pytest.mark.parametrize(
    ("name", "content", "code", "reason"),
    [
        ("empty.txt", b"", 4, "file is empty (0 bytes); nothing to extract"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", 5, "binary data, not text"),
        ("latin1.txt", "Pertemuan di Brussel, kata Menlu Lavrov: «ça va».".encode("latin-1"), 6, "not valid UTF-8"),
        ("page.txt", b"<html><head><title>x</title></head></html>", 8, "this is HTML"),
    ],
)
def test_bad_inputs_give_one_line_and_a_distinct_code(
    tmp_path: Path, runner: CliRunner, name: str, content: bytes, code: int, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["extract", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == code
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"kg: error: {path}: ")
    assert reason in result.stderr
    assert not (tmp_path / "out" / f"{path.stem}.ttl").exists()


def test_huge_and_missing_inputs(tmp_path: Path, runner: CliRunner) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = runner.invoke(app, ["extract", str(huge), "-o", str(tmp_path / "out")])
    assert result.exit_code == 7
    assert result.stderr == (
        f"kg: error: {huge}: 52,428,800 bytes is over the 5,000,000-byte limit for one "
        "article; split it into articles or raise --max-bytes\n"
    )
    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert result.stderr == f"kg: error: {tmp_path / 'missing.txt'}: no such file or directory; check the path\n"


def test_good_inputs_are_written_when_others_fail(tmp_path: Path, runner: CliRunner) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    english = DATA / "articles" / "en_001_nato_air_defence.txt"
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["extract", str(empty), str(SEED), str(tmp_path / "gone.txt"), str(english), "-o", str(out)]
    )
    assert result.exit_code == 4  # the first failure decides
    assert sorted(p.name for p in out.iterdir()) == [
        "000_3d31550ceac5e1d3.ttl",
        "en_001_nato_air_defence.ttl",
        "failures.jsonl",
    ]
    report = [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert report == [
        {"input": str(empty), "reason": f"{empty}: file is empty (0 bytes); nothing to extract", "exit_code": 4},
        {
            "input": str(tmp_path / "gone.txt"),
            "reason": f"{tmp_path / 'gone.txt'}: no such file or directory; check the path",
            "exit_code": 3,
        },
    ]
    assert result.stderr.splitlines()[-1].startswith(
        f"kg: 2 written, 0 skipped, 2 failed (see {out / 'failures.jsonl'}); 1,132 triples in "
    )
    assert result.stdout == ""  # a line per article only with --verbose


def test_an_invalid_graph_is_not_written(tmp_path: Path, runner: CliRunner) -> None:
    # a KB record whose ID is not a Wikidata item ID makes a link the shapes refuse
    kb = write_kb(tmp_path / "bad-kb.jsonl", [wikidata_record("Q9999990-bad", "Budi Fiktif", p31="Q5")])
    article = tmp_path / "budi.txt"
    article.write_text("Menteri Budi Fiktif tiba di Jakarta pada Senin pagi.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--kb", str(kb), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kg: error: {article}: the graph breaks the shapes and was not written:\n")
    assert "shape: kgsh:LinkedEntityShape" in result.stderr
    assert not (tmp_path / "out" / "budi.ttl").exists()


def test_inputs_with_the_same_name_do_not_overwrite_each_other(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "berita.txt", tmp_path / "b" / "berita.txt"
    first.write_text("Presiden Jokowi tiba di Bali.", encoding="utf-8")
    second.write_text("Menlu Retno tiba di Jakarta.", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(first), str(second), "-o", str(out)])
    assert result.exit_code == 10
    assert result.stderr.splitlines()[0] == (
        f"kg: error: {second}: its graph would overwrite {out / 'berita.ttl'}, written from {first} in this run; "
        "rename one of the inputs"
    )
    assert "Jokowi" in (out / "berita.ttl").read_text(encoding="utf-8")


def test_unwritable_output_directory(tmp_path: Path, runner: CliRunner) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(SEED), "-o", str(blocker)])
    assert result.exit_code == 10
    assert result.stderr == (
        f"kg: error: {blocker}: exists and is not a directory; give -o a directory for the Turtle files\n"
    )


def test_existing_output_is_replaced_whole(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "000_3d31550ceac5e1d3.ttl"
    out.write_text("stale", encoding="utf-8")
    assert runner.invoke(app, ["extract", str(SEED), "-o", str(tmp_path)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("@prefix")


def test_language_option_and_usage_errors(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", str(SEED), "--lang", "fr"])
    assert result.exit_code == 2
    assert "Invalid value for '--lang'" in result.stderr
    result = runner.invoke(app, ["extract", str(SEED), "--published", "11/10/2022"])
    assert result.exit_code == 2
    assert "Invalid value for '--published'" in result.stderr


@pytest.mark.parametrize("command", ["extract", "validate", "eval", "load", "query", "kb stats"])
def test_every_command_helps_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Example:\n    kg " in result.stdout


def test_kb_stats(runner: CliRunner) -> None:
    result = runner.invoke(app, ["kb", "stats"])
    assert result.exit_code == 0
    assert "  entities        2,967\n" in result.stdout


def test_eval_scores_a_prediction(tmp_path: Path, runner: CliRunner) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    text = "Presiden Jokowi bertemu Menlu Retno Marsudi di Bogor."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (gold / "a.json").write_text(
        json.dumps(
            {
                "entities": [
                    {"text": "Jokowi", "start": 9, "end": 15, "type": "PER", "qid": "Q3318231"},
                    {"text": "Retno Marsudi", "start": 30, "end": 43, "type": "PER", "qid": "Q18342668"},
                    {
                        "text": "Bogor",
                        "start": 47,
                        "end": 52,
                        "type": "ORG",
                        "qid": "Q10393",
                    },  # a wrong type on purpose
                    {"text": "Istana", "start": 0, "end": 0, "type": "LOC", "qid": None},  # never predicted
                ]
            }
        ),
        encoding="utf-8",
    )
    assert runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(pred)]).exit_code == 0
    result = runner.invoke(app, ["eval", str(gold), str(pred), "--json"])
    assert result.exit_code == 0
    scores = json.loads(result.stdout)
    assert scores["mentions"] == {
        "precision": 1.0,
        "recall": 0.75,
        "f1": 0.8571,
        "true_positives": 3,
        "gold": 4,
        "predicted": 3,
    }
    assert scores["typed_mentions"]["true_positives"] == 2
    assert scores["links"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "true_positives": 3,
        "gold": 3,
        "predicted": 3,
    }
    table = runner.invoke(app, ["eval", str(gold), str(pred), "--errors"]).stdout
    assert "a: wrong type (typed_mentions): LOC for ORG: 47-52 'Bogor' ORG Q10393" in table
    assert "a: missed mention (mentions, typed_mentions): 0-0 'Istana' LOC -" in table


def test_eval_scores_quotes_and_events(tmp_path: Path, runner: CliRunner) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    text = (
        "Menlu Retno Marsudi menggelar konferensi pers di Jakarta, Selasa (11/10/2022).\n"
        '"Kami mendukung perdamaian," kata Retno.\n'
        '"Semua pihak harus menahan diri," ujarnya.'
    )
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    (gold / "b.json").write_text(
        json.dumps(
            {
                "entities": [],
                "quotes": [
                    {"speaker": "Q18342668", "text": "Kami mendukung perdamaian", "direct": True},
                    {"speaker": "Budi Fiktif", "text": "Semua pihak harus menahan diri!", "direct": True},
                    {"speaker": "Q18342668", "text": "Tidak ada yang tahu", "direct": False},
                ],
                "events": [
                    {
                        "type": "PressConference",
                        "start_date": "2022-10-11",
                        "end_date": "2022-10-11",
                        "location": "Q3630",
                        "participants": ["Q18342668"],
                    },
                    {
                        "type": "Meeting",
                        "start_date": "2022-10-12",
                        "end_date": None,
                        "location": None,
                        "participants": [],
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    assert runner.invoke(app, ["extract", str(tmp_path / "b.txt"), "-o", str(pred)]).exit_code == 0
    scores = json.loads(runner.invoke(app, ["eval", str(gold), str(pred), "--json"]).stdout)
    assert scores["quotes"] == {
        "precision": 1.0,
        "recall": 0.6667,
        "f1": 0.8,
        "true_positives": 2,
        "gold": 3,
        "predicted": 2,
    }
    assert scores["speaker_accuracy"] == {"accuracy": 0.5, "correct": 1, "of": 2}
    assert scores["events"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "true_positives": 1,
        "gold": 2,
        "predicted": 1,
    }
    assert scores["location_accuracy"] == {"accuracy": 1.0, "correct": 1, "of": 1}


def test_eval_errors(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["eval", str(tmp_path / "nope"), str(tmp_path)])
    assert (result.exit_code, result.stderr) == (2, f"kg: error: {tmp_path / 'nope'}: not a directory\n")
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 2
    assert "not a gold file (KeyError: 'entities')" in result.stderr


def test_eval_names_a_predicted_mention_without_offsets(tmp_path: Path, runner: CliRunner) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    (gold / "c.json").write_text(json.dumps({"entities": []}), encoding="utf-8")
    phrase = "https://example.org/berita/c#char=0,5"
    (pred / "c.ttl").write_text(
        f'@prefix nif: <{NIF}> .\n<{phrase}> a nif:Phrase ; nif:endIndex 5 ; nif:anchorOf "Retno" .\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", str(gold), str(pred)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"kg: error: {pred / 'c.ttl'}: the nif:Phrase <{phrase}> has no nif:beginIndex\n",
    )


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    kg = shutil.which("kg", path=str(Path(sys.executable).parent))
    assert kg is not None
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    done = subprocess.run(
        [kg, "extract", str(binary), str(SEED), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 5
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == (
        f"kg: error: {binary}: binary data, not text; pass the article as a UTF-8 text file"
    )
    assert done.stderr.splitlines()[1].startswith("kg: 1 written, 0 skipped, 1 failed (see ")
    assert len(done.stderr.splitlines()) == 2


def test_version_and_short_help(runner: CliRunner) -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"kg {version('kg')}\n")
    short = runner.invoke(app, ["extract", "-h"])
    assert short.exit_code == 0 and short.stdout.startswith("Usage: ")
    assert short.stdout == runner.invoke(app, ["extract", "--help"]).stdout


# each command's exit codes as its --help must list them, written out here (not read from the CLI's declarations)
HELP_EXIT_CODES: dict[str, set[int]] = {
    "extract": {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 70, 130, 143},
    "validate": {0, 1, 2},
    "eval": {0, 2},
    "load": {0, 1, 2, 10, 11},
    "query": {0, 2, 11},
    "kb show": {0, 1, 2, 9},
    "kb add": {0, 1, 2, 9, 12},
    "kb import": {0, 2, 9},
    "kb stats": {0, 2, 9},
}
METAVAR = re.compile(r"[A-Z][A-Z0-9_:]*(\.\.\.)?|<[a-z0-9-]+(\|[a-z0-9-]+)*>")


def _help_terms(text: str, section: str) -> list[str]:
    """The left column of a help section's rows ("  -o, --out PATH   help…" gives "-o, --out PATH")."""
    lines = text.split(f"\n{section}:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [re.split(r"\s{2,}", line.strip())[0] for line in lines if re.match(r"  \S", line)]


@pytest.mark.parametrize("command", ["", *HELP_EXIT_CODES])
def test_help_shows_human_metavars(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    usage = result.stdout.splitlines()[0].split()[2 + len(command.split()) :]  # after "Usage: kg kb show"
    for piece in usage:
        if piece not in {"[OPTIONS]", "[ARGS]..."}:
            assert METAVAR.fullmatch(re.sub(r"^[{\[](.*)[}\]](\.\.\.)?$", r"\1", piece)), usage
    for section in ("Arguments", "Options"):
        if f"\n{section}:\n" not in result.stdout:
            continue
        for term in _help_terms(result.stdout, section):
            names = re.sub(r"^(-\w, )?--[\w-]+( / --[\w-]+)?", "", term).strip()
            assert "[" not in term and "%" not in term and "list" not in term, term
            assert names == "" or METAVAR.fullmatch(names), term


@pytest.mark.parametrize("command", HELP_EXIT_CODES)
def test_help_ends_with_the_commands_exit_codes_from_kg_errors(runner: CliRunner, command: str) -> None:
    from kg.errors import MEANINGS, ExitCode

    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    listed = result.stdout.rstrip("\n").split("\n  Exit codes:\n", 1)[1].splitlines()
    assert [line.strip() for line in listed] == [
        f"{code}  {MEANINGS[ExitCode(code)].replace('`', '')}" for code in sorted(HELP_EXIT_CODES[command])
    ]


def _phrase_graph(spans: list[tuple[int, int, str, str, str | None]]) -> str:
    """A predicted graph as kg eval reads it: one nif:Phrase per span, typed and maybe linked."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, XSD

    from kg.rdf.namespaces import ITSRDF, SCHEMA, WD

    classes = {"PER": SCHEMA.Person, "ORG": SCHEMA.Organization, "LOC": SCHEMA.Place}
    graph = Graph()
    for number, (start, end, text, kind, qid) in enumerate(spans):
        phrase = URIRef(f"http://example.org/a#char={start},{end}&n={number}")
        graph.add((phrase, RDF.type, NIF.Phrase))
        graph.add((phrase, NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)))
        graph.add((phrase, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)))
        graph.add((phrase, NIF.anchorOf, Literal(text)))
        graph.add((phrase, ITSRDF.taClassRef, classes[kind]))
        if qid:
            graph.add((phrase, ITSRDF.taIdentRef, WD[qid]))
    return graph.serialize(format="turtle")


def test_eval_says_n_a_for_0_of_0_and_names_the_figure_of_each_error(tmp_path: Path, runner: CliRunner) -> None:
    # "Walikota Dewi Anggraini membuka pasar di Kudus bersama Bank Pasar Rakyat." -- no quotes said, no events
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    entities = [
        {"text": "Dewi Anggraini", "start": 9, "end": 23, "type": "PER", "qid": "Q9999990001"},
        {"text": "Kudus", "start": 41, "end": 46, "type": "LOC", "qid": "Q9999990002"},
        {"text": "Bank Pasar Rakyat", "start": 55, "end": 72, "type": "ORG", "qid": None},
    ]
    (gold / "a.json").write_text(json.dumps({"entities": entities, "quotes": []}), encoding="utf-8")
    (pred / "a.ttl").write_text(
        _phrase_graph(
            [
                (9, 23, "Dewi Anggraini", "PER", "Q9999990003"),  # the wrong person
                (41, 46, "Kudus", "ORG", "Q9999990002"),  # the right place, the wrong type
                (0, 8, "Walikota", "PER", None),  # not a name
            ]
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", str(gold), str(pred), "--errors"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "                              P      R     F1      tp  gold  pred",
        "mentions (exact span)     0.667  0.667  0.667       2     3     3",
        "typed mentions            0.333  0.333  0.333       1     3     3",
        "links (span + QID)        0.500  0.500  0.500       1     2     2",
        "quotes (text)               n/a    n/a    n/a       0     0     0",
        "events (type + start)       n/a    n/a    n/a       0     0     0",
        "speaker accuracy            n/a   (0 of 0 matched)",
        "direct/reported accuracy    n/a   (0 of 0 matched)",
        "event location accuracy     n/a   (0 of 0 matched)",
        "1 articles",
        "a: spurious mention (mentions, typed_mentions): 0-8 'Walikota' PER -",
        "a: wrong link (links): Q9999990003 for Q9999990001: 9-23 'Dewi Anggraini' PER Q9999990001",
        "a: wrong type (typed_mentions): ORG for LOC: 41-46 'Kudus' LOC Q9999990002",
        "a: missed mention (mentions, typed_mentions): 55-72 'Bank Pasar Rakyat' ORG -",
    ]
    scores = json.loads(runner.invoke(app, ["eval", str(gold), str(pred), "--json"]).stdout)
    assert scores["quotes"] == {
        "precision": None,
        "recall": None,
        "f1": None,
        "true_positives": 0,
        "gold": 0,
        "predicted": 0,
    }
    assert scores["speaker_accuracy"] == {"accuracy": None, "correct": 0, "of": 0}
    assert scores["events"]["f1"] is None and scores["mentions"]["f1"] == 0.6667
