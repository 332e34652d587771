"""Errors of the engine: an illegal state change and a device fault that ends a batch."""

from __future__ import annotations

from anodeline.errors import AnodelineError


class IllegalTransitionError(AnodelineError, RuntimeError):
    """The engine was asked for a state change the ISA-88 table does not allow."""

    code = "ENGINE_STATE"

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        super().__init__(f"cannot go from {old!r} to {new!r}", hint="see anodeline.engine.states.TRANSITIONS")


class DeviceFaultError(AnodelineError, RuntimeError):
    """A device did not do what it was told (timeout, stuck, stopped, no power): the batch aborts."""

    code = "DEVICE_FAULT"

    def __init__(self, alarm: str, message: str, *, hint: str = "") -> None:
        self.alarm = alarm
        super().__init__(message, hint=hint)


class StepInterrupted(Exception):
    """A wait was cut short because a suspender tripped; the step is repeated after the hold (internal)."""


class PromptUnanswered(DeviceFaultError):
    """A manual step put to a person was refused or not answered in time (``PROMPT-REFUSED``,
    ``PROMPT-TIMEOUT``): the engine holds at that step instead of aborting (:mod:`.commanded`)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(code, message)
