"""Fixtures: the shipped lines, Example 1 on Fig. 1, and an invariant check over a run's journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from anodeline.engine.journal import MemoryJournal
from anodeline.engine.result import RunResult
from anodeline.line.config import Line
from anodeline.line.load import load_line
from anodeline.line.machine import Machine
from anodeline.procedure.model import Procedure
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe

ROOT = Path(__file__).resolve().parents[2]
LINES = ROOT / "examples" / "lines"
PATENT = ROOT / "examples" / "patent"


@pytest.fixture(scope="session")
def fig1() -> Line:
    return load_line(LINES / "fig1.yaml")


@pytest.fixture(scope="session")
def example_1(fig1: Line) -> Procedure:
    return compile_procedure(load_recipe(PATENT / "example-01.yaml"), fig1)


def assert_protected(result: RunResult, journal: MemoryJournal, procedure: Procedure, line: Line) -> None:
    """No recorded exposure above the recipe's limits, and the true final state keeps the invariant."""
    policy = procedure.policy
    for sim_s, item, space, o2, h2o, _sealed in journal.exposures:
        assert o2 <= policy.max_o2_ppm and h2o <= policy.max_h2o_ppm, (sim_s, item, space, o2, h2o)
    refusal = Machine(line, policy).check(result.final_state)
    assert refusal is None, refusal
