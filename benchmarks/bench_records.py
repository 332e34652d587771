"""Batch records against the database itself: telemetry rows/s, steps with audit entries/s, audit verify.

Each figure of the product's store (a temporary SQLite file; PostgreSQL on 127.0.0.1:5432
when it answers) is set against a raw writer into the same schema — created by the
product's migration, then written with the DB-API alone:

* telemetry: ``Store.record_telemetry`` in chunks of ``--chunk`` rows (one transaction and
  one audit entry each) vs sqlite3 ``executemany`` of the same chunks, one transaction each
  (PostgreSQL: ``COPY … FROM STDIN`` per chunk);
* steps: ``Store.record_step`` (one transaction with its audit entry each) vs a raw step
  row plus a chained audit row (hashlib, head kept in memory), one transaction each;
* audit verify: ``Store.verify_chain`` vs a sqlite3 + hashlib loop over the same rows; ``Store.verify``
  (chain + every domain row against the audit payloads) vs the chain alone.

Run: ``.venv/bin/python benchmarks/bench_records.py [--quick] [--steps N] [--telemetry N] [--chunk N]``.
Goals (issue 9): telemetry ≥ 0.6× executemany (SQLite) and ≥ 0.6× COPY (PostgreSQL); steps ≥ 0.3× raw.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness import Result, postgres, report
from sqlalchemy.engine import make_url

from anodeline.records import Store, TelemetrySample, open_store

CHANNEL = "chamber-4.o2_ppm"
STEP_ARGUMENTS = {"space": "chamber-4"}
STEP_READINGS = {"p_pa": 1e-3, "o2_ppm": 0.4}


@dataclass(frozen=True)
class Sizes:
    steps: int
    telemetry: int
    chunk: int


def _samples(n: int) -> list[TelemetrySample]:
    return [TelemetrySample(CHANNEL, i * 0.1, 0.3 + (i % 7) * 0.01) for i in range(n)]


def _rate(n: int, work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return n / (time.perf_counter() - start)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _migrated_store(url: str) -> tuple[Store, str]:
    """A migrated store with one running batch (the raw writers need its row for the foreign keys)."""
    store = open_store(url)
    store.migrate()
    batch = store.create_batch(recipe_id="bench", recipe_snapshot={}, line_snapshot={}, route="bench").batch_id
    store.start_batch(batch, sim_s=0)
    return store, batch


# --- the product --------------------------------------------------------------------------------
def product_steps(store: Store, batch: str, n: int) -> float:
    def work() -> None:
        for i in range(n):
            store.record_step(batch, index=i, action="evacuate", arguments=STEP_ARGUMENTS, started_sim_s=i,
                              ended_sim_s=i + 1, readings=STEP_READINGS)  # fmt: skip

    return _rate(n, work)


def product_telemetry(store: Store, batch: str, samples: Sequence[TelemetrySample], chunk: int) -> float:
    def work() -> None:
        for start in range(0, len(samples), chunk):
            store.record_telemetry(batch, samples[start : start + chunk])

    return _rate(len(samples), work)


# --- raw DB-API writers into the same schema ---------------------------------------------------
def _insert(table: str, columns: Sequence[str], placeholder: str) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([placeholder] * len(columns))})"


class RawWriter:
    """Steps with chained audit rows and telemetry chunks through a DB-API connection (``?`` or ``%s``)."""

    def __init__(self, connection: Any, batch: str, placeholder: str, begin: str) -> None:
        self.db, self.batch, self.begin = connection, batch, begin
        head = connection.execute("SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1").fetchone()
        self.sequence, self.head = head if head is not None else (0, "0" * 64)
        self.step_sql = _insert(
            "steps", ("batch_id", '"index"', "action", "arguments", "manual", "started_sim_s", "ended_sim_s",
                      "outcome", "readings"), placeholder,
        )  # fmt: skip
        self.audit_sql = _insert(
            "audit_entries", ("sequence", "recorded_at", "actor", "kind", "batch_id", "payload", "prev_hash", "hash"),
            placeholder,
        )  # fmt: skip
        self.telemetry_sql = _insert("telemetry", ("batch_id", "channel", "sim_s", "value"), placeholder)

    def audit(self, cursor: Any, kind: str, payload: dict[str, Any]) -> None:
        self.sequence += 1
        recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
        entry = {"sequence": self.sequence, "recorded_at": recorded_at, "actor": "bench", "kind": kind,
                 "batch_id": self.batch, "payload": payload}  # fmt: skip
        digest = hashlib.sha256((self.head + _canonical(entry)).encode()).hexdigest()
        cursor.execute(self.audit_sql, (self.sequence, recorded_at, "bench", kind, self.batch, _canonical(payload),
                                        self.head, digest))  # fmt: skip
        self.head = digest

    def steps(self, n: int) -> float:
        def work() -> None:
            for i in range(n):
                cursor = self.db.cursor()
                cursor.execute(self.begin)
                row = (self.batch, i, "evacuate", _canonical(STEP_ARGUMENTS), False, float(i), float(i + 1), "ok",
                       _canonical(STEP_READINGS))  # fmt: skip
                cursor.execute(self.step_sql, row)
                self.audit(cursor, "step", {"index": i, "action": "evacuate", "arguments": STEP_ARGUMENTS,
                                            "manual": False, "started_sim_s": float(i), "ended_sim_s": float(i + 1),
                                            "outcome": "ok", "readings": STEP_READINGS})  # fmt: skip
                cursor.execute("COMMIT")

        return _rate(n, work)

    def telemetry(self, samples: Sequence[TelemetrySample], chunk: int) -> float:
        rows = [(self.batch, s.channel, s.sim_s, s.value) for s in samples]

        def work() -> None:
            for start in range(0, len(rows), chunk):
                cursor = self.db.cursor()
                cursor.execute(self.begin)
                cursor.executemany(self.telemetry_sql, rows[start : start + chunk])
                cursor.execute("COMMIT")

        return _rate(len(rows), work)


def raw_sqlite(path: Path) -> sqlite3.Connection:
    """sqlite3 with the store's own settings: WAL, synchronous=NORMAL, foreign keys, explicit transactions."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


