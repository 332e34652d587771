"""String lengths checked against the columns before anything is written.

PostgreSQL refuses a string longer than its ``VARCHAR(n)`` only when the row is written,
which for a batch is after its first rows are committed; SQLite does not refuse it at all.
So every string bound for a sized column is checked here first, with the column and its size.
The sizes are the models' (:mod:`anodeline.records.models`), written out so that the run path
checks them without SQLAlchemy; ``tests/records/test_lengths.py`` compares the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from anodeline.records.errors import RecordInputError

#: table → column → its ``VARCHAR`` length, for every sized column of the schema.
LENGTHS: Final[dict[str, dict[str, int]]] = {
    "audit_entries": {"recorded_at": 40, "actor": 128, "kind": 64, "batch_id": 64, "prev_hash": 64, "hash": 64},
    "batches": {"id": 64, "recipe_id": 128, "route": 64, "status": 16, "verdict": 16},
    "lots": {"id": 64, "material": 64, "supplier": 128},
    "users": {"name": 64, "full_name": 128, "role": 16, "password_hash": 256, "created_at": 40},
    "alarms": {"batch_id": 64, "code": 64},
    "commands": {"batch_id": 64, "verb": 16, "user_name": 64, "issued_at": 40, "taken_at": 40},
    "items": {"id": 64, "kind": 32, "lot_id": 64, "batch_id": 64},
    "leases": {"batch_id": 64, "owner": 128, "host": 255},
    "prompts": {
        "batch_id": 64,
        "item": 64,
        "kind": 32,
        "opened_at": 40,
        "deadline": 40,
        "answered_at": 40,
        "answer": 16,
        "user_name": 64,
    },
    "signatures": {
        "batch_id": 64,
        "user_name": 64,
        "printed_name": 128,
        "meaning": 16,
        "signed_at": 40,
        "content_sha256": 64,
    },
    "step_journal": {"batch_id": 64, "phase": 16, "outcome": 16, "recorded_at": 40},
    "steps": {"batch_id": 64, "action": 64, "outcome": 16},
    "telemetry": {"batch_id": 64, "channel": 128},
    "exposures": {"item_id": 64, "batch_id": 64, "space": 64},
    "targets": {"id": 64, "source": 128, "kind": 32, "material": 128, "unit": 8, "installed_at": 40, "removed_at": 40},
    "target_usage": {"target_id": 64, "batch_id": 64, "layer": 64},
    "item_links": {"parent_id": 64, "child_id": 64, "batch_id": 64},
}


def check_lengths(table: str | Any, **values: str | None) -> None:
    """Raise :class:`RecordInputError` if a value is longer than its column of ``table`` allows.

    ``table``: a table name (sizes from :data:`LENGTHS`, no SQLAlchemy) or an ORM model class (sizes from
    its columns, for the modules that write through the ORM).
    """
    sizes: dict[str, int | None]
    if isinstance(table, str):
        name, sizes = table, dict(LENGTHS[table])
    else:
        name = table.__tablename__
        sizes = {c.name: getattr(c.type, "length", None) for c in table.__table__.columns}
    for column, value in values.items():
        length = sizes.get(column)
        if value is not None and length is not None and len(value) > length:
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise RecordInputError(
                f"{name}.{column} {shown!r} is {len(value)} characters long; the store keeps at most {length}",
                hint=f"use a shorter value (at most {length} characters)",
            )


#: Batch ids the store makes are ``B-`` and 12 hex digits (records.batches.create_batch).
_BATCH_ID = "B-" + "0" * 12


def check_batch_strings(recipe_id: str, route: str, lot_ids: Iterable[str], item_names: Iterable[str]) -> None:
    """Check every string a batch will write (its items are ``BATCH/NAME``) before the batch row is created."""
    check_lengths("batches", recipe_id=recipe_id, route=route)
    for lot_id in lot_ids:
        check_lengths("lots", id=lot_id)
    for name in item_names:
        check_lengths("items", id=f"{_BATCH_ID}/{name}")
