"""Precision, recall and F1 of extracted graphs against hand-made gold files.

Gold: one JSON file per article, named like it::

    {"entities": [{"text", "start", "end", "type": "PER"|"ORG"|"LOC", "qid"}],
     "quotes":   [{"speaker", "text", "direct"}],
     "events":   [{"type", "start_date", "end_date", "location", "participants"}]}

An optional ``"anaphors": [{"text", "start", "end", "refers_to"}]`` lists common nouns that stand for
an entity ("aliansi" for NATO); they are not mentions and are not scored here (the graph holds them
as ``kg:Anaphor`` strings, which this reader does not count as mentions).
``qid`` is null for an entity without a Wikidata ID; ``speaker`` and ``location`` are a QID or,
for an unlinked entity, its name; ``quotes`` and ``events`` may be absent (not scored then).
Predictions are the Turtle files ``kg extract`` wrote, matched by name (``x.json`` <-> ``x.ttl``).

Quotes match when their texts are equal after folding case, diacritics, punctuation and spaces;
events match on type and start date. Speaker, direct/reported and location accuracy are counted
over matched pairs.

A figure of nothing over nothing (precision with no predictions, recall with no gold, an accuracy
over no matched pairs) is not a score: the table shows ``n/a`` and the JSON ``null``, not a 0 or 1
that reads like a result. Each ``--errors`` line names the figures (the JSON keys) it counts against.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.errors import GoldUnreadable
from kg.normalize import fold
from kg.rdf.namespaces import ITSRDF, KG, NIF, SCHEMA, WD
from kg.records import EntityType, EventType
from kg.validate import GraphUnreadable, read_graph

TYPE_OF_CLASS: dict[Node, str] = {
    SCHEMA.Person: EntityType.PER.value,
    SCHEMA.Organization: EntityType.ORG.value,
    SCHEMA.Place: EntityType.LOC.value,
}
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(slots=True, frozen=True)
class Span:
    start: int
    end: int
    text: str
    type: str | None
    qid: str | None


@dataclass(slots=True, frozen=True)
class Quote:
    text: str
    speaker: str | None  # QID, or folded name of an unlinked speaker
    direct: bool


@dataclass(slots=True, frozen=True)
class EventItem:
    type: str
    start_date: str | None
    end_date: str | None
    location: str | None


@dataclass(slots=True, frozen=True)
class Annotation:
    """What one gold file, or one predicted graph, says."""

    entities: list[Span]
    quotes: list[Quote] | None = None
    events: list[EventItem] | None = None


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
        """0.0 when nothing was predicted (see :meth:`figures` for the figure that says n/a)."""
        return self.true_pos / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_pos / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> tuple[float | None, float | None, float | None]:
        """Precision, recall and F1, each None when it is 0 of 0 (F1: when there is neither gold nor prediction;
        with one of them it is a true 0)."""
        return (
            self.precision if self.predicted else None,
            self.recall if self.gold else None,
            self.f1 if self.predicted or self.gold else None,
        )

    def as_dict(self) -> dict[str, float | int | None]:
        precision, recall, f1 = (_rounded(v) for v in self.figures())
        return {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "true_positives": self.true_pos,
            "gold": self.gold,
            "predicted": self.predicted,
        }


@dataclass(slots=True)
class Accuracy:
    correct: int = 0
    total: int = 0

    def add(self, right: bool) -> None:
        self.correct += right
        self.total += 1

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, float | int | None]:
        return {"accuracy": _rounded(self.value if self.total else None), "correct": self.correct, "of": self.total}


@dataclass(slots=True)
class Scores:
    mentions: Counts = field(default_factory=Counts)
    typed: Counts = field(default_factory=Counts)
    links: Counts = field(default_factory=Counts)
    quotes: Counts = field(default_factory=Counts)
    speakers: Accuracy = field(default_factory=Accuracy)
    direct: Accuracy = field(default_factory=Accuracy)
    events: Counts = field(default_factory=Counts)
    locations: Accuracy = field(default_factory=Accuracy)
    files: int = 0
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line per miss, for --errors

    def add(self, gold: Annotation, predicted: Annotation, name: str = "") -> None:
        self.files += 1
        self._add_entities(gold.entities, predicted.entities, name)
        if gold.quotes is not None:
            self._add_quotes(gold.quotes, predicted.quotes or [], name)
        if gold.events is not None:
            self._add_events(gold.events, predicted.events or [], name)

    def _add_entities(self, gold: list[Span], predicted: list[Span], name: str) -> None:
        self.mentions.add({(s.start, s.end) for s in gold}, {(s.start, s.end) for s in predicted})
        self.typed.add({(s.start, s.end, s.type) for s in gold}, {(s.start, s.end, s.type) for s in predicted})
        self.links.add(
            {(s.start, s.end, s.qid) for s in gold if s.qid}, {(s.start, s.end, s.qid) for s in predicted if s.qid}
        )
        self.errors.extend(f"{name}: {line}" for line in _entity_errors(gold, predicted))

    def _add_quotes(self, gold: list[Quote], predicted: list[Quote], name: str) -> None:
        by_text = {_words(q.text): q for q in predicted}
        gold_texts = {_words(q.text) for q in gold}
        self.quotes.add(gold_texts, set(by_text))
        for quote in gold:
            found = by_text.get(_words(quote.text))
            if found is None:
                self.errors.append(f"{name}: missed quote (quotes): {quote.speaker or '?'}: {quote.text[:70]!r}")
                continue
            self.speakers.add(found.speaker == quote.speaker)
            self.direct.add(found.direct == quote.direct)
            if found.speaker != quote.speaker:
                self.errors.append(
                    f"{name}: wrong speaker (speaker_accuracy): {found.speaker} for {quote.speaker}: "
                    f"{quote.text[:50]!r}"
                )
            if found.direct != quote.direct:
                said = ("reported", "direct")
                self.errors.append(
                    f"{name}: wrong direct/reported (direct_accuracy): {said[found.direct]} for "
                    f"{said[quote.direct]}: {quote.text[:50]!r}"
                )
        for text, quote in by_text.items():
            if text not in gold_texts:
                self.errors.append(f"{name}: spurious quote (quotes): {quote.speaker or '?'}: {quote.text[:70]!r}")

    def _add_events(self, gold: list[EventItem], predicted: list[EventItem], name: str) -> None:
        by_key = {(e.type, e.start_date): e for e in predicted}
        gold_keys = {(e.type, e.start_date) for e in gold}
        self.events.add(gold_keys, set(by_key))
        for event in gold:
            found = by_key.get((event.type, event.start_date))
            if found is None:
                self.errors.append(f"{name}: missed event (events): {event.type} {event.start_date}")
                continue
            self.locations.add(found.location == event.location)
            if found.location != event.location:
                self.errors.append(
                    f"{name}: wrong location (location_accuracy): {found.location or '-'} for "
                    f"{event.location or '-'}: {event.type} {event.start_date}"
                )
        for key in sorted(set(by_key) - gold_keys, key=str):
            self.errors.append(f"{name}: spurious event (events): {key[0]} {key[1]}")

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "missing_predictions": self.missing,
            "mentions": self.mentions.as_dict(),
            "typed_mentions": self.typed.as_dict(),
            "links": self.links.as_dict(),
            "quotes": self.quotes.as_dict(),
            "speaker_accuracy": self.speakers.as_dict(),
            "direct_accuracy": self.direct.as_dict(),
            "events": self.events.as_dict(),
            "location_accuracy": self.locations.as_dict(),
        }

    def table(self) -> str:
        rows = [
            ("mentions (exact span)", self.mentions),
            ("typed mentions", self.typed),
            ("links (span + QID)", self.links),
            ("quotes (text)", self.quotes),
            ("events (type + start)", self.events),
        ]
        lines = [f"{'':24} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>5} {'gold':>5} {'pred':>5}"]
        lines += [
            f"{name:24} {' '.join(_shown(v) for v in c.figures())}   {c.true_pos:5} {c.gold:5} {c.predicted:5}"
            for name, c in rows
        ]
        for name, accuracy in (
            ("speaker accuracy", self.speakers),
            ("direct/reported accuracy", self.direct),
            ("event location accuracy", self.locations),
        ):
            value = _shown(accuracy.value if accuracy.total else None)
            lines.append(f"{name:24} {value}   ({accuracy.correct} of {accuracy.total} matched)")
        lines.append(
            f"{self.files} articles" + (f"; no prediction for: {', '.join(self.missing)}" if self.missing else "")
        )
        return "\n".join(lines)


def _show(span: Span) -> str:
    return f"{span.start}-{span.end} {span.text!r} {span.type} {span.qid or '-'}"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _shown(value: float | None) -> str:
    """A figure in the table's column: three decimals, or n/a for 0 of 0."""
    return f"{'n/a' if value is None else format(value, '.3f'):>6}"