def raw_verify(connection: Any) -> tuple[int, float]:
    """The audit chain recomputed by a plain loop: one parse and one canonical encode per entry."""
    start = time.perf_counter()
    prev, expected, count = "0" * 64, 1, 0
    rows = connection.execute(
        "SELECT sequence, recorded_at, actor, kind, batch_id, payload, prev_hash, hash FROM audit_entries"
        " ORDER BY sequence"
    )
    for sequence, recorded_at, actor, kind, batch_id, payload, prev_hash, stored in rows:
        entry = {"sequence": sequence, "recorded_at": recorded_at, "actor": actor, "kind": kind,
                 "batch_id": batch_id, "payload": json.loads(payload)}  # fmt: skip
        digest = hashlib.sha256((prev + _canonical(entry)).encode()).hexdigest()
        assert sequence == expected and prev_hash == prev and digest == stored, sequence
        prev, expected, count = stored, expected + 1, count + 1
    return count, time.perf_counter() - start


def copy_telemetry(url: str, batch: str, samples: Sequence[TelemetrySample], chunk: int) -> float:
    """PostgreSQL ``COPY telemetry … FROM STDIN``, one transaction per chunk."""
    import psycopg

    rows = [(batch, s.channel, s.sim_s, s.value) for s in samples]
    with psycopg.connect(url) as connection:

        def work() -> None:
            for start in range(0, len(rows), chunk):
                with (
                    connection.transaction(),
                    connection.cursor() as cursor,
                    cursor.copy("COPY telemetry (batch_id, channel, sim_s, value) FROM STDIN") as copy,
                ):
                    for row in rows[start : start + chunk]:
                        copy.write_row(row)

        return _rate(len(rows), work)


def raw_postgres_steps(url: str, batch: str, n: int) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        return RawWriter(connection, batch, "%s", "BEGIN").steps(n)


