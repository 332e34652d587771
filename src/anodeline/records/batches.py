"""Batch rows: create, move through the status table, read back as :class:`BatchRecord`.

Functions here take an open :class:`Session` inside the caller's transaction and
append the audit entry themselves, so a row and its audit entry commit together.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from anodeline.records import audit
from anodeline.records.canonical import canonical_json, check_time, mapping_json
from anodeline.records.errors import RecordInputError, RecordNotFoundError
from anodeline.records.models import Batch
from anodeline.records.status import VERDICTS, check_transition
from anodeline.records.values import BatchRecord


def create_batch(
    session: Session,
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
    row = Batch(
        id=batch_id or f"B-{uuid.uuid4().hex[:12]}",
        recipe_id=recipe_id,
        recipe_snapshot=mapping_json(recipe_snapshot),
        line_snapshot=mapping_json(line_snapshot),
        route=route,
        status="created",
        verdict=None,
        seed=seed,
        reasons="[]",
        created_sim_s=check_time("created sim time", sim_s),
        created_at=datetime.now(UTC),
        procedure_snapshot=None if procedure_snapshot is None else mapping_json(procedure_snapshot),
    )
    session.add(row)
    session.flush()
    payload = {
        "recipe_id": row.recipe_id,
        "route": row.route,
        "seed": row.seed,
        "sim_s": row.created_sim_s,
        "recipe_sha256": _sha(row.recipe_snapshot),
        "line_sha256": _sha(row.line_snapshot),
    }
    if row.procedure_snapshot is not None:  # batches before revision 0002 have none
        payload["procedure_sha256"] = _sha(row.procedure_snapshot)
    audit.append(session, actor=actor, kind="batch.create", batch_id=row.id, payload=payload)
    return BatchRecord.of(row)


def start_batch(session: Session, batch_id: str, *, sim_s: float, actor: str) -> BatchRecord:
    """``created → running``; stamps the start (simulated and wall clock)."""
    row = load_batch(session, batch_id, for_update=True)
    check_transition(batch_id, row.status, "running")
    row.status = "running"
    row.started_sim_s = check_time("start sim time", sim_s)
    row.started_at = datetime.now(UTC)
    audit.append(session, actor=actor, kind="batch.start", batch_id=batch_id, payload={"sim_s": row.started_sim_s})
    return BatchRecord.of(row)


def set_status(session: Session, row: Batch, wanted: str, *, sim_s: float, actor: str, why: str) -> None:
    """Move a batch between running and held (alarms with hold do this)."""
    check_transition(row.id, row.status, wanted)
    before, row.status = row.status, wanted
    payload = {"from": before, "to": wanted, "sim_s": sim_s, "why": why}
    audit.append(session, actor=actor, kind="batch.status", batch_id=row.id, payload=payload)


def finish_batch(
    session: Session,
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
    row = load_batch(session, batch_id, for_update=True)
    wanted = "stopped" if stopped else "aborted" if aborted else "completed"
    check_transition(batch_id, row.status, wanted)
    ended = check_time("end sim time", sim_s)
    if row.started_sim_s is not None and ended < row.started_sim_s:
        raise RecordInputError(f"batch {batch_id!r} cannot end at {ended} s, before its start at {row.started_sim_s} s")
    reason_list = [str(r) for r in reasons]
    row.status, row.verdict = wanted, "fail" if aborted or stopped else verdict
    row.reasons = canonical_json(reason_list)
    row.ended_sim_s, row.ended_at = ended, datetime.now(UTC)
    payload: dict[str, Any] = {"status": row.status, "verdict": row.verdict, "reasons": reason_list, "sim_s": ended}
    if electrode is not None:
        row.electrode = mapping_json(electrode)
        payload["electrode"] = dict(electrode)
    audit.append(session, actor=actor, kind="batch.finish", batch_id=batch_id, payload=payload)
    return BatchRecord.of(row)


def load_batch(session: Session, batch_id: str, *, for_update: bool = False) -> Batch:
    """The batch row or :class:`RecordNotFoundError`; ``for_update`` locks it on PostgreSQL."""
    stmt = select(Batch).where(Batch.id == batch_id)
    row = session.execute(stmt.with_for_update() if for_update else stmt).scalar_one_or_none()
    if row is None:
        raise RecordNotFoundError("batch", batch_id)
    return row


def list_batches(session: Session, *, status: str | None = None) -> list[BatchRecord]:
    """Batches oldest first, optionally only those in ``status``."""
    stmt = select(Batch).order_by(Batch.created_at, Batch.id)
    if status is not None:
        stmt = stmt.where(Batch.status == status)
    return [BatchRecord.of(row) for row in session.execute(stmt).scalars()]


def sha256_text(text: str) -> str:
    """SHA-256 hex of ``text`` (UTF-8): what audit payloads keep of snapshots."""
    return _sha(text)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
