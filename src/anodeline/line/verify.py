"""Prove a procedure air-free: run it through the state machine, or name the first failing step."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from anodeline.line.actions import Action
from anodeline.line.errors import InterlockError
from anodeline.line.machine import Machine
from anodeline.line.state import LineState


@dataclass(frozen=True)
class StepRecord:
    """One accepted step with the states around it."""

    index: int
    action: Action
    before: LineState
    after: LineState


@dataclass(frozen=True)
class Verdict:
    """The outcome of verification: air-free, or the first refused step."""

    air_free: bool
    steps: int
    failure: InterlockError | None = None
    trace: tuple[StepRecord, ...] = field(default_factory=tuple)
    final: LineState | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.air_free:
            return {"air_free": True, "steps": self.steps}
        assert self.failure is not None
        return {"air_free": False, "steps": self.steps, "failed_step": self.failure.to_dict()}


def run(machine: Machine, state: LineState, steps: Iterable[Action]) -> Iterator[StepRecord]:
    """Apply ``steps`` one by one; raises the refusal placed at its (0-based) step index."""
    for index, action in enumerate(steps):
        try:
            after = machine.apply(state, action)
        except InterlockError as exc:
            raise exc.at_step(index, action.kind) from None
        yield StepRecord(index, action, state, after)
        state = after


def verify(machine: Machine, state: LineState, steps: Sequence[Action], *, keep_trace: bool = False) -> Verdict:
    """Run the whole procedure; never raises for an unsafe step (it is the verdict)."""
    failure = machine.check(state)
    if failure is not None:
        return Verdict(False, len(steps), failure.at_step(0, "start"))
    trace: list[StepRecord] = []
    try:
        for record in run(machine, state, steps):
            state = record.after
            if keep_trace:
                trace.append(record)
    except InterlockError as exc:
        return Verdict(False, len(steps), exc, tuple(trace), state)
    return Verdict(True, len(steps), None, tuple(trace), state)
