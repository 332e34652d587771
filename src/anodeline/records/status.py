"""Batch statuses and their legal transitions (ISA-88 style), as a table rather than ifs."""

from __future__ import annotations

from typing import Final, Literal

from anodeline.records.errors import BatchStateError

BatchStatus = Literal["created", "running", "held", "completed", "stopped", "aborted"]
Verdict = Literal["pass", "fail"]
StepOutcome = Literal["ok", "failed", "skipped", "aborted"]

STATUSES: Final[tuple[BatchStatus, ...]] = ("created", "running", "held", "completed", "stopped", "aborted")
VERDICTS: Final[tuple[Verdict, ...]] = ("pass", "fail")
STEP_OUTCOMES: Final[tuple[StepOutcome, ...]] = ("ok", "failed", "skipped", "aborted")

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "created": frozenset({"running", "aborted"}),
    "running": frozenset({"held", "completed", "stopped", "aborted"}),
    "held": frozenset({"running", "stopped", "aborted"}),
    "completed": frozenset(),
    "stopped": frozenset(),  # ISA-88 stop: an orderly end at a step boundary, everything made safe
    "aborted": frozenset(),
}

#: Statuses of a batch that has ended (signed, never written to again).
ENDED: Final[frozenset[str]] = frozenset({"completed", "stopped", "aborted"})
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
