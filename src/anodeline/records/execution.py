"""What happened during a batch: executed steps, telemetry rows, alarms and holds.

Telemetry is written in bulk with one audit entry per write carrying the row count
and a SHA-256 of the rows (:func:`telemetry_digest`), so the chain covers the data
without one audit entry per reading. Steps and telemetry, written while the equipment
waits, go through :mod:`anodeline.records.bulk` (no read, one statement per kind of row);
alarms go through the ORM.
"""

from __future__ import annotations

import hashlib
import math
import sys
from array import array
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from anodeline.records import audit, bulk
from anodeline.records.batches import load_batch, set_status
from anodeline.records.canonical import canonical_json, check_time, mapping_json
from anodeline.records.errors import RecordConflictError, RecordInputError, RecordNotFoundError
from anodeline.records.models import Alarm, Step, Telemetry
from anodeline.records.status import ACTIVE, STEP_OUTCOMES, check_active
from anodeline.records.telemetry import TelemetrySample
from anodeline.records.values import AlarmRecord, StepRecord

#: (batch id, channel, simulated s, value): a telemetry row as written.
TelemetryRow = tuple[str, str, float, float]
#: Names the bytes the telemetry entry's ``sha256`` covers (:func:`telemetry_digest`); entries written
#: before it have no ``digest`` key and hash the canonical JSON of ``[[channel, sim_s, value], …]``.
TELEMETRY_DIGEST = "count-u64le,channels-nul,times-f64le,values-f64le"


def record_step(
    connection: Connection,
    tip: audit.Tip,
    batch_id: str,
    *,
    index: int,
    action: str,
    arguments: Mapping[str, Any],
    manual: bool,
    started_sim_s: float,
    ended_sim_s: float,
    outcome: str,
    readings: Mapping[str, Any],
    actor: str,
    telemetry: Sequence[TelemetrySample] = (),
) -> StepRecord:
    """Store one executed step of a running (or held) batch, after ``telemetry`` kept up to its end.

    No read: the telemetry rows (COPY on PostgreSQL) with their audit entry, the step row, inserted
    only if the batch is active, and its audit entry — the entries in one statement.
    """
    start, end = check_time("step start", started_sim_s), check_time("step end", ended_sim_s)
    if end < start:
        raise RecordInputError(f"step {index} of {batch_id!r} ends ({end} s) before it starts ({start} s)")
    if outcome not in STEP_OUTCOMES:
        raise RecordInputError(f"step outcome must be one of {STEP_OUTCOMES}, got {outcome!r}")
    if index < 0 or not action:
        raise RecordInputError(f"a step needs an index ≥ 0 and an action, got index={index}, action={action!r}")
    record = StepRecord(
        batch_id, index, action, mapping_json(arguments), bool(manual), start, end, outcome, mapping_json(readings)
    )
    payload_text = canonical_json(
        {
            "index": index, "action": action, "arguments": dict(arguments), "manual": record.manual,
            "started_sim_s": start, "ended_sim_s": end, "outcome": outcome, "readings": dict(readings),
        }
    )  # fmt: skip
    rows = _telemetry_rows(batch_id, telemetry)
    sql = bulk.statements(connection)
    with bulk.cursor(connection) as handle:
        entries = [tip.entry(actor, "telemetry", batch_id, _telemetry_payload(rows))] if rows else []
        if rows:
            bulk.insert_telemetry(handle, sql, rows)
        step = (batch_id, index, action, record.arguments, record.manual, start, end, outcome, record.readings)
        if not bulk.inserted_step(handle, sql, (*step, batch_id)):
            _refuse(connection, batch_id, "record a step")
        entries.append(tip.entry(actor, "step", batch_id, payload_text))
        bulk.insert_audit(connection, handle, sql, entries)
    return record


def record_telemetry(
    connection: Connection, tip: audit.Tip, batch_id: str, samples: Sequence[TelemetrySample], *, actor: str
) -> int:
    """Bulk-insert kept telemetry samples (see :class:`TelemetryRecorder`); returns the row count.

    One read of the batch's status (FOR SHARE on PostgreSQL: it cannot end mid-write), one
    ``executemany`` (COPY on PostgreSQL) and one audit entry with the rows' count and SHA-256.
    """
    rows = _telemetry_rows(batch_id, samples)
    if not rows:
        return 0
    sql = bulk.statements(connection)
    with bulk.cursor(connection) as handle:
        handle.execute(sql.status, (batch_id,))
        found = handle.fetchone()
        if found is None or found[0] not in ACTIVE:
            _refuse(connection, batch_id, "record telemetry")
        bulk.insert_telemetry(handle, sql, rows)
        bulk.insert_audit(connection, handle, sql, [tip.entry(actor, "telemetry", batch_id, _telemetry_payload(rows))])
    return len(rows)


def _telemetry_payload(rows: list[TelemetryRow]) -> str:
    """The telemetry audit payload: row count, time span and :func:`telemetry_digest` of the rows."""
    times = array("d", [r[2] for r in rows])
    payload = {
        "rows": len(rows),
        "digest": TELEMETRY_DIGEST,
        "sha256": telemetry_digest(rows, times),
        "from_sim_s": min(times),
        "to_sim_s": max(times),
    }
    return canonical_json(payload)


