"""The learned Indonesian name finder (#15): names no list and no cue knows are found and typed, the KB's
and the cues' spans stay as they are, ``--ner rules`` is the rules alone, and the model ships in the package.

The sentences are the tests' own, written in news style; none comes from a corpus or a benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SEED
from spacy.tokens import Span
from typer.testing import CliRunner

from kg.article import Article
from kg.cli import app
from kg.extract import extract_records
from kg.lexicon import LEXICONS
from kg.pipeline import build_pipeline, get_pipeline
from kg.pipeline.doc import LEARNED
from kg.pipeline.learned_ner import CLASSES, Model, bundled_model, candidates, features

STARTUP = "Perusahaan rintisan Kopiloka membuka gerai ke-100 di Surabaya."
OFFICIAL = "Pengurus PSSI Jawa Barat, Endang Rukmana, hadir dalam acara itu bersama Dedi Mulyana."
FLOOD = "Banjir merendam ratusan rumah di Kecamatan Sukaluyu dan sebagian Cibadak sejak Minggu."
DIRECTOR = "Direktur Utama PT Sinar Mentari Abadi, Hendrawan Saputro, mengatakan pabrik baru dibuka tahun depan."


JOINERS = frozenset(LEXICONS["id"]["name_joiners"])


def ents(text: str, ner: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.kb_id_) for e in get_pipeline("id", ner=ner)(text).ents]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (STARTUP, ("Kopiloka", "ORG", "")),
        (OFFICIAL, ("Endang Rukmana", "PER", "")),
        (OFFICIAL, ("Dedi Mulyana", "PER", "")),
        (FLOOD, ("Cibadak", "LOC", "")),
        (DIRECTOR, ("Hendrawan Saputro", "PER", "")),
    ],
)
def test_a_name_no_list_and_no_cue_knows_is_found_and_typed(text: str, found: tuple[str, str, str]) -> None:
    assert found not in ents(text, "rules")
    assert found in ents(text, "learned")


def test_the_kb_and_cue_spans_are_kept_as_the_rules_find_them() -> None:
    for text in (STARTUP, OFFICIAL, FLOOD, DIRECTOR):
        rules = ents(text, "rules")
        assert set(rules) <= set(ents(text, "learned")), text
    assert ents(OFFICIAL, "learned") == [
        ("Jawa Barat", "LOC", "Q3724"),
        ("Endang Rukmana", "PER", ""),
        ("Dedi Mulyana", "PER", ""),
    ]


def test_a_learned_span_over_a_kb_name_is_dropped() -> None:
    """The model's "PSSI Jawa Barat" (an organization) would cut the KB's place out: the KB's span stays."""
    nlp = get_pipeline("id", ner="learned")
    doc = nlp.make_doc(OFFICIAL)
    for name, pipe in nlp.pipeline:
        if name == "kg_mentions":
            doc.spans[LEARNED] = [*doc.spans[LEARNED], Span(doc, 1, 4, label="ORG")]
        doc = pipe(doc)
    assert (doc[1:4].text, [(e.text, e.label_) for e in doc.ents][:1]) == ("PSSI Jawa Barat", [("Jawa Barat", "LOC")])


def test_a_word_that_names_an_event_is_no_name_whatever_the_model_says() -> None:
    """The model reads "KTT" (a summit) as an organization here; the event cue words say it is none."""
    text = "Para menteri sepakat bahwa KTT harus menghasilkan kesepakatan iklim."
    words = [*text.removesuffix(".").split(), "."]
    lower = [word.lower() for word in words]
    assert [
        (start, label)
        for start, _, label, _ in bundled_model().propose(words, lower, [(0, len(words))], set(), JOINERS)
    ] == [(4, "ORG")]
    assert ents(text, "learned") == []


def test_a_learned_name_goes_to_the_linker_and_becomes_a_local_entity() -> None:
    mentions = extract_records(Article.from_text(STARTUP, "id"), ner="learned").mentions
    keys = {m.text: m.entity_key for m in mentions}
    assert keys["Surabaya"] == "Q11462"
    assert keys["Kopiloka"] == "ORG:kopiloka"


def test_rules_has_no_learned_component_and_english_keeps_the_rules() -> None:
    assert "kg_learned_ner" not in get_pipeline("id", ner="rules").pipe_names
    assert "kg_learned_ner" in get_pipeline("id").pipe_names  # learned is the default for Indonesian
    assert "kg_learned_ner" not in get_pipeline("en").pipe_names
    assert get_pipeline("id", ner="learned").pipe_names.index("kg_learned_ner") == (
        get_pipeline("id", ner="learned").pipe_names.index("kg_mentions") - 1
    )
    assert "kg_learned_ner" not in get_pipeline("en", ner="learned").pipe_names
    with pytest.raises(ValueError, match="'neural' is not a valid NameFinder"):
        build_pipeline("id", ner="neural")


