"""Steps whose effect lasts only while a device keeps it, and which of them a resume must run again.

A pump-down's vacuum is held by its pump: stop the pump (a process that died took the in-process
twin's pumps with it; make-safe and ``stop()`` isolate a pump on equipment) and the space rises
at the wall's outgassing rate, q / S turning into dp/dt = q·A / V with S = 0 (O'Hanlon, *A User's
Guide to Vacuum Technology*, 3rd ed., §4.3). The step journal still says ``done``; counting it done
leaves the next step to find the space above its target — a deposition refused by DEP001, a
backfill by AIR001 once hours of water have come off the walls.

So a resume asks the sensors whether the effect of each such step still holds — the pump reads
running and the gauge at or below the step's target — and runs again each one they do not
confirm, before the first step not done (:mod:`anodeline.batch.resume`). A door, valve or gas step
keeps its effect without power (a closed door stays closed, a filled space stays filled) and is
not listed here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from anodeline.devices import naming
from anodeline.devices.protocols import Device
from anodeline.line import actions as act
from anodeline.line.config import Line


@dataclass(frozen=True)
class Rerun:
    """Step ``index`` (done) to run again: its effect is not confirmed by the sensors, ``why``."""

    index: int
    action: act.Action
    why: str

    def describe(self) -> str:
        return f"step {self.index} {self.action.describe()} ({self.why})"


def held_by_a_device(line: Line, steps: Sequence[act.Action], done: int) -> list[int]:
    """The steps among ``steps[:done]`` whose effect still stands in the plan and lasts only while a device runs.

    The last pump-down of each space with a pump, unless a later done step filled the space (a
    backfill ends what the pump held) or opened a door of it (the gas of two spaces shares one
    volume: what the step made is gone either way, and the steps after it were planned from that).
    """
    last: dict[str, int] = {}
    for index, action in enumerate(steps[:done]):
        if isinstance(action, act.Evacuate) and action.space in line.spaces and line.spaces[action.space].pump:
            last[action.space] = index
        elif isinstance(action, act.Backfill):
            last.pop(action.space, None)
        elif isinstance(action, act.OpenDoor) and action.door in line.doors:
            for side in line.doors[action.door].between:
                last.pop(side, None)
    return sorted(last.values())


def not_confirmed(line: Line, steps: Sequence[act.Action], indices: Sequence[int],
                  readings: Mapping[str, float]) -> tuple[Rerun, ...]:  # fmt: skip
    """The steps of ``indices`` whose effect ``readings`` (one poll of every device) do not confirm.

    A pump-down is confirmed when its pump reads running and the space's gauge (if it has one)
    reads at or below the step's target; a missing or non-finite reading (NaN from a faulted sensor
    compares false with everything) confirms nothing.
    """
    found: list[Rerun] = []
    for index in indices:
        action = steps[index]
        if not isinstance(action, act.Evacuate):
            continue
        pump = line.spaces[action.space].pump or ""
        running = readings.get(f"{pump}.running")
        gauge = naming.sensors_in(line, action.space).get("pressure")
        pressure = readings.get(gauge) if gauge is not None else None
        if running is None or not math.isfinite(running):
            why = f"pump {pump} not read" if running is None else f"pump {pump} reads {running!r}"
        elif running < 0.5:
            why = f"pump {pump} reads stopped: nothing holds the vacuum"
        elif gauge is not None and (pressure is None or not math.isfinite(pressure)):
            why = f"gauge {gauge} not read" if pressure is None else f"gauge {gauge} reads {pressure!r}"
        elif pressure is not None and pressure > action.pressure_pa:
            why = f"gauge {gauge} reads {pressure:.3g} Pa, above the step's {action.pressure_pa:g} Pa"
        else:
            continue
        found.append(Rerun(index, action, why))
    return tuple(found)


def read_line(devices: Mapping[str, Device]) -> dict[str, float]:
    """One reading of every channel of ``devices`` (those a device has no fresh value of are left out)."""
    readings: dict[str, float] = {}
    for device in devices.values():
        for channel, reading in device.read().items():
            readings[channel] = reading[0]
    return readings


__all__ = ["Rerun", "held_by_a_device", "not_confirmed", "read_line"]
