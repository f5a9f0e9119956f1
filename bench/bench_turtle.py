"""Turtle output: kg's writer over the graph's own terms against the old way (N-Triples, parse, serialize).

    python bench/bench_turtle.py [--articles 200] [--repeat 5]

Extracts generated articles once (bench_extract's generator), then writes every graph as Turtle with
each way, checks the bytes are the same, and prints triples per second and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import generate

from kg.extract import extract
from kg.rdf.graph import _PREFIXES, ArticleGraph
from kg.rdf.oxigraph import serialize
from kg.rdf.turtle import TurtleWriter


def through_pyoxigraph(graph: ArticleGraph) -> bytes:
    return serialize(graph.parsed(), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)


def rate(write: Callable[[ArticleGraph], bytes], graphs: list[ArticleGraph], repeat: int) -> tuple[float, list[bytes]]:
    best = float("inf")
    written: list[bytes] = []
    for _ in range(repeat):
        start = time.perf_counter()
        written = [write(graph) for graph in graphs]
        best = min(best, time.perf_counter() - start)
    return sum(len(g) for g in graphs) / best, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    graphs = [extract(article).graph for article in generate(args.articles, seed=7)]
    triples = sum(len(g) for g in graphs)
    old, reference = rate(through_pyoxigraph, graphs, args.repeat)
    new, written = rate(lambda graph: TurtleWriter(_PREFIXES).write(graph.triples), graphs, args.repeat)
    shared, _ = rate(ArticleGraph.turtle, graphs, 1)  # one writer for the run, its term cache warm, as extract has it
    same = sum(a == b for a, b in zip(reference, written, strict=True))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(graphs)} graphs, {triples:,} triples; the same bytes: {same} of {len(graphs)}")
    print(f"N-Triples, parse, serialize (pyoxigraph): {old / 1e6:.2f} M triples/s")
    print(f"kg/rdf/turtle.py, a new writer per graph: {new / 1e6:.2f} M triples/s ({new / old:.1f}x)")
    print(f"kg/rdf/turtle.py, one writer for the run:  {shared / 1e6:.2f} M triples/s ({shared / old:.1f}x)")
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
