"""Dump import speed: a generated dump in Wikidata's JSON format, streamed into a KB.

    python bench/bench_kb_import.py [--lines 1000000]

The dump mixes people, organizations, cities and other items with labels, aliases, descriptions,
P31 claims and sitelinks, one entity per line inside a JSON array, gzip-compressed like
latest-all.json.gz. Prints lines/s, entities kept, peak memory, and the time that rate means for
the full dump (~110M entities); then the rate of reading the same file with gzip and ``json.loads``
alone, and kg's rate as a share of it (the figure that holds on a shared machine).
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


def json_alone(dump: Path) -> int:
    """Lines of the dump decompressed and parsed by the standard library, nothing else done with them."""
    lines = 0
    with gzip.open(dump, "rt", encoding="utf-8") as handle:
        for line in handle:
            lines += 1
            line = line.strip().rstrip(",")
            if line not in {"", "[", "]"}:
                json.loads(line)
    return lines


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
    # CPU time, both ways: on a shared machine the time others take moves wall-clock figures
    started, cpu = time.perf_counter(), time.process_time()
    counts = import_dump(dump, out)
    wall, seconds = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = counts.lines / seconds
    print(
        f"{counts.lines:,} lines, {counts.kept:,} entities kept, {seconds:.1f} s CPU ({wall:.1f} s wall): "
        f"{rate:,.0f} lines/s, "
        f"{counts.kept / seconds:,.0f} entities/s written; KB {out.stat().st_size / 1e6:.0f} MB"
    )
    print(f"peak memory: {peak_mb:.0f} MB")
    print(f"at this rate the full dump (~110M entities) takes {110e6 / rate / 3600:.1f} h on one core")
    cpu = time.process_time()
    lines = json_alone(dump)
    reference = lines / (time.process_time() - cpu)
    print(f"gzip + json.loads alone: {reference:,.0f} lines/s; kg import at {rate / reference:.2f}x that")


if __name__ == "__main__":
    main()
