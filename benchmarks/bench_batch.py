"""Benchmark: a whole batch — compile, verify, twin run, records — on SQLite (and PostgreSQL if up).

Goal (issue 5): Example 1 (a multi-hour simulated batch) in <= 3 s wall in-process.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from anodeline.batch.runner import run_batch

ROOT = Path(__file__).resolve().parents[1]
EX1 = ROOT / "examples" / "patent" / "example-01.yaml"


def _time(db_url: str, repeat: int = 3) -> tuple[float, float, int]:
    walls = []
    report = None
    for seed in range(repeat):
        start = time.perf_counter()
        report = run_batch(EX1, db_url=db_url, seed=seed)
        walls.append(time.perf_counter() - start)
    assert report is not None and report.status == "complete"
    return statistics.median(walls), report.simulated_seconds, report.steps


def _postgres_url() -> str | None:
    try:
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=1, autocommit=True
        ) as c:
            c.execute("DROP DATABASE IF EXISTS anodeline_bench WITH (FORCE)")
            c.execute("CREATE DATABASE anodeline_bench")
        return "postgresql://postgres@127.0.0.1:5432/anodeline_bench"
    except Exception:  # no server: PostgreSQL is optional here
        return None


def main() -> None:
    run_batch(EX1, db_url="sqlite://")  # warm imports and model fits (in-memory database)
    with tempfile.TemporaryDirectory() as tmp:
        wall, simulated, steps = _time(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        print(f"Example 1 batch on SQLite: {wall:.2f} s wall for {simulated / 3600:.2f} h simulated, {steps} steps")
    url = _postgres_url()
    if url:
        wall, simulated, steps = _time(url)
        print(f"Example 1 batch on PostgreSQL: {wall:.2f} s wall for {simulated / 3600:.2f} h simulated, {steps} steps")
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS anodeline_bench WITH (FORCE)")
    else:
        print("PostgreSQL not reachable on 127.0.0.1:5432: skipped")


if __name__ == "__main__":
    main()
