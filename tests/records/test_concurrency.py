"""16 batches run at once into one database (SQLite file and PostgreSQL), each by its own process
with its own store: no batch lost, no audit sequence twice, the chain and every row intact."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest
from sqlalchemy import text

from anodeline.records import ExposureInterval, Store, TelemetrySample, open_store
from anodeline.records.direct import open_direct

WORKERS = 16
STEPS = 12


def _one_batch(url: str, number: int, mixed: bool = False) -> str:
    """What one batch run writes, in its order: create, materials, steps with telemetry, an alarm
    that holds and clears, exposures as they close, the finish with the electrode. ``mixed``: every
    other process writes through sqlite3 (:class:`~anodeline.records.direct.DirectStore`, as ``run`` does)."""
    direct = open_direct(url) if mixed and number % 2 else None
    with direct or open_store(url) as s:
        batch = s.create_batch(recipe_id=f"r-{number}", recipe_snapshot={"n": number}, line_snapshot={},
                               route="coat_lithium_base", procedure_snapshot={"steps": STEPS}).batch_id  # fmt: skip
        s.register_lot(f"{batch}/substrate-lot", material="Cu foil")
        s.register_item(f"{batch}/base", kind="base", lot_id=f"{batch}/substrate-lot", batch_id=batch)
        s.register_item(f"{batch}/electrode", kind="electrode", batch_id=batch)
        s.link(f"{batch}/base", f"{batch}/electrode", batch_id=batch)
        s.start_batch(batch, sim_s=0.0)
        for index in range(STEPS):
            t = 10.0 * index
            samples = [TelemetrySample(f"o2-{k}", t + 1, 0.1 * number + k) for k in range(5)]
            s.record_step(batch, index=index, action="hold", started_sim_s=t, ended_sim_s=t + 10, telemetry=samples)
            if index == STEPS // 2:
                alarm = s.raise_alarm(batch, sim_s=t + 10, code="SUSPEND", message="o2", hold=True)
                s.clear_alarm(alarm.alarm_id, sim_s=t + 10)
                s.record_exposure(ExposureInterval(f"{batch}/base", "c4", 0, t, 0.5, 0.4, t, t), batch_id=batch)
        s.finish_batch(batch, sim_s=10.0 * STEPS, verdict="pass", electrode={"id": f"{batch}/electrode"})
        return batch


def _all_at_once(url: str, mixed: bool = False) -> None:
    with open_store(url) as s:
        s.migrate()
    pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork"))
    with pool:
        made = list(pool.map(_one_batch, [url] * WORKERS, range(WORKERS), [mixed] * WORKERS))  # re-raises a failure
    with open_store(url) as s:
        _check(s, made)


def _check(s: Store, made: list[str]) -> None:
    batches = {b.batch_id: b for b in s.list_batches()}
    assert set(batches) == set(made) and len(made) == WORKERS  # none lost
    assert {b.status for b in batches.values()} == {"completed"}
    assert all(len(s.steps(b)) == STEPS for b in made)
    with s.engine.connect() as conn:
        sequences = list(conn.execute(text("SELECT sequence FROM audit_entries ORDER BY sequence")).scalars())
    assert sequences == list(range(1, len(sequences) + 1))  # none twice, none missing
    # create, lot, 2 items, link, start; telemetry + step per step; raise, held, clear, running; exposure; finish
    per_batch = 1 + 1 + 2 + 1 + 1 + 2 * STEPS + 4 + 1 + 1
    assert len(sequences) == WORKERS * per_batch
    report = s.verify()
    assert report.ok, report.problems
    assert report.rows_checked


def test_sixteen_batches_at_once_into_one_sqlite_file(tmp_path: object) -> None:
    _all_at_once(f"sqlite:///{tmp_path}/shared.sqlite")


def test_sixteen_batches_at_once_into_one_sqlite_file_by_both_stores(tmp_path: object) -> None:
    """Half the processes write through sqlite3, half through SQLAlchemy: one audit sequence still."""
    _all_at_once(f"sqlite:///{tmp_path}/shared.sqlite", mixed=True)


def test_sixteen_batches_at_once_into_one_postgresql_database(store_url: str) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("the SQLite case is the test above (a file shared by processes)")
    _all_at_once(store_url)
