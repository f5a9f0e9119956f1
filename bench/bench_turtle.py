"""Turtle output: kg's writer over the graph's own terms against pyoxigraph serializing its own terms.

    python bench/bench_turtle.py [--articles 200] [--repeat 5]

Extracts generated articles once (bench_extract's generator), then writes every graph as Turtle:
pyoxigraph from its own parsed terms (the reference: its serializer alone), the old way
(N-Triples, parse, serialize), and kg/rdf/turtle.py, with one writer for the run as ``kg extract``
has it (fresh at each repeat, so its term cache starts cold) and with a new writer per graph. The
ways alternate within each repeat and the best time of each counts, so that a shared machine moves
them alike; the time is the process's CPU time, which other jobs on a shared core do not add to
(wall time swung the ratio by ±0.05 from run to run). Prints triples per second, each as a share
of the reference, whether the bytes are the same, and peak memory. A first pass times both
writers on each graph as soon as it is extracted, its terms fresh in memory, as ``kg extract``
writes them; the later passes have all graphs built first, their strings spread through the heap,
which costs kg's writer more than pyoxigraph reading its own compact terms.
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
from kg.rdf.graph import _PREFIXES
from kg.rdf.oxigraph import serialize
from kg.rdf.turtle import TurtleWriter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    # As kg extract writes them: each graph right after it is extracted, its terms fresh in memory
    # (pyoxigraph's likewise, parsed just before); one writer for the run.
    graphs = []
    hot = {"pyoxigraph": 0.0, "kg": 0.0}
    writer = TurtleWriter(_PREFIXES)
    for article in generate(args.articles, seed=7):
        graph = extract(article).graph
        terms = list(graph.parsed())
        start = time.process_time()
        serialize(terms, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)
        middle = time.process_time()
        writer.write(graph.triples)
        hot["pyoxigraph"] += middle - start
        hot["kg"] += time.process_time() - middle
        graphs.append(graph)
    own = [list(graph.parsed()) for graph in graphs]
    triples = sum(len(g) for g in graphs)

    def one_writer() -> list[bytes]:
        writer = TurtleWriter(_PREFIXES)
        return [writer.write(graph.triples) for graph in graphs]

    ways: dict[str, Callable[[], list[bytes]]] = {
        "pyoxigraph serializing its own terms": lambda: [
            serialize(terms, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES) for terms in own
        ],
        "N-Triples, parse, serialize (pyoxigraph)": lambda: [
            serialize(graph.parsed(), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES) for graph in graphs
        ],
        "kg/rdf/turtle.py, one writer for the run": one_writer,
        "kg/rdf/turtle.py, a new writer per graph": lambda: [
            TurtleWriter(_PREFIXES).write(graph.triples) for graph in graphs
        ],
    }
    best = dict.fromkeys(ways, float("inf"))
    written: dict[str, list[bytes]] = {}
    for _ in range(args.repeat):
        for name, way in ways.items():
            start = time.process_time()
            written[name] = way()
            best[name] = min(best[name], time.process_time() - start)
    reference = next(iter(ways))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(graphs)} graphs, {triples:,} triples, best of {args.repeat}")
    for name, seconds in best.items():
        same = sum(a == b for a, b in zip(written[reference], written[name], strict=True))
        print(
            f"{name:42} {triples / seconds / 1e6:5.2f} M triples/s  {best[reference] / seconds:4.2f}x the reference"
            f"  (the same bytes: {same} of {len(graphs)})"
        )
    print(
        f"each graph as soon as extracted, one pass: pyoxigraph {triples / hot['pyoxigraph'] / 1e6:.2f} M triples/s, "
        f"kg {triples / hot['kg'] / 1e6:.2f} M triples/s ({hot['pyoxigraph'] / hot['kg']:.2f}x)"
    )
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
