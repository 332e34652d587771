"""Compile + verify time for Example 1 on Fig. 1 (goal ≤ 50 ms), and verify time for 1,000 steps.

Run: ``.venv/bin/python benchmarks/bench_procedure.py``. The first call (imports, pint
registry) is reported separately; the figures are the median of repeated runs.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from anodeline.line import actions as act
from anodeline.line.load import load_line
from anodeline.line.machine import Machine
from anodeline.line.verify import verify
from anodeline.procedure.routes import compile_procedure
from anodeline.procedure.verify import verify_procedure
from anodeline.recipe.validate import load_recipe

ROOT = Path(__file__).resolve().parents[1]


def median_ms(function: object, repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    recipe = load_recipe(ROOT / "examples/patent/example-01.yaml")
    line = load_line(ROOT / "examples/lines/fig1.yaml")
    procedure = compile_procedure(recipe, line)
    assert verify_procedure(procedure, line).air_free
    print(f"first load + compile + verify (cold): {(time.perf_counter() - start) * 1000:.1f} ms")

    compile_ms = median_ms(lambda: compile_procedure(recipe, line))
    verify_ms = median_ms(lambda: verify_procedure(procedure, line))
    print(f"Example 1 on fig1 ({len(procedure.steps)} steps): compile {compile_ms:.2f} ms, verify {verify_ms:.2f} ms, "
          f"total {compile_ms + verify_ms:.2f} ms (goal <= 50 ms)")  # fmt: skip

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
    long_ms = median_ms(lambda: verify(machine, state, steps), repeat=5)
    print(f"verify 1,000 steps: {long_ms:.1f} ms ({1000 * long_ms / len(steps):.1f} µs/step)")


if __name__ == "__main__":
    main()
