"""The baseline of the speed benchmarks stays honest: Example 1's steps, polled as the engine polls.

benchmarks/plain_fig1.py imports nothing of anodeline; these tests tie it to the product:
the stored plan is what ``anodeline plan`` compiles today, and the plain model polls as
often per simulated second as the engine and takes about as long in simulated time.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from anodeline.engine import NullJournal, run_procedure
from anodeline.engine.runner import Engine
from anodeline.line.load import load_line
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


plain_fig1 = _module("plain_fig1")
harness = _module("harness")


@pytest.fixture(scope="module")
def example_1_plan() -> dict[str, object]:
    procedure = compile_procedure(
        load_recipe(ROOT / "examples/patent/example-01.yaml"), load_line(ROOT / "examples/lines/fig1.yaml")
    )
    return procedure.to_dict()


def test_the_stored_plan_is_example_1_as_compiled_today(example_1_plan: dict[str, object]) -> None:
    stored = plain_fig1.load_plan()
    compiled = [{k: v for k, v in step.items() if k != "note"} for step in example_1_plan["steps"]]  # type: ignore[attr-defined]
    assert stored["steps"] == compiled, (
        "regenerate benchmarks/example-01.plan.json from `anodeline plan … --format json`"
    )
    assert stored["materials"] == example_1_plan["materials"]


def test_the_plain_model_polls_as_often_as_the_engine_per_simulated_second(monkeypatch: pytest.MonkeyPatch) -> None:
    line = load_line(ROOT / "examples/lines/fig1.yaml")
    procedure = compile_procedure(load_recipe(ROOT / "examples/patent/example-01.yaml"), line)
    polls = []
    poll = Engine.poll
    monkeypatch.setattr(Engine, "poll", lambda engine: polls.append(engine.clock.now) or poll(engine))
    result = run_procedure(procedure, line, seed=0, journal=NullJournal())
    plain = plain_fig1.run()
    assert plain.simulated_s == pytest.approx(result.simulated_seconds, rel=0.05)
    assert plain.polls / plain.simulated_s == pytest.approx(len(polls) / result.simulated_seconds, rel=0.10)
    assert plain.samples == plain.polls * 40  # the engine reads 40 channels of fig1 per poll


def test_a_result_row_passes_or_fails_on_its_ratio_or_its_own_figure() -> None:
    Result = harness.Result
    assert Result("rate", "rows/s", 60.0, 100.0, goal_ratio=0.6).passed is True
    assert Result("rate", "rows/s", 59.0, 100.0, goal_ratio=0.6).passed is False
    assert Result("time", "s", 9.0, 1.0, higher_is_better=False, goal_ratio=8.0).passed is False
    assert Result("time", "s", 0.4, 0.1, higher_is_better=False, goal_value=0.5).passed is True
    assert Result("no goal", "s", 1.0, None).passed is None
    assert "FAIL" in harness.table([Result("rate", "rows/s", 59.0, 100.0, goal_ratio=0.6)])
