"""Extraction as a Dask job over a partitioned corpus: JSONL in, one N-Quads shard per partition.

Each partition of the input lines becomes ``shard-NNNNN.nq`` (a named graph per article), written
whole or not at all, with a ``shard-NNNNN.failures.jsonl`` beside it when some of its articles
failed. The shards bulk-load into any store, e.g. ``oxigraph load --location store --file shards/*.nq``.

Works with any Dask scheduler: pass a ``distributed.Client`` for a cluster; without one, Dask's
local scheduler runs the partitions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg.batch import CHUNK, Failed, FailuresReport, Options, OutputFormat, process_chunk
from kg.files import AtomicFile
from kg.sources import Source

if TYPE_CHECKING:  # an optional dependency (the dask extra)
    from distributed import Client


@dataclass(slots=True, frozen=True)
class Shard:
    path: Path
    articles: int
    failures: int


def write_shard(lines: Sequence[str], index: int, out_dir: str, options: Options) -> Shard:
    """Extract one partition's articles into its shard (runs on a Dask worker)."""
    target = Path(out_dir) / f"shard-{index:05d}.nq"
    shard = AtomicFile(target)
    failures = FailuresReport(target.with_name(f"shard-{index:05d}.failures.jsonl"))
    articles = 0
    sources = [
        Source(f"shard{index}-{number}", "jsonl", f"partition {index}, line {number}", line=line)
        for number, line in enumerate(lines, 1)
        if line.strip()
    ]
    try:
        for start in range(0, len(sources), CHUNK):
            for done in process_chunk(sources[start : start + CHUNK], options):
                if isinstance(done, Failed):
                    failures.write(done)
                else:
                    shard.write(done.payload)
                    articles += 1
        shard.commit()
    except BaseException:
        shard.abort()
        failures.count = 0  # nothing of this partition is kept
        failures.close()
        raise
    failures.close()
    return Shard(target, articles, failures.count)


def extract_shards(
    inputs: Sequence[Path],
    out_dir: Path,
    *,
    client: Client | None = None,
    blocksize: str | int = "8MiB",
    options: Options | None = None,
) -> list[Shard]:
    """Run extraction over JSONL ``inputs`` split into partitions; returns the shards written."""
    import dask
    import dask.bag

    out_dir.mkdir(parents=True, exist_ok=True)
    options = replace(options or Options(), format=OutputFormat.nq)
    bag = dask.bag.read_text([str(p) for p in inputs], blocksize=blocksize)
    tasks = [
        dask.delayed(write_shard)(part, index, str(out_dir), options) for index, part in enumerate(bag.to_delayed())
    ]
    if client is not None:
        return list(client.compute(tasks, sync=True))
    return list(dask.compute(*tasks))