def _entity_errors(gold: list[Span], predicted: list[Span]) -> list[str]:
    """One line per difference, naming the figures it lowers: a span missed or spurious counts against
    mentions, typed_mentions (and links, when it has a QID); a matched span's type only against
    typed_mentions; its QID only against links."""
    gold_at = {(s.start, s.end): s for s in gold}
    pred_at = {(s.start, s.end): s for s in predicted}
    lines: list[tuple[tuple[int, int], str]] = []
    for kind, spans, others in (("missed", gold_at, pred_at), ("spurious", pred_at, gold_at)):
        for at in spans.keys() - others.keys():
            span = spans[at]
            figures = "mentions, typed_mentions" + (", links" if span.qid else "")
            lines.append((at, f"{kind} mention ({figures}): {_show(span)}"))
    for at in gold_at.keys() & pred_at.keys():
        want, got = gold_at[at], pred_at[at]
        if want.type != got.type:
            lines.append((at, f"wrong type (typed_mentions): {got.type} for {want.type}: {_show(want)}"))
        if want.qid != got.qid:
            kind = "wrong" if want.qid and got.qid else "missed" if want.qid else "spurious"
            lines.append((at, f"{kind} link (links): {got.qid or '-'} for {want.qid or '-'}: {_show(want)}"))
    return [line for _, line in sorted(lines)]


