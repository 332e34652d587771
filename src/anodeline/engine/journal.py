"""What the engine tells the outside world: the :class:`Journal` protocol and two journals.

The batch-record adapter (batch/journal.py) implements the same protocol. ``telemetry`` is
called once per poll with every channel's reading (a mapping the engine never changes
afterwards, so a journal may keep it), and ``exposure`` at every poll for every sensitive
item; the journal decides what to keep. O2/H2O of an exposure are *atmosphere-equivalent* ppm:
mole fraction × p / 101325 Pa, so an item in vacuum meets what it really meets (docs/engine.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from anodeline.line.actions import Action
from anodeline.procedure.model import Procedure
from anodeline.records.exposure import ExposureLedger


@runtime_checkable
class Journal(Protocol):
    def batch_started(self, procedure: Procedure, seed: int, faults: tuple[str, ...]) -> None: ...

    def state_changed(self, sim_s: float, old: str, new: str, reason: str) -> None: ...

    def step_started(self, sim_s: float, index: int, action: Action) -> None: ...

    def step_finished(self, sim_s: float, index: int, action: Action, outcome: str, readings: dict[str, float]) -> None:
        """``outcome``: ``ok``, ``failed`` (the batch aborts), ``interrupted`` (a hold cut short by a
        suspender; the same step starts again after the hold) or ``redone`` (a step done before a crash,
        run again on resume because the sensors no longer confirm its effect: :mod:`anodeline.engine.lasting`)."""

    def telemetry(self, sim_s: float, readings: Mapping[str, float]) -> None:
        """Every channel's reading of one poll at ``sim_s`` (one call per poll, not per channel)."""

    def alarm(self, sim_s: float, code: str, message: str, hold: bool) -> str: ...

    def alarm_cleared(self, sim_s: float, alarm_id: str) -> None: ...

    def exposure(self, sim_s: float, item: str, space: str, o2_ppm: float, h2o_ppm: float, sealed: bool) -> None: ...

    def deposited(self, sim_s: float, layer: str, item: str, thickness_um: float) -> None: ...

    def batch_finished(self, sim_s: float, status: str, reasons: list[str]) -> None: ...


class NullJournal:
    """Keeps nothing (benchmarks, planning)."""

    def __init__(self) -> None:
        self._alarms = 0

    def batch_started(self, procedure: Procedure, seed: int, faults: tuple[str, ...]) -> None:
        pass

    def state_changed(self, sim_s: float, old: str, new: str, reason: str) -> None:
        pass

    def step_started(self, sim_s: float, index: int, action: Action) -> None:
        pass

    def step_finished(self, sim_s: float, index: int, action: Action, outcome: str, readings: dict[str, float]) -> None:
        pass

    def telemetry(self, sim_s: float, readings: Mapping[str, float]) -> None:
        pass

    def alarm(self, sim_s: float, code: str, message: str, hold: bool) -> str:
        self._alarms += 1
        return f"A{self._alarms}"

    def alarm_cleared(self, sim_s: float, alarm_id: str) -> None:
        pass

    def exposure(self, sim_s: float, item: str, space: str, o2_ppm: float, h2o_ppm: float, sealed: bool) -> None:
        pass

    def deposited(self, sim_s: float, layer: str, item: str, thickness_um: float) -> None:
        pass

    def batch_finished(self, sim_s: float, status: str, reasons: list[str]) -> None:
        pass


@dataclass
class MemoryJournal:
    """Keeps everything in lists (tests); doses through :class:`~anodeline.records.exposure.ExposureLedger`."""

    started: list[tuple[str, int, tuple[str, ...]]] = field(default_factory=list)
    states: list[tuple[float, str, str, str]] = field(default_factory=list)
    steps: list[tuple[float, int, str, str]] = field(default_factory=list)  # (t, index, kind, outcome|"started")
    telemetry_samples: list[tuple[float, str, float]] = field(default_factory=list)
    alarms: dict[str, dict[str, Any]] = field(default_factory=dict)
    exposures: list[tuple[float, str, str, float, float, bool]] = field(default_factory=list)
    ledgers: dict[str, ExposureLedger] = field(default_factory=dict)
    deposits: list[tuple[float, str, str, float]] = field(default_factory=list)
    finished: tuple[float, str, list[str]] | None = None

    def batch_started(self, procedure: Procedure, seed: int, faults: tuple[str, ...]) -> None:
        self.started.append((procedure.name, seed, faults))

    def state_changed(self, sim_s: float, old: str, new: str, reason: str) -> None:
        self.states.append((sim_s, old, new, reason))

    def step_started(self, sim_s: float, index: int, action: Action) -> None:
        self.steps.append((sim_s, index, action.kind, "started"))

    def step_finished(self, sim_s: float, index: int, action: Action, outcome: str, readings: dict[str, float]) -> None:
        self.steps.append((sim_s, index, action.kind, outcome))

    def telemetry(self, sim_s: float, readings: Mapping[str, float]) -> None:
        self.telemetry_samples.extend((sim_s, channel, value) for channel, value in readings.items())

    def alarm(self, sim_s: float, code: str, message: str, hold: bool) -> str:
        alarm_id = f"A{len(self.alarms) + 1}"
        self.alarms[alarm_id] = {"sim_s": sim_s, "code": code, "message": message, "hold": hold, "cleared": None}
        return alarm_id

    def alarm_cleared(self, sim_s: float, alarm_id: str) -> None:
        self.alarms[alarm_id]["cleared"] = sim_s

    def exposure(self, sim_s: float, item: str, space: str, o2_ppm: float, h2o_ppm: float, sealed: bool) -> None:
        self.exposures.append((sim_s, item, space, o2_ppm, h2o_ppm, sealed))
        self.ledgers.setdefault(item, ExposureLedger(item)).observe(sim_s, space, o2_ppm, h2o_ppm, sealed=sealed)

    def deposited(self, sim_s: float, layer: str, item: str, thickness_um: float) -> None:
        self.deposits.append((sim_s, layer, item, thickness_um))

    def batch_finished(self, sim_s: float, status: str, reasons: list[str]) -> None:
        self.finished = (sim_s, status, list(reasons))

    @property
    def alarm_codes(self) -> list[str]:
        return [a["code"] for a in self.alarms.values()]
