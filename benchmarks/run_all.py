"""``make bench``: every benchmark in one run, printed as one table of ratios against the baselines.

Run: ``.venv/bin/python benchmarks/run_all.py [--quick] [--only engine,records,...]``. Each
``bench_*.py`` module here also runs alone. Absolute figures depend on the machine and its
load; the ratios (product and baseline measured side by side) are what the goals bound.
"""

from __future__ import annotations

import argparse
import importlib
import time

from harness import Result, table

#: The benchmark modules, in the order of the table.
MODULES = (
    "bench_batch",
    "bench_engine",
    "bench_records",
    "bench_journal",
    "bench_resume",
    "bench_validate",
    "bench_procedure",
    "bench_campaign",
    "bench_opcua",
    "bench_modbus",
    "bench_web",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats and rows (a smoke run)")
    parser.add_argument("--only", default="", help="comma-separated module names without bench_, e.g. engine,records")
    args = parser.parse_args()
    chosen = [m for m in MODULES if not args.only or m.removeprefix("bench_") in args.only.split(",")]
    results: list[Result] = []
    start = time.perf_counter()
    for name in chosen:
        began = time.perf_counter()
        print(f"running {name} …", flush=True)
        results += importlib.import_module(name).measure(args.quick)
        print(f"  {name}: {time.perf_counter() - began:.1f} s", flush=True)
    print()
    print(table(results))
    failed = [r.name for r in results if r.passed is False]
    print(f"\n{len(results)} benchmarks in {time.perf_counter() - start:.0f} s; "
          f"{len(failed)} below their issue-9 goal")  # fmt: skip


if __name__ == "__main__":
    main()
