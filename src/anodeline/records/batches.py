"""Batch rows: create, move through the status table, read back as :class:`BatchRecord`.

Functions here run inside the caller's transaction (a :class:`~anodeline.records.bulk.Tx`, either
store's) and append the audit entry themselves, so a row and its audit entry commit together.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from anodeline.records import bulk
from anodeline.records.bulk import Tx
from anodeline.records.canonical import canonical_json, check_time, mapping_json, parse_json
from anodeline.records.chain import Tip
from anodeline.records.errors import RecordInputError, RecordNotFoundError
from anodeline.records.status import VERDICTS, check_transition
from anodeline.records.values import BatchRecord, as_utc


def create_batch(
    tx: Tx,
    tip: Tip,
    *,
    recipe_id: str,
    recipe_snapshot: Mapping[str, Any],
    line_snapshot: Mapping[str, Any],
    route: str,
    seed: int | None,
    batch_id: str | None,
    sim_s: float,
    actor: str,
    procedure_snapshot: Mapping[str, Any] | None = None,
) -> BatchRecord:
    """Insert a batch in status ``created`` with frozen copies of its recipe, line and procedure."""
    if not recipe_id or not route:
        raise RecordInputError("a batch needs a recipe id and a route", hint="e.g. route='two_apparatus'")
    record = BatchRecord(
        batch_id or f"B-{uuid.uuid4().hex[:12]}", recipe_id, route, "created", None, seed, (),
        mapping_json(recipe_snapshot), mapping_json(line_snapshot), check_time("created sim time", sim_s),
        None, None, datetime.now(UTC), None, None,
        None if procedure_snapshot is None else mapping_json(procedure_snapshot),
    )  # fmt: skip
    tx.run(tx.sql.batch_insert, (
        record.batch_id, record.recipe_id, record.recipe_snapshot, record.line_snapshot, record.route, record.status,
        None, seed, "[]", record.created_sim_s, tx.sql.timestamp(record.created_at), record.procedure_snapshot,
    ))  # fmt: skip
    payload: dict[str, Any] = {
        "recipe_id": record.recipe_id,
        "route": record.route,
        "seed": record.seed,
        "sim_s": record.created_sim_s,
        "recipe_sha256": _sha(record.recipe_snapshot),
        "line_sha256": _sha(record.line_snapshot),
    }
    if record.procedure_snapshot is not None:  # batches before revision 0002 have none
        payload["procedure_sha256"] = _sha(record.procedure_snapshot)
    append(tx, tip, actor, "batch.create", record.batch_id, payload)
    return record


def start_batch(tx: Tx, tip: Tip, batch_id: str, *, sim_s: float, actor: str) -> BatchRecord:
    """``created → running``; stamps the start (simulated and wall clock)."""
    row = get(tx, batch_id, for_update=True)
    check_transition(batch_id, row.status, "running")
    started, at = check_time("start sim time", sim_s), datetime.now(UTC)
    tx.run(tx.sql.batch_start, ("running", started, tx.sql.timestamp(at), batch_id))
    append(tx, tip, actor, "batch.start", batch_id, {"sim_s": started})
    return replace(row, status="running", started_sim_s=started, started_at=at)


def set_status(tx: Tx, tip: Tip, row: BatchRecord, wanted: str, *, sim_s: float, actor: str, why: str) -> BatchRecord:
    """Move a batch between running and held (alarms with hold do this)."""
    check_transition(row.batch_id, row.status, wanted)
    tx.run(tx.sql.batch_status, (wanted, row.batch_id))
    payload = {"from": row.status, "to": wanted, "sim_s": sim_s, "why": why}
    append(tx, tip, actor, "batch.status", row.batch_id, payload)
    return replace(row, status=wanted)


def finish_batch(
    tx: Tx,
    tip: Tip,
    batch_id: str,
    *,
    sim_s: float,
    verdict: str,
    reasons: Iterable[str],
    aborted: bool,
    actor: str,
    electrode: Mapping[str, Any] | None = None,
    stopped: bool = False,
) -> BatchRecord:
    """End a batch: ``running → completed`` with a verdict, or ``→ aborted`` / ``→ stopped`` (ISA-88 stop),
    both with verdict ``fail`` (nothing is released from a batch that did not complete).

    ``electrode`` is what the batch made (layers, thickness, composition, σ25, Ea…), kept with it.
    """
    if verdict not in VERDICTS:
        raise RecordInputError(f"verdict must be one of {VERDICTS}, got {verdict!r}")
    row = get(tx, batch_id, for_update=True)
    wanted = "stopped" if stopped else "aborted" if aborted else "completed"
    check_transition(batch_id, row.status, wanted)
    ended = check_time("end sim time", sim_s)
    if row.started_sim_s is not None and ended < row.started_sim_s:
        raise RecordInputError(f"batch {batch_id!r} cannot end at {ended} s, before its start at {row.started_sim_s} s")
    reason_list = [str(r) for r in reasons]
    final_verdict = "fail" if aborted or stopped else verdict
    made = None if electrode is None else mapping_json(electrode)
    at = datetime.now(UTC)
    tx.run(tx.sql.batch_finish, (wanted, final_verdict, canonical_json(reason_list), ended, tx.sql.timestamp(at),
                                 made, batch_id))  # fmt: skip
    payload: dict[str, Any] = {"status": wanted, "verdict": final_verdict, "reasons": reason_list, "sim_s": ended}
    if electrode is not None:
        payload["electrode"] = dict(electrode)
    append(tx, tip, actor, "batch.finish", batch_id, payload)
    return replace(row, status=wanted, verdict=final_verdict, reasons=tuple(reason_list), ended_sim_s=ended,
                    ended_at=at, electrode=row.electrode if made is None else made)  # fmt: skip


def get(tx: Tx, batch_id: str, *, for_update: bool = False) -> BatchRecord:
    """The batch ``batch_id`` or :class:`RecordNotFoundError`; ``for_update`` locks it on PostgreSQL."""
    row = tx.one(tx.sql.batch_row_locked if for_update else tx.sql.batch_row, (batch_id,))
    if row is None:
        raise RecordNotFoundError("batch", batch_id)
    return record_of(row)


def list_batches(tx: Tx, *, status: str | None = None) -> list[BatchRecord]:
    """Batches oldest first, optionally only those in ``status``."""
    if status is None:
        return [record_of(row) for row in tx.all(tx.sql.batch_rows)]
    return [record_of(row) for row in tx.all(tx.sql.batch_rows_in, (status,))]


def record_of(row: tuple[Any, ...]) -> BatchRecord:
    """A :class:`BatchRecord` from a row in :data:`~anodeline.records.bulk.BATCH_COLUMNS` order."""
    (batch_id, recipe_id, route, status, verdict, seed, reasons, recipe, line, created_sim_s, started_sim_s,
     ended_sim_s, created_at, started_at, ended_at, procedure, electrode) = row  # fmt: skip
    created = _moment(created_at)
    assert created is not None
    return BatchRecord(
        batch_id, recipe_id, route, status, verdict, seed, tuple(parse_json(reasons)), recipe, line, created_sim_s,
        started_sim_s, ended_sim_s, created, _moment(started_at), _moment(ended_at), procedure, electrode,
    )  # fmt: skip


def append(tx: Tx, tip: Tip, actor: str, kind: str, batch_id: str | None, payload: Mapping[str, Any]) -> None:
    """One audit entry for ``payload`` (canonical JSON) in the caller's transaction, from ``tip``."""
    bulk.insert_audit(tx, [tip.entry(actor, kind, batch_id, canonical_json(dict(payload)))])


def sha256_text(text: str) -> str:
    """SHA-256 hex of ``text`` (UTF-8): what audit payloads keep of snapshots."""
    return _sha(text)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _moment(value: Any) -> datetime | None:
    """A stored wall-clock time (SQLAlchemy's text on SQLite, a datetime on PostgreSQL) as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return as_utc(value)