def test_the_seed_graph_is_the_same_with_the_learned_default_and_with_rules(tmp_path: Path, runner: CliRunner) -> None:
    """The learned names add nothing the seed article lacks: its graph (EXPECTED.md) holds either way."""
    outputs = []
    for name, extra in (("default", []), ("rules", ["--ner", "rules"])):
        out = tmp_path / name
        result = runner.invoke(app, ["extract", str(SEED), "-o", str(out), "--published", "2022-10-11", *extra])
        assert result.exit_code == 0, result.stderr
        assert result.stdout == (
            f"{out / '000_3d31550ceac5e1d3.ttl'}: 44 mentions, 13 entities (10 linked), 14 statements, 2 events, "
            "3 roles, 775 triples, conforms\n"
        )
        outputs.append((out / "000_3d31550ceac5e1d3.ttl").read_bytes())
    assert outputs[0] == outputs[1]


def test_ner_learned_on_the_command_line(tmp_path: Path, runner: CliRunner) -> None:
    article = tmp_path / "startup.txt"
    article.write_text(STARTUP + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "-o", str(tmp_path / "out"), "--ner", "learned"])
    assert result.exit_code == 0, result.stderr
    assert '"Kopiloka"' in (tmp_path / "out" / "startup.ttl").read_text(encoding="utf-8")
    rules = runner.invoke(app, ["extract", str(article), "-o", str(tmp_path / "rules"), "--ner", "rules"])
    assert rules.exit_code == 0, rules.stderr
    assert '"Kopiloka"' not in (tmp_path / "rules" / "startup.ttl").read_text(encoding="utf-8")


def test_the_model_loads_from_the_package_without_the_corpora(tmp_path: Path) -> None:
    """Run from an empty directory (no ../shared next to it): the model comes from kg/models in the package."""
    code = (
        "from kg.pipeline.learned_ner import bundled_model; m = bundled_model(); "
        "print(m.meta['train'], len(m.index) > 10000, m.weights.dtype)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout == "['idner-news-2k/train.txt', 'nergrit/train_preprocess.txt'] True float32\n"


def test_the_split_scores_are_the_trained_features_scores() -> None:
    """Inference sums start, end and pair features apart; the sum is the score of the features training saw."""
    model = bundled_model()
    words = "Kemarin Endang Rukmana dan Dedi Mulyana tiba di Cibadak .".split()
    lower = [w.lower() for w in words]
    spans = list(candidates(words, JOINERS))
    # "dan" joins two capitalized runs into one ("Energi dan Sumber Daya Mineral"); the lower-case words
    # outside ("tiba di") end it
    assert spans == [
        *[(0, 1), (0, 2), (0, 3), (0, 5), (0, 6), (1, 2), (1, 3), (1, 5), (1, 6)],
        *[(2, 3), (2, 5), (2, 6), (4, 5), (4, 6), (5, 6), (8, 9)],
    ]
    whole = model.sums([model.ids(features(words, lower, s, e, 0, len(words))) for s, e in spans])
    best = whole[:, 1:].argmax(axis=1)
    margins = whole[np.arange(len(spans)), best + 1] - whole[:, 0]
    expected: list[tuple[int, int, str, float]] = []
    for k in np.argsort(-margins, kind="stable"):
        start, end = spans[k]
        if margins[k] > model.threshold and not any(s < end and start < e for s, e, _, _ in expected):
            expected.append((start, end, CLASSES[best[k] + 1], float(margins[k])))
    proposed = model.propose(words, lower, [(0, len(words))], set(), JOINERS)
    assert [p[:3] for p in proposed] == [p[:3] for p in expected]
    assert np.allclose([p[3] for p in proposed], [p[3] for p in expected], atol=1e-4)
    assert {p[:3] for p in proposed} >= {(4, 6, "PER"), (8, 9, "LOC")}


def test_a_saved_model_loads_back_the_same(tmp_path: Path) -> None:
    model = bundled_model()
    path = tmp_path / "copy.npz"
    Model(model.index, model.weights, 1.5, {"note": "copy"}).save(path)
    loaded = Model.load(path)
    assert (loaded.index == model.index, loaded.threshold, loaded.meta["note"]) == (True, 1.5, "copy")
    assert np.array_equal(loaded.weights, model.weights)


def test_a_common_word_opening_a_sentence_is_no_name() -> None:
    """The word "Diketahui," (it is known) is capitalized only because it opens the sentence; the corpora write it in
    lower case, which the model knows (the model before that read it as a person)."""
    assert "diketahui" in bundled_model().common
    found = ents("Diketahui, gerai itu dibuka sejak Januari di Cibadak.", "learned")
    assert found == [("Cibadak", "LOC", "")]
