"""Time per KB as articles grow, and on the inputs that used to make it grow: ms/KB and peak memory.

    python bench/bench_length.py [--sizes 1,10,100,1000] [--cases realistic,quotes,...] [--lang id]

Each row runs in its own process (so its peak memory is its own): one article of that size through the
whole path a user's takes (pipeline, records, RDF, SHACL), after a warm-up article. Cases:

- ``realistic``: news sentences from ``bench_extract``'s generator, in paragraphs;
- ``quotes``: nothing but ``"`` marks;
- ``attributions``: ``"Kami siap," kata Budi Santoso.`` again and again on one line;
- ``long-line``: the realistic sentences with no line break at all;
- ``line-breaks``: the realistic words, one a line.

Linear time shows as a flat ms/KB down a column; the worst cases should stay within a few times the
realistic row of the same size.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CASES = ("realistic", "quotes", "attributions", "long-line", "line-breaks")


def text_of(case: str, size: int, lang: str) -> str:
    """About ``size`` characters of the case."""
    if case == "quotes":
        return '"' * size
    if case == "attributions":
        unit = '"Kami siap," kata Budi Santoso. '
        return (unit * (size // len(unit) + 1))[:size].rstrip()
    from bench_extract import generate

    count = 3 * (size // 1500 + 1)  # an article is 1.5 to 2.5 KB; a third of them are in English
    paragraphs = [a.text for a in generate(count, 7) if a.lang == lang]
    text = "\n".join(paragraphs)[:size]
    text = text[: text.rfind(" ")] if " " in text else text
    if case == "long-line":
        return text.replace("\n", " ")
    if case == "line-breaks":
        return "\n".join(text.split())
    return text


def one(case: str, size: int, lang: str) -> dict[str, float]:
    from kg.article import Article
    from kg.extract import extract
    from kg.validate import default_validator

    validator = default_validator()
    extract(Article.from_text(text_of("realistic", 2000, lang), lang), validator=validator)  # warm-up
    text = text_of(case, size, lang)
    started = time.process_time()
    result = extract(Article.from_text(text, lang), validator=validator)
    seconds = time.process_time() - started
    return {
        "chars": len(text),
        "seconds": seconds,
        "ms_per_kb": 1000 * seconds / (len(text.encode("utf-8")) / 1024),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "statements": len(result.extraction.statements),
        "conforms": result.report.conforms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000", help="KB, comma-separated")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--lang", default="id", choices=("id", "en"))
    parser.add_argument("--one", nargs=2, metavar=("CASE", "CHARS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), args.lang)))
        return
    print(f"{'case':13} {'KB':>6} {'s':>8} {'ms/KB':>8} {'peak MB':>8} {'statements':>10}  valid")
    for case in args.cases.split(","):
        for kb in (float(s) for s in args.sizes.split(",")):
            chars = int(kb * 1024)
            done = subprocess.run(
                [sys.executable, __file__, "--lang", args.lang, "--one", case, str(chars)],
                capture_output=True,
                text=True,
            )
            if done.returncode:
                print(f"{case:13} {kb:6g}  failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            row = json.loads(done.stdout.splitlines()[-1])
            print(
                f"{case:13} {kb:6g} {row['seconds']:8.2f} {row['ms_per_kb']:8.1f} {row['peak_mb']:8.0f} "
                f"{row['statements']:10}  {'yes' if row['conforms'] else 'NO'}",
                flush=True,
            )


if __name__ == "__main__":
    main()
