"""ISA-88 commands from outside the engine: the seam the engine polls, and the restart check.

A person sends ``hold``, ``restart``, ``stop`` or ``abort`` from another process; whatever
carries it (the records database, an OPC UA method, a test list) implements :class:`Commands`,
and the engine takes the pending ones at each step boundary and at each poll while held. The
engine reports what it did with each (:meth:`Commands.taken`); it never learns where they came
from. Who may send what is checked before a command is queued (records/auth.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol, runtime_checkable

from anodeline.line.actions import Action
from anodeline.line.errors import InterlockError
from anodeline.line.machine import Machine
from anodeline.line.state import LineState

VERBS: Final = ("hold", "restart", "stop", "abort")


@dataclass(frozen=True)
class OperatorCommand:
    """One command: ``verb`` by ``user`` because ``reason``; ``ref`` names it to its carrier."""

    ref: str
    verb: str
    user: str
    reason: str


@runtime_checkable
class Commands(Protocol):
    def pending(self) -> Sequence[OperatorCommand]:
        """Commands not taken yet, oldest first."""
        ...

    def taken(self, command: OperatorCommand, outcome: str) -> None:
        """The engine took ``command``: ``outcome`` says what it did (``held``, ``refused: …``)."""
        ...


class NoCommands:
    """Nobody sends commands (the default)."""

    def pending(self) -> Sequence[OperatorCommand]:
        return ()

    def taken(self, command: OperatorCommand, outcome: str) -> None:
        pass


@dataclass
class ListCommands:
    """Commands queued in a list (tests, scripted scenarios); ``outcomes`` keeps what the engine did."""

    queue: list[OperatorCommand] = field(default_factory=list)
    outcomes: list[tuple[str, str]] = field(default_factory=list)

    def pending(self) -> Sequence[OperatorCommand]:
        return tuple(self.queue)

    def taken(self, command: OperatorCommand, outcome: str) -> None:
        self.queue.remove(command)
        self.outcomes.append((command.verb, outcome))


def remaining_refusal(machine: Machine, state: LineState, steps: Sequence[Action]) -> str | None:
    """Why the rest of the procedure is not air-free from ``state`` (None when every step passes).

    The same Machine the verifier and the engine use, applied step after step from the line as
    observed now, not as planned: a restart or a resume goes on only if this returns None.
    """
    for offset, action in enumerate(steps):
        try:
            state = machine.apply(state, action)
        except InterlockError as refusal:
            return f"remaining step {offset + 1} ({action.describe()}): {refusal.rule} {refusal.reason}"
    return None
