"""``--ner-model``: a spaCy pipeline the user names (installed, or a directory) proposes the names for articles
in its language, under the learned name finder's rules; a pipeline that is missing or finds no entities is a
usage error (exit 2) that says what to do.

No download: the pipeline is a tiny spaCy NER trained here, in the test's own directory, on the test's own
sentences (trained until it tags them, with a fixed seed, so what it finds does not hang on training luck)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.training import Example
from spacy.util import fix_random_seed
from typer.testing import CliRunner

from kg.article import Article
from kg.cli import app
from kg.errors import UsageError
from kg.extract import extract_records
from kg.pipeline import get_pipeline
from kg.pipeline.learned_ner import LearnedNames, spacy_ner

PRIZE = "The prize went to Zorvana Quillby after a vote on Friday."
HIRING = "Brelmont Foods hired two hundred workers in March."
HARBOUR = "Crews reached Jakarta Harbourside on Monday."
TRAINING = [
    (PRIZE, [(18, 33, "PERSON")]),
    (HIRING, [(0, 14, "ORG")]),
    (HARBOUR, [(14, 33, "ORG")]),  # a longer span, and another type, than the KB's "Jakarta"
]


@pytest.fixture(scope="module")
def tiny_ner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An English pipeline whose one component is a trained ``ner``, saved with ``nlp.to_disk``."""
    fix_random_seed(15)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    examples = [Example.from_dict(nlp.make_doc(text), {"entities": spans}) for text, spans in TRAINING]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(200):
        nlp.update(examples, sgd=optimizer, drop=0.0)
        if all([(e.start_char, e.end_char, e.label_) for e in nlp(text).ents] == spans for text, spans in TRAINING):
            break
    else:
        pytest.fail("the tiny NER did not learn its three sentences in 200 steps")
    path = tmp_path_factory.mktemp("pipelines") / "tiny_ner"
    nlp.to_disk(path)
    return path


def names(text: str, ner_model: str | None = None) -> list[tuple[str, str]]:
    """(text, entity key) of every mention; a local entity's key says its type ("PER:zorvana-quillby")."""
    return [
        (m.text, m.entity_key) for m in extract_records(Article.from_text(text, "en"), ner_model=ner_model).mentions
    ]


def test_english_names_the_rules_miss_come_from_the_named_pipeline(tiny_ner: Path) -> None:
    assert names(PRIZE) == []
    assert names(HIRING) == []
    assert names(PRIZE, str(tiny_ner)) == [("Zorvana Quillby", "PER:zorvana-quillby")]
    assert names(HIRING, str(tiny_ner)) == [("Brelmont Foods", "ORG:brelmont-foods")]


def test_the_kb_keeps_its_names_and_types_where_the_pipeline_speaks_too(tiny_ner: Path) -> None:
    """The tiny NER reads "Jakarta Harbourside" as an organization; the KB's place "Jakarta" stays as it is."""
    assert names(HARBOUR) == [("Jakarta", "Q3630")]
    assert names(HARBOUR, str(tiny_ner)) == [("Jakarta", "Q3630")]


def test_an_english_pipeline_leaves_indonesian_articles_to_the_shipped_model(tiny_ner: Path) -> None:
    with_model = get_pipeline("id", ner_model=str(tiny_ner))
    assert with_model is get_pipeline("id")
    english = get_pipeline("en", ner_model=str(tiny_ner))
    assert "kg_learned_ner" in english.pipe_names
    finder = english.get_pipe("kg_learned_ner")
    assert isinstance(finder, LearnedNames)
    assert (finder.spacy, finder.model) == (spacy_ner(str(tiny_ner)), None)


def test_ner_model_on_the_command_line(tiny_ner: Path, tmp_path: Path, runner: CliRunner) -> None:
    article = tmp_path / "prize.txt"
    article.write_text(PRIZE + "\n", encoding="utf-8")
    for out, extra in (("rules", []), ("model", ["--ner-model", str(tiny_ner)])):
        result = runner.invoke(app, ["extract", str(article), "--lang", "en", "-o", str(tmp_path / out), *extra])
        assert result.exit_code == 0, result.stderr
    rules = (tmp_path / "rules" / "prize.ttl").read_text(encoding="utf-8")
    graph = (tmp_path / "model" / "prize.ttl").read_text(encoding="utf-8")
    assert '"Zorvana Quillby"' not in rules
    assert 'nif:anchorOf "Zorvana Quillby"' in graph
    assert "kgid:entity\\/per\\/zorvana-quillby a schema:Person , kg:LocalEntity" in graph


def test_a_pipeline_that_is_not_there_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    article = tmp_path / "prize.txt"
    article.write_text(PRIZE + "\n", encoding="utf-8")
    missing = tmp_path / "no_such_pipeline"
    result = runner.invoke(app, ["extract", str(article), "--lang", "en", "--ner-model", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kg: error: --ner-model {missing}: no spaCy pipeline could be loaded (")
    assert "python -m spacy download en_core_web_sm) or give the directory of one saved with nlp.to_disk()" in (
        result.stderr
    )
    assert not (tmp_path / "exports").exists()


def test_a_pipeline_without_ner_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "no_ner")
    article = tmp_path / "prize.txt"
    article.write_text(PRIZE + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--ner-model", str(tmp_path / "no_ner")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"kg: error: --ner-model {tmp_path / 'no_ner'}: the pipeline has no 'ner' component (it has: sentencizer); "
        "name one with an entity recognizer\n",
    )


def test_a_pipeline_for_a_language_kg_does_not_read_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    nlp = spacy.blank("de")
    nlp.add_pipe("ner")
    nlp.initialize(lambda: [Example.from_dict(nlp.make_doc("Anna kam."), {"entities": [(0, 4, "PER")]})])
    nlp.to_disk(tmp_path / "german")
    article = tmp_path / "prize.txt"
    article.write_text(PRIZE + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--ner-model", str(tmp_path / "german")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"kg: error: --ner-model {tmp_path / 'german'}: a pipeline for language 'de'; kg reads id and en articles\n",
    )


def test_ner_model_with_ner_rules_is_a_usage_error(tiny_ner: Path, tmp_path: Path, runner: CliRunner) -> None:
    article = tmp_path / "prize.txt"
    article.write_text(PRIZE + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--ner", "rules", "--ner-model", str(tiny_ner)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"kg: error: --ner-model {tiny_ner} needs --ner learned (the default), not --ner rules\n",
    )
    with pytest.raises(UsageError, match="needs --ner learned"):
        extract_records(Article.from_text(PRIZE, "en"), ner="rules", ner_model=str(tiny_ner))
