"""The planned duration of a procedure: what the run's default time limit is a multiple of."""

from __future__ import annotations

from dataclasses import replace

import pytest

from anodeline.engine import run_procedure
from anodeline.engine.duration import planned_duration_s, step_duration_s
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.load import load_line
from anodeline.line.machine import Machine
from anodeline.procedure.model import Procedure
from anodeline.procedure.routes import can_run, compile_procedure
from anodeline.recipe.validate import load_recipe
from tests.engine.conftest import LINES, PATENT


@pytest.mark.parametrize("recipe", ["example-01", "example-04", "example-12"])
def test_the_plan_is_within_a_fifth_of_the_twin_run(recipe: str) -> None:
    """The estimate uses the engine's own models, so a clean run on the twin takes about as long."""
    line = load_line(LINES / "fig1.yaml")
    loaded = load_recipe(PATENT / f"{recipe}.yaml")
    if can_run(loaded, line) is not None:
        pytest.skip(f"fig1 cannot run {recipe}")
    procedure = compile_procedure(loaded, line)
    simulated_s = run_procedure(procedure, line).simulated_seconds
    assert planned_duration_s(procedure, line) == pytest.approx(simulated_s, rel=0.2)


def test_each_step_kind_takes_its_model_time(example_1: Procedure, fig1: Line) -> None:
    state = example_1.initial_state(Machine(fig1))
    assert step_duration_s(fig1, state, act.Hold("chamber-4", 600.0)) == 600.0
    assert step_duration_s(fig1, state, act.OpenDoor("port-4")) == 8.0
    assert step_duration_s(fig1, state, act.Move("base", "chamber-4")) == 20.0  # the operator's median
    rough_s = step_duration_s(fig1, state, act.Evacuate("chamber-4", 100.0))
    assert rough_s == pytest.approx(fig1.pump_set("chamber-4").time_to(101325.0, 90.0))  # type: ignore[union-attr]
    assert step_duration_s(fig1, state, act.Evacuate("chamber-4", 200000.0)) == 0.0  # nothing to pump


def test_a_longer_hold_plans_longer(example_1: Procedure, fig1: Line) -> None:
    longer = replace(example_1, steps=(*example_1.steps, act.Hold("chamber-4", 3600.0)))
    assert planned_duration_s(longer, fig1) == pytest.approx(planned_duration_s(example_1, fig1) + 3600.0)