# --- the benchmark ------------------------------------------------------------------------------
def sqlite_results(sizes: Sizes) -> list[Result]:
    samples = _samples(sizes.telemetry)
    with tempfile.TemporaryDirectory() as tmp:
        store, batch = _migrated_store(f"sqlite:///{Path(tmp) / 'product.sqlite'}")
        with store:
            steps_per_s = product_steps(store, batch, sizes.steps)
            rows_per_s = product_telemetry(store, batch, samples, sizes.chunk)
            start = time.perf_counter()
            chain = store.verify_chain()
            verify_s = time.perf_counter() - start
            start = time.perf_counter()
            full = store.verify(rows=True)
            full_s = time.perf_counter() - start
        assert chain.ok, chain
        assert full.ok and full.rows_checked, full.problems
        raw_path = Path(tmp) / "raw.sqlite"
        raw_store, raw_batch = _migrated_store(f"sqlite:///{raw_path}")
        raw_store.close()
        connection = raw_sqlite(raw_path)
        writer = RawWriter(connection, raw_batch, "?", "BEGIN IMMEDIATE")
        raw_steps_per_s = writer.steps(sizes.steps)
        raw_rows_per_s = writer.telemetry(samples, sizes.chunk)
        # the same rows for both verifiers: the product's chain, read raw
        with sqlite3.connect(Path(tmp) / "product.sqlite") as product_db:
            raw_entries, raw_verify_s = raw_verify(product_db)
        connection.close()
    assert raw_entries == chain.entries
    chunk_note = f"{sizes.telemetry:,} rows in chunks of {sizes.chunk} (one transaction each)"
    return [
        Result("telemetry ingest, SQLite", "rows/s", rows_per_s, raw_rows_per_s, "sqlite3 executemany",
               goal_ratio=0.6, note=chunk_note),
        Result("steps + audit entries, SQLite", "steps/s", steps_per_s, raw_steps_per_s, "raw step + audit row",
               goal_ratio=0.3, note=f"{sizes.steps:,} steps, one transaction each"),
        Result("audit verify, SQLite", "entries/s", chain.entries / verify_s, raw_entries / raw_verify_s,
               "sqlite3 + hashlib loop", note=f"{chain.entries:,} entries"),
        Result("audit verify + every row cross-checked, SQLite", "entries/s", full.entries / full_s,
               chain.entries / verify_s, "the chain alone (issue 9)",
               note=f"{chain.entries:,} entries, {sizes.steps:,} steps, {sizes.telemetry:,} telemetry rows re-hashed"),
    ]  # fmt: skip


def postgres_results(sizes: Sizes) -> list[Result]:
    samples = _samples(sizes.telemetry)
    steps = max(sizes.steps // 4, 1)  # a round trip per statement: a quarter of the steps keeps the run short
    with postgres() as url:
        if url is None:
            print("PostgreSQL not reachable on 127.0.0.1:5432 (user postgres): PostgreSQL rows skipped")
            return []
        store, batch = _migrated_store(url)
        with store:
            steps_per_s = product_steps(store, batch, steps)
            rows_per_s = product_telemetry(store, batch, samples, sizes.chunk)
            raw_batch = store.create_batch(recipe_id="raw", recipe_snapshot={}, line_snapshot={}, route="raw").batch_id
            store.start_batch(raw_batch, sim_s=0)
        plain_url = make_url(url).render_as_string(hide_password=False)
        copy_rows_per_s = copy_telemetry(plain_url, raw_batch, samples, sizes.chunk)
        raw_steps_per_s = raw_postgres_steps(plain_url, raw_batch, steps)
    return [
        Result("telemetry ingest, PostgreSQL", "rows/s", rows_per_s, copy_rows_per_s, "COPY FROM STDIN",
               goal_ratio=0.6, note=f"local server, {sizes.telemetry:,} rows in the same chunks"),
        Result("steps + audit entries, PostgreSQL", "steps/s", steps_per_s, raw_steps_per_s, "raw step + audit row",
               goal_ratio=0.3, note=f"{steps:,} steps, psycopg, one transaction each"),
    ]  # fmt: skip


def measure(quick: bool = False, sizes: Sizes | None = None) -> list[Result]:
    sizes = sizes or (Sizes(500, 50_000, 1000) if quick else Sizes(2000, 200_000, 1000))
    return sqlite_results(sizes) + postgres_results(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rows and steps")
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--telemetry", type=int, default=None)
    parser.add_argument("--chunk", type=int, default=1000)
    args = parser.parse_args()
    base = Sizes(500, 50_000, args.chunk) if args.quick else Sizes(2000, 200_000, args.chunk)
    report(measure(sizes=Sizes(args.steps or base.steps, args.telemetry or base.telemetry, args.chunk)))


if __name__ == "__main__":
    main()
