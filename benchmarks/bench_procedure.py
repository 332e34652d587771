"""Compile + verify time for Example 1 on Fig. 1 (goal ≤ 50 ms), and verify time for 1,000 steps.

Run: ``.venv/bin/python benchmarks/bench_procedure.py``. The first call (imports, pint
registry) is left out; the figures are the median of repeated runs. There is no baseline:
these rows carry the goal of issue 5 in their note, not one of issue 9.
"""

from __future__ import annotations

import sys

from harness import EX1, FIG1, Result, median_s, report

from anodeline.line import actions as act
from anodeline.line.load import load_line
from anodeline.line.machine import Machine
from anodeline.line.verify import verify
from anodeline.procedure.routes import compile_procedure
from anodeline.procedure.verify import verify_procedure
from anodeline.recipe.validate import load_recipe


def measure(quick: bool = False) -> list[Result]:
    repeat = 5 if quick else 20
    recipe = load_recipe(EX1)
    line = load_line(FIG1)
    procedure = compile_procedure(recipe, line)
    assert verify_procedure(procedure, line).air_free
    compile_ms = 1e3 * median_s(lambda: compile_procedure(recipe, line), repeat)
    verify_ms = 1e3 * median_s(lambda: verify_procedure(procedure, line), repeat)

    # 1,000 steps: the procedure, then the closed storage container cycled through chamber 5 and back
    cycle = [act.Load("storage-1", "chamber-5"), act.Evacuate("chamber-5", 10.0), act.Backfill("chamber-5", "Ar"),
             act.Hold("chamber-5", 60.0), act.Unload("storage-1", "chamber-5")]  # fmt: skip
    steps = list(procedure.steps)
    while len(steps) < 1000:
        steps += cycle
    steps = steps[:1000]
    machine = Machine(line, procedure.policy)
    state = procedure.initial_state(machine)
    assert verify(machine, state, steps).air_free
    long_ms = 1e3 * median_s(lambda: verify(machine, state, steps), 2 if quick else 5)
    return [
        Result("compile + verify Example 1", "ms", compile_ms + verify_ms, None, higher_is_better=False,
               note=f"{len(procedure.steps)} steps: compile {compile_ms:.2f} ms + verify {verify_ms:.2f} ms "
               "(issue 5 goal ≤ 50 ms)"),
        Result("verify 1,000 steps", "ms", long_ms, None, higher_is_better=False),
    ]  # fmt: skip


def main() -> None:
    report(measure("--quick" in sys.argv))


if __name__ == "__main__":
    main()
