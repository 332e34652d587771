"""A whole batch: ``anodeline run`` of Example 1 against the plain SimPy model of the same line.

Two rows: the whole process (start-up, imports, model fits, compile, verify, twin run and
records in a temporary SQLite file; median of N) against ``python benchmarks/plain_fig1.py``
as a whole process; and the batch in-process (warm: imports and fits done) against the
plain model in-process. Run: ``.venv/bin/python benchmarks/bench_batch.py [--quick]``.
Goals (issue 9): whole process ≤ 8× the plain model's, in-process ≤ 1.0 s.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import plain_fig1
from harness import EX1, EXE, Result, median_s, process_s, quiet_env, report

from anodeline.batch.runner import run_batch


def measure(quick: bool = False) -> list[Result]:
    env = quiet_env()
    plain_process_s = process_s([sys.executable, str(Path(plain_fig1.__file__))], 3 if quick else 5, env)
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'run.sqlite'}"
        # one untimed run first: it creates and migrates the database, and writes the modules' .pyc as any
        # installed or once-run package has them (the plain model's imports have theirs in site-packages)
        warm = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        process_s([EXE, "run", str(EX1), "--db", db], 1, warm)
        product_process_s = process_s([EXE, "run", str(EX1), "--db", db], 2 if quick else 3, env)
        run_batch(EX1, db_url=db)  # warm imports and model fits
        seeds = iter(range(1, 100))
        in_process_s = median_s(lambda: run_batch(EX1, db_url=db, seed=next(seeds)), 2 if quick else 3)
    plan = plain_fig1.load_plan()
    plain_in_process_s = median_s(lambda: plain_fig1.run(plan), 3 if quick else 5)
    return [
        Result("run Example 1, whole process", "s", product_process_s, plain_process_s, "plain_fig1.py process",
               higher_is_better=False, goal_ratio=8.0,
               note="anodeline run on a temporary SQLite db at head (written through sqlite3, records/direct.py)"),
        Result("run Example 1, in-process (warm)", "s", in_process_s, plain_in_process_s, "plain model in-process",
               higher_is_better=False, goal_value=1.0, note="run_batch: compile, verify, twin, records on SQLite"),
    ]  # fmt: skip


def main() -> None:
    report(measure("--quick" in sys.argv))


if __name__ == "__main__":
    main()
