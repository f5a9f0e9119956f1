"""Extraction as a Dask job on a local cluster, and the shards it writes loaded with Oxigraph's loader."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import DATA, SEED
from distributed import Client, LocalCluster

from kg.distributed import extract_shards


@pytest.mark.slow
def test_shards_on_a_local_cluster(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    articles = [SEED, *sorted((DATA / "articles").glob("*_0*.txt"))]
    lines = [
        json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8"), "published": "2022-10-11"}, ensure_ascii=False)
        for p in articles
    ]
    lines.insert(3, '{"id": "broken"')
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "shards"
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        shards = extract_shards([corpus], out, client=client, blocksize=4_000)
    assert len(shards) > 1  # the corpus was split, each part its own shard
    assert sum(s.articles for s in shards) == len(articles)
    assert sum(s.failures for s in shards) == 1
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".nq") == [s.path.name for s in shards]
    (report,) = out.glob("*.failures.jsonl")
    assert "not a JSON object" in json.loads(report.read_text(encoding="utf-8"))["reason"]

    store_dir = tmp_path / "store"
    oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    subprocess.run(
        [oxigraph, "load", "--location", str(store_dir), "--file", *map(str, sorted(out.glob("*.nq")))],
        check=True,
        capture_output=True,
        timeout=300,
    )
    store = ox.Store.read_only(str(store_dir))
    assert len(list(store.named_graphs())) == len(articles)
