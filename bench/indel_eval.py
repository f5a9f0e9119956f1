"""Score kg on IndEL, the public Indonesian entity-linking benchmark (2,114 news sentences).

    python bench/indel_eval.py [../shared/benchmarks/indel/IndEL_General_Domain.ttl]

Prints three figures:
- mentions: exact-span precision/recall/F1 of kg's own mention detection (IndEL marks only
  mentions that have a link target, so "spurious" includes real names IndEL left unmarked);
- end to end (A2KB): a prediction counts when its span and QID both match;
- D2KB: kg is given IndEL's spans and only links them (what the published GERBIL scores measure).
  Precision is over the spans kg linked, recall over all gold spans with a Wikidata QID.

IndEL is a test set: this script only reads its gold links to score, never to build or tune
anything (the KB and the rules must not see them).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.article import Article
from kg.evaluate import Counts
from kg.extract import extract_records
from kg.normalize import fold
from kg.pipeline import get_pipeline
from kg.pipeline.linker import Linker
from kg.rdf.oxigraph import select
from kg.records import EntityType

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "indel" / "IndEL_General_Domain.ttl"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
WD = "http://www.wikidata.org/entity/"
PUBLISHED = {
    "WAT": (0.612, 0.555, 0.582),
    "OpenTapioca": (0.798, 0.411, 0.542),
    "Babelfy": (0.728, 0.372, 0.492),
    "DBpedia Spotlight": (0.675, 0.358, 0.468),
    "MAG": (0.427, 0.417, 0.422),
}


def load(path: Path) -> list[tuple[str, list[tuple[int, int, str | None]]]]:
    """(sentence, [(begin, end, qid or None)]) in document order."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    texts: dict[ox.NamedNode | ox.BlankNode, str] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(NIF + "isString"), None):
        if isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple):
            raise SystemExit(f"{path}: a quoted triple in nif:isString ({q}); IndEL has none")
        texts[q.subject] = q.object.value
    mentions: dict[object, list[tuple[int, int, str | None]]] = defaultdict(list)
    for row in select(
        store,
        f"""
        SELECT ?ctx ?b ?e ?ref WHERE {{
            ?m <{NIF}referenceContext> ?ctx ; <{NIF}beginIndex> ?b ; <{NIF}endIndex> ?e .
            OPTIONAL {{ ?m <http://www.w3.org/2005/11/its/rdf#taIdentRef> ?ref }} }}""",
    ):
        ref = row["ref"].value if row["ref"] is not None else ""
        qid = ref[len(WD) :] if ref.startswith(WD) else None
        mentions[row["ctx"]].append((int(row["b"].value), int(row["e"].value), qid))
    order = sorted(texts, key=lambda node: int(node.value.split("/")[-1].split("#")[0]))
    return [(texts[node], sorted(mentions[node])) for node in order]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", default=DEFAULT)
    parser.add_argument("--ner", choices=("learned", "rules"), default=None, help="the name finder (default: kg's)")
    args = parser.parse_args()
    if not args.path.is_file():
        raise SystemExit(f"IndEL not found at {args.path}; pass its path")
    sentences = load(args.path)
    linker = get_pipeline("id").get_pipe("kg_linker")
    if not isinstance(linker, Linker):
        raise SystemExit(f"the kg_linker pipe is a {type(linker).__name__}, not kg's Linker")
    spans, a2kb, d2kb = Counts(), Counts(), Counts()
    started = time.perf_counter()
    for text, gold in sentences:
        predicted = extract_records(Article.from_text(text, "id"), ner=args.ner).mentions
        spans.add({(b, e) for b, e, _ in gold}, {(m.start, m.end) for m in predicted})
        a2kb.add(
            {(b, e, q) for b, e, q in gold if q},
            {(m.start, m.end, m.entity_key) for m in predicted if m.entity_key.startswith("Q")},
        )
        context = {word for b, e, _ in gold for word in fold(text[b:e]).split()}
        linked = set()
        for b, e, _ in gold:
            own = set(fold(text[b:e]).split())
            decisions = [linker.decide({text[b:e]}, t.value, context - own) for t in EntityType]
            qid, _confidence = max(decisions, key=lambda d: (d[0] is not None, d[1]))
            if qid:
                linked.add((b, e, qid))
        d2kb.add({(b, e, q) for b, e, q in gold if q}, linked)
    elapsed = time.perf_counter() - started
    print(f"IndEL general domain: {len(sentences)} sentences, {spans.gold} gold mentions, {elapsed:.1f} s")
    print(f"{'':28} {'P':>6} {'R':>6} {'F1':>6}")
    for name, counts in (
        ("mentions (exact span)", spans),
        ("end to end (span + QID)", a2kb),
        ("D2KB (gold spans given)", d2kb),
    ):
        print(f"{name:28} {counts.precision:6.3f} {counts.recall:6.3f} {counts.f1:6.3f}")
    print("published D2KB, for comparison:")
    for system, (p, r, f) in PUBLISHED.items():
        print(f"  {system:26} {p:6.3f} {r:6.3f} {f:6.3f}")


if __name__ == "__main__":
    main()
