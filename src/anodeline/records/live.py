"""What a live view reads of a running batch: a change counter, the newest readings, the step in hand.

A browser's live line polls :func:`change_mark` (two primary-key maxima, O(1) on SQLite and
PostgreSQL) every few tens of milliseconds and reads the rest only when it moved: every write of
the records appends an audit entry, and the step journal's ``intent`` rows (not audited) say which
step the engine has begun.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from anodeline.records.canonical import parse_json
from anodeline.records.models import AuditEntry, Batch, StepJournal, Telemetry

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.records.store import Store


@dataclass(frozen=True)
class Reading:
    """The newest stored sample of one channel."""

    channel: str
    sim_s: float
    value: float


@dataclass(frozen=True)
class StepInHand:
    """The step the engine began last: its index, its action as data, and whether it has ended."""

    index: int
    action: dict[str, Any]
    done: bool
    sim_s: float


def change_mark(store: Store) -> tuple[int, int]:
    """A pair that changes whenever anything is written: the audit chain's and the step journal's last ids."""
    with store.session() as session:
        audit = session.scalar(select(func.max(AuditEntry.sequence))) or 0
        journal = session.scalar(select(func.max(StepJournal.id))) or 0
    return int(audit), int(journal)


def batch_mark(store: Store, batch_id: str) -> int:
    """The last audit entry of ``batch_id``: changes whenever anything of that batch is written."""
    with store.session() as session:
        found = session.scalar(select(func.max(AuditEntry.sequence)).where(AuditEntry.batch_id == batch_id))
    return int(found or 0)


def newest_batch(store: Store) -> str | None:
    """The batch created last (the one a live view shows when none is named)."""
    with store.session() as session:
        return session.scalar(select(Batch.id).order_by(Batch.created_at.desc(), Batch.id.desc()).limit(1))


def latest_readings(store: Store, batch_id: str) -> dict[str, Reading]:
    """The newest sample of every channel of ``batch_id``."""
    newest = select(func.max(Telemetry.id)).where(Telemetry.batch_id == batch_id).group_by(Telemetry.channel)
    with store.session() as session:
        rows = session.execute(
            select(Telemetry.channel, Telemetry.sim_s, Telemetry.value).where(Telemetry.id.in_(newest))
        ).all()
    return {r.channel: Reading(r.channel, r.sim_s, r.value) for r in rows}


def step_in_hand(store: Store, batch_id: str) -> StepInHand | None:
    """The journal's newest row for ``batch_id``: the step running (``done`` False) or last ended."""
    with store.session() as session:
        row = session.execute(
            select(StepJournal.index, StepJournal.phase, StepJournal.action, StepJournal.sim_s)
            .where(StepJournal.batch_id == batch_id)
            .order_by(StepJournal.id.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    index, phase, text, sim_s = row
    action = parse_json(text)
    return StepInHand(int(index), action if isinstance(action, dict) else {}, phase == "done", float(sim_s))


def series(store: Store, batch_id: str, channels: list[str], since_s: float) -> dict[str, list[tuple[float, float]]]:
    """Samples ``(sim_s, value)`` of ``channels`` from ``since_s`` on, oldest first."""
    found: dict[str, list[tuple[float, float]]] = {c: [] for c in channels}
    if not channels:
        return found
    with store.session() as session:
        rows = session.execute(
            select(Telemetry.channel, Telemetry.sim_s, Telemetry.value)
            .where(Telemetry.batch_id == batch_id, Telemetry.channel.in_(channels), Telemetry.sim_s >= since_s)
            .order_by(Telemetry.channel, Telemetry.sim_s)
        ).all()
    for r in rows:
        found[r.channel].append((r.sim_s, r.value))
    return found
