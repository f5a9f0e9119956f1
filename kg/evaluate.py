"""Precision, recall and F1 of extracted graphs against hand-made gold files.

Gold: one JSON file per article, ``{"entities": [{"text", "start", "end", "type", "qid"}]}``
(``type`` PER/ORG/LOC, ``qid`` null when the entity has no Wikidata ID). Predictions: the Turtle
files ``kg extract`` wrote, matched to gold files by name (``x.json`` <-> ``x.ttl``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.errors import KgError
from kg.rdf.mapping import ENTITY_CLASS
from kg.rdf.namespaces import ITSRDF, NIF, WD
from kg.validate import read_graph

TYPE_OF_CLASS = {cls: entity_type.value for entity_type, cls in ENTITY_CLASS.items()}


class GoldUnreadable(KgError):
    exit_code = 2


@dataclass(slots=True, frozen=True)
class Span:
    start: int
    end: int
    text: str
    type: str | None
    qid: str | None


@dataclass(slots=True)
class Counts:
    true_pos: int = 0
    gold: int = 0
    predicted: int = 0

    def add(self, gold: set, predicted: set) -> None:
        self.true_pos += len(gold & predicted)
        self.gold += len(gold)
        self.predicted += len(predicted)

    @property
    def precision(self) -> float:
        return self.true_pos / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_pos / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "true_positives": self.true_pos, "gold": self.gold, "predicted": self.predicted}


@dataclass(slots=True)
class Scores:
    mentions: Counts = field(default_factory=Counts)
    typed: Counts = field(default_factory=Counts)
    links: Counts = field(default_factory=Counts)
    files: int = 0
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line per missed or spurious typed link

    def add(self, gold: Iterable[Span], predicted: Iterable[Span], name: str = "") -> None:
        gold, predicted = list(gold), list(predicted)
        self.files += 1
        keyed_gold = {(s.start, s.end, s.type, s.qid): s for s in gold}
        keyed_pred = {(s.start, s.end, s.type, s.qid): s for s in predicted}
        for key in sorted(keyed_gold.keys() - keyed_pred.keys(), key=str):
            self.errors.append(f"{name}: missed   {_show(keyed_gold[key])}")
        for key in sorted(keyed_pred.keys() - keyed_gold.keys(), key=str):
            self.errors.append(f"{name}: spurious {_show(keyed_pred[key])}")
        self.mentions.add({(s.start, s.end) for s in gold}, {(s.start, s.end) for s in predicted})
        self.typed.add({(s.start, s.end, s.type) for s in gold}, {(s.start, s.end, s.type) for s in predicted})
        self.links.add({(s.start, s.end, s.qid) for s in gold if s.qid},
                       {(s.start, s.end, s.qid) for s in predicted if s.qid})

    def as_dict(self) -> dict[str, object]:
        return {"files": self.files, "missing_predictions": self.missing, "mentions": self.mentions.as_dict(),
                "typed_mentions": self.typed.as_dict(), "links": self.links.as_dict()}

    def table(self) -> str:
        rows = [("mentions (exact span)", self.mentions), ("typed mentions", self.typed),
                ("links (span + QID)", self.links)]
        lines = [f"{'':24} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>5} {'gold':>5} {'pred':>5}"]
        lines += [f"{name:24} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}   {c.true_pos:5} {c.gold:5} {c.predicted:5}"
                  for name, c in rows]
        lines.append(f"{self.files} articles" + (f"; no prediction for: {', '.join(self.missing)}" if self.missing else ""))
        return "\n".join(lines)


def _show(span: Span) -> str:
    return f"{span.start}-{span.end} {span.text!r} {span.type} {span.qid or '-'}"


def read_gold(path: Path) -> list[Span]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Span(int(e["start"]), int(e["end"]), e["text"], e["type"], e.get("qid")) for e in data["entities"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GoldUnreadable(f"{path}: not a gold file ({type(exc).__name__}: {exc}); "
                             'expected {"entities": [{"text", "start", "end", "type", "qid"}]}') from exc


def read_predictions(graph: Graph) -> list[Span]:
    spans = []
    for phrase in graph.subjects(RDF.type, NIF.Phrase):
        target = graph.value(phrase, ITSRDF.taIdentRef)
        cls = graph.value(phrase, ITSRDF.taClassRef)
        qid = str(target)[len(str(WD)):] if isinstance(target, URIRef) and str(target).startswith(str(WD)) else None
        spans.append(Span(int(graph.value(phrase, NIF.beginIndex)), int(graph.value(phrase, NIF.endIndex)),
                          str(graph.value(phrase, NIF.anchorOf)), TYPE_OF_CLASS.get(cls), qid))
    return spans


def evaluate(gold_dir: Path, pred_dir: Path) -> Scores:
    """Micro-averaged scores over every gold file in ``gold_dir``."""
    for folder in (gold_dir, pred_dir):
        if not folder.is_dir():
            raise GoldUnreadable(f"{folder}: not a directory")
    gold_files = sorted(gold_dir.glob("*.json"))
    if not gold_files:
        raise GoldUnreadable(f"{gold_dir}: no gold files (*.json)")
    scores = Scores()
    for gold_file in gold_files:
        pred_file = pred_dir / f"{gold_file.stem}.ttl"
        predicted = read_predictions(read_graph(pred_file)) if pred_file.is_file() else []
        if not pred_file.is_file():
            scores.missing.append(gold_file.stem)
        scores.add(read_gold(gold_file), predicted, gold_file.stem)
    return scores
