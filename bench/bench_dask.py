"""Scale past one process: the Dask adapter on a LocalCluster against the single-process run.

    python bench/bench_dask.py [--articles 20000] [--workers 2] [--partitions 16]

Generated articles (bench_extract's generator) go into one JSONL file. It is extracted twice:
by ``kg.batch.run`` in this process (what ``kg extract corpus.jsonl -o corpus.nq`` does), and by
``kg.distributed.extract_shards`` on a ``LocalCluster`` of worker processes, one N-Quads shard per
partition; the shards are then bulk-loaded with ``oxigraph load``. Prints articles/s for each, the
speed-up, and the peak memory of this process and of the workers. A real cluster runs the same
call with ``Client("tcp://scheduler:8786")`` (see the README).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import generate
from distributed import Client, LocalCluster

from kg.batch import Options, run
from kg.distributed import extract_shards


def _peak_mb() -> float:
    """This process's peak memory; on a worker too, through ``client.run``."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=16, help="about this many shards")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kg-bench-dask-"))
    corpus = folder / "corpus.jsonl"
    articles = generate(args.articles, args.seed)
    corpus.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": a.text, "lang": a.lang}) + "\n" for i, a in enumerate(articles)),
        encoding="utf-8",
    )
    del articles

    started = time.perf_counter()
    outcomes = run([corpus], folder / "single.nq", Options(format="nq"), jobs=1, tune_gc=True)
    single_done = sum(1 for o in outcomes if o.error is None)
    single = time.perf_counter() - started
    print(f"one process:   {single_done:,} articles in {single:7.1f} s: {single_done / single:6.1f} articles/s")

    blocksize = max(1, corpus.stat().st_size // args.partitions)
    shards_dir = folder / "shards"
    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        started = time.perf_counter()
        shards = extract_shards([corpus], shards_dir, client=client, blocksize=blocksize)
        spread = time.perf_counter() - started
        worker_peaks = client.run(_peak_mb)
    done = sum(s.articles for s in shards)
    print(
        f"LocalCluster:  {done:,} articles in {spread:7.1f} s: {done / spread:6.1f} articles/s with "
        f"{args.workers} workers ({len(shards)} shards), {single / spread:.2f}x one process"
    )

    oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    started = time.perf_counter()
    subprocess.run(
        [oxigraph, "load", "--location", str(folder / "store"), "--file", *(str(s.path) for s in shards)],
        check=True,
        capture_output=True,
    )
    print(f"oxigraph load of the shards: {time.perf_counter() - started:.1f} s")
    print(
        f"peak memory: this process {_peak_mb():.0f} MB; workers "
        + ", ".join(f"{mb:.0f}" for mb in worker_peaks.values())
        + " MB"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
