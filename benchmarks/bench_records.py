"""Throughput of the batch-record store on SQLite: steps/s, telemetry rows/s, audit verification.

Run: ``.venv/bin/python benchmarks/bench_records.py [--steps 2000] [--telemetry 200000] [--url URL]``.
Each step is its own transaction (as the engine writes them); telemetry goes in
batches of ``--chunk`` rows per transaction (one audit entry per batch).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from anodeline.records import Store, TelemetrySample, open_store


def bench_steps(store: Store, batch: str, n: int) -> float:
    t0 = time.perf_counter()
    for i in range(n):
        store.record_step(
            batch, index=i, action="evacuate", arguments={"space": "chamber4"}, started_sim_s=i, ended_sim_s=i + 1,
            readings={"p_pa": 1e-3, "o2_ppm": 0.4},
        )  # fmt: skip
    return n / (time.perf_counter() - t0)


def bench_telemetry(store: Store, batch: str, n: int, chunk: int) -> float:
    samples = [TelemetrySample("chamber4.o2_ppm", i * 0.1, 0.3 + (i % 7) * 0.01) for i in range(n)]
    t0 = time.perf_counter()
    for start in range(0, n, chunk):
        store.record_telemetry(batch, samples[start : start + chunk])
    return n / (time.perf_counter() - t0)


def bench_verify(store: Store) -> tuple[int, float]:
    t0 = time.perf_counter()
    report = store.verify_chain()
    elapsed = time.perf_counter() - t0
    assert report.ok, report
    return report.entries, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--telemetry", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--url", default=None, help="store URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        with open_store(url) as store:
            store.migrate()
            batch = store.create_batch(recipe_id="bench", recipe_snapshot={}, line_snapshot={}, route="bench").batch_id
            store.start_batch(batch, sim_s=0)
            steps_per_s = bench_steps(store, batch, args.steps)
            rows_per_s = bench_telemetry(store, batch, args.telemetry, args.chunk)
            entries, verify_s = bench_verify(store)
    print(f"store:             {url.split('///')[0]} ({'temporary file' if args.url is None else 'given URL'})")
    print(f"steps written:     {steps_per_s:10.0f} steps/s  (1 transaction + 1 audit entry each)")
    print(f"telemetry written: {rows_per_s:10.0f} rows/s   (chunks of {args.chunk})")
    print(f"audit verify:      {verify_s / entries * 10_000:10.3f} s per 10,000 entries ({entries} entries)")


if __name__ == "__main__":
    main()
