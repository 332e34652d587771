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


class _Open:
    """The open interval while it grows (one update per reading, no object made): an
    :class:`ExposureInterval` is made when it closes or is asked for."""

    __slots__ = ("end_s", "h2o_dose_ppm_s", "max_h2o_ppm", "max_o2_ppm", "o2_dose_ppm_s", "space", "start_s")

    def __init__(self, space: str, start_s: float, o2_ppm: float, h2o_ppm: float) -> None:
        self.space, self.start_s, self.end_s = space, start_s, start_s
        self.max_o2_ppm, self.max_h2o_ppm = o2_ppm, h2o_ppm
        self.o2_dose_ppm_s = self.h2o_dose_ppm_s = 0.0

    def interval(self, item_id: str) -> ExposureInterval:
        return ExposureInterval(item_id, self.space, self.start_s, self.end_s, self.max_o2_ppm, self.max_h2o_ppm,
                                self.o2_dose_ppm_s, self.h2o_dose_ppm_s)  # fmt: skip


#: The last reading: simulated s, space, O2 ppm, H2O ppm, sealed.
_Reading = tuple[float, str, float, float, bool]


class ExposureLedger:
    """Accumulates one item's readings into :class:`ExposureInterval` s; pure, no I/O."""

    def __init__(self, item_id: str) -> None:
        self.item_id = item_id
        self._closed: list[ExposureInterval] = []
        self._open: _Open | None = None
        self._last: _Reading | None = None

    def observe(self, sim_s: float, space: str, o2_ppm: float, h2o_ppm: float, *, sealed: bool = False) -> None:
        """Record the atmosphere around the item at ``sim_s`` (times must not go back)."""
        t, o2, h2o = self._checked(sim_s, space, o2_ppm, h2o_ppm)
        sealed = bool(sealed)
        last, interval = self._last, self._open
        same_state = last is not None and last[1] == space and last[4] == sealed
        if last is not None and interval is not None:  # the open interval grows to this reading (every poll)
            last_t, _, last_o2, last_h2o, _ = last
            o2_end = o2 if same_state else last_o2
            h2o_end = h2o if same_state else last_h2o
            dt = t - last_t
            interval.end_s = t
            if same_state:
                interval.max_o2_ppm = max(interval.max_o2_ppm, o2)
                interval.max_h2o_ppm = max(interval.max_h2o_ppm, h2o)
            interval.o2_dose_ppm_s = interval.o2_dose_ppm_s + 0.5 * dt * (last_o2 + o2_end)
            interval.h2o_dose_ppm_s = interval.h2o_dose_ppm_s + 0.5 * dt * (last_h2o + h2o_end)
            if not same_state:
                self._close_open()
        if not same_state:
            self._open = None if sealed else _Open(space, t, o2, h2o)
        self._last = (t, space, o2, h2o, sealed)

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
        return [*self._closed, *([self._open.interval(self.item_id)] if self._open is not None else [])]

    @property
    def o2_dose_ppm_s(self) -> float:
        return sum(i.o2_dose_ppm_s for i in self.intervals)

    @property
    def h2o_dose_ppm_s(self) -> float:
        return sum(i.h2o_dose_ppm_s for i in self.intervals)

    def _close_open(self) -> None:
        if self._open is not None:
            self._closed.append(self._open.interval(self.item_id))
            self._open = None

    def _checked(self, sim_s: float, space: str, o2_ppm: float, h2o_ppm: float) -> tuple[float, float, float]:
        t, o2, h2o = float(sim_s), float(o2_ppm), float(h2o_ppm)
        if not (space and 0.0 <= t < _INF and 0.0 <= o2 < _INF and 0.0 <= h2o < _INF):  # NaN fails too
            raise RecordInputError(
                f"item {self.item_id}: exposure readings need a space and finite times/ppm ≥ 0, "
                f"got t={sim_s!r}, space={space!r}, O2={o2_ppm!r}, H2O={h2o_ppm!r}"
            )
        if self._last is not None and t < self._last[0]:
            raise RecordInputError(f"item {self.item_id}: time went back from {self._last[0]} s to {t} s")
        return t, o2, h2o
