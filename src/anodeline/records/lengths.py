"""String lengths checked against the columns before anything is written.

PostgreSQL refuses a string longer than its ``VARCHAR(n)`` only when the row is written,
which for a batch is after its first rows are committed; SQLite does not refuse it at all.
So every string bound for a sized column is checked here first, with the column and its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from anodeline.records.errors import RecordInputError


def check_lengths(table: Any, **values: str | None) -> None:
    """Raise :class:`RecordInputError` if a value is longer than its column of ``table`` allows."""
    for name, value in values.items():
        length = getattr(table.__table__.c[name].type, "length", None)
        if value is not None and length is not None and len(value) > length:
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise RecordInputError(
                f"{table.__tablename__}.{name} {shown!r} is {len(value)} characters long; the store keeps at most "
                f"{length}",
                hint=f"use a shorter value (at most {length} characters)",
            )


#: Batch ids the store makes are ``B-`` and 12 hex digits (records.batches.create_batch).
_BATCH_ID = "B-" + "0" * 12


def check_batch_strings(recipe_id: str, route: str, lot_ids: Iterable[str], item_names: Iterable[str]) -> None:
    """Check every string a batch will write (its items are ``BATCH/NAME``) before the batch row is created."""
    from anodeline.records.models import Batch, Item, Lot

    check_lengths(Batch, recipe_id=recipe_id, route=route)
    for lot_id in lot_ids:
        check_lengths(Lot, id=lot_id)
    for name in item_names:
        check_lengths(Item, id=f"{_BATCH_ID}/{name}")
