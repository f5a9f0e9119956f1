"""Score kg on news-dev (36 real articles, gold entities, quotes and events) with its reference scorer.

    python bench/newsdev_eval.py [--errors ner,el,quote,speaker,event] [--no-extract] [--json out.json]

Runs ``kg extract`` over the articles (no ``--published``: dates come from the text), scores the
Turtle with the benchmark's own ``score.py`` and, with ``--errors``, lists every miss by kind so
that fixes go to patterns, not articles. news-dev is a test set: this script only reads it to
score; nothing in it may go into kg, its tests, its KB or its rule lists.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from rdflib import RDF, Graph

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "benchmarks" / "news-dev"
KINDS = ("ner", "el", "quote", "speaker", "event")


def load_scorer(bench: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("newsdev_score", bench / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract(bench: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.ttl"):
        old.unlink()
    articles = sorted((bench / "articles").glob("d*.txt"))
    kg = Path(sys.executable).with_name("kg")
    run = subprocess.run([str(kg), "extract", *map(str, articles), "-o", str(out)], capture_output=True, text=True)
    for line in run.stdout.splitlines() + run.stderr.splitlines():
        if "conforms" not in line:
            print("extract:", line)


def mentions(sc: ModuleType, g: Graph) -> dict[tuple[int, int], tuple[str | None, set[str]]]:
    found = {}
    for m in set(g.subjects(sc.ITSRDF.taIdentRef, None)) & set(g.subjects(sc.NIF.beginIndex, None)):
        b, e = (int(str(next(g.objects(m, index)))) for index in (sc.NIF.beginIndex, sc.NIF.endIndex))
        ent = next(g.objects(m, sc.ITSRDF.taIdentRef))
        types = {t for t in sc.TYPE_OF.values() if (ent, RDF.type, sc.SCHEMA[t]) in g}
        found[(b, e)] = (sc.qid(ent), types)
    return found


def errors(sc: ModuleType, bench: Path, pred: Path, qids: dict[str, str], kinds: set[str]) -> None:
    for gold_path in sorted((bench / "gold").glob("*.json")):
        stem = gold_path.stem
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (bench / "articles" / f"{stem}.txt").read_text(encoding="utf-8")
        g = Graph()
        if (pred / f"{stem}.ttl").exists():
            g.parse(pred / f"{stem}.ttl", format="turtle")
        skip = sc.excluded_spans(bench / "articles" / f"{stem}.txt")

        def kept(begin: int, skip: list[tuple[int, int]] = skip) -> bool:
            return not any(s <= begin < e for s, e in skip)

        lines: list[str] = []
        pm = {k: v for k, v in mentions(sc, g).items() if kept(k[0])}
        gm = {(x["start"], x["end"]): x for x in gold.get("entities", []) if kept(x["start"])}
        if "ner" in kinds:
            for b, e in sorted(set(gm) - set(pm)):
                around = text[max(0, b - 30) : e + 30]
                lines.append(f"  ner miss      {text[b:e]!r} {gm[(b, e)]['type']} @{b}  …{around!r}")
            for b, e in sorted(set(pm) - set(gm)):
                around = text[max(0, b - 30) : e + 30]
                lines.append(f"  ner spurious  {text[b:e]!r} {pm[(b, e)]} @{b}  …{around!r}")
        if "el" in kinds:
            for span, (q, _) in sorted(pm.items()):
                want = qids.get(gm[span]["canonical"]) if span in gm else None
                if span in gm and want and q != want:
                    name = gm[span]["canonical"]
                    lines.append(f"  el wrong      {text[span[0] : span[1]]!r} got {q} want {want} ({name})")
                elif span not in gm and q:
                    lines.append(f"  el spurious   {text[span[0] : span[1]]!r} got {q}")
            for span, x in sorted(gm.items()):
                if qids.get(x["canonical"]) and (span not in pm or not pm[span][0]):
                    how = "unlinked" if span in pm else "no mention"
                    lines.append(f"  el miss       {x['text']!r} want {qids[x['canonical']]} ({how})")
        if kinds & {"quote", "speaker"}:
            pq = []
            for q in sc.subjects_typed(g, "Quotation"):
                if any("Reported" in str(t) for t in g.objects(q, RDF.type)):
                    continue
                spk = next(sc.objs(g, q, "creator"), None)
                pq.append((str(next(sc.objs(g, q, "text"), "")), spk))
            used: set[int] = set()
            for gq in (x for x in gold.get("quotes", []) if x.get("direct", True) and not x.get("fragment")):
                hit = next((i for i, (t, _) in enumerate(pq) if i not in used and sc.similar(gq["text"], t)), None)
                if hit is None:
                    if "quote" in kinds:
                        lines.append(f"  quote miss    [{gq['speaker']}] {gq['text'][:90]!r}")
                    continue
                used.add(hit)
                spk, want = pq[hit][1], qids.get(gq["speaker"])
                surname = sc.norm(gq["speaker"].split("(")[0]).split()[-1]
                right = spk is not None and (sc.qid(spk) == want if want else surname in sc.norm(sc.label_of(g, spk)))
                if "speaker" in kinds and not right:
                    got = sc.label_of(g, spk) if spk is not None else None
                    lines.append(f"  speaker wrong got {got!r} want {gq['speaker']!r}: {gq['text'][:70]!r}")
            frags = [f for f in gold.get("quotes", []) if f.get("fragment")]
            for i, (t, spk) in enumerate(pq):
                if "quote" in kinds and i not in used and not any(sc.similar(f["text"], t) for f in frags):
                    who = sc.label_of(g, spk) if spk is not None else None
                    lines.append(f"  quote spurious [{who}] {t[:90]!r}")
        if "event" in kinds:
            pe = []
            for ev in set(sc.subjects_typed(g, "Event")):
                start = next(sc.objs(g, ev, "startDate"), None)
                loc = next(sc.objs(g, ev, "location"), None)
                label = sc.label_of(g, ev)
                place = sc.qid(loc) if loc else None
                pe.append((str(start)[:10] if start else None, sc.event_kind(g, ev), place, label))
            for ge in gold.get("events", []):
                lines.append(
                    f"  event gold    {ge['type']} {ge.get('start_date')} loc={ge.get('location')} "
                    f"({ge.get('date_confidence')}) {ge.get('description', '')[:60]!r} "
                    f"date_text={ge.get('date_text')!r}"
                )
            for start, kind, loc, label in sorted(pe, key=lambda x: str(x[0])):
                lines.append(f"  event pred    {sorted(kind)} {start} loc={loc} {label[:60]!r}")
        if lines:
            print(f"{stem}:")
            print("\n".join(lines))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--bench", type=Path, default=DEFAULT)
    ap.add_argument("--pred", type=Path, default=ROOT / "build" / "news-dev")
    ap.add_argument("--no-extract", action="store_true", help="score the Turtle already in --pred")
    ap.add_argument("--errors", default="", help=f"comma-separated kinds to list: {','.join(KINDS)} or all")
    ap.add_argument("--json", type=Path, help="write the scorer's report (with per-article figures) here")
    args = ap.parse_args()
    if not (args.bench / "score.py").is_file():
        sys.exit(f"news-dev not found at {args.bench}; pass --bench DIR")
    sc = load_scorer(args.bench)
    if not args.no_extract:
        extract(args.bench, args.pred)
    qids = sc.load_qids(args.bench / "qids.tsv")
    alt = args.bench / "qids_alt.tsv"
    if alt.exists():
        for line in alt.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                gold_q, _, other = line.partition("\t")
                sc.ALIASES[other.strip()] = gold_q.strip()
    kinds = set(KINDS) if args.errors == "all" else {k for k in args.errors.split(",") if k}
    if kinds:
        errors(sc, args.bench, args.pred, qids, kinds)
    report: dict[str, Any] = sc.score(args.bench / "gold", args.pred, qids, args.bench / "articles")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    for name, v in report["total"].items():
        counts = f"(tp={v['tp']} pred={v['pred']} gold={v['gold']})"
        print(f"{name:14s} P={v['p']:.3f} R={v['r']:.3f} F1={v['f1']:.3f}  {counts}")
    for problem in report["problems"]:
        print("problem:", problem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
