"""What every benchmark shares: a result row with its baseline, timers, and the one table.

Each ``bench_*.py`` has ``measure(quick) -> list[Result]`` and a ``main()`` that prints its
own rows; ``run_all.py`` (``make bench``) prints all rows in one table. A row holds the
product's figure and its baseline's, measured in the same run, and the goal of issue 9.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EX1 = ROOT / "examples" / "patent" / "example-01.yaml"
FIG1 = ROOT / "examples" / "lines" / "fig1.yaml"
BIN = Path(sys.executable).parent
EXE = str(BIN / "anodeline")
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_BENCH_DB = "anodeline_bench"


@dataclass(frozen=True)
class Result:
    """One benchmark: the product's figure, the baseline's, and the goal on their ratio or on the figure.

    ``higher_is_better`` says whether the figures are rates (ratio = product / baseline, a
    share of the baseline's speed) or times (ratio = product / baseline, how many times slower).
    ``goal_ratio`` bounds the ratio; ``goal_value`` bounds the product's own figure.
    """

    name: str
    unit: str
    product: float
    baseline: float | None
    baseline_name: str = ""
    higher_is_better: bool = True
    goal_ratio: float | None = None
    goal_value: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.product / self.baseline

    @property
    def goal(self) -> str:
        sign = "≥" if self.higher_is_better else "≤"
        if self.goal_ratio is not None:
            return f"ratio {sign} {self.goal_ratio:g}×"
        if self.goal_value is not None:
            return f"{sign} {_figure(self.goal_value)} {self.unit}"
        return "—"

    @property
    def passed(self) -> bool | None:
        value = self.ratio if self.goal_ratio is not None else self.product if self.goal_value is not None else None
        bound = self.goal_ratio if self.goal_ratio is not None else self.goal_value
        if value is None or bound is None:
            return None
        return value >= bound if self.higher_is_better else value <= bound


def _figure(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def table(results: Sequence[Result]) -> str:
    """The results as one fixed-width table (benchmark, product, baseline, ratio, goal, pass/fail)."""
    header = ("benchmark", "product", "baseline", "ratio", "goal (issue 9)", "result")
    rows = [header]
    for r in results:
        baseline = f"{_figure(r.baseline)} {r.unit}" if r.baseline is not None else "—"
        if r.baseline_name and r.baseline is not None:
            baseline += f" ({r.baseline_name})"
        ratio = f"{r.ratio:.3g}×" if r.ratio is not None else "—"
        verdict = {True: "pass", False: "FAIL", None: "—"}[r.passed]
        rows.append((r.name, f"{_figure(r.product)} {r.unit}", baseline, ratio, r.goal, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {r.name}: {r.note}" for r in results if r.note]
    return "\n".join(lines + (["notes:", *notes] if notes else []))


def report(results: Sequence[Result]) -> None:
    print(table(results), flush=True)


def median_s(function: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``repeat`` calls, s."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process_s(args: Sequence[str], repeat: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of a whole process (start-up included), s; a failing process stops the benchmark."""

    def once() -> None:
        done = subprocess.run(list(args), capture_output=True, text=True, check=False, env=env, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")

    return median_s(once, repeat)


def quiet_env() -> dict[str, str]:
    """The environment for timed subprocesses: no bytecode writes, no colour."""
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """A fresh PostgreSQL database on 127.0.0.1:5432 (trust auth, user postgres), or None when absent."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=1, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    except Exception:  # no server or no driver: PostgreSQL is optional
        yield None
        return
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
