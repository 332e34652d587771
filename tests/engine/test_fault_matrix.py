"""A fast subset of benchmarks/fault_matrix.py: a few faults on fig1, each ends safe and is tabulated."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from anodeline.engine import MemoryJournal, run_procedure
from anodeline.line.config import Line
from anodeline.procedure.model import Procedure

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "fault_matrix.py"


@pytest.fixture(scope="module")
def fault_matrix() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fault_matrix", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [("stuck-door:port-4", "aborted"), ("pump-failure:turbo-1", "aborted"), ("leak:chamber-5*1", "complete")],
)
def test_a_few_rows_of_the_matrix(
    fault: str, outcome: str, fault_matrix: ModuleType, example_1: Procedure, fig1: Line
) -> None:
    row = fault_matrix.run_case(fig1, example_1, fault)
    assert row.outcome == outcome and row.within_limits, row
    table = fault_matrix.markdown([row])
    assert fault in table and table.count("\n") == 2


def test_a_leak_while_the_base_is_unsealed_is_made_safe_and_tabulated(
    fault_matrix: ModuleType, example_1: Procedure, fig1: Line
) -> None:
    clean = MemoryJournal()
    run_procedure(example_1, fig1, journal=clean)
    at = fault_matrix.first_unsealed(clean)["chamber-5"]
    row = fault_matrix.run_case(fig1, example_1, f"leak:chamber-5@{at:.0f}*10")
    assert row.outcome == "held" and "MAKE-SAFE" in row.alarms and "MODEL-SENSOR" in row.alarms, row
    assert row.worst_o2_ppm < 21.0  # below the 10 x leak's steady state: sealed before it got there


def test_every_fault_kind_is_in_the_matrix(fault_matrix: ModuleType, example_1: Procedure, fig1: Line) -> None:
    from anodeline.devices.sim.faults import FAULTS

    names = list(fault_matrix.faults_for(fig1, example_1))
    assert {name.split(":")[0].split("@")[0].split("*")[0] for name in names} == set(FAULTS)
    assert {f"leak:chamber-4*{scale:g}" for scale in fault_matrix.LEAK_SCALES} <= set(names)
