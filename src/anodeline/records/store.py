"""The batch-record store: one object the engine writes through and reports read from.

Every method is one transaction: it commits with its audit entry, or rolls back and
raises a :class:`~anodeline.records.errors.RecordsError` naming the store and the fix.
Callers get frozen value objects, never ORM rows, so nothing lazy-loads after the
session is gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from anodeline.records import (
    audit,
    batches,
    commands,
    execution,
    genealogy,
    lease,
    migrate,
    signatures,
    stepjournal,
    users,
    verify,
)
from anodeline.records.anchors import Anchor
from anodeline.records.audit import AuditHead, ChainReport
from anodeline.records.connection import make_engine, normalise_url, shown, translated_errors
from anodeline.records.exposure import ExposureInterval
from anodeline.records.lease import LeaseRecord
from anodeline.records.lengths import check_lengths
from anodeline.records.models import Alarm, Batch, Item, Lot, Step, User
from anodeline.records.signatures import SignatureRecord
from anodeline.records.telemetry import TelemetrySample
from anodeline.records.users import UserRecord
from anodeline.records.values import (
    AlarmRecord,
    BatchRecord,
    ExposureRecord,
    Genealogy,
    ItemRecord,
    LotRecord,
    StepRecord,
)
from anodeline.records.verify import AuditReport

T = TypeVar("T")
ACTOR = "anodeline"
#: How often a write is tried when other writers keep appending to the chain under it.
_WRITE_ATTEMPTS = 8


def open_store(url: str | None = None, *, echo: bool = False) -> Store:
    """Open the store at ``url`` (default ``sqlite:///anodeline.sqlite``); no connection is made yet.

    ``postgresql://user@host:5432/db`` uses psycopg 3. Call :meth:`Store.migrate` once
    on a new database.
    """
    parsed = normalise_url(url)
    with translated_errors(parsed):
        return Store(parsed, make_engine(parsed, echo=echo))


class Store:
    """Repository of batch records on one database (SQLite file or PostgreSQL)."""

    def __init__(self, url: URL, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._lock = threading.RLock()  # one writer per store at a time; guards the tip below
        self._tip: AuditHead | None = None  # the chain's committed tip, when known
        self._tip_known = False  # False: read it under the append lock in the next write

    def __repr__(self) -> str:
        return f"Store({shown(self.url)!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    # ---- schema -------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Alembic ``upgrade head``: a fresh database gets the whole schema, an old one the missing steps."""
        with translated_errors(self.url):
            migrate.upgrade_head(self.engine)

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None before :meth:`migrate`)."""
        with translated_errors(self.url):
            return migrate.current_revision(self.engine)

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
        check_lengths(Batch, id=batch_id, recipe_id=recipe_id, route=route)
        return self._write(
            lambda s: batches.create_batch(
                s, recipe_id=recipe_id, recipe_snapshot=recipe_snapshot, line_snapshot=line_snapshot,
                route=route, seed=seed, batch_id=batch_id, sim_s=sim_s, actor=actor,
                procedure_snapshot=procedure_snapshot,
            )
        )  # fmt: skip

    def start_batch(self, batch_id: str, *, sim_s: float, actor: str = ACTOR) -> BatchRecord:
        return self._write(lambda s: batches.start_batch(s, batch_id, sim_s=sim_s, actor=actor))

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
        return self._write(
            lambda s: batches.finish_batch(
                s, batch_id, sim_s=sim_s, verdict=verdict, reasons=reasons, aborted=False, actor=actor,
                electrode=electrode,
            )
        )  # fmt: skip

    def abort_batch(self, batch_id: str, *, sim_s: float, reasons: Iterable[str], actor: str = ACTOR) -> BatchRecord:
        """``created/running/held → aborted``; the verdict is ``fail``."""
        return self._write(
            lambda s: batches.finish_batch(
                s, batch_id, sim_s=sim_s, verdict="fail", reasons=reasons, aborted=True, actor=actor
            )
        )

    def stop_batch(self, batch_id: str, *, sim_s: float, reasons: Iterable[str], actor: str = ACTOR) -> BatchRecord:
        """``running/held → stopped`` (ISA-88 stop, everything made safe); the verdict is ``fail``."""
        return self._write(
            lambda s: batches.finish_batch(
                s, batch_id, sim_s=sim_s, verdict="fail", reasons=reasons, aborted=False, actor=actor, stopped=True
            )
        )

    def get_batch(self, batch_id: str) -> BatchRecord:
        return self._read(lambda s: BatchRecord.of(batches.load_batch(s, batch_id)))

    def list_batches(self, *, status: str | None = None) -> list[BatchRecord]:
        return self._read(lambda s: batches.list_batches(s, status=status))

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
        check_lengths(Step, action=action, outcome=outcome)

        def work(c: Connection, tip: audit.Tip) -> StepRecord:
            record = execution.record_step(
                c, tip, batch_id, index=index, action=action, arguments=arguments or {}, manual=manual,
                started_sim_s=started_sim_s, ended_sim_s=ended_sim_s, outcome=outcome,
                readings=readings or {}, actor=actor, telemetry=telemetry,
            )  # fmt: skip
            if journal is not None:  # the step journal's ``done``, in the step's own transaction
                stepjournal.write(c, batch_id, index=index, phase="done", action=journal, sim_s=ended_sim_s,
                                  outcome=outcome)  # fmt: skip
            return record

        # NORMAL, not FULL: the next step's intent (FULL) fsyncs the WAL up to and including this commit;
        # a ``done`` lost with the machine's power leaves the step in flight, which resume re-checks
        return self._write_core(work)

    def steps(self, batch_id: str) -> list[StepRecord]:
        return self._read(lambda s: execution.steps(s, batch_id))

    def record_telemetry(self, batch_id: str, samples: Sequence[TelemetrySample], *, actor: str = ACTOR) -> int:
        """Store samples a :class:`~anodeline.records.telemetry.TelemetryRecorder` kept; returns the count."""
        return self._write_core(lambda c, tip: execution.record_telemetry(c, tip, batch_id, samples, actor=actor))

    def telemetry(self, batch_id: str, channel: str | None = None) -> list[TelemetrySample]:
        return self._read(lambda s: execution.telemetry(s, batch_id, channel))

    def raise_alarm(
        self, batch_id: str, *, sim_s: float, code: str, message: str = "", hold: bool = False, actor: str = ACTOR
    ) -> AlarmRecord:
        check_lengths(Alarm, code=code)
        return self._write(
            lambda s: execution.raise_alarm(
                s, batch_id, sim_s=sim_s, code=code, message=message, hold=hold, actor=actor
            )
        )

    def clear_alarm(self, alarm_id: int, *, sim_s: float, actor: str = ACTOR) -> AlarmRecord:
        return self._write(lambda s: execution.clear_alarm(s, alarm_id, sim_s=sim_s, actor=actor))

    def alarms(self, batch_id: str) -> list[AlarmRecord]:
        return self._read(lambda s: execution.alarms(s, batch_id))

    # ---- step journal and leases (the engine's write-ahead state) -----------------------------

    def journal_intent(self, batch_id: str, *, index: int, action: Mapping[str, Any], sim_s: float) -> None:
        """Commit, durably, that step ``index`` is about to be commanded (before its first command).

        SQLite: this transaction runs with ``PRAGMA synchronous=FULL`` (the WAL is fsynced at commit,
        so the intent survives a power cut, not only a killed process); PostgreSQL: ``synchronous_commit
        = on`` for it whatever the server's default.
        """
        self._plain(
            lambda c: stepjournal.write(c, batch_id, index=index, phase="intent", action=action, sim_s=sim_s),
            durable=True,
        )

    def journal_done(self, batch_id: str, *, index: int, action: Mapping[str, Any], sim_s: float, outcome: str) -> None:
        """Commit durably that step ``index`` ended with ``outcome`` without a ``steps`` row (``interrupted``)."""
        self._plain(
            lambda c: stepjournal.write(
                c, batch_id, index=index, phase="done", action=action, sim_s=sim_s, outcome=outcome
            ),
            durable=True,
        )

    def step_journal(self, batch_id: str) -> list[stepjournal.JournalEntry]:
        return self._plain(lambda c: stepjournal.entries(c, batch_id))

    def acquire_lease(self, batch_id: str, *, owner: str, ttl: float) -> LeaseRecord:
        """Take the lease of ``batch_id`` (refused while another live process holds it)."""
        return self._plain(lambda c: lease.acquire(c, batch_id, owner, ttl), durable=True)

    def renew_lease(self, batch_id: str, *, ttl: float) -> bool:
        return self._plain(lambda c: lease.renew(c, batch_id, ttl))

    def release_lease(self, batch_id: str) -> None:
        self._plain(lambda c: lease.release(c, batch_id), durable=True)

    def lease(self, batch_id: str) -> LeaseRecord | None:
        return self._plain(lambda c: lease.read(c, batch_id))

    def leases(self) -> dict[str, LeaseRecord]:
        return self._plain(lease.read_all)

    def shown_status(self, batch: BatchRecord) -> str:
        """``batch.status``, or ``interrupted`` when no live process controls it (:func:`lease.shown_status`)."""
        return lease.shown_status(batch.status, self.lease(batch.batch_id))

    # ---- ISA-88 commands from other processes -------------------------------------------------

    def issue_command(self, batch_id: str, *, verb: str, user: str, reason: str) -> commands.CommandRecord:
        """Queue a command for the process running ``batch_id`` (with its ``batch.command`` audit entry)."""
        return self._write(lambda s: commands.issue(s, batch_id, verb=verb, user=user, reason=reason))

    def take_command(self, command_id: int, *, outcome: str, actor: str = ACTOR) -> commands.CommandRecord:
        return self._write(lambda s: commands.take(s, command_id, outcome=outcome, actor=actor))

    def pending_commands(self, batch_id: str) -> list[commands.CommandRecord]:
        return self._plain(lambda c: commands.pending(c, batch_id))

    def commands(self, batch_id: str) -> list[commands.CommandRecord]:
        return self._read(lambda s: commands.listed(s, batch_id))

    # ---- items, lots, genealogy, exposure -----------------------------------------------------

    def register_lot(
        self, lot_id: str, *, material: str, supplier: str = "", note: str = "", actor: str = ACTOR
    ) -> LotRecord:
        check_lengths(Lot, id=lot_id, material=material, supplier=supplier)
        return self._write(
            lambda s: genealogy.register_lot(s, lot_id, material=material, supplier=supplier, note=note, actor=actor)
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
        check_lengths(Item, id=item_id, kind=kind, lot_id=lot_id, batch_id=batch_id)
        return self._write(
            lambda s: genealogy.register_item(
                s, item_id, kind=kind, lot_id=lot_id, batch_id=batch_id, air_sensitive=air_sensitive,
                sim_s=sim_s, actor=actor,
            )
        )  # fmt: skip

    def link(self, parent_id: str, child_id: str, *, batch_id: str | None = None, actor: str = ACTOR) -> None:
        """Record that ``parent_id`` went into ``child_id``."""
        self._write(lambda s: genealogy.link(s, parent_id, child_id, batch_id=batch_id, actor=actor))

    def lot(self, lot_id: str) -> LotRecord | None:
        """The lot ``lot_id``, or None when it is not registered."""
        return self._read(lambda s: genealogy.find_lot(s, lot_id))

    def item(self, item_id: str) -> ItemRecord | None:
        """The item ``item_id``, or None when it is not registered."""
        return self._read(lambda s: genealogy.find_item(s, item_id))

    def genealogy(self, item_id: str) -> Genealogy:
        return self._read(lambda s: genealogy.genealogy(s, item_id))

    def items_from_lot(self, lot_id: str) -> list[ItemRecord]:
        return self._read(lambda s: genealogy.items_from_lot(s, lot_id))

    def record_exposure(
        self, interval: ExposureInterval, *, batch_id: str | None = None, actor: str = ACTOR
    ) -> ExposureRecord:
        return self._write(lambda s: genealogy.record_exposure(s, interval, batch_id=batch_id, actor=actor))

    def exposures(self, item_id: str) -> list[ExposureRecord]:
        return self._read(lambda s: genealogy.exposures(s, item_id))

    # ---- users and signatures -----------------------------------------------------------------

    def add_user(self, name: str, *, full_name: str, role: str, password_hash: str, actor: str) -> UserRecord:
        """Store a user (the hash comes from :func:`anodeline.records.auth.hash_password`)."""
        check_lengths(User, name=name, full_name=full_name, role=role, password_hash=password_hash)
        return self._write(
            lambda s: users.add_user(s, name, full_name=full_name, role=role, password_hash=password_hash, actor=actor)
        )

    def disable_user(self, name: str, *, actor: str) -> UserRecord:
        return self._write(lambda s: users.disable_user(s, name, actor=actor))

    def users(self) -> list[UserRecord]:
        return self._read(users.list_users)

    def count_users(self) -> int:
        return self._read(users.count_users)

    def user_credentials(self, name: str) -> tuple[UserRecord, str] | None:
        """The user and their stored password hash, or None (for :mod:`anodeline.records.auth` only)."""

        def read(s: Session) -> tuple[UserRecord, str] | None:
            row = users.find_user(s, name)
            return None if row is None else (UserRecord.of(row), row.password_hash)

        return self._read(read)

    def record_refusal(self, *, user: str, action: str, reason: str, batch_id: str | None = None) -> None:
        """Put a refused sign-in or action into the audit chain."""
        shown_user = user[:64]
        self._write(lambda s: users.record_refusal(s, user=shown_user, action=action, reason=reason, batch_id=batch_id))

    def record_anchor(self, *, user: str, note: str) -> None:
        """An ``audit.anchor`` entry: ``user`` reviewed the chain up to here and anchors its head."""
        self._write(lambda s: audit.append(s, actor=user, kind="audit.anchor", batch_id=None, payload={"note": note}))

    def released_batches(self) -> set[str]:
        """Ids of the batches that carry a release signature."""
        return self._read(signatures.released_batches)

    def sign(self, batch_id: str, *, user: UserRecord, meaning: str) -> SignatureRecord:
        """Sign a batch record (``user`` authenticated by :func:`anodeline.records.auth.authenticate`)."""
        return self._write(lambda s: signatures.sign(s, batch_id, user=user, meaning=meaning))

    def signatures(self, batch_id: str) -> list[SignatureRecord]:
        return self._read(lambda s: signatures.signatures(s, batch_id))

    def released(self, batch_id: str) -> bool:
        return self._read(lambda s: signatures.released(s, batch_id))

    def content_sha256(self, batch_id: str) -> str:
        """SHA-256 of the batch's content now (compare with a signature's ``content_sha256``)."""
        return self._read(lambda s: signatures.content_sha256(s, batch_id))

    def check_input_electrode(self, item_id: str, *, into_batch: str | None = None) -> None:
        """Refuse an unreleased (or already used) electrode as an input of another batch."""
        self._read(lambda s: signatures.check_input_electrode(s, item_id, into_batch=into_batch))

    # ---- audit --------------------------------------------------------------------------------

    def verify_chain(self, *, anchor: AuditHead | None = None) -> ChainReport:
        """Recompute the audit chain; ``anchor`` is a head printed earlier (e.g. in a batch report)."""
        return self._read(lambda s: audit.verify_chain(s, anchor=anchor))

    def verify(
        self,
        *,
        anchor: str | None = None,
        anchors: Sequence[Anchor] = (),
        rows: bool = True,
        anchor_log: str = "",
        public_key: Any = None,
    ) -> AuditReport:
        """The chain, every domain row against it, and the anchors (see :mod:`anodeline.records.verify`);
        ``public_key`` (Ed25519) makes every anchor line need its signature."""
        return self._read(
            lambda s: verify.verify_records(
                s, anchor=anchor, anchors=anchors, rows=rows, anchor_log=anchor_log, public_key=public_key
            )
        )

    def audit_head(self) -> AuditHead | None:
        """The chain's newest sequence and hash: print it where the database cannot reach."""
        return self._read(audit.chain_head)

    # ---- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction (commit on success, rollback on error) with errors translated.

        A write made here through :func:`anodeline.records.audit.append` reads the chain's tip
        under the append lock itself; the store's own methods use the tip kept in memory.
        """
        with translated_errors(self.url), self._sessions.begin() as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in one transaction that may append to the audit chain (retried when another
        writer moved the chain): the way in for records modules without methods here (:mod:`.prompts`)."""
        return self._write(work)

    def read(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in one read transaction."""
        return self._read(work)

    def _read(self, work: Callable[[Session], T]) -> T:
        with self.session() as session:
            return work(session)

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one ORM transaction that may append to the audit chain (see :meth:`_attempts`)."""

        def attempt(fresh: audit.Tip | None) -> tuple[T, audit.Tip]:
            with self._sessions() as session, session.begin():
                tip = fresh or audit.read_tip(session)
                session.info[audit.TIP_KEY] = tip
                return work(session), tip

        return self._attempts(attempt)

    def _write_core(self, work: Callable[[Connection, audit.Tip], T], *, durable: bool = False) -> T:
        """Run ``work`` in one Core transaction (the write path of a running batch, see :mod:`.bulk`)."""

        def attempt(fresh: audit.Tip | None) -> tuple[T, audit.Tip]:
            with self._transaction(durable) as connection:
                tip = fresh or audit.read_tip(connection)
                return work(connection, tip), tip

        return self._attempts(attempt)

    def _plain(self, work: Callable[[Connection], T], *, durable: bool = False) -> T:
        """One Core transaction that appends nothing to the audit chain (journal, leases)."""
        with translated_errors(self.url), self._lock, self._transaction(durable) as connection:
            return work(connection)

    @contextmanager
    def _transaction(self, durable: bool) -> Iterator[Connection]:
        """A Core transaction; ``durable``: committed with SQLite ``synchronous=FULL`` / PostgreSQL
        ``synchronous_commit=on`` (SQLite cannot change it inside a transaction: set before, reset after)."""
        with self.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            raw = connection.connection.driver_connection if durable and sqlite else None
            if raw is not None:
                raw.execute("PRAGMA synchronous=FULL")
            try:
                with connection.begin():
                    if durable and not sqlite:
                        connection.exec_driver_sql("SET LOCAL synchronous_commit = on")
                    yield connection
            finally:
                if raw is not None:
                    raw.execute("PRAGMA synchronous=NORMAL")

    def _attempts(self, attempt: Callable[[audit.Tip | None], tuple[T, audit.Tip]]) -> T:
        """Commit one transaction that appends to the audit chain, from the chain's tip kept in memory.

        The tip is not queried per transaction: the store keeps it (under its lock) and moves it
        only after a commit succeeds, so it never names an entry that was rolled back. A second
        writer (another store or process) that appended meanwhile makes this transaction's first
        entry collide on its sequence number (the primary key): the transaction is rolled back and
        run again on the tip read under the append lock — the chain stays one line, never a fork.
        """
        with translated_errors(self.url), self._lock:
            for number in range(_WRITE_ATTEMPTS):
                fresh = audit.Tip.of(self._tip) if number == 0 and self._tip_known else None
                try:
                    result, tip = attempt(fresh)
                except audit.ChainMovedError:
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
