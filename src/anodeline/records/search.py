"""Finding batches: the batch list with filters, a page at a time (the web app's ``GET /api/batches``).

Only the summary columns are read (never the recipe, line or procedure snapshots), filtered and
paged in SQL, so a list of 10,000 batches costs one page's rows. ``lot`` finds the batches that
used a lot (an item of the batch registered from it): a recall's question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import func, select

from anodeline.records.lease import LeaseRecord, shown_status
from anodeline.records.models import Batch, Item, Lease, Signature
from anodeline.records.values import as_utc

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.records.store import Store

#: Largest page a caller may ask for.
MAX_LIMIT: Final = 500


@dataclass(frozen=True)
class BatchQuery:
    """Filters of the batch list; None means any. ``since``/``until`` bound the creation time (UTC)."""

    recipe: str | None = None
    status: str | None = None
    verdict: str | None = None
    lot: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class BatchSummary:
    """One row of the batch list."""

    batch_id: str
    recipe_id: str
    route: str
    status: str
    verdict: str | None
    created_at: datetime
    ended_at: datetime | None
    simulated_seconds: float | None
    released: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch_id, "recipe": self.recipe_id, "route": self.route, "status": self.status,
            "verdict": self.verdict, "created_at": self.created_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "simulated_seconds": self.simulated_seconds, "released": self.released,
        }  # fmt: skip


@dataclass(frozen=True)
class BatchPage:
    """A page of the batch list, newest first, and how many batches match in all."""

    total: int
    batches: tuple[BatchSummary, ...]


def _filtered(stmt: Any, query: BatchQuery) -> Any:
    if query.recipe is not None:
        stmt = stmt.where(Batch.recipe_id == query.recipe)
    if query.status is not None:
        stmt = stmt.where(Batch.status == query.status)
    if query.verdict is not None:
        stmt = stmt.where(Batch.verdict == query.verdict)
    if query.since is not None:
        stmt = stmt.where(Batch.created_at >= query.since)
    if query.until is not None:
        stmt = stmt.where(Batch.created_at < query.until)
    if query.lot is not None:
        stmt = stmt.where(Batch.id.in_(select(Item.batch_id).where(Item.lot_id == query.lot)))
    return stmt


def find_batches(store: Store, query: BatchQuery) -> BatchPage:
    """The page of batches matching ``query``, newest first, with the status as shown (interrupted
    when no live process controls a running batch) and whether each was released: one query for the
    page (released as an EXISTS, the lease joined), one for the count."""
    limit = max(1, min(query.limit, MAX_LIMIT))
    released = (
        select(Signature.id).where(Signature.batch_id == Batch.id, Signature.meaning == "release").exists()
    ).label("released")
    columns = select(
        Batch.id, Batch.recipe_id, Batch.route, Batch.status, Batch.verdict, Batch.created_at, Batch.ended_at,
        Batch.ended_sim_s, released, Lease.owner, Lease.pid, Lease.host, Lease.acquired_at, Lease.expires_at,
        Lease.released.label("lease_released"),
    ).outerjoin(Lease, Lease.batch_id == Batch.id)  # fmt: skip
    page = _filtered(columns, query).order_by(Batch.created_at.desc(), Batch.id.desc()).limit(limit)
    with store.session() as session:
        total = session.scalar(_filtered(select(func.count()).select_from(Batch), query)) or 0
        rows = session.execute(page.offset(max(0, query.offset))).all()
    summaries = []
    for r in rows:
        lease = None if r.owner is None else LeaseRecord(
            r.id, r.owner, r.pid, r.host, r.acquired_at, r.expires_at, r.lease_released
        )  # fmt: skip
        created = as_utc(r.created_at)
        assert created is not None
        summaries.append(
            BatchSummary(
                r.id,
                r.recipe_id,
                r.route,
                shown_status(r.status, lease),
                r.verdict,
                created,
                as_utc(r.ended_at),
                r.ended_sim_s,
                bool(r.released),
            )
        )
    return BatchPage(int(total), tuple(summaries))