def _words(text: str) -> str:
    return _NOT_WORD.sub(" ", fold(text)).strip()


def _identity(value: str | None) -> str | None:
    """A QID as is; a name folded, so "Dmitry Peskov" and "dmitry peskov" agree."""
    if value is None:
        return None
    return value if re.fullmatch(r"Q[1-9][0-9]*", value) else fold(value)


def read_gold(path: Path) -> Annotation:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        entities = [Span(int(e["start"]), int(e["end"]), e["text"], e["type"], e.get("qid")) for e in data["entities"]]
        quotes = (
            [Quote(q["text"], _identity(q.get("speaker")), bool(q["direct"])) for q in data["quotes"]]
            if "quotes" in data
            else None
        )
        events = (
            [
                EventItem(
                    EventType(e["type"]).value, e.get("start_date"), e.get("end_date"), _identity(e.get("location"))
                )
                for e in data["events"]
            ]
            if "events" in data
            else None
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GoldUnreadable(
            f"{path}: not a gold file ({type(exc).__name__}: {exc}); "
            'expected {"entities": [{"text", "start", "end", "type", "qid"}], …}'
        ) from exc
    return Annotation(entities, quotes, events)


def read_predictions(graph: Graph) -> Annotation:
    def identity(node: object) -> str | None:
        if not isinstance(node, URIRef):
            return None
        if str(node).startswith(str(WD)):
            return str(node)[len(str(WD)) :]
        label = graph.value(node, RDFS.label)
        return fold(str(label)) if label is not None else None

    def offset(phrase: Node, predicate: URIRef) -> int:
        value = graph.value(phrase, predicate)
        if value is None:
            raise GraphUnreadable(f"the nif:Phrase {phrase.n3()} has no nif:{str(predicate).rsplit('#', 1)[-1]}")
        return int(str(value))

    spans = []
    for phrase in graph.subjects(RDF.type, NIF.Phrase):
        target = graph.value(phrase, ITSRDF.taIdentRef)
        qid = identity(target) if isinstance(target, URIRef) and str(target).startswith(str(WD)) else None
        entity_class = graph.value(phrase, ITSRDF.taClassRef)
        spans.append(
            Span(
                offset(phrase, NIF.beginIndex),
                offset(phrase, NIF.endIndex),
                str(graph.value(phrase, NIF.anchorOf)),
                TYPE_OF_CLASS.get(entity_class) if entity_class is not None else None,
                qid,
            )
        )
    quotes = [
        Quote(
            str(graph.value(node, SCHEMA.text)),
            identity(graph.value(node, SCHEMA.creator)),
            (node, RDF.type, KG.DirectQuote) in graph,
        )
        for node in graph.subjects(RDF.type, KG.Statement)
    ]
    kinds: dict[Node, str] = {KG[t.value]: t.value for t in EventType}
    events = []
    for node in graph.subjects(RDF.type, SCHEMA.Event):
        kind = next((kinds[c] for c in graph.objects(node, RDF.type) if c in kinds), None)
        start, end = graph.value(node, SCHEMA.startDate), graph.value(node, SCHEMA.endDate)
        events.append(
            EventItem(
                kind or "",
                str(start) if start else None,
                str(end) if end else None,
                identity(graph.value(node, SCHEMA.location)),
            )
        )
    return Annotation(spans, quotes, events)


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
        if pred_file.is_file():
            graph = read_graph(pred_file)
            try:
                predicted = read_predictions(graph)
            except GraphUnreadable as error:
                raise GraphUnreadable(f"{pred_file}: {error}") from error
        else:
            scores.missing.append(gold_file.stem)
            predicted = Annotation([], [], [])
        scores.add(read_gold(gold_file), predicted, gold_file.stem)
    return scores
