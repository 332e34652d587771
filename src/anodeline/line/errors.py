"""Errors of the line model: a bad line file, a refused action, a bad procedure file.

Each is an :class:`~anodeline.errors.AnodelineError` and the matching builtin, and
carries structured fields so that the CLI can report it without parsing the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from anodeline.errors import AnodelineError

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.documents.violations import Violation
    from anodeline.physics.atmosphere.state import Atmosphere


class LineConfigError(AnodelineError, ValueError):
    """A line configuration cannot be read or is invalid; ``violations`` says where and why."""

    code = "LINE"

    def __init__(
        self, message: str, *, violations: tuple[Violation, ...] = (), hint: str = "", location: str = ""
    ) -> None:
        self.violations = violations
        super().__init__(message, hint=hint, location=location)


class InterlockError(AnodelineError, RuntimeError):
    """The line refused an action: it would break an interlock (code) at a step.

    ``item`` is the air-sensitive item concerned (if any), ``space`` where it happened and
    ``atmosphere`` what the item would have met.
    """

    code = "INTERLOCK"

    def __init__(
        self,
        rule: str,
        reason: str,
        *,
        step: int = -1,
        action: str = "",
        item: str = "",
        space: str = "",
        atmosphere: Atmosphere | None = None,
        hint: str = "",
    ) -> None:
        self.rule = rule
        self.reason = reason
        self.step = step
        self.action = action
        self.item = item
        self.space = space
        self.atmosphere = atmosphere
        where = f"step {step}" if step >= 0 else ""
        super().__init__(f"{rule} {reason}", hint=hint, location=where)

    def at_step(self, step: int, action: str) -> InterlockError:
        """The same refusal, placed at a step of a procedure."""
        return InterlockError(
            self.rule, self.reason, step=step, action=action, item=self.item, space=self.space,
            atmosphere=self.atmosphere, hint=self.hint,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.step,
            "action": self.action,
            "code": self.rule,
            "item": self.item or None,
            "space": self.space or None,
            "reason": self.reason,
            "hint": self.hint,
            "atmosphere": self.atmosphere.to_dict() if self.atmosphere is not None else None,
        }


class ProcedureError(AnodelineError, ValueError):
    """A procedure file cannot be read, or a route cannot be compiled for a line."""

    code = "PROCEDURE"

    def __init__(
        self, message: str, *, violations: tuple[Violation, ...] = (), hint: str = "", location: str = ""
    ) -> None:
        self.violations = violations
        super().__init__(message, hint=hint, location=location)
