"""What both stores do alike: the methods a running batch calls, on the driver's transaction.

:class:`StoreCore` holds the chain's tip in memory and the write methods of a batch's life
(create, lots, items and links, start, steps with telemetry, alarms, exposures, the step journal,
the lease, commands, the end, the audit head). Each runs the records modules' functions on a
:class:`~anodeline.records.bulk.Tx` — the same statements (:mod:`anodeline.records.bulk`) on
either store: :class:`anodeline.records.store.Store` (SQLAlchemy: PostgreSQL, creating and
migrating, the ORM's reads) and :class:`anodeline.records.direct.DirectStore` (sqlite3, a SQLite
file already at the schema's head: what ``anodeline run`` writes through, without importing
SQLAlchemy). A subclass says how a transaction is opened (:meth:`StoreCore._tx`) and how driver
errors become :class:`~anodeline.records.errors.RecordsError` s (:meth:`StoreCore._translated`).

Every method is one transaction: it commits with its audit entry, or rolls back and raises.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from anodeline.records import batches, bulk, commands, execution, genealogy, lease, stepjournal
from anodeline.records import targets as target_rows
from anodeline.records.bulk import Tx
from anodeline.records.chain import AuditHead, ChainMovedError, Tip
from anodeline.records.exposure import ExposureInterval
from anodeline.records.lease import LeaseRecord
from anodeline.records.lengths import check_lengths
from anodeline.records.telemetry import TelemetrySample
from anodeline.records.urls import StoreURL, shown
from anodeline.records.values import (
    AlarmRecord,
    BatchRecord,
    ExposureRecord,
    Genealogy,
    ItemRecord,
    LotRecord,
    StepRecord,
)

T = TypeVar("T")
ACTOR = "anodeline"
#: How often a write is tried when other writers keep appending to the chain under it.
_WRITE_ATTEMPTS = 8


class StoreCore(ABC):
    """A batch-record store's common part; see the module's text."""

    url: StoreURL
    #: True when every transaction goes through one connection (reads then take the store's lock too).
    _one_connection = False

    def __init__(self, url: StoreURL) -> None:
        self.url = url
        self._lock = threading.RLock()  # one writer per store at a time; guards the tip below
        self._tip: AuditHead | None = None  # the chain's committed tip, when known
        self._tip_known = False  # False: read it under the append lock in the next write

    def __repr__(self) -> str:
        return f"{type(self).__name__}({shown(self.url)!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # ---- what a subclass provides -------------------------------------------------------------

    @abstractmethod
    def close(self) -> None:
        """Release the store's connections."""

    @abstractmethod
    def migrate(self) -> None:
        """Bring the database to the schema's head (nothing to do for a store opened at head)."""

    @abstractmethod
    def _tx(self, durable: bool) -> AbstractContextManager[Tx]:
        """One transaction (commit on success, rollback on error); ``durable``: committed with SQLite
        ``synchronous=FULL`` / PostgreSQL ``synchronous_commit=on``."""

    @abstractmethod
    def _translated(self) -> AbstractContextManager[None]:
        """Driver errors inside as :class:`~anodeline.records.errors.RecordsError` s naming the store."""

    # ---- batches ------------------------------------------------------------------------------

    def create_batch(
        self,
        *,
        recipe_id: str,
        recipe_snapshot: Mapping[str, Any],
        line_snapshot: Mapping[str, Any],
        route: str,
        seed: int | None = None,
        batch_id: str | None = None,
        sim_s: float = 0.0,
        actor: str = ACTOR,
        procedure_snapshot: Mapping[str, Any] | None = None,
    ) -> BatchRecord:
        check_lengths("batches", id=batch_id, recipe_id=recipe_id, route=route)
        return self._write_tx(
            lambda tx, tip: batches.create_batch(
                tx, tip, recipe_id=recipe_id, recipe_snapshot=recipe_snapshot, line_snapshot=line_snapshot,
                route=route, seed=seed, batch_id=batch_id, sim_s=sim_s, actor=actor,
                procedure_snapshot=procedure_snapshot,
            )
        )  # fmt: skip

    def start_batch(self, batch_id: str, *, sim_s: float, actor: str = ACTOR) -> BatchRecord:
        return self._write_tx(lambda tx, tip: batches.start_batch(tx, tip, batch_id, sim_s=sim_s, actor=actor))

    def finish_batch(
        self,
        batch_id: str,
        *,
        sim_s: float,
        verdict: str,
        reasons: Iterable[str] = (),
        actor: str = ACTOR,
        electrode: Mapping[str, Any] | None = None,
    ) -> BatchRecord:
        """``running → completed`` with verdict ``pass`` or ``fail`` (and the electrode made, if any)."""
        return self._write_tx(
            lambda tx, tip: batches.finish_batch(
                tx, tip, batch_id, sim_s=sim_s, verdict=verdict, reasons=reasons, aborted=False, actor=actor,
                electrode=electrode,
            )
        )  # fmt: skip

    def abort_batch(self, batch_id: str, *, sim_s: float, reasons: Iterable[str], actor: str = ACTOR) -> BatchRecord:
        """``created/running/held → aborted``; the verdict is ``fail``."""
        return self._write_tx(
            lambda tx, tip: batches.finish_batch(
                tx, tip, batch_id, sim_s=sim_s, verdict="fail", reasons=reasons, aborted=True, actor=actor
            )
        )

    def stop_batch(self, batch_id: str, *, sim_s: float, reasons: Iterable[str], actor: str = ACTOR) -> BatchRecord:
        """``running/held → stopped`` (ISA-88 stop, everything made safe); the verdict is ``fail``."""
        return self._write_tx(
            lambda tx, tip: batches.finish_batch(
                tx, tip, batch_id, sim_s=sim_s, verdict="fail", reasons=reasons, aborted=False, actor=actor,
                stopped=True,
            )
        )  # fmt: skip

    def get_batch(self, batch_id: str) -> BatchRecord:
        return self._query(lambda tx: batches.get(tx, batch_id))

    def list_batches(self, *, status: str | None = None) -> list[BatchRecord]:
        return self._query(lambda tx: batches.list_batches(tx, status=status))

    # ---- execution ----------------------------------------------------------------------------

    def record_step(
        self,
        batch_id: str,
        *,
        index: int,
        action: str,
        started_sim_s: float,
        ended_sim_s: float,
        outcome: str = "ok",
        arguments: Mapping[str, Any] | None = None,
        manual: bool = False,
        readings: Mapping[str, Any] | None = None,
        actor: str = ACTOR,
        telemetry: Sequence[TelemetrySample] = (),
        journal: Mapping[str, Any] | None = None,
    ) -> StepRecord:
        """Store one executed step (one transaction with its audit entry).

        ``journal``: the action as data; given, the step journal's ``done`` row goes in the same
        transaction (made durable by the next intent's fsync; see :meth:`journal_intent`).

        ``telemetry``: samples kept up to the step's end, written in the same transaction before
        the step (with their own audit entry, as :meth:`record_telemetry` would): one commit per step.
        """
        check_lengths("steps", action=action, outcome=outcome)

        def work(tx: Tx, tip: Tip) -> StepRecord:
            record = execution.record_step(
                tx, tip, batch_id, index=index, action=action, arguments=arguments or {}, manual=manual,
                started_sim_s=started_sim_s, ended_sim_s=ended_sim_s, outcome=outcome,
                readings=readings or {}, actor=actor, telemetry=telemetry,
            )  # fmt: skip
            if journal is not None:  # the step journal's ``done``, in the step's own transaction
                stepjournal.write(tx, batch_id, index=index, phase="done", action=journal, sim_s=ended_sim_s,
                                  outcome=outcome)  # fmt: skip
            return record

        # NORMAL, not FULL: the next step's intent (FULL) fsyncs the WAL up to and including this commit;
        # a ``done`` lost with the machine's power leaves the step in flight, which resume re-checks
        return self._write_tx(work)

    def steps(self, batch_id: str) -> list[StepRecord]:
        return self._query(lambda tx: execution.steps(tx, batch_id))

    def record_telemetry(self, batch_id: str, samples: Sequence[TelemetrySample], *, actor: str = ACTOR) -> int:
        """Store samples a :class:`~anodeline.records.telemetry.TelemetryRecorder` kept; returns the count."""
        return self._write_tx(lambda tx, tip: execution.record_telemetry(tx, tip, batch_id, samples, actor=actor))

    def telemetry(self, batch_id: str, channel: str | None = None) -> list[TelemetrySample]:
        return self._query(lambda tx: execution.telemetry(tx, batch_id, channel))

    def raise_alarm(
        self, batch_id: str, *, sim_s: float, code: str, message: str = "", hold: bool = False, actor: str = ACTOR
    ) -> AlarmRecord:
        check_lengths("alarms", code=code)
        return self._write_tx(
            lambda tx, tip: execution.raise_alarm(
                tx, tip, batch_id, sim_s=sim_s, code=code, message=message, hold=hold, actor=actor
            )
        )

    def clear_alarm(self, alarm_id: int, *, sim_s: float, actor: str = ACTOR) -> AlarmRecord:
        return self._write_tx(lambda tx, tip: execution.clear_alarm(tx, tip, alarm_id, sim_s=sim_s, actor=actor))

    def alarms(self, batch_id: str) -> list[AlarmRecord]:
        return self._query(lambda tx: execution.alarms(tx, batch_id))

    # ---- step journal and leases (the engine's write-ahead state) -----------------------------

    def journal_intent(self, batch_id: str, *, index: int, action: Mapping[str, Any], sim_s: float) -> None:
        """Commit, durably, that step ``index`` is about to be commanded (before its first command).

        SQLite: this transaction runs with ``PRAGMA synchronous=FULL`` (the WAL is fsynced at commit,
        so the intent survives a power cut, not only a killed process); PostgreSQL: ``synchronous_commit
        = on`` for it whatever the server's default.
        """
        self._plain(
            lambda tx: stepjournal.write(tx, batch_id, index=index, phase="intent", action=action, sim_s=sim_s),
            durable=True,
        )

    def journal_done(self, batch_id: str, *, index: int, action: Mapping[str, Any], sim_s: float, outcome: str) -> None:
        """Commit durably that step ``index`` ended with ``outcome`` without a ``steps`` row (``interrupted``)."""
        self._plain(
            lambda tx: stepjournal.write(
                tx, batch_id, index=index, phase="done", action=action, sim_s=sim_s, outcome=outcome
            ),
            durable=True,
        )

    def step_journal(self, batch_id: str) -> list[stepjournal.JournalEntry]:
        return self._plain(lambda tx: stepjournal.entries(tx, batch_id))

    def acquire_lease(self, batch_id: str, *, owner: str, ttl: float) -> LeaseRecord:
        """Take the lease of ``batch_id`` (refused while another live process holds it)."""
        return self._plain(lambda tx: lease.acquire(tx, batch_id, owner, ttl), durable=True)

    def renew_lease(self, batch_id: str, *, ttl: float) -> bool:
        return self._plain(lambda tx: lease.renew(tx, batch_id, ttl))

    def release_lease(self, batch_id: str) -> None:
        self._plain(lambda tx: lease.release(tx, batch_id), durable=True)

    def lease(self, batch_id: str) -> LeaseRecord | None:
        return self._plain(lambda tx: lease.read(tx, batch_id))

    def leases(self) -> dict[str, LeaseRecord]:
        return self._plain(lease.read_all)

    def shown_status(self, batch: BatchRecord) -> str:
        """``batch.status``, or ``interrupted`` when no live process controls it (:func:`lease.shown_status`)."""
        return lease.shown_status(batch.status, self.lease(batch.batch_id))

    # ---- ISA-88 commands from other processes -------------------------------------------------

    def issue_command(self, batch_id: str, *, verb: str, user: str, reason: str) -> commands.CommandRecord:
        """Queue a command for the process running ``batch_id`` (with its ``batch.command`` audit entry)."""
        return self._write_tx(lambda tx, tip: commands.issue(tx, tip, batch_id, verb=verb, user=user, reason=reason))

    def take_command(self, command_id: int, *, outcome: str, actor: str = ACTOR) -> commands.CommandRecord:
        return self._write_tx(lambda tx, tip: commands.take(tx, tip, command_id, outcome=outcome, actor=actor))

    def pending_commands(self, batch_id: str) -> list[commands.CommandRecord]:
        return self._plain(lambda tx: commands.pending(tx, batch_id))

    def commands(self, batch_id: str) -> list[commands.CommandRecord]:
        return self._query(lambda tx: commands.listed(tx, batch_id))

    # ---- items, lots, genealogy, exposure -----------------------------------------------------

    def register_lot(
        self, lot_id: str, *, material: str, supplier: str = "", note: str = "", actor: str = ACTOR
    ) -> LotRecord:
        check_lengths("lots", id=lot_id, material=material, supplier=supplier)
        return self._write_tx(
            lambda tx, tip: genealogy.register_lot(
                tx, tip, lot_id, material=material, supplier=supplier, note=note, actor=actor
            )
        )

    def register_item(
        self,
        item_id: str,
        *,
        kind: str,
        lot_id: str | None = None,
        batch_id: str | None = None,
        air_sensitive: bool = True,
        sim_s: float = 0.0,
        actor: str = ACTOR,
    ) -> ItemRecord:
        check_lengths("items", id=item_id, kind=kind, lot_id=lot_id, batch_id=batch_id)
        return self._write_tx(
            lambda tx, tip: genealogy.register_item(
                tx, tip, item_id, kind=kind, lot_id=lot_id, batch_id=batch_id, air_sensitive=air_sensitive,
                sim_s=sim_s, actor=actor,
            )
        )  # fmt: skip

    def link(self, parent_id: str, child_id: str, *, batch_id: str | None = None, actor: str = ACTOR) -> None:
        """Record that ``parent_id`` went into ``child_id``."""
        self._write_tx(lambda tx, tip: genealogy.link(tx, tip, parent_id, child_id, batch_id=batch_id, actor=actor))

    def lot(self, lot_id: str) -> LotRecord | None:
        """The lot ``lot_id``, or None when it is not registered."""
        return self._query(lambda tx: genealogy.find_lot(tx, lot_id))

    def item(self, item_id: str) -> ItemRecord | None:
        """The item ``item_id``, or None when it is not registered."""
        return self._query(lambda tx: genealogy.find_item(tx, item_id))

    def genealogy(self, item_id: str) -> Genealogy:
        return self._query(lambda tx: genealogy.genealogy(tx, item_id))

    def items_from_lot(self, lot_id: str) -> list[ItemRecord]:
        return self._query(lambda tx: genealogy.items_from_lot(tx, lot_id))

    def check_input_electrode(self, item_id: str, *, into_batch: str | None = None) -> None:
        """Refuse an unreleased (or already used) electrode as an input of another batch."""
        self._query(lambda tx: genealogy.check_input_electrode(tx, item_id, into_batch=into_batch))

    def record_exposure(
        self, interval: ExposureInterval, *, batch_id: str | None = None, actor: str = ACTOR
    ) -> ExposureRecord:
        return self._write_tx(
            lambda tx, tip: genealogy.record_exposure(tx, tip, interval, batch_id=batch_id, actor=actor)
        )

    def exposures(self, item_id: str) -> list[ExposureRecord]:
        return self._query(lambda tx: genealogy.exposures(tx, item_id))

    # ---- sputter targets and evaporation charges (records/targets.py) ---------------------------

    def install_target(
        self,
        target_id: str,
        *,
        source: str,
        kind: str,
        material: str,
        capacity: float,
        note: str = "",
        actor: str = ACTOR,
        now: datetime | None = None,
    ) -> target_rows.TargetRecord:
        """Mount ``target_id`` on ``source`` (the one mounted there before is removed)."""
        return self._write_tx(
            lambda tx, tip: target_rows.install(
                tx, tip, target_id, source=source, kind=kind, material=material, capacity=capacity, note=note,
                actor=actor, now=now,
            )
        )  # fmt: skip

    def targets(self, *, mounted_only: bool = False) -> list[target_rows.TargetRecord]:
        return self._query(lambda tx: target_rows.listed(tx, mounted_only=mounted_only))

    def mounted_targets(self) -> dict[str, target_rows.TargetRecord]:
        """Source device → the target mounted on it."""
        return self._query(target_rows.mounted)

    def record_target_use(
        self, batch_id: str, target_id: str, *, layer: str, amount: float, seconds: float, actor: str = ACTOR
    ) -> target_rows.UsageRecord:
        return self._write_tx(
            lambda tx, tip: target_rows.record_use(
                tx, tip, batch_id, target_id, layer=layer, amount=amount, seconds=seconds, actor=actor
            )
        )

    def target_usage(self, target_id: str) -> list[target_rows.UsageRecord]:
        return self._query(lambda tx: target_rows.usage(tx, target_id))

    def booked_layers(self, batch_id: str) -> set[str]:
        """The layers of ``batch_id`` whose target use is recorded already."""
        return self._query(lambda tx: target_rows.booked_layers(tx, batch_id))

    # ---- audit --------------------------------------------------------------------------------

    def audit_head(self) -> AuditHead | None:
        """The chain's newest sequence and hash: print it where the database cannot reach."""
        return self._query(bulk.audit_head)

    # ---- plumbing -----------------------------------------------------------------------------

    def _query(self, work: Callable[[Tx], T]) -> T:
        """``work`` in one transaction that writes nothing (under the store's lock only when the store has
        one connection: a pooled store's readers do not wait for its writer)."""
        with self._translated(), self._lock if self._one_connection else nullcontext(), self._tx(False) as tx:
            return work(tx)

    def _plain(self, work: Callable[[Tx], T], *, durable: bool = False) -> T:
        """One transaction that appends nothing to the audit chain (journal, leases)."""
        with self._translated(), self._lock, self._tx(durable) as tx:
            return work(tx)

    def _write_tx(self, work: Callable[[Tx, Tip], T], *, durable: bool = False) -> T:
        """``work`` in one transaction that appends to the audit chain (see :meth:`_attempts`)."""

        def attempt(fresh: Tip | None) -> tuple[T, Tip]:
            with self._tx(durable) as tx:
                tip = fresh or bulk.read_tip(tx)
                return work(tx, tip), tip

        return self._attempts(attempt)

    def _attempts(self, attempt: Callable[[Tip | None], tuple[T, Tip]]) -> T:
        """Commit one transaction that appends to the audit chain, from the chain's tip kept in memory.

        The tip is not queried per transaction: the store keeps it (under its lock) and moves it
        only after a commit succeeds, so it never names an entry that was rolled back. A second
        writer (another store or process) that appended meanwhile makes this transaction's first
        entry collide on its sequence number (the primary key): the transaction is rolled back and
        run again on the tip read under the append lock — the chain stays one line, never a fork.
        """
        with self._translated(), self._lock:
            for number in range(_WRITE_ATTEMPTS):
                fresh = Tip.of(self._tip) if number == 0 and self._tip_known else None
                try:
                    result, tip = attempt(fresh)
                except ChainMovedError:
                    self._tip, self._tip_known = None, False
                    if number + 1 == _WRITE_ATTEMPTS:
                        raise
                    continue
                except BaseException:
                    self._tip, self._tip_known = None, False  # a failed commit may or may not have landed
                    raise
                self._tip, self._tip_known = tip.head, True
                return result
        raise AssertionError("unreachable")  # pragma: no cover
