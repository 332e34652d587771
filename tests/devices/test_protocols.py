"""Every simulated device satisfies the device protocols; commands are read back."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest
import simpy

from anodeline.devices.protocols import Device, Readable, Reading, Settable, Stoppable
from anodeline.devices.sim import build_twin
from anodeline.engine.clock import SimClock
from anodeline.line.load import load_line
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("line_name", ["fig1", "single-port", "two-apparatus"])
def test_every_simulated_device_satisfies_the_protocols(line_name: str) -> None:
    line = load_line(ROOT / "examples" / "lines" / f"{line_name}.yaml")
    procedure = compile_procedure(load_recipe(ROOT / "examples" / "patent" / "example-01.yaml"), line)
    twin = build_twin(line, procedure, clock=SimClock(), seed=0)
    assert twin.devices
    for name, device in twin.devices.items():
        assert isinstance(device, Readable) and isinstance(device, Settable) and isinstance(device, Stoppable), name
        assert isinstance(device, Device)
        assert device.name == name
        readings = device.read()
        assert readings and all(isinstance(r, Reading) for r in readings.values())


def test_a_pump_lowers_the_gauge_on_the_pumpdown_curve() -> None:
    line = load_line(ROOT / "examples" / "lines" / "fig1.yaml")
    procedure = compile_procedure(load_recipe(ROOT / "examples" / "patent" / "example-01.yaml"), line)
    clock = SimClock()
    twin = build_twin(line, procedure, clock=clock, seed=0)
    values: list[float] = []

    def run() -> Generator[simpy.Event, None, None]:
        twin.devices["rotary-4"].set(True)
        for _ in range(3):
            yield clock.timeout(600.0)
            values.append(twin.devices["gauge-4"].read()["gauge-4"].value)

    clock.run(run())
    assert values[0] > values[1] > values[2]
    assert values[2] < 20.0  # V/S = 120 s: 1800 s is 15 time constants (pumpdown.py)
