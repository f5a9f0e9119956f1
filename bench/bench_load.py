"""Load throughput (triples/s) of kg's load path: embedded store, and an Oxigraph server over HTTP.

    python bench/bench_load.py [--articles 10000] [--batch 50]
    python bench/bench_load.py --file 1000 [--file 2000 ...]

Uses the article graphs bench_validate.py writes (build/bench/graphs), renamed to make as many
distinct articles as asked, and loads them the way ``kg load`` does (kg.store.load).

``--file N`` instead writes N articles as one N-Quads file and times, each in its own process
with its peak memory, ``oxigraph load`` of it (the store's own bulk loader, the reference) and
``kg load FILE --store`` with and without validation: the time ratios (the clock's, and the CPU
time's, which a shared machine moves less) and whether memory stays flat as the file grows (give
two sizes). Then, each against a fresh ``oxigraph serve`` on loopback, one POST of the whole file
to its Graph Store endpoint (``/store``, the server's bulk load, the reference) and ``kg load FILE
--endpoint``, with its default for Oxigraph (``--method nquads``) and with ``--method update``.
Run it under ``taskset -c 1`` to pin the client and the server to one core.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
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


def measured(command: list[str]) -> tuple[float, float, float]:
    """Seconds, CPU seconds (user and system, every thread) and peak memory (MB) of a command, run in a
    process of its own. On a shared machine the CPU time moves less than the clock."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024)"
    )
    seconds, cpu, peak = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(seconds), float(cpu), float(peak)


def file_loads(counts: list[int]) -> None:
    """``kg load FILE --store`` against ``oxigraph load`` of the same N-Quads file."""
    oxigraph = OxigraphServer(Path(tempfile.gettempdir())).binary
    kg = [sys.executable, "-m", "kg", "load"]
    for count in counts:
        work = Path(tempfile.mkdtemp(prefix="kg-bench-file-"))
        try:
            graphs = article_graphs(count)
            corpus = work / "corpus.nq"
            corpus.write_bytes(b"".join(g.nquads() for g in graphs))
            quads = sum(len(g) for g in graphs)
            print(f"{count:,} articles, {quads:,} quads, {corpus.stat().st_size / 1e6:,.0f} MB of N-Quads")
            runs = [
                ("oxigraph load", [oxigraph, "load", "--location", str(work / "ox"), "--file", str(corpus)]),
                ("kg load --store --no-validate", [*kg, str(corpus), "--store", str(work / "a"), "--no-validate"]),
                ("kg load --store", [*kg, str(corpus), "--store", str(work / "b")]),
            ]
            reference = None
            for label, command in runs:
                seconds, cpu, peak = measured(command)
                reference = reference or (seconds, cpu)
                print(
                    f"  {label:32} {seconds:7.2f} s  {quads / seconds:10,.0f} quads/s  {seconds / reference[0]:4.2f}x  "
                    f"CPU {cpu:6.2f} s {cpu / reference[1]:4.2f}x  peak {peak:6,.0f} MB"
                )
            endpoint_loads(corpus, quads, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def endpoint_loads(corpus: Path, quads: int, work: Path) -> None:
    """One POST of the whole file to a server's ``/store`` against ``kg load FILE --endpoint``, each into an
    empty server; the seconds are the client's, until the server has answered."""
    post = (
        "import sys, requests; "
        "r = requests.post(sys.argv[1] + '/store', data=open(sys.argv[2], 'rb'), "
        "headers={'Content-Type': 'application/n-quads'}, timeout=3600); r.raise_for_status()"
    )
    kg = [sys.executable, "-m", "kg", "load", str(corpus), "--timeout", "600", "--endpoint"]
    runs = [
        ("POST /store (whole file)", lambda url: [sys.executable, "-c", post, url, str(corpus)]),
        ("kg load --endpoint (nquads)", lambda url: [*kg, url]),
        ("kg load --endpoint --method update", lambda url: [*kg, url, "--method", "update"]),
    ]
    reference = None
    for index, (label, command) in enumerate(runs):
        server = OxigraphServer(work / f"server-{index}").start()
        try:
            seconds, _, peak = measured(command(server.url))
            held = sum(server.triples_per_graph().values())
        finally:
            server.kill()
        assert held == quads, (label, held, quads)
        reference = reference or seconds
        print(
            f"  {label:32} {seconds:7.2f} s  {quads / seconds:10,.0f} quads/s  "
            f"{seconds / reference:4.2f}x  client peak {peak:6,.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=50, help="articles a request to the server")
    parser.add_argument("--file", type=int, action="append", help="articles in one N-Quads file (repeatable)")
    args = parser.parse_args()
    if args.file:
        file_loads(args.file)
        return
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
