"""Fault-free runs: every patent example completes on every line that can run it; same seed, same result."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from anodeline.engine import MemoryJournal, SimClock, run_procedure
from anodeline.engine.journal import Journal, NullJournal
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.load import load_line
from anodeline.procedure.model import Procedure
from anodeline.procedure.routes import can_run, compile_procedure
from anodeline.recipe.validate import load_recipe
from anodeline.units import registry
from tests.engine.conftest import LINES, PATENT, assert_protected

LINE_FILES = sorted(LINES.glob("*.yaml"))
CASES = [
    (recipe_path, line_path)
    for recipe_path in sorted(PATENT.glob("*.yaml"))
    for line_path in LINE_FILES
    if can_run(load_recipe(recipe_path), load_line(line_path)) is None
]


@pytest.mark.parametrize(("recipe_path", "line_path"), CASES, ids=[f"{r.stem}@{ln.stem}" for r, ln in CASES])
def test_every_patent_example_completes_on_every_line_that_runs_it(recipe_path: Path, line_path: Path) -> None:
    line = load_line(line_path)
    procedure = compile_procedure(load_recipe(recipe_path), line)
    journal = MemoryJournal()
    result = run_procedure(procedure, line, seed=7, journal=journal)
    assert result.status == "complete", result.reasons
    assert result.steps_executed == len(procedure.steps)
    assert_protected(result, journal, procedure, line)
    for step in procedure.steps:
        if isinstance(step, act.Deposit):
            assert result.thickness_um[step.layer] >= step.thickness_um


def test_example_1_journal_records_the_batch(example_1: Procedure, fig1: Line) -> None:
    journal = MemoryJournal()
    progress: list[int] = []
    result = run_procedure(example_1, fig1, journal=journal, progress=lambda t, i, n, a: progress.append(i))
    assert isinstance(journal, Journal) and isinstance(NullJournal(), Journal)
    assert journal.started and journal.finished is not None and journal.finished[1] == "complete"
    assert [s[2] for s in journal.states] == ["running", "complete"]
    assert progress == list(range(len(example_1.steps)))
    assert sum(1 for s in journal.steps if s[3] == "ok") == len(example_1.steps)
    assert {c for _, c, _ in journal.telemetry_samples} >= {"o2-4", "gauge-1", "mains.power"}
    assert journal.deposits and journal.deposits[0][1] == "electrolyte"
    assert set(journal.ledgers) == set(result.exposure) == {"base", "target-57li2s-38sis2-5p2o5"}
    summary = result.exposure["base"]
    assert summary.max_o2_ppm < 1.0 and summary.o2_dose_ppm_s > 0.0
    assert 3600.0 < result.simulated_seconds < 86400.0  # hours of simulated time


def test_the_same_seed_gives_the_same_result(example_1: Procedure, fig1: Line) -> None:
    first = run_procedure(example_1, fig1, seed=11)
    assert first == run_procedure(example_1, fig1, seed=11)
    assert first.simulated_seconds != run_procedure(example_1, fig1, seed=12).simulated_seconds


def test_the_engine_refuses_an_unsafe_edited_procedure_and_holds(example_1: Procedure, fig1: Line) -> None:
    steps = list(example_1.steps)
    opened = next(i for i, a in enumerate(steps) if isinstance(a, act.OpenContainer))
    steps.insert(opened + 1, act.OpenDoor("port-4"))  # the load port, with the foil out of its container
    unsafe = replace(example_1, steps=tuple(steps), notes=())
    journal = MemoryJournal()
    result = run_procedure(unsafe, fig1, journal=journal)
    assert result.status == "held"
    assert result.steps_executed == opened + 1
    assert any("AIR001" in reason for reason in result.reasons)
    assert "AIR001" in journal.alarm_codes
    assert not result.final_state.doors["port-4"]
    assert_protected(result, journal, unsafe, fig1)


def test_a_wall_clock_runs_the_same_engine(example_1: Procedure, fig1: Line) -> None:
    from anodeline.engine.clock import WallClock

    clock = WallClock(factor=1e-9)
    short = replace(example_1, steps=example_1.steps[:2], notes=())
    assert run_procedure(short, fig1, clock=clock).status == "complete"
    assert isinstance(SimClock().now, float)


def test_the_apparatus_pump_down_takes_the_two_stage_time(example_1: Procedure, fig1: Line) -> None:
    journal = MemoryJournal()
    run_procedure(example_1, fig1, seed=7, journal=journal)
    index = next(i for i, a in enumerate(example_1.steps) if isinstance(a, act.Evacuate) and a.space == "apparatus-1")
    started, finished = (t for t, i, _, _ in journal.steps if i == index)
    pumps = fig1.pump_set("apparatus-1")
    assert pumps is not None
    expected = pumps.time_to(101325.0, 0.9e-4)  # the engine aims at 90 % of the 1e-4 Pa target
    assert 600.0 < finished - started < 7200.0
    assert finished - started == pytest.approx(expected, rel=0.05)


def test_a_run_converts_no_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9: quantities become SI floats when the line and recipe are loaded; engine and twin read floats."""
    line = load_line(LINES / "fig1.yaml")
    procedure = compile_procedure(load_recipe(PATENT / "example-01.yaml"), line)
    conversions: list[tuple[object, ...]] = []
    ureg = registry()
    convert = ureg.convert

    def counting(*args: object, **kwargs: object) -> object:
        conversions.append(args)
        return convert(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ureg, "convert", counting)
    result = run_procedure(procedure, line, seed=0)
    assert result.status == "complete"
    assert conversions == []
