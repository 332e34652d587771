"""Batch statuses and their legal transitions (ISA-88 style), as a table rather than ifs."""

from __future__ import annotations

from typing import Final, Literal

from anodeline.records.errors import BatchStateError

BatchStatus = Literal["created", "running", "held", "completed", "aborted"]
Verdict = Literal["pass", "fail"]
StepOutcome = Literal["ok", "failed", "skipped", "aborted"]

STATUSES: Final[tuple[BatchStatus, ...]] = ("created", "running", "held", "completed", "aborted")
VERDICTS: Final[tuple[Verdict, ...]] = ("pass", "fail")
STEP_OUTCOMES: Final[tuple[StepOutcome, ...]] = ("ok", "failed", "skipped", "aborted")

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "created": frozenset({"running", "aborted"}),
    "running": frozenset({"held", "completed", "aborted"}),
    "held": frozenset({"running", "aborted"}),
    "completed": frozenset(),
    "aborted": frozenset(),
}

#: Statuses in which steps, telemetry and alarms may still be written for a batch.
ACTIVE: Final[frozenset[str]] = frozenset({"running", "held"})


def check_transition(batch_id: str, current: str, wanted: str) -> None:
    """Raise :class:`BatchStateError` unless ``current → wanted`` is in :data:`TRANSITIONS`."""
    if wanted not in TRANSITIONS.get(current, frozenset()):
        raise BatchStateError(batch_id, current, wanted)


def check_active(batch_id: str, current: str, doing: str) -> None:
    """Raise :class:`BatchStateError` unless the batch is running or held."""
    if current not in ACTIVE:
        raise BatchStateError(batch_id, current, f"{doing} (needs running or held)")
