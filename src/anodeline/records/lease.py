"""Leases: which process controls a running batch, renewed while it lives.

A batch's controller holds one row of ``leases`` (revision 0003): owner, pid, host and an expiry
(UNIX seconds, UTC) that :class:`LeaseKeeper` pushes forward from a thread every third of the
time-to-live. When the process dies (kill -9, power, a crash) nothing renews it: once it has
expired — or at once, when the lease's host is this host and its pid is gone — the batch shows
as ``interrupted`` (:func:`shown_status`) until someone resumes or abandons it. As in FactoryTalk
Batch and SIMATIC BATCH, the record does not pretend a batch nobody controls is running.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from anodeline.records.bulk import Tx

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.records.core import StoreCore

#: Default time-to-live of a lease in seconds (``$ANODELINE_LEASE_S`` changes it).
DEFAULT_TTL_S: Final = 10.0
#: Statuses of the record in which a batch needs a live controller.
CONTROLLED: Final = frozenset({"running", "held"})


@dataclass(frozen=True)
class LeaseRecord:
    batch_id: str
    owner: str
    pid: int
    host: str
    acquired_at: float
    expires_at: float
    released: bool

    def alive(self, now: float | None = None) -> bool:
        """True while the lease is held: not released, not expired, and its process not known dead."""
        if self.released:
            return False
        if self.expires_at <= (time.time() if now is None else now):
            return False
        return not (self.host == socket.gethostname() and not pid_alive(self.pid))


def ttl_s() -> float:
    """The lease time-to-live: ``$ANODELINE_LEASE_S`` or :data:`DEFAULT_TTL_S`."""
    raw = os.environ.get("ANODELINE_LEASE_S", "")
    try:
        value = float(raw) if raw else DEFAULT_TTL_S
    except ValueError:
        value = DEFAULT_TTL_S
    return value if value > 0.0 else DEFAULT_TTL_S


def pid_alive(pid: int) -> bool:
    """True when process ``pid`` exists on this host and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def shown_status(status: str, lease: LeaseRecord | None, now: float | None = None) -> str:
    """The status to show: ``interrupted`` for a running (or holding) batch no live process controls.

    A ``running`` batch with no lease at all was started before leases existed and never ended: also
    interrupted. A ``held`` batch whose process released its lease waits for a person: ``held``.
    """
    if status not in CONTROLLED:
        return status
    if lease is None:
        return "interrupted" if status == "running" else status
    if lease.released:
        return "interrupted" if status == "running" else status
    return status if lease.alive(now) else "interrupted"


# ---- rows ------------------------------------------------------------------------------------


def acquire(tx: Tx, batch_id: str, owner: str, ttl: float) -> LeaseRecord:
    """Take the lease of ``batch_id`` for this process (replacing a dead or released one)."""
    now = time.time()
    record = LeaseRecord(batch_id, owner[:128], os.getpid(), socket.gethostname()[:255], now, now + ttl, False)
    current = read(tx, batch_id)
    if current is not None and current.alive(now) and current.pid != os.getpid():
        from anodeline.records.errors import RecordConflictError

        raise RecordConflictError(
            f"batch {batch_id!r} is controlled by {current.owner} (pid {current.pid} on {current.host}) "
            f"until {time.strftime('%H:%M:%S', time.gmtime(current.expires_at))} UTC",
            hint="send it a command ('anodeline batch hold …') instead; resume only an interrupted batch",
        )
    tx.run(tx.sql.lease_delete, (batch_id,))
    tx.run(tx.sql.lease_insert, (record.batch_id, record.owner, record.pid, record.host, record.acquired_at,
                                 record.expires_at, record.released))  # fmt: skip
    return record


def renew(tx: Tx, batch_id: str, ttl: float) -> bool:
    """Push the expiry of this process's lease forward; False when the lease is no longer ours."""
    return bool(tx.run(tx.sql.lease_renew, (time.time() + ttl, batch_id, os.getpid())))


def release(tx: Tx, batch_id: str) -> None:
    tx.run(tx.sql.lease_release, (batch_id, os.getpid()))


def read(tx: Tx, batch_id: str) -> LeaseRecord | None:
    row = tx.one(tx.sql.lease_row, (batch_id,))
    return None if row is None else _of(row)


def read_all(tx: Tx) -> dict[str, LeaseRecord]:
    return {str(r[0]): _of(r) for r in tx.all(tx.sql.lease_rows)}


def _of(row: tuple[Any, ...]) -> LeaseRecord:
    batch_id, owner, pid, host, acquired_at, expires_at, released = row
    return LeaseRecord(
        str(batch_id), str(owner), int(pid), str(host), float(acquired_at), float(expires_at),
        bool(released),
    )  # fmt: skip


class LeaseKeeper:
    """Hold a batch's lease while the batch runs: acquire, renew from a daemon thread, release.

    The thread renews every third of the time-to-live; a renewal the database refuses (busy) is
    tried again at the next tick, so one slow write does not lose the lease.
    """

    def __init__(self, store: StoreCore, batch_id: str, owner: str, ttl: float | None = None) -> None:
        self.store, self.batch_id, self.owner = store, batch_id, owner
        self.ttl = ttl if ttl is not None else ttl_s()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LeaseKeeper:
        self.store.acquire_lease(self.batch_id, owner=self.owner, ttl=self.ttl)
        if self.store.url.get_backend_name() == "sqlite" and self.store.url.database in (None, "", ":memory:"):
            return self  # one shared connection, and no other process can see it: nothing to renew
        self._thread = threading.Thread(target=self._renew, name=f"lease-{self.batch_id}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.ttl)
        self.store.release_lease(self.batch_id)

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl / 3.0):
            try:
                self.store.renew_lease(self.batch_id, ttl=self.ttl)
            except Exception:
                continue
