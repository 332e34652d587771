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

    ``item`` is the air-sensitive item concerned (if any), ``space`` where it happened,
    ``door`` and ``container`` what the action worked, and ``atmosphere`` what the item
    would have met. ``step`` is the step's position in the procedure; a step read from a
    file also keeps the file's own ``index`` and its line and column (:meth:`in_file`).
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
        door: str = "",
        container: str = "",
        file_index: int | None = None,
        file_line: int = 0,
        file_column: int = 0,
    ) -> None:
        self.rule = rule
        self.reason = reason
        self.step = step
        self.action = action
        self.item = item
        self.space = space
        self.atmosphere = atmosphere
        self.door = door
        self.container = container
        self.file_index = file_index
        self.file_line = file_line
        self.file_column = file_column
        super().__init__(f"{rule} {reason}", hint=hint, location=self.where())

    def where(self) -> str:
        """``step 12 (file index 14, line 88:5)``: the position, then the file's own index and location."""
        if self.step < 0:
            return ""
        origin = [f"file index {self.file_index}"] if self.file_index is not None else []
        origin += [f"line {self.file_line}:{self.file_column}"] if self.file_line > 0 else []
        return f"step {self.step}" + (f" ({', '.join(origin)})" if origin else "")

    def _with(self, **changes: Any) -> InterlockError:
        fields: dict[str, Any] = {
            "step": self.step, "action": self.action, "item": self.item, "space": self.space,
            "atmosphere": self.atmosphere, "hint": self.hint, "door": self.door, "container": self.container,
            "file_index": self.file_index, "file_line": self.file_line, "file_column": self.file_column,
        }  # fmt: skip
        return InterlockError(self.rule, self.reason, **(fields | changes))

    def at_step(self, step: int, action: str) -> InterlockError:
        """The same refusal, placed at a step (its 0-based position) of a procedure."""
        return self._with(step=step, action=action)

    def in_file(
        self, *, file_index: int | None, line: int, column: int, door: str = "", container: str = ""
    ) -> InterlockError:
        """The same refusal, with the step's ``index`` and line:column in its procedure file and what it worked."""
        return self._with(
            file_index=file_index, file_line=line, file_column=column,
            door=door or self.door, container=container or self.container,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.step,
            "file_index": self.file_index,
            "line": self.file_line or None,
            "column": self.file_column or None,
            "action": self.action,
            "code": self.rule,
            "door": self.door or None,
            "container": self.container or None,
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
