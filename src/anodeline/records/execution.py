"""What happened during a batch: executed steps, telemetry rows, alarms and holds.

Telemetry is written in bulk with one audit entry per call carrying the row count
and the SHA-256 of the rows' canonical form, so the chain covers the data without
one audit entry per reading.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from anodeline.records import audit
from anodeline.records.batches import load_batch, set_status
from anodeline.records.canonical import canonical_json, check_time, mapping_json
from anodeline.records.errors import RecordInputError, RecordNotFoundError
from anodeline.records.models import Alarm, Step, Telemetry
from anodeline.records.status import STEP_OUTCOMES, check_active
from anodeline.records.telemetry import TelemetrySample
from anodeline.records.values import AlarmRecord, StepRecord


def record_step(
    session: Session,
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
) -> StepRecord:
    """Store one executed step of a running (or held) batch."""
    check_active(batch_id, load_batch(session, batch_id).status, "record a step")
    start, end = check_time("step start", started_sim_s), check_time("step end", ended_sim_s)
    if end < start:
        raise RecordInputError(f"step {index} of {batch_id!r} ends ({end} s) before it starts ({start} s)")
    if outcome not in STEP_OUTCOMES:
        raise RecordInputError(f"step outcome must be one of {STEP_OUTCOMES}, got {outcome!r}")
    if index < 0 or not action:
        raise RecordInputError(f"a step needs an index ≥ 0 and an action, got index={index}, action={action!r}")
    row = Step(
        batch_id=batch_id,
        index=index,
        action=action,
        arguments=mapping_json(arguments),
        manual=bool(manual),
        started_sim_s=start,
        ended_sim_s=end,
        outcome=outcome,
        readings=mapping_json(readings),
    )
    session.add(row)
    session.flush()
    record = StepRecord.of(row)
    payload = {
        "index": index,
        "action": action,
        "arguments": record.arguments_data,
        "manual": record.manual,
        "started_sim_s": start,
        "ended_sim_s": end,
        "outcome": outcome,
        "readings": record.readings_data,
    }
    audit.append(session, actor=actor, kind="step", batch_id=batch_id, payload=payload)
    return record


def record_telemetry(session: Session, batch_id: str, samples: Sequence[TelemetrySample], *, actor: str) -> int:
    """Bulk-insert kept telemetry samples (see :class:`TelemetryRecorder`); returns the row count."""
    check_active(batch_id, load_batch(session, batch_id).status, "record telemetry")
    rows = [_telemetry_row(batch_id, s) for s in samples]
    if not rows:
        return 0
    session.execute(insert(Telemetry), rows)
    digest = hashlib.sha256(canonical_json([[r["channel"], r["sim_s"], r["value"]] for r in rows]).encode()).hexdigest()
    payload = {
        "rows": len(rows),
        "sha256": digest,
        "from_sim_s": min(r["sim_s"] for r in rows),
        "to_sim_s": max(r["sim_s"] for r in rows),
    }
    audit.append(session, actor=actor, kind="telemetry", batch_id=batch_id, payload=payload)
    return len(rows)


def _telemetry_row(batch_id: str, sample: TelemetrySample) -> dict[str, Any]:
    if not sample.channel or not math.isfinite(sample.value):
        raise RecordInputError(f"telemetry sample needs a channel and a finite value, got {sample!r}")
    return {
        "batch_id": batch_id,
        "channel": sample.channel,
        "sim_s": check_time(sample.channel, sample.sim_s),
        "value": float(sample.value),
    }


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
