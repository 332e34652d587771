"""The engine's write-ahead step journal: a step's intent before its first command, its end after.

Rows of ``step_journal`` (revision 0003). ``intent`` is committed — durably, see
:meth:`anodeline.records.store.Store.journal_intent` — before the engine sends the step's first
command; ``done`` (with the outcome) is written in the same transaction as the step's row in
``steps``. After a crash, a step with an intent and no ``done`` after it was in flight: resume
re-checks it from the sensors instead of trusting either the plan or the journal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from anodeline.records.bulk import Tx
from anodeline.records.canonical import canonical_json, check_time

PHASES = ("intent", "done")


@dataclass(frozen=True)
class JournalEntry:
    """One row of the step journal."""

    index: int
    phase: str
    action: str  # canonical JSON of the action
    outcome: str | None
    sim_s: float
    recorded_at: str


def write(
    tx: Tx,
    batch_id: str,
    *,
    index: int,
    phase: str,
    action: Mapping[str, Any],
    sim_s: float,
    outcome: str | None = None,
) -> None:
    """Insert one journal row inside the caller's transaction."""
    if phase not in PHASES:
        raise ValueError(f"step-journal phase must be one of {PHASES}, got {phase!r}")
    tx.run(tx.sql.journal_insert, (
        batch_id, int(index), phase, canonical_json(dict(action)), outcome, check_time("journal time", sim_s),
        datetime.now(UTC).isoformat(timespec="microseconds"),
    ))  # fmt: skip


def entries(tx: Tx, batch_id: str) -> list[JournalEntry]:
    """The journal of ``batch_id`` in the order written."""
    rows = tx.all(tx.sql.journal_rows, (batch_id,))
    return [JournalEntry(int(r[0]), str(r[1]), str(r[2]), r[3], float(r[4]), str(r[5])) for r in rows]


def in_flight(journal: list[JournalEntry]) -> JournalEntry | None:
    """The step whose intent has no ``done`` after it (at most one: the engine runs one step at a time)."""
    open_intent: JournalEntry | None = None
    for entry in journal:
        if entry.phase == "intent":
            open_intent = entry
        elif open_intent is not None and entry.index == open_intent.index:
            open_intent = None
    return open_intent
