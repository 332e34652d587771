"""Verify a procedure on a line: the air-free proof, or the first failing step."""

from __future__ import annotations

from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.policy import on_line
from anodeline.line.verify import Verdict, verify
from anodeline.procedure.model import Procedure


def verify_procedure(procedure: Procedure, line: Line, *, keep_trace: bool = False) -> Verdict:
    """Run ``procedure`` from its materials through ``line``'s state machine.

    The policy is the procedure's recipe limits with what the line decides (vacuum
    threshold, door tolerance, glove pressure) taken from ``line``, never from the file.
    """
    machine = Machine(line, on_line(procedure.policy, line))
    return verify(machine, procedure.initial_state(machine), procedure.steps, keep_trace=keep_trace)
