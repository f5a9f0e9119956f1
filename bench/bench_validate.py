"""Validation of many files in one call, against loading them: the cost CI pays for kg validate.

    python bench/bench_validate.py [--articles 1000] [--engine auto|fast|pyshacl]

Writes article graphs (extracted from generated articles, cached under build/bench/graphs), then
times parsing them all into one store, and validating them all in one ``Validator.check_files``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import generate

from kg.extract import extract, write_graph
from kg.validate import Validator, load_shapes

ROOT = Path(__file__).resolve().parents[1]


def graphs(count: int) -> list[Path]:
    folder = ROOT / "build" / "bench" / "graphs"
    folder.mkdir(parents=True, exist_ok=True)
    paths = sorted(folder.glob("*.ttl"))[:count]
    if len(paths) < count:
        for index, article in enumerate(generate(count, seed=11)[len(paths) :], start=len(paths)):
            write_graph(extract(article).graph, folder / f"article-{index:05d}.ttl")
        paths = sorted(folder.glob("*.ttl"))[:count]
    return paths


def loading(paths: list[Path]) -> tuple[float, int]:
    """Seconds to parse the files into one store, and its triples. The store is dropped on return: kg validate
    runs with no store beside it, and the one held here made validating the files after it slower."""
    started = time.perf_counter()
    store = ox.Store()
    for index, path in enumerate(paths):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"urn:g:{index}"))
    return time.perf_counter() - started, len(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--engine", default="auto", choices=("auto", "fast", "pyshacl"))
    args = parser.parse_args()
    paths = graphs(args.articles)

    load, triples = loading(paths)
    validator = Validator(load_shapes(), args.engine)
    started = time.perf_counter()
    results = validator.check_files(paths)
    check = time.perf_counter() - started
    failing = sum(1 for r in results if r.report is None or not r.report.conforms)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(paths)} files, {triples:,} triples, {failing} not conforming, engine {args.engine}")
    per_file = 1000 / len(paths)
    print(f"loading alone (parse into one store): {load:.2f} s  ({load * per_file:.2f} ms a file)")
    print(
        f"kg validate (parse + validate):       {check:.2f} s  ({check * per_file:.2f} ms a file, "
        f"{len(paths) / check:.0f} files/s; {check / load:.2f}x loading alone, {check - load:+.2f} s)"
    )
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
