"""The progress of ``kg extract`` as a person reads it: one line on a terminal, redrawn in place.

Before the first article it says what takes the time (loading the pipelines); then how many of how
many, a rounded rate counted from the first article (start-up is not throughput) and the time left.
Nothing is drawn when stderr is not a terminal: logs get the closing line only.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def rate_text(per_second: float) -> str:
    """A rate rounded as a person says it: 12/s, 3.4/s, 0.25/s."""
    if per_second >= 10:
        return f"{per_second:,.0f}/s"
    if per_second >= 1:
        return f"{per_second:.1f}/s"
    return f"{per_second:.2f}/s"


def left_text(seconds: float) -> str:
    """Time left, rounded: about 40 s, about 3 min, about 1 h 20 min."""
    if seconds < 60:
        return f"about {max(1, round(seconds))} s left"
    minutes = round(seconds / 60)
    return f"about {minutes} min left" if minutes < 60 else f"about {minutes // 60} h {minutes % 60:02d} min left"


def progress_line(done: int, total: int | None, seconds_since_first: float | None) -> str:
    """The line for ``done`` articles of ``total`` (None: unknown), ``seconds_since_first`` after the first."""
    if done == 0 or seconds_since_first is None:
        what = f"{total:,} articles" if total is not None else "articles"
        return f"kg: loading pipelines… ({what} to extract)"
    count = f"{done:,} of {total:,} articles ({100 * done // max(total, 1)}%)" if total else f"{done:,} articles"
    if done < 2 or seconds_since_first <= 0:
        return f"kg: {count}"
    per_second = (done - 1) / seconds_since_first
    parts = [count, rate_text(per_second)]
    if total and total > done:
        parts.append(left_text((total - done) / per_second))
    return "kg: " + ", ".join(parts)


class ArticleProgress:
    """The progress line of one run; :meth:`advance` per outcome, :meth:`close` at the end."""

    def __init__(self, total: int | None, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.total, self.done = total, 0
        self.first: float | None = None
        self.drawn = 0.0
        self._draw(force=True)

    def advance(self) -> None:
        self.done += 1
        if self.first is None:
            self.first = time.monotonic()
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.drawn < 0.25 and self.done != self.total:
            return
        self.drawn = now
        since = None if self.first is None else now - self.first
        self.stream.write("\r" + progress_line(self.done, self.total, since) + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        """The line goes, so what is printed next (a message, the closing line) starts clean; the next
        :meth:`advance` draws it again."""
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = 0.0
