"""Leases: who controls a running batch, and when it shows as interrupted."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from anodeline.records import RecordConflictError, open_store
from anodeline.records.lease import LeaseKeeper, LeaseRecord, pid_alive, shown_status


def _lease(**changes: object) -> LeaseRecord:
    base: dict[str, object] = {
        "batch_id": "B-1", "owner": "otto", "pid": os.getpid(), "host": socket.gethostname(),
        "acquired_at": 0.0, "expires_at": time.time() + 60.0, "released": False,
    }  # fmt: skip
    base.update(changes)
    return LeaseRecord(**base)  # type: ignore[arg-type]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize(
    ("status", "lease", "shown"),
    [
        ("running", _lease(), "running"),
        ("running", _lease(expires_at=1.0), "interrupted"),
        ("running", None, "interrupted"),
        ("running", _lease(released=True), "interrupted"),
        ("held", _lease(released=True), "held"),
        ("held", None, "held"),
        ("held", _lease(expires_at=1.0), "interrupted"),
        ("completed", _lease(expires_at=1.0), "completed"),
        ("aborted", None, "aborted"),
    ],
)
def test_shown_status(status: str, lease: LeaseRecord | None, shown: str) -> None:
    assert shown_status(status, lease) == shown


def test_a_dead_process_on_this_host_interrupts_at_once() -> None:
    pid = _dead_pid()
    assert not pid_alive(pid)
    assert shown_status("running", _lease(pid=pid)) == "interrupted"
    assert shown_status("running", _lease(pid=pid, host="another-host")) == "running"  # there: wait for expiry


def _batch(store: object) -> str:
    record = store.create_batch(recipe_id="r", recipe_snapshot={}, line_snapshot={}, route="two_apparatus")  # type: ignore[attr-defined]
    store.start_batch(record.batch_id, sim_s=0.0)  # type: ignore[attr-defined]
    return str(record.batch_id)


def test_keeper_holds_renews_and_releases(tmp_path: object) -> None:
    with open_store(f"sqlite:///{tmp_path}/r.sqlite") as store:
        store.migrate()
        batch = _batch(store)
        with LeaseKeeper(store, batch, owner="otto", ttl=0.3):
            first = store.lease(batch)
            assert first is not None and first.alive()
            assert store.shown_status(store.get_batch(batch)) == "running"
            deadline = time.monotonic() + 30.0
            while store.lease(batch).expires_at == first.expires_at:  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the lease was never renewed"
                time.sleep(0.05)
            with pytest.raises(RecordConflictError, match="controlled by otto"):
                store._plain(lambda c: _foreign_acquire(c, batch))
        after = store.lease(batch)
        assert after is not None and after.released
        assert store.shown_status(store.get_batch(batch)) == "interrupted"  # running, nobody controls it


def _foreign_acquire(connection: object, batch: str) -> None:
    """Acquire as if from another process (another pid) while this one holds the lease."""
    from anodeline.records import lease

    real = os.getpid
    try:
        lease.os.getpid = lambda: real() + 1_000_000  # type: ignore[attr-defined]
        lease.acquire(connection, batch, "someone", 10.0)  # type: ignore[arg-type]
    finally:
        lease.os.getpid = real  # type: ignore[attr-defined]


def test_durable_writes_leave_the_connection_at_normal(tmp_path: object) -> None:
    with open_store(f"sqlite:///{tmp_path}/r.sqlite") as store:
        store.migrate()
        batch = _batch(store)
        store.journal_intent(batch, index=0, action={"action": "open"}, sim_s=1.0)
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert [(e.index, e.phase) for e in store.step_journal(batch)] == [(0, "intent")]
