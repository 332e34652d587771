"""Engine speed: SimPy events per second of Example 1 on the twin against the plain SimPy model.

The events are counted by wrapping ``simpy.Environment.step`` here, in the benchmark (a
run of its own, so the count costs the timed runs nothing); the plain model
(benchmarks/plain_fig1.py) counts its own. The engine runs with a ``NullJournal``:
engine and twin, no records. Run: ``.venv/bin/python benchmarks/bench_engine.py [--quick]``.
Goal (issue 9): the engine at ≥ 10 % of the plain model's events/s.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

import plain_fig1
import simpy
from harness import EX1, FIG1, Result, median_s, report

from anodeline.engine import NullJournal, run_procedure
from anodeline.engine.runner import Engine
from anodeline.line.load import load_line
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe


@contextlib.contextmanager
def counting() -> Iterator[dict[str, int]]:
    """Count SimPy events stepped and engine polls while the block runs."""
    counts = {"events": 0, "polls": 0}
    step, poll = simpy.Environment.step, Engine.poll

    def counted_step(env: simpy.Environment) -> None:
        counts["events"] += 1
        step(env)

    def counted_poll(engine: Engine) -> Any:
        counts["polls"] += 1
        return poll(engine)

    simpy.Environment.step = counted_step  # type: ignore[method-assign]
    Engine.poll = counted_poll  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        simpy.Environment.step = step  # type: ignore[method-assign]
        Engine.poll = poll  # type: ignore[method-assign]


def measure(quick: bool = False) -> list[Result]:
    line = load_line(FIG1)
    procedure = compile_procedure(load_recipe(EX1), line)
    with counting() as counts:  # also the warm-up (imports, caches)
        result = run_procedure(procedure, line, seed=0, journal=NullJournal())
    assert result.status == "complete", result.status
    engine_s = median_s(lambda: run_procedure(procedure, line, seed=0, journal=NullJournal()), 2 if quick else 3)
    plan = plain_fig1.load_plan()
    plain = plain_fig1.run(plan)
    plain_s = median_s(lambda: plain_fig1.run(plan), 3 if quick else 5)
    note = (
        f"engine {counts['events']} events, {counts['polls']} polls, {result.simulated_seconds:.0f} s simulated, "
        f"{result.steps_executed} steps in {engine_s:.3f} s; plain model {plain.events} events, {plain.polls} polls, "
        f"{plain.simulated_s:.0f} s simulated in {plain_s * 1e3:.1f} ms"
    )
    return [
        Result("engine SimPy events/s (Example 1)", "events/s", counts["events"] / engine_s, plain.events / plain_s,
               "plain SimPy", goal_ratio=0.10, note=note),
    ]  # fmt: skip


def main() -> None:
    report(measure("--quick" in sys.argv))


if __name__ == "__main__":
    main()
