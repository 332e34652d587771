"""Accumulate steps while tracking the line state, so each step builder sees the real atmospheres.

A route compiler adds actions through a :class:`Builder`; every action is applied to
the state machine at once, so purge cycles are sized from the atmosphere the space
actually holds at that point, and a compiler that emits an unsafe step fails loudly
(:class:`~anodeline.line.errors.ProcedureError`) instead of exporting it.
"""

from __future__ import annotations

from collections.abc import Iterable

from anodeline.line.actions import Action
from anodeline.line.errors import InterlockError, ProcedureError
from anodeline.line.machine import Machine
from anodeline.line.state import LineState


class Builder:
    def __init__(self, machine: Machine, state: LineState) -> None:
        self.machine = machine
        self.state = state
        self.steps: list[Action] = []
        self.notes: list[str] = []

    def add(self, actions: Iterable[Action], note: str = "") -> None:
        """Apply and record ``actions``; the note labels each (e.g. the claim step)."""
        for action in actions:
            try:
                self.state = self.machine.apply(self.state, action)
            except InterlockError as exc:
                raise ProcedureError(
                    f"cannot compile for line {self.machine.line.line!r}: step {len(self.steps)} "
                    f"{action.describe()} is refused: {exc.rule} {exc.reason}",
                    hint=exc.hint,
                ) from None
            self.steps.append(action)
            self.notes.append(note)
