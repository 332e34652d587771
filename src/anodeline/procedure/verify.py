"""Verify a procedure on a line: the air-free proof, or the first failing step."""

from __future__ import annotations

from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.verify import Verdict, verify
from anodeline.procedure.model import Procedure


def verify_procedure(procedure: Procedure, line: Line, *, keep_trace: bool = False) -> Verdict:
    """Run ``procedure`` from its materials through ``line``'s state machine under its policy."""
    machine = Machine(line, procedure.policy)
    return verify(machine, procedure.initial_state(machine), procedure.steps, keep_trace=keep_trace)
