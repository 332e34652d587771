"""What happened during a batch: executed steps, telemetry rows, alarms and holds.

Telemetry is written in bulk with one audit entry per write carrying the row count
and a SHA-256 of the rows (:func:`telemetry_digest`), so the chain covers the data
without one audit entry per reading. Steps and telemetry, written while the equipment
waits, are written without a read, one statement per kind of row. Every function runs in the
caller's transaction (a :class:`~anodeline.records.bulk.Tx`, either store's).
"""

from __future__ import annotations

import hashlib
import math
import sys
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, NoReturn

from anodeline.records import batches, bulk
from anodeline.records.bulk import Tx
from anodeline.records.canonical import canonical_json, check_time, mapping_json
from anodeline.records.chain import Tip
from anodeline.records.errors import RecordConflictError, RecordInputError, RecordNotFoundError
from anodeline.records.status import ACTIVE, STEP_OUTCOMES, check_active
from anodeline.records.telemetry import TelemetrySample
from anodeline.records.values import AlarmRecord, StepRecord

#: (batch id, channel, simulated s, value): a telemetry row as written.
TelemetryRow = tuple[str, str, float, float]
#: Names the bytes the telemetry entry's ``sha256`` covers (:func:`telemetry_digest`); entries written
#: before it have no ``digest`` key and hash the canonical JSON of ``[[channel, sim_s, value], …]``.
TELEMETRY_DIGEST = "count-u64le,channels-nul,times-f64le,values-f64le"


def record_step(
    tx: Tx,
    tip: Tip,
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
    entries = [tip.entry(actor, "telemetry", batch_id, _telemetry_payload(rows))] if rows else []
    if rows:
        bulk.insert_telemetry(tx, rows)
    step = (batch_id, index, action, record.arguments, record.manual, start, end, outcome, record.readings)
    if not bulk.inserted_step(tx, (*step, batch_id)):
        _refuse(tx, batch_id, "record a step")
    entries.append(tip.entry(actor, "step", batch_id, payload_text))
    bulk.insert_audit(tx, entries)
    return record


def record_telemetry(tx: Tx, tip: Tip, batch_id: str, samples: Sequence[TelemetrySample], *, actor: str) -> int:
    """Bulk-insert kept telemetry samples (see :class:`TelemetryRecorder`); returns the row count.

    One read of the batch's status (FOR SHARE on PostgreSQL: it cannot end mid-write), one
    ``executemany`` (COPY on PostgreSQL) and one audit entry with the rows' count and SHA-256.
    """
    rows = _telemetry_rows(batch_id, samples)
    if not rows:
        return 0
    found = tx.one(tx.sql.status, (batch_id,))
    if found is None or found[0] not in ACTIVE:
        _refuse(tx, batch_id, "record telemetry")
    bulk.insert_telemetry(tx, rows)
    bulk.insert_audit(tx, [tip.entry(actor, "telemetry", batch_id, _telemetry_payload(rows))])
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


def _refuse(tx: Tx, batch_id: str, doing: str) -> NoReturn:
    """Say why a write for ``batch_id`` was refused: no such batch, or one not running or held."""
    check_active(batch_id, batches.get(tx, batch_id).status, doing)
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


def telemetry(tx: Tx, batch_id: str, channel: str | None) -> list[TelemetrySample]:
    """A batch's stored telemetry in time order, optionally of one channel."""
    if channel is None:
        rows = tx.all(tx.sql.telemetry_of, (batch_id,))
    else:
        rows = tx.all(tx.sql.telemetry_of_channel, (batch_id, channel))
    return [TelemetrySample(c, t, v) for c, t, v in rows]


def steps(tx: Tx, batch_id: str) -> list[StepRecord]:
    """A batch's steps in index order."""
    batches.get(tx, batch_id)
    rows = tx.all(tx.sql.steps_of, (batch_id,))
    return [StepRecord(b, i, a, args, bool(m), s, e, o, r) for b, i, a, args, m, s, e, o, r in rows]


def raise_alarm(
    tx: Tx, tip: Tip, batch_id: str, *, sim_s: float, code: str, message: str, hold: bool, actor: str
) -> AlarmRecord:
    """Store an alarm; with ``hold`` a running batch becomes ``held`` until every hold is cleared."""
    batch = batches.get(tx, batch_id, for_update=True)
    check_active(batch_id, batch.status, "raise an alarm")
    if not code:
        raise RecordInputError("an alarm needs a code such as 'O2_HIGH'")
    raised = check_time("alarm time", sim_s)
    alarm_id = tx.insert_id(tx.sql.alarm_insert, (batch_id, raised, code, message, bool(hold)))
    record = AlarmRecord(alarm_id, batch_id, raised, code, message, bool(hold), None)
    payload = {"alarm_id": alarm_id, "code": code, "message": message, "hold": record.hold, "sim_s": raised}
    batches.append(tx, tip, actor, "alarm.raise", batch_id, payload)
    if record.hold and batch.status == "running":
        batches.set_status(tx, tip, batch, "held", sim_s=raised, actor=actor, why=f"alarm {code}")
    return record


def clear_alarm(tx: Tx, tip: Tip, alarm_id: int, *, sim_s: float, actor: str) -> AlarmRecord:
    """Clear an alarm; the batch resumes (``held → running``) when no hold is left active."""
    row = tx.one(tx.sql.alarm_row, (alarm_id,))
    if row is None:
        raise RecordNotFoundError("alarm", alarm_id)
    raised = _alarm(row)
    if raised.cleared_sim_s is not None:
        raise RecordInputError(f"alarm {alarm_id} ({raised.code}) was already cleared at {raised.cleared_sim_s} s")
    cleared = check_time("clear time", sim_s)
    if cleared < raised.raised_sim_s:
        raise RecordInputError(
            f"alarm {alarm_id} cannot clear at {cleared} s, before it was raised ({raised.raised_sim_s} s)"
        )
    tx.run(tx.sql.alarm_clear, (cleared, alarm_id))
    payload = {"alarm_id": alarm_id, "code": raised.code, "sim_s": cleared}
    batches.append(tx, tip, actor, "alarm.clear", raised.batch_id, payload)
    batch = batches.get(tx, raised.batch_id, for_update=True)
    if batch.status == "held" and not tx.all(tx.sql.active_holds, (raised.batch_id,)):
        batches.set_status(tx, tip, batch, "running", sim_s=cleared, actor=actor, why=f"alarm {raised.code} cleared")
    return replace(raised, cleared_sim_s=cleared)


def alarms(tx: Tx, batch_id: str) -> list[AlarmRecord]:
    """A batch's alarms in the order raised."""
    rows = tx.all(tx.sql.alarms_of, (batch_id,))
    return [_alarm(row) for row in rows]


def _alarm(row: tuple[Any, ...]) -> AlarmRecord:
    alarm_id, batch_id, raised, code, message, hold, cleared = row
    return AlarmRecord(int(alarm_id), batch_id, raised, code, message, bool(hold), cleared)
