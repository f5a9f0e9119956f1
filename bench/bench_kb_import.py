"""Dump import speed: a generated dump in Wikidata's JSON format, streamed into a KB.

    python bench/bench_kb_import.py [--lines 1000000]

The dump mixes people, organizations, cities and other items with labels, aliases, descriptions,
P31 claims and sitelinks, one entity per line inside a JSON array, gzip-compressed like
latest-all.json.gz. Prints lines/s, entities kept, peak memory, and the time that rate means for
the full dump (~110M entities).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.kb.dump import import_dump

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ["Q5"] * 4 + ["Q43229"] * 2 + ["Q515"] + ["Q999999090"] * 3  # fake class: items kg does not keep


def record(n: int, rng: random.Random) -> dict:
    qid = f"Q9999990{n:07d}"
    name = f"Name{n} Family{rng.randrange(10_000)}"
    p31 = rng.choice(CLASSES)
    return {
        "type": "item",
        "id": qid,
        "labels": {lang: {"language": lang, "value": name} for lang in ("en", "id", "de")},
        "descriptions": {"en": {"language": "en", "value": f"generated item {n}"}},
        "aliases": {"en": [{"language": "en", "value": f"N{n}"}]},
        "claims": {
            "P31": [
                {
                    "mainsnak": {
                        "snaktype": "value",
                        "property": "P31",
                        "datatype": "wikibase-item",
                        "datavalue": {"value": {"entity-type": "item", "id": p31}, "type": "wikibase-entityid"},
                    },
                    "type": "statement",
                    "rank": "normal",
                    "id": f"{qid}$1",
                }
            ]
        },
        "sitelinks": {f"site{i}wiki": {"site": f"site{i}wiki", "title": name} for i in range(rng.randrange(6))},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    folder = ROOT / "build" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / f"dump-{args.lines}.json.gz"
    if not dump.exists():
        rng = random.Random(5)
        with gzip.open(dump, "wt", encoding="utf-8", compresslevel=1) as handle:
            handle.write("[\n")
            for n in range(args.lines):
                handle.write(json.dumps(record(n, rng)) + (",\n" if n + 1 < args.lines else "\n"))
            handle.write("]\n")
    out = folder / "dump-kb.sqlite"
    started = time.perf_counter()
    counts = import_dump(dump, out)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = counts.lines / seconds
    print(
        f"{counts.lines:,} lines, {counts.kept:,} entities kept, {seconds:.1f} s: {rate:,.0f} lines/s, "
        f"{counts.kept / seconds:,.0f} entities/s written; KB {out.stat().st_size / 1e6:.0f} MB"
    )
    print(f"peak memory: {peak_mb:.0f} MB")
    print(f"at this rate the full dump (~110M entities) takes {110e6 / rate / 3600:.1f} h on one core")


if __name__ == "__main__":
    main()
