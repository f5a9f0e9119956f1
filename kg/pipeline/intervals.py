"""Which character ranges hold a position, in log time: the statement finders asked it of every
quote or statement for every sentence and date, which grew with the square of the article."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate


class Ranges:
    """Half-open ``(start, end)`` ranges, in any order, overlapping or not."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._reach = list(accumulate((end for _, end in ordered), max))  # the furthest end so far

    def cover(self, position: int) -> bool:
        """``any(start <= position < end for start, end in ranges)``."""
        i = bisect_right(self._starts, position)
        return i > 0 and self._reach[i - 1] > position

    def start_within(self, start: int, end: int) -> bool:
        """``any(start <= s < end for s, _ in ranges)``: a range begins inside ``[start, end)``."""
        i = bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < end


class Taken:
    """Ranges taken one by one, none overlapping another: a new one is taken only where it is free."""

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []  # in the same order: ranges that do not overlap end in start order

    def take(self, start: int, end: int) -> bool:
        """Take ``[start, end)`` unless it overlaps one taken before; whether it was taken."""
        i = bisect_left(self._starts, end)  # the ranges starting before this one ends: [:i]
        if i and self._ends[i - 1] > start:
            return False
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True
