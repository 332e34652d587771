"""Busy intervals of a resource with one or more identical units (operators, a shared pump)."""

from __future__ import annotations

from bisect import bisect_right, insort


class Calendar:
    """``units`` identical units, each with sorted, non-overlapping busy intervals [start, end)."""

    def __init__(self, units: int = 1, blocked: tuple[tuple[int, int], ...] = ()) -> None:
        self.units: list[list[tuple[int, int]]] = [sorted(blocked) for _ in range(max(units, 1))]

    @staticmethod
    def _first_fit(busy: list[tuple[int, int]], earliest: int, seconds: int) -> int:
        t = earliest
        i = max(bisect_right(busy, (t, t)) - 1, 0)
        while i < len(busy):
            start, end = busy[i]
            if start >= t + seconds and (seconds > 0 or start > t):
                return t
            if end > t:
                t = end
            i += 1
        return t

    def earliest(self, earliest: int, seconds: int) -> tuple[int, int]:
        """The first time ≥ ``earliest`` some unit is free for ``seconds``, and that unit."""
        fits = [(self._first_fit(busy, earliest, seconds), unit) for unit, busy in enumerate(self.units)]
        return min(fits)

    def book(self, unit: int, start: int, end: int) -> None:
        if end > start:
            insort(self.units[unit], (start, end))
