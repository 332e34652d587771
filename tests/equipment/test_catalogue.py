"""The catalogue names exactly the devices and reading keys the twin builds for every shipped line."""

from __future__ import annotations

import pytest

from anodeline.devices.sim.twin import build_twin
from anodeline.engine.clock import SimClock
from anodeline.equipment.catalogue import expected_devices
from anodeline.line import load_line
from anodeline.line.load import shipped_lines_dir
from anodeline.procedure import compile_procedure
from anodeline.recipe.validate import load_recipe
from tests.conftest import ROOT

LINES = {"fig1": "example-01.yaml", "single-port": "example-01.yaml", "two-apparatus": None}


@pytest.mark.parametrize("name", ["fig1", "single-port", "two-apparatus"])
def test_the_catalogue_lists_every_device_and_reading_key_of_the_twin(name: str) -> None:
    line = load_line(shipped_lines_dir() / f"{name}.yaml")
    recipes = sorted((ROOT / "examples" / "patent").glob("*.yaml"))
    recipe = next(r for r in map(load_recipe, recipes) if (r.route == "two-apparatus") == (name == "two-apparatus"))
    twin = build_twin(line, compile_procedure(recipe, line), clock=SimClock())
    specs = expected_devices(line)
    assert list(specs) == list(twin.devices)
    for device_name, device in twin.devices.items():
        assert {c.key for c in specs[device_name].channels} == set(device.read())
