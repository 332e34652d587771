"""The store's write path: no read per step, one commit per step, the chain's tip kept in memory.

A second writer (another store on the same database, as another process would be) never
forks the chain: its append makes ours collide on the sequence number, and ours is retried.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event, text

from anodeline.records import BatchStateError, RecordConflictError, Store, TelemetrySample, open_store
from anodeline.records.execution import TELEMETRY_DIGEST, telemetry_digest
from tests.records.conftest import new_batch


@pytest.fixture
def traced(tmp_path: object) -> Iterator[tuple[Store, list[str]]]:
    """A SQLite store whose every SQL statement, as the database sees it, lands in the list."""
    statements: list[str] = []
    s = open_store(f"sqlite:///{tmp_path}/traced.sqlite")
    s.migrate()
    s.engine.dispose()
    event.listen(s.engine, "connect", lambda dbapi, _record: dbapi.set_trace_callback(statements.append))
    yield s, statements
    s.close()


def _step(s: Store, batch: str, i: int, **kwargs: object) -> None:
    s.record_step(batch, index=i, action="evacuate", started_sim_s=i, ended_sim_s=i + 1, **kwargs)  # type: ignore[arg-type]


def test_a_step_is_two_inserts_and_one_commit(traced: tuple[Store, list[str]]) -> None:
    s, statements = traced
    batch = new_batch(s)
    statements.clear()
    _step(s, batch, 0, telemetry=[TelemetrySample("o2-4", 0.5, 0.2), TelemetrySample("o2-4", 0.9, 0.3)])
    _step(s, batch, 1)
    verbs = [" ".join(sql.split()[:3]) for sql in statements]
    assert verbs == [
        "BEGIN IMMEDIATE", "INSERT INTO telemetry", "INSERT INTO telemetry", "INSERT INTO steps",
        "INSERT INTO audit_entries", "INSERT INTO audit_entries", "COMMIT",
        "BEGIN IMMEDIATE", "INSERT INTO steps", "INSERT INTO audit_entries", "COMMIT",
    ]  # fmt: skip
    assert s.verify_chain().ok


def test_the_tip_is_read_once_per_store_not_per_write(traced: tuple[Store, list[str]]) -> None:
    s, statements = traced
    batch = new_batch(s)
    for i in range(5):
        _step(s, batch, i)
    assert sum("FROM audit_entries" in sql for sql in statements) == 1


def test_a_second_writer_makes_the_first_retry_not_fork(store_url: str, store: Store) -> None:
    other = open_store(store_url)
    try:
        batch = new_batch(store)  # store knows the tip
        _step(store, batch, 0)
        _step(other, batch, 1)  # the tip moves under store's feet
        _step(store, batch, 2)  # collides on the sequence number, is retried on the new tip
        report = store.verify_chain()
        assert (report.ok, report.entries) == (True, 5)
        assert [r.index for r in store.steps(batch)] == [0, 1, 2]
    finally:
        other.close()


def test_two_stores_writing_at_once_keep_one_chain(store_url: str, store: Store) -> None:
    other = open_store(store_url)
    try:
        batches = [new_batch(store, f"B-{n}") for n in range(4)]
        writers = [store, other, store, other]

        def write(n: int) -> None:
            for i in range(8):
                _step(writers[n], batches[n], i)

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(write, range(4)))
        report = store.verify_chain()
        assert (report.ok, report.entries) == (True, 4 * 2 + 4 * 8)
    finally:
        other.close()


def test_a_refused_write_leaves_the_tip_where_it_was(store: Store) -> None:
    batch = new_batch(store)
    _step(store, batch, 0)
    with pytest.raises(RecordConflictError):  # the telemetry and its entry went in, then the step failed
        _step(store, batch, 0, telemetry=[TelemetrySample("o2-4", 0.5, 0.2)])
    _step(store, batch, 1)
    report = store.verify_chain()
    assert (report.ok, report.entries) == (True, 4)
    assert store.telemetry(batch) == []


def test_a_batch_ended_by_another_writer_takes_no_more_steps(store_url: str, store: Store) -> None:
    batch = new_batch(store)
    _step(store, batch, 0)
    with open_store(store_url) as other:
        other.abort_batch(batch, sim_s=2.0, reasons=["operator"])
    with pytest.raises(BatchStateError, match="aborted"):
        _step(store, batch, 1, telemetry=[TelemetrySample("o2-4", 1.5, 0.2)])
    with pytest.raises(BatchStateError, match="aborted"):
        store.record_telemetry(batch, [TelemetrySample("o2-4", 1.5, 0.2)])
    assert [r.index for r in store.steps(batch)] == [0]
    assert store.verify_chain().ok


def test_the_telemetry_entry_covers_the_rows_as_stored(store: Store) -> None:
    batch = new_batch(store)
    samples = [TelemetrySample(f"ch-{n % 3}", n * 0.5, n * 1e-3 - 0.2) for n in range(50)]
    store.record_telemetry(batch, samples)
    with store.engine.connect() as conn:
        payload = conn.execute(text("SELECT payload FROM audit_entries WHERE kind = 'telemetry'")).scalar_one()
        rows = conn.execute(text("SELECT batch_id, channel, sim_s, value FROM telemetry ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(batch, s.channel, s.sim_s, s.value) for s in samples]
    digest = telemetry_digest([tuple(r) for r in rows])  # type: ignore[misc]
    assert f'"digest":"{TELEMETRY_DIGEST}"' in payload and f'"sha256":"{digest}"' in payload
    assert f'"rows":{len(samples)}' in payload


def test_a_write_from_another_thread_waits_for_the_store(store: Store) -> None:
    """The store's lock serialises its writers: the tip it keeps is never shared by two transactions."""
    batch = new_batch(store)
    errors: list[BaseException] = []

    def write(offset: int) -> None:
        try:
            for i in range(offset, offset + 10):
                _step(store, batch, i)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k * 100,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.verify_chain().entries == 2 + 30
