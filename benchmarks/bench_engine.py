"""Example 1 on Fig. 1 on the twin: wall time, simulated time and the engine's overhead per action.

Run: ``.venv/bin/python benchmarks/bench_engine.py`` (not a timed test).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from anodeline.engine import MemoryJournal, NullJournal, run_procedure
from anodeline.line.load import load_line
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe

ROOT = Path(__file__).resolve().parents[1]


def main(repeats: int = 5) -> None:
    line = load_line(ROOT / "examples" / "lines" / "fig1.yaml")
    procedure = compile_procedure(load_recipe(ROOT / "examples" / "patent" / "example-01.yaml"), line)
    run_procedure(procedure, line)  # warm-up (imports, caches)
    for label, journal_type in (("NullJournal", NullJournal), ("MemoryJournal", MemoryJournal)):
        walls: list[float] = []
        result = None
        for seed in range(repeats):
            start = time.perf_counter()
            result = run_procedure(procedure, line, seed=seed, journal=journal_type())
            walls.append(time.perf_counter() - start)
        assert result is not None
        wall = statistics.median(walls)
        steps, sim_s = result.steps_executed, result.simulated_seconds
        print(
            f"Example 1 on fig1 ({label}): {result.status}, {steps} actions, simulated {sim_s:.0f} s "
            f"({sim_s / 3600:.2f} h), wall {wall:.3f} s (median of {repeats}), "
            f"{wall / steps * 1e3:.2f} ms per action, {sim_s / wall:.0f}× real time"
        )


if __name__ == "__main__":
    main()
