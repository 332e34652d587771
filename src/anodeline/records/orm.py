"""Reading a batch row through the ORM, for the records modules that still work on a ``Session``
(prompts, signatures): the run path's modules read it on the driver's cursor (:func:`.batches.get`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from anodeline.records.errors import RecordNotFoundError
from anodeline.records.models import Batch


def load_batch(session: Session, batch_id: str, *, for_update: bool = False) -> Batch:
    """The batch row or :class:`RecordNotFoundError`; ``for_update`` locks it on PostgreSQL."""
    stmt = select(Batch).where(Batch.id == batch_id)
    row = session.execute(stmt.with_for_update() if for_update else stmt).scalar_one_or_none()
    if row is None:
        raise RecordNotFoundError("batch", batch_id)
    return row