def telemetry_digest(rows: Sequence[TelemetryRow], times: array[float] | None = None) -> str:
    """SHA-256 over the rows as :data:`TELEMETRY_DIGEST` says (bytes, not JSON: ~10× cheaper to make).

    The row count as 8 bytes little-endian, the channels UTF-8 joined by NUL, then every time and
    every value as IEEE-754 float64 little-endian. The count and the fixed width of the numbers
    make the split between channels and numbers unambiguous.
    """
    times = times if times is not None else array("d", [r[2] for r in rows])
    values = array("d", [r[3] for r in rows])
    if sys.byteorder != "little":  # pragma: no cover - every platform we run on is little-endian
        times, values = array("d", times), array("d", values)
        times.byteswap()
        values.byteswap()
    digest = hashlib.sha256(len(rows).to_bytes(8, "little"))
    digest.update("\0".join([r[1] for r in rows]).encode("utf-8"))
    digest.update(times.tobytes())
    digest.update(values.tobytes())
    return digest.hexdigest()


def _refuse(connection: Connection, batch_id: str, doing: str) -> NoReturn:
    """Say why a write for ``batch_id`` was refused: no such batch, or one not running or held."""
    with Session(bind=connection) as session:
        check_active(batch_id, load_batch(session, batch_id).status, doing)
    raise RecordConflictError(f"batch {batch_id!r} changed status during the write", hint="retry the write")


def _telemetry_rows(batch_id: str, samples: Sequence[TelemetrySample]) -> list[TelemetryRow]:
    """(batch, channel, time s, value) of each sample, checked: a channel, a finite time ≥ 0 s, a finite value."""
    rows = [(batch_id, s.channel, float(s.sim_s), float(s.value)) for s in samples]
    for _, channel, sim_s, value in rows:
        if not (channel and 0.0 <= sim_s < math.inf and -math.inf < value < math.inf):
            raise RecordInputError(
                f"telemetry sample of batch {batch_id!r} needs a channel, a finite time ≥ 0 s and a finite value, "
                f"got channel={channel!r}, sim_s={sim_s!r}, value={value!r}"
            )
    return rows


def telemetry(session: Session, batch_id: str, channel: str | None) -> list[TelemetrySample]:
    """A batch's stored telemetry in time order, optionally of one channel."""
    stmt = select(Telemetry.channel, Telemetry.sim_s, Telemetry.value).where(Telemetry.batch_id == batch_id)
    if channel is not None:
        stmt = stmt.where(Telemetry.channel == channel)
    stmt = stmt.order_by(Telemetry.sim_s, Telemetry.channel, Telemetry.id)
    return [TelemetrySample(c, t, v) for c, t, v in session.execute(stmt)]


def steps(session: Session, batch_id: str) -> list[StepRecord]:
    """A batch's steps in index order."""
    load_batch(session, batch_id)
    stmt = select(Step).where(Step.batch_id == batch_id).order_by(Step.index)
    return [StepRecord.of(r) for r in session.execute(stmt).scalars()]


def raise_alarm(
    session: Session, batch_id: str, *, sim_s: float, code: str, message: str, hold: bool, actor: str
) -> AlarmRecord:
    """Store an alarm; with ``hold`` a running batch becomes ``held`` until every hold is cleared."""
    batch = load_batch(session, batch_id, for_update=True)
    check_active(batch_id, batch.status, "raise an alarm")
    if not code:
        raise RecordInputError("an alarm needs a code such as 'O2_HIGH'")
    row = Alarm(
        batch_id=batch_id,
        raised_sim_s=check_time("alarm time", sim_s),
        code=code,
        message=message,
        hold=bool(hold),
        cleared_sim_s=None,
    )
    session.add(row)
    session.flush()
    payload = {"alarm_id": row.id, "code": code, "message": message, "hold": row.hold, "sim_s": row.raised_sim_s}
    audit.append(session, actor=actor, kind="alarm.raise", batch_id=batch_id, payload=payload)
    if row.hold and batch.status == "running":
        set_status(session, batch, "held", sim_s=row.raised_sim_s, actor=actor, why=f"alarm {code}")
    return AlarmRecord.of(row)


def clear_alarm(session: Session, alarm_id: int, *, sim_s: float, actor: str) -> AlarmRecord:
    """Clear an alarm; the batch resumes (``held → running``) when no hold is left active."""
    row = session.get(Alarm, alarm_id, with_for_update=True)
    if row is None:
        raise RecordNotFoundError("alarm", alarm_id)
    if row.cleared_sim_s is not None:
        raise RecordInputError(f"alarm {alarm_id} ({row.code}) was already cleared at {row.cleared_sim_s} s")
    cleared = check_time("clear time", sim_s)
    if cleared < row.raised_sim_s:
        raise RecordInputError(
            f"alarm {alarm_id} cannot clear at {cleared} s, before it was raised ({row.raised_sim_s} s)"
        )
    row.cleared_sim_s = cleared
    session.flush()
    payload = {"alarm_id": alarm_id, "code": row.code, "sim_s": cleared}
    audit.append(session, actor=actor, kind="alarm.clear", batch_id=row.batch_id, payload=payload)
    batch = load_batch(session, row.batch_id, for_update=True)
    if batch.status == "held" and not _active_holds(session, row.batch_id):
        set_status(session, batch, "running", sim_s=cleared, actor=actor, why=f"alarm {row.code} cleared")
    return AlarmRecord.of(row)


def alarms(session: Session, batch_id: str) -> list[AlarmRecord]:
    """A batch's alarms in the order raised."""
    stmt = select(Alarm).where(Alarm.batch_id == batch_id).order_by(Alarm.raised_sim_s, Alarm.id)
    return [AlarmRecord.of(r) for r in session.execute(stmt).scalars()]


def _active_holds(session: Session, batch_id: str) -> int:
    stmt = select(Alarm.id).where(Alarm.batch_id == batch_id, Alarm.hold.is_(True), Alarm.cleared_sim_s.is_(None))
    return len(session.execute(stmt).all())
