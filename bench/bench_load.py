"""Load throughput (triples/s) of kg's load path: embedded store, and an Oxigraph server over HTTP.

    python bench/bench_load.py [--articles 10000] [--batch 50]

Uses the article graphs bench_validate.py writes (build/bench/graphs), renamed to make as many
distinct articles as asked, and loads them the way ``kg load`` does (kg.store.load).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bench_validate import graphs as cached_graphs
from servers import OxigraphServer

from kg.rdf.graph import ArticleGraph
from kg.store import EmbeddedStore, LoadReport, RemoteStore, load, read_article_graphs


def article_graphs(count: int) -> list[ArticleGraph]:
    base = [g for path in cached_graphs(min(count, 1000)) for g in read_article_graphs(path)]
    return [
        ArticleGraph(f"{g.name}-{i // len(base)}", g.triples, g.source)
        for i, g in ((i, base[i % len(base)]) for i in range(count))
    ]


def timed(label: str, action: Callable[[], LoadReport], triples: int) -> None:
    started = time.perf_counter()
    report = action()
    seconds = time.perf_counter() - started
    assert not report.failed, report.failed[:1]
    print(f"{label:42} {seconds:7.2f} s  {triples / seconds:10,.0f} triples/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    graphs = article_graphs(args.articles)
    triples = sum(len(g) for g in graphs)
    print(f"{len(graphs):,} articles, {triples:,} triples")
    work = Path(tempfile.mkdtemp(prefix="kg-bench-load-"))
    try:
        timed("embedded store (on disk)", lambda: load(EmbeddedStore(work / "embedded"), graphs), triples)
        server = OxigraphServer(work / "server").start()
        try:
            remote = RemoteStore(server.url, timeout=300)
            sample = graphs[: max(1, len(graphs) // 10)]
            runs = [
                (f"server on disk, SPARQL Update, batch {args.batch}", graphs, "update"),
                ("server on disk, reload (replace)", graphs, "update"),
                (f"server on disk, GSP PUT ({len(sample):,} articles)", sample, "gsp"),
            ]
            for name, subset, method in runs:
                timed(
                    name,
                    partial(load, remote, subset, batch=args.batch, method=method),
                    sum(len(g) for g in subset),
                )
        finally:
            server.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
