"""The batch states (ISA-88 / PackML, cut to what a batch needs) and their legal transitions, as data.

``holding`` makes safe and ends in ``held``; ``restarting`` undoes what holding did and
returns to ``running``; ``aborting`` protects every sensitive item, stops every device and
ends in ``aborted``; ``stopping`` is an orderly stop at a safe point. ``complete``,
``stopped`` and ``aborted`` are final.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

from anodeline.engine.errors import IllegalTransitionError

State = Literal[
    "idle", "running", "holding", "held", "restarting", "stopping", "stopped", "aborting", "aborted", "complete"
]

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "idle": frozenset({"running", "aborting", "stopping"}),
    "running": frozenset({"holding", "stopping", "aborting", "complete"}),
    "holding": frozenset({"held", "stopping", "aborting"}),
    "held": frozenset({"restarting", "stopping", "aborting"}),
    "restarting": frozenset({"running", "holding", "stopping", "aborting"}),
    "stopping": frozenset({"stopped", "aborting"}),
    "stopped": frozenset(),
    "aborting": frozenset({"aborted"}),
    "aborted": frozenset(),
    "complete": frozenset(),
}
STATES: Final[tuple[str, ...]] = tuple(TRANSITIONS)
FINAL: Final[frozenset[str]] = frozenset({"stopped", "aborted", "complete"})


def is_legal(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


class BatchStateMachine:
    """The current state; :meth:`to` refuses a change the table does not allow and reports each one."""

    def __init__(self, on_change: Callable[[str, str, str], None] | None = None) -> None:
        self.state: str = "idle"
        self._on_change = on_change

    def to(self, new: str, reason: str = "") -> None:
        if not is_legal(self.state, new):
            raise IllegalTransitionError(self.state, new)
        old, self.state = self.state, new
        if self._on_change is not None:
            self._on_change(old, new, reason)
