"""Start-up of a one-article ``kg extract``: CPU seconds (user + system) of the whole command, and
where they go in one process (imports, the tokenizer, the rest of the pipeline, the article).

CPU time, not wall time, so that a machine shared with others still gives comparable figures; each
run pinned to one core (``--core``). The first run fills the cache (the KB, the tokenizer's affix
searches) and is not counted.

    .venv/bin/python bench/bench_startup.py [--runs 5] [--core 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "examples" / "000_3d31550ceac5e1d3.txt"

PARTS = """
import resource, sys
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
marks = [("start", cpu())]
import spacy
marks.append(("import spacy", cpu()))
import kg.batch, kg.cli.extract, kg.extract
marks.append(("import kg.extract, kg.batch, kg.cli", cpu()))
nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
marks.append(("spacy.blank('id') with kg's tokenizer", cpu()))
from kg.pipeline import get_pipeline
get_pipeline("id")
marks.append(("get_pipeline('id') (its own blank, the components)", cpu()))
from kg.article import read_article
from kg.extract import extract
extract(read_article(__import__("pathlib").Path(sys.argv[1])))
marks.append(("the article: extract, graph, validation", cpu()))
for (_, before), (name, after) in zip(marks, marks[1:]):
    print(f"{name}\\t{after - before:.3f}")
"""


def pin(core: int | None) -> None:
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})


def command_cpu(core: int | None, out: Path) -> float:
    """CPU seconds of one ``kg extract`` of the example article."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "kg"), "extract", str(ARTICLE), "-o", str(out)],
        check=True,
        capture_output=True,
        preexec_fn=lambda: pin(core),
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--core", type=int, default=1, help="pin each run to this core (-1: do not pin)")
    args = parser.parse_args()
    core = None if args.core < 0 else args.core
    with tempfile.TemporaryDirectory() as tmp:
        command_cpu(core, Path(tmp))  # fills the caches
        runs = [command_cpu(core, Path(tmp)) for _ in range(args.runs)]
    print(f"kg extract, one article: {statistics.median(runs):.2f} s CPU median of {args.runs}", end=" ")
    print(f"(min {min(runs):.2f}, max {max(runs):.2f}; target 1.5)")
    parts = subprocess.run(
        [sys.executable, "-c", PARTS, str(ARTICLE)],
        check=True,
        capture_output=True,
        text=True,
        preexec_fn=lambda: pin(core),
    )
    print("in one process:")
    for line in parts.stdout.splitlines():
        name, seconds = line.split("\t")
        print(f"  {name:<52} {float(seconds):.2f} s")


if __name__ == "__main__":
    main()
