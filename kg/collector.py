"""Python's garbage collector, set for a long run of many small, acyclic units of work.

Pipelines, the KB's matcher and the compiled shapes are built with the first unit and live as
long as the process; every article (or file validated) then allocates tens of thousands of
containers that reference counting frees on its own (the pipeline makes next to no reference
cycles). The collector still walked them every 700 allocations, and the long-lived objects in
each full collection. Here the long-lived objects are frozen out of its sight after the first
unit, and it runs every ``every`` units instead, with the same peak memory (extract_records frees
the one per-article cycle, the Doc's cached spans); the gain is measured by
``bench/bench_extract.py`` and ``bench/bench_validate.py`` and given in the README.
"""

from __future__ import annotations

import gc


class LongRunCollector:
    """Stepped after each unit of work; :meth:`restore` gives the collector back as it was."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.steps = 0
        self.was_enabled = gc.isenabled()

    def step(self) -> None:
        if self.steps == 0:
            gc.collect()  # what is garbage now would otherwise be frozen with the rest
            gc.freeze()
            gc.disable()
        elif self.steps % self.every == 0:
            gc.collect()
        self.steps += 1

    def restore(self) -> None:
        gc.unfreeze()
        if self.was_enabled:
            gc.enable()
