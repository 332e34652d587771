"""Fixtures: the shipped lines, their machines and Example 1's procedure on Fig. 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from anodeline.line.config import Line
from anodeline.line.load import load_line
from anodeline.line.machine import Machine
from anodeline.procedure.model import Procedure
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe

ROOT = Path(__file__).resolve().parents[2]
LINES = ROOT / "examples" / "lines"
PATENT = ROOT / "examples" / "patent"
LINE_NAMES = ("fig1", "single-port", "two-apparatus")


@pytest.fixture(scope="session")
def fig1() -> Line:
    return load_line(LINES / "fig1.yaml")


@pytest.fixture(scope="session")
def example_1_procedure(fig1: Line) -> Procedure:
    return compile_procedure(load_recipe(PATENT / "example-01.yaml"), fig1)


@pytest.fixture(scope="session")
def fig1_machine(fig1: Line, example_1_procedure: Procedure) -> Machine:
    return Machine(fig1, example_1_procedure.policy)
