"""Steps whose effect lasts only while a device runs (engine/lasting.py), and the resumed engine re-running them."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from anodeline.devices.protocols import Device, Reading
from anodeline.engine import MemoryJournal, SimClock
from anodeline.engine.lasting import held_by_a_device, not_confirmed, read_line
from anodeline.engine.run import continue_on_twin, rebuild_twin
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.physics.atmosphere.humidity import ppmv_to_frost_point
from anodeline.procedure.model import Procedure
from tests.engine.conftest import assert_protected

PUMP_DOWN = 13  # Example 1 on Fig. 1: evacuate apparatus-1 to 1e-4 Pa (then 14 deposit, 15 backfill)


def _after(procedure: Procedure, line: Line, done: int) -> LineState:
    return procedure.state_after(Machine(line, procedure.policy), done)


@pytest.mark.parametrize(("done", "expected"), [(13, []), (14, [13]), (15, [13]), (16, []), (3, [2]), (4, [])])
def test_the_last_pump_down_of_a_space_not_filled_since_is_held_by_its_pump(
    example_1: Procedure, fig1: Line, done: int, expected: list[int]
) -> None:
    assert isinstance(example_1.steps[PUMP_DOWN], act.Evacuate)
    assert held_by_a_device(fig1, example_1.steps, done) == expected


def test_a_door_opened_after_a_pump_down_ends_what_the_pump_held(fig1: Line) -> None:
    steps = [act.Evacuate("apparatus-1", 1e-4), act.OpenDoor("inlet-2"), act.CloseDoor("inlet-2")]
    assert held_by_a_device(fig1, steps, 1) == [0]
    assert held_by_a_device(fig1, steps, 3) == []


@pytest.mark.parametrize(
    ("readings", "why"),
    [
        ({"turbo-1.running": 1.0, "gauge-1": 0.9e-4}, None),
        ({"turbo-1.running": 0.0, "gauge-1": 0.9e-4}, "pump turbo-1 reads stopped"),
        ({"gauge-1": 0.9e-4}, "pump turbo-1 not read"),
        ({"turbo-1.running": 1.0}, "gauge gauge-1 not read"),
        ({"turbo-1.running": 1.0, "gauge-1": 2e-4}, "gauge gauge-1 reads 0.0002 Pa, above the step's 0.0001 Pa"),
        # a faulted sensor's NaN compares false with everything: it must not read as a held vacuum
        ({"turbo-1.running": 1.0, "gauge-1": float("nan")}, "gauge gauge-1 reads nan"),
        ({"turbo-1.running": float("nan"), "gauge-1": 0.9e-4}, "pump turbo-1 reads nan"),
        ({"turbo-1.running": 1.0, "gauge-1": float("-inf")}, "gauge gauge-1 reads -inf"),
    ],
)
def test_a_pump_down_is_confirmed_only_by_its_running_pump_and_its_gauge(
    example_1: Procedure, fig1: Line, readings: dict[str, float], why: str | None
) -> None:
    found = not_confirmed(fig1, example_1.steps, [PUMP_DOWN], readings)
    if why is None:
        assert found == ()
    else:
        (rerun,) = found
        assert rerun.index == PUMP_DOWN and why in rerun.why and rerun.describe().startswith("step 13 evacuate")


def test_the_rebuilt_twin_reads_its_pumps_stopped(example_1: Procedure, fig1: Line) -> None:
    """The twin rebuilt from the journal: the apparatus at its base pressure, nothing pumping it."""
    state = _after(example_1, fig1, PUMP_DOWN + 1)
    twin = rebuild_twin(fig1, example_1, state, clock=SimClock(start_s=9000.0))
    (rerun,) = not_confirmed(fig1, example_1.steps, [PUMP_DOWN], read_line(twin.devices))
    assert "reads stopped" in rerun.why


def test_a_resume_that_re_runs_the_pump_down_completes_and_journals_it_redone(example_1: Procedure, fig1: Line) -> None:
    """Counted done, the stopped pump's vacuum drifted above the base pressure: the deposition held (DEP001)."""
    state = _after(example_1, fig1, PUMP_DOWN + 1)
    for reruns, status in (((), "held"), ((PUMP_DOWN,), "complete")):
        clock = SimClock(start_s=9000.0)
        journal = MemoryJournal()
        result = continue_on_twin(example_1, fig1, state, PUMP_DOWN + 1, clock=clock, journal=journal, reruns=reruns)
        assert result.status == status, result.reasons
        if status == "held":
            assert "DEP001" in result.reasons[0]
            continue
        assert (PUMP_DOWN, "evacuate", "redone") in [(i, kind, out) for _t, i, kind, out in journal.steps]
        assert result.steps_executed == len(example_1.steps) - PUMP_DOWN - 1  # the re-run is not a step executed
        assert_protected(result, journal, example_1, fig1)


class WaterOffTheWalls:
    """The apparatus dew-point meter, reading the walls' water (2000 ppm) in the thinning gas below 0.1 Pa.

    A pumped space's residual gas is mostly water off the walls (O'Hanlon §4.3); the twin's plant
    keeps the gas's own fractions, as the served twin's readings did not (kill -9 mid pump-down
    over OPC UA, tests/equipment/opcua/test_resume.py).
    """

    def __init__(self, meter: Device, gauge: Device) -> None:
        self.meter, self.gauge, self.name = meter, gauge, meter.name

    def read(self) -> dict[str, Reading]:
        found = self.meter.read()
        if self.gauge.read()["gauge-1"].value < 0.1:
            found["dew-1"] = Reading(ppmv_to_frost_point(2000.0), found["dew-1"].timestamp)
        return found

    def set(self, value: object) -> None:
        self.meter.set(value)

    def stop(self) -> None:
        self.meter.stop()


def test_a_pump_down_resumed_half_way_keeps_the_walls_water_of_the_journal(example_1: Procedure, fig1: Line) -> None:
    """Killed half-way down, the pump left running: the meter reads the walls' water (2000 ppm) in vacuum.

    Checked from that reading, the Machine took 2000 ppm as the walls' water and refused the fill
    after the deposition (AIR001, ~100 ppm: held); the journal's line before the step says 1.4 ppm.
    """
    before = _after(example_1, fig1, PUMP_DOWN)
    clock = SimClock(start_s=7000.0)
    twin = rebuild_twin(fig1, example_1, before, clock=clock)
    twin.devices["turbo-1"].set(True)  # left running by the process that died

    def unattended() -> Generator[Any, Any, None]:
        yield clock.timeout(600.0)  # 1 atm → 3e-4 Pa: in vacuum, above the step's 1e-4 Pa

    clock.run(unattended())
    twin.devices["dew-1"] = WaterOffTheWalls(twin.devices["dew-1"], twin.devices["gauge-1"])
    journal = MemoryJournal()
    result = continue_on_twin(example_1, fig1, before, PUMP_DOWN, clock=clock, journal=journal, twin=twin)
    assert result.status == "complete", result.reasons
    assert_protected(result, journal, example_1, fig1)
