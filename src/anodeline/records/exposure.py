"""Per-item exposure ledger: how much O2 and H2O an air-sensitive item met, and where.

The patent's one promise is that lithium and the sulfide never meet air; the ledger
is the proof. Each interval is a stretch in one space while the item is not sealed in
a container. Between two readings in the same interval the dose (ppm·s) is the
trapezoid of the two readings; when the item changes space or is sealed, the segment
up to the change belongs to the old state at its last reading (the only thing known of
that space at the time). Sealed stretches add no dose: a closed container keeps the
atmosphere it was closed in, and its own leak is the container model's business.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from anodeline.records.errors import RecordInputError

_INF = math.inf


@dataclass(frozen=True, slots=True)
class ExposureInterval:
    """A stretch of time an item spent unsealed in one space, with peak and integrated O2/H2O."""

    item_id: str
    space: str
    start_s: float
    end_s: float
    max_o2_ppm: float
    max_h2o_ppm: float
    o2_dose_ppm_s: float
    h2o_dose_ppm_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class _Reading:
    sim_s: float
    space: str
    o2_ppm: float
    h2o_ppm: float
    sealed: bool


class ExposureLedger:
    """Accumulates one item's readings into :class:`ExposureInterval` s; pure, no I/O."""

    def __init__(self, item_id: str) -> None:
        self.item_id = item_id
        self._closed: list[ExposureInterval] = []
        self._open: ExposureInterval | None = None
        self._last: _Reading | None = None

    def observe(self, sim_s: float, space: str, o2_ppm: float, h2o_ppm: float, *, sealed: bool = False) -> None:
        """Record the atmosphere around the item at ``sim_s`` (times must not go back)."""
        reading = self._checked(sim_s, space, o2_ppm, h2o_ppm, sealed)
        last, interval = self._last, self._open
        same_state = last is not None and (last.space, last.sealed) == (reading.space, reading.sealed)
        if last is not None and interval is not None:  # one new interval per reading (this runs at every poll)
            o2_end = reading.o2_ppm if same_state else last.o2_ppm
            h2o_end = reading.h2o_ppm if same_state else last.h2o_ppm
            dt = reading.sim_s - last.sim_s
            self._open = ExposureInterval(
                interval.item_id, interval.space, interval.start_s, reading.sim_s,
                max(interval.max_o2_ppm, reading.o2_ppm) if same_state else interval.max_o2_ppm,
                max(interval.max_h2o_ppm, reading.h2o_ppm) if same_state else interval.max_h2o_ppm,
                interval.o2_dose_ppm_s + 0.5 * dt * (last.o2_ppm + o2_end),
                interval.h2o_dose_ppm_s + 0.5 * dt * (last.h2o_ppm + h2o_end),
            )  # fmt: skip
            if not same_state:
                self._close_open()
        if not same_state:
            self._start(reading)
        self._last = reading

    def close(self) -> list[ExposureInterval]:
        """End the open interval (if any) at the last reading and return all intervals."""
        self._close_open()
        return list(self._closed)

    @property
    def closed_count(self) -> int:
        """How many intervals are closed so far (they never reopen: a caller may store them as they close)."""
        return len(self._closed)

    def closed_since(self, count: int) -> list[ExposureInterval]:
        """The intervals closed after the first ``count`` (see :attr:`closed_count`)."""
        return self._closed[count:]

    @property
    def intervals(self) -> list[ExposureInterval]:
        """Closed intervals plus the open one so far, in time order."""
        return [*self._closed, *([self._open] if self._open is not None else [])]

    @property
    def o2_dose_ppm_s(self) -> float:
        return sum(i.o2_dose_ppm_s for i in self.intervals)

    @property
    def h2o_dose_ppm_s(self) -> float:
        return sum(i.h2o_dose_ppm_s for i in self.intervals)

    def _start(self, reading: _Reading) -> None:
        if reading.sealed:
            self._open = None
            return
        self._open = ExposureInterval(
            self.item_id, reading.space, reading.sim_s, reading.sim_s, reading.o2_ppm, reading.h2o_ppm, 0.0, 0.0
        )

    def _close_open(self) -> None:
        if self._open is not None:
            self._closed.append(self._open)
            self._open = None

    def _checked(self, sim_s: float, space: str, o2_ppm: float, h2o_ppm: float, sealed: bool) -> _Reading:
        values = t, o2, h2o = float(sim_s), float(o2_ppm), float(h2o_ppm)
        if not (space and 0.0 <= t < _INF and 0.0 <= o2 < _INF and 0.0 <= h2o < _INF):  # NaN fails too
            raise RecordInputError(
                f"item {self.item_id}: exposure readings need a space and finite times/ppm ≥ 0, "
                f"got t={sim_s!r}, space={space!r}, O2={o2_ppm!r}, H2O={h2o_ppm!r}"
            )
        if self._last is not None and values[0] < self._last.sim_s:
            raise RecordInputError(f"item {self.item_id}: time went back from {self._last.sim_s} s to {values[0]} s")
        return _Reading(values[0], space, values[1], values[2], bool(sealed))
