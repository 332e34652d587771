"""SQLAlchemy 2.0 ``Mapped`` models of the batch record; the schema Alembic migrates to.

JSON payloads (snapshots, step arguments, readings, reasons) are stored as canonical
JSON *text*, not a database JSON type: the bytes are then the same on SQLite and
PostgreSQL and the audit chain can hash exactly what is stored. Wall-clock times are
UTC; simulated times are seconds (``*_sim_s``) on the twin's clock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(64)
HASH = String(64)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Batch(Base):
    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    recipe_id: Mapped[str] = mapped_column(String(128), index=True)
    recipe_snapshot: Mapped[str] = mapped_column(Text)
    line_snapshot: Mapped[str] = mapped_column(Text)
    route: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    verdict: Mapped[str | None] = mapped_column(String(16))
    seed: Mapped[int | None] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    created_sim_s: Mapped[float] = mapped_column(Float)
    started_sim_s: Mapped[float | None] = mapped_column(Float)
    ended_sim_s: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), index=True
    )  # the batch list, newest first (0005)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The procedure as compiled for the line (canonical JSON), frozen with the batch (revision 0002).
    procedure_snapshot: Mapped[str | None] = mapped_column(Text)
    #: The electrode the batch made, as judged at its end (canonical JSON; None when none was made).
    electrode: Mapped[str | None] = mapped_column(Text)


class Step(Base):
    __tablename__ = "steps"
    __table_args__ = (UniqueConstraint("batch_id", "index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"))
    index: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64))
    arguments: Mapped[str] = mapped_column(Text)
    manual: Mapped[bool] = mapped_column(Boolean)
    started_sim_s: Mapped[float] = mapped_column(Float)
    ended_sim_s: Mapped[float] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(16))
    readings: Mapped[str] = mapped_column(Text)


class Telemetry(Base):
    __tablename__ = "telemetry"
    __table_args__ = (Index("ix_telemetry_batch_channel_time", "batch_id", "channel", "sim_s"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"))
    channel: Mapped[str] = mapped_column(String(128))
    sim_s: Mapped[float] = mapped_column(Float)
    value: Mapped[float] = mapped_column(Float)


class Lot(Base):
    """A supplier lot of a material (substrate, lithium foil, sputtering target…)."""

    __tablename__ = "lots"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    material: Mapped[str] = mapped_column(String(64))
    supplier: Mapped[str] = mapped_column(String(128), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Item(Base):
    """A physical thing the line handles: substrate, foil, target, electrode, cell."""

    __tablename__ = "items"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    lot_id: Mapped[str | None] = mapped_column(ForeignKey("lots.id", ondelete="RESTRICT"), index=True)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    air_sensitive: Mapped[bool] = mapped_column(Boolean)
    created_sim_s: Mapped[float] = mapped_column(Float)


class ItemLink(Base):
    """Genealogy edge: ``parent`` went into ``child`` (foil → electrode → cell)."""

    __tablename__ = "item_links"

    parent_id: Mapped[str] = mapped_column(ForeignKey("items.id", ondelete="RESTRICT"), primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("items.id", ondelete="RESTRICT"), primary_key=True, index=True)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"))


class Exposure(Base):
    __tablename__ = "exposures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"))
    space: Mapped[str] = mapped_column(String(64))
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    max_o2_ppm: Mapped[float] = mapped_column(Float)
    max_h2o_ppm: Mapped[float] = mapped_column(Float)
    o2_dose_ppm_s: Mapped[float] = mapped_column(Float)
    h2o_dose_ppm_s: Mapped[float] = mapped_column(Float)


class Alarm(Base):
    __tablename__ = "alarms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    raised_sim_s: Mapped[float] = mapped_column(Float)
    code: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    hold: Mapped[bool] = mapped_column(Boolean)
    cleared_sim_s: Mapped[float | None] = mapped_column(Float)


class User(Base):
    """A person who may sign in: operator, engineer, qa or admin (21 CFR 11.10(d), (g); 11.300)."""

    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    disabled: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[str] = mapped_column(String(40))


class Signature(Base):
    """An electronic signature on a batch record: who (printed name), when, what it means (11.50, 11.70)."""

    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("batch_id", "user_name", "meaning"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    user_name: Mapped[str] = mapped_column(ForeignKey("users.name", ondelete="RESTRICT"))
    printed_name: Mapped[str] = mapped_column(String(128))
    meaning: Mapped[str] = mapped_column(String(16))
    signed_at: Mapped[str] = mapped_column(String(40))
    content_sha256: Mapped[str] = mapped_column(HASH)


class AuditEntry(Base):
    """Append-only, SHA-256-chained log of every write (see :mod:`anodeline.records.audit`).

    ``recorded_at`` is ISO-8601 UTC *text* so that the hashed bytes survive any
    database's timestamp type; ``batch_id`` has no foreign key on purpose: the audit
    trail must outlive and not depend on the rows it describes.
    """

    __tablename__ = "audit_entries"

    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    recorded_at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str | None] = mapped_column(ID, index=True)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(HASH)
    hash: Mapped[str] = mapped_column(HASH, unique=True)


# Append-only guard: refuse UPDATE and DELETE on the audit table. It stops mistakes and
# casual edits; an administrator can drop it, which is what the hash chain is for.
SQLITE_GUARDS = (
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
)
POSTGRESQL_GUARDS = (
    "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$",
    "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
)
SQLITE_GUARDS_DROP = ("DROP TRIGGER audit_entries_no_update", "DROP TRIGGER audit_entries_no_delete")
POSTGRESQL_GUARDS_DROP = (
    "DROP TRIGGER audit_entries_no_change ON audit_entries",
    "DROP FUNCTION audit_entries_append_only()",
)

for _sql in SQLITE_GUARDS:
    event.listen(AuditEntry.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRESQL_GUARDS:
    event.listen(AuditEntry.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))


class StepJournal(Base):
    """The engine's write-ahead journal of steps (revision 0003): ``intent`` committed before a step's
    first command, ``done`` after its last; a step with an intent and no ``done`` was in flight when the
    controlling process died. Operational state like a WAL: not in the audit chain (the executed steps
    are, in ``steps``)."""

    __tablename__ = "step_journal"
    __table_args__ = (Index("ix_step_journal_batch_index", "batch_id", "index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"))
    index: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(16))  # intent | done
    action: Mapped[str] = mapped_column(Text)  # the action as data (canonical JSON)
    outcome: Mapped[str | None] = mapped_column(String(16))  # done: ok | failed | interrupted
    sim_s: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[str] = mapped_column(String(40))


class Lease(Base):
    """Who controls a running batch (revision 0003): the process renews ``expires_at`` (UNIX s, UTC);
    a batch whose lease expired, or whose process on this host is gone, is ``interrupted``."""

    __tablename__ = "leases"

    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128))
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
    released: Mapped[bool] = mapped_column(Boolean)


class Command(Base):
    """An ISA-88 command sent to a batch from another process (revision 0003): ``hold``, ``restart``,
    ``stop`` or ``abort``, by whom and why; the running engine takes it at its next poll."""

    __tablename__ = "commands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    verb: Mapped[str] = mapped_column(String(16))
    user_name: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[str] = mapped_column(String(40))
    taken_at: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(Text)


class Prompt(Base):
    """A manual step put to a person (revision 0004): glove work, a load or an unload, a container sealed,
    foil bonded. Open until answered ``confirmed`` or ``refused`` (by whom, why) or ``timeout`` at its deadline
    (wall-clock UTC, ISO 8601 text like every audited time)."""

    __tablename__ = "prompts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    item: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    instructions: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[str] = mapped_column(String(40))
    deadline: Mapped[str] = mapped_column(String(40))
    answered_at: Mapped[str | None] = mapped_column(String(40))
    answer: Mapped[str | None] = mapped_column(String(16))  # confirmed | refused | timeout
    user_name: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)


class Target(Base):
    """A sputter target or evaporation charge mounted on a source (revision 0006): its identity, the
    source device it sits on, what it is, its life (kWh of target power or grams of charge) and when it
    was installed and removed (wall-clock UTC, ISO 8601). What it has used is the sum of its usage rows."""

    __tablename__ = "targets"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    source: Mapped[str] = mapped_column(String(128), index=True)  # device name, e.g. system-1/sputter-gun
    kind: Mapped[str] = mapped_column(String(32))  # sputter-target | evaporation-charge
    material: Mapped[str] = mapped_column(String(128))
    capacity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(8))  # kWh | g
    installed_at: Mapped[str] = mapped_column(String(40))
    removed_at: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")


class TargetUsage(Base):
    """What one batch's deposition took from a target (revision 0006): kWh or g, over how many seconds."""

    __tablename__ = "target_usage"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target_id: Mapped[str] = mapped_column(ForeignKey("targets.id", ondelete="RESTRICT"), index=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    layer: Mapped[str] = mapped_column(String(64))
    amount: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float)
