"""The line: topology from YAML, immutable state, actions, interlock table and verifier."""

from anodeline.line.actions import ACTION_TYPES, Action
from anodeline.line.config import Line
from anodeline.line.errors import InterlockError, LineConfigError, ProcedureError
from anodeline.line.interlocks import INTERLOCKS
from anodeline.line.load import load_line, validate_line_file, validate_line_text
from anodeline.line.machine import Machine
from anodeline.line.policy import AirPolicy, policy_for
from anodeline.line.state import LineState
from anodeline.line.verify import Verdict, verify

__all__ = [
    "ACTION_TYPES", "INTERLOCKS", "Action", "AirPolicy", "InterlockError", "Line", "LineConfigError", "LineState",
    "Machine", "ProcedureError", "Verdict", "load_line", "policy_for", "validate_line_file", "validate_line_text",
    "verify",
]  # fmt: skip
