"""The operator as a person asked through prompts (``run --operator manual``).

The engine hands every manual step — a load or an unload through a port, a container opened or
sealed in a glove chamber, an item moved through the gloves (the foil onto its base, a part
through a glove port) — to the device named ``operator``. The twin's default is a simulated
operator (:class:`anodeline.devices.sim.operator.SimOperator`); :class:`ManualOperator` instead
opens a prompt in the records database (:mod:`anodeline.records.prompts`) and reports, through
its readings, the answer a person gives from any process (``anodeline confirm``):

* ``operator.prompting`` = 1 — tells the engine the steps are put to a person
  (:func:`anodeline.engine.execute.prompted`: no clock timeout, the prompt's own deadline rules);
* ``operator.done`` — counts confirmed steps: on the twin the plant then does what the person did;
* ``operator.refused`` / ``operator.timed_out`` — count refusals and prompts closed at their
  deadline (wall clock, ``--prompt-timeout``); the engine holds (``PROMPT-REFUSED``,
  ``PROMPT-TIMEOUT``) with :attr:`ManualOperator.last_answer` as the reason;
* ``operator.busy`` — a prompt is open, or the last one timed out (nobody is there: the hold's
  make-safe does not ask for glove work).

The database is read at most every :data:`CHECK_S` wall seconds, however fast the engine polls.

On equipment (``inner``: the line's own operator device, e.g. the PLC's ``Assign`` method) the step
is also handed to the equipment, so that its HMI shows it and a served twin's plant does it: when the
equipment counts the task done (or refused) before anyone answers the prompt, the prompt is closed
with that answer, no user named (``confirmed at the equipment``). When a person confirms first and
the equipment's operator can be told (a ``confirm()`` method: the bindings' ``confirm``, e.g. the
served twin's ``ConfirmTask``), it is told, and the count that follows is not taken for the next step.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from anodeline.devices import naming
from anodeline.devices.protocols import Device, Health, Reading
from anodeline.errors import AnodelineError
from anodeline.line import actions as act
from anodeline.line.errors import InterlockError

if TYPE_CHECKING:  # pragma: no cover - the records' prompts need SQLAlchemy: imported by a manual operator only
    from anodeline.records import Store
    from anodeline.records.prompts import PromptRecord

#: Wall seconds between two reads of an open prompt's row.
CHECK_S: Final = 0.2
#: Default time a person has to answer a prompt (wall seconds): ``run --prompt-timeout``.
DEFAULT_TIMEOUT_S: Final = 1800.0


def instructions(action: act.Action) -> str:
    """What the person is asked to do, in words."""
    if isinstance(action, act.Load):
        return f"put container {action.container} through the open load port into {action.space}"
    if isinstance(action, act.Unload):
        return f"take container {action.container} out of {action.space} through the open load port"
    if isinstance(action, act.OpenContainer):
        return f"open (unseal) container {action.container} through the gloves"
    if isinstance(action, act.CloseContainer):
        return f"close (seal) container {action.container} through the gloves"
    if isinstance(action, act.Move):
        return f"move {action.item} to {action.to} through the gloves"
    return action.describe()


def item_of(action: act.Action) -> str | None:
    """The container or item the step handles (None for a step without one)."""
    return getattr(action, "container", None) or getattr(action, "item", None)


class ManualOperator:
    """The ``operator`` device of a batch whose manual steps are prompts answered by people.

    ``step()`` gives the index of the step in hand (the journal's last started step); ``apply``, on the
    twin, makes the plant do what the person confirmed (a step the plant finds impossible counts as
    refused, as the simulated operator's would).
    """

    def __init__(
        self,
        store: Store,
        batch_id: str,
        *,
        step: Callable[[], int],
        timeout_s: float = DEFAULT_TIMEOUT_S,
        apply: Callable[[act.Action], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        name: str = naming.OPERATOR,
        notify: Callable[[PromptRecord], None] | None = None,
        inner: Device | None = None,
    ) -> None:
        self._name = name
        self.store, self.batch_id, self.timeout_s = store, batch_id, timeout_s
        self._step, self._apply, self._clock, self._notify = step, apply, clock, notify
        self._inner = inner
        self._baseline = (0.0, 0.0)  # the equipment's (done, refused) counts when the step was handed over
        self._told = 0.0  # the equipment's done count expected after the confirmations it was told of
        self._seen = (0.0, 0.0)  # the equipment's counts as last read
        self.busy = False
        self.done = self.refused = self.timed_out = 0
        self.last_answer = ""
        self.prompt: PromptRecord | None = None  # the open prompt
        self._action: act.Action | None = None
        self._checked = -float("inf")

    @property
    def name(self) -> str:
        return self._name

    def set(self, value: object) -> None:
        """Put a manual step to a person: one prompt, open until answered or its deadline."""
        if not isinstance(value, act.Action):
            raise TypeError(f"the operator takes an action, not {value!r}")
        from anodeline.records import prompts

        self._withdraw("replaced by a new prompt")
        step = self._step()
        self.prompt = self.store.write(
            lambda s: prompts.open_prompt(
                s, self.batch_id, step=step, kind=value.kind, instructions=instructions(value), item=item_of(value),
                timeout_s=self.timeout_s, actor="anodeline",
            )
        )  # fmt: skip
        self._action, self.busy, self._checked = value, True, -float("inf")
        if self._inner is not None:
            done, refused = self._counts(self._inner.read())
            self._baseline = (max(done, self._told), refused)  # a told count not arrived yet is no answer
            self._inner.set(value)
        if self._notify is not None:
            self._notify(self.prompt)

    def read(self) -> dict[str, Reading]:
        if self._inner is not None:
            self._at_equipment(self._counts(self._inner.read()))
        self._check()
        now = self._clock()
        return {
            f"{self._name}.busy": Reading(1.0 if self.busy else 0.0, now),
            f"{self._name}.done": Reading(float(self.done), now),
            f"{self._name}.refused": Reading(float(self.refused), now),
            f"{self._name}.timed_out": Reading(float(self.timed_out), now),
            f"{self._name}.prompting": Reading(1.0, now),
        }

    def stop(self) -> None:
        """The batch is ending (abort, make-safe of every device): an open prompt is withdrawn."""
        self._withdraw("the batch ended while the prompt was open")
        self.busy = False
        if self._inner is not None:
            self._inner.stop()

    def health(self) -> Health | None:
        """The equipment's operator link's health (None on the twin)."""
        check = getattr(self._inner, "health", None)
        return check() if callable(check) else None

    # ---- the equipment's own operator ---------------------------------------------------------
    def _counts(self, readings: dict[str, Reading]) -> tuple[float, float]:
        """The equipment's (done, refused) counts; the last ones seen while a reading is left out (a command
        of the device not acknowledged yet, a stale link: supervision's business)."""
        done, refused = readings.get(f"{self._name}.done"), readings.get(f"{self._name}.refused")
        if done is not None and refused is not None:
            self._seen = (done.value, refused.value)
        return self._seen

    def _at_equipment(self, counts: tuple[float, float]) -> None:
        """Close the open prompt when the equipment counted the task done or refused before a person answered."""
        from anodeline.records import prompts
        from anodeline.records.prompts import PromptRefusedError

        prompt = self.prompt
        done, refused = counts[0] > self._baseline[0], counts[1] > self._baseline[1]  # False for a NaN
        if prompt is None or not (done or refused):
            return
        answer = "confirmed" if done else "refused"
        why = "done at the equipment" if answer == "confirmed" else "refused by the equipment (the step is impossible)"
        try:
            current = self.store.write(
                lambda s: prompts.answer_at_equipment(s, prompt.prompt_id, answer=answer, reason=why)
            )
        except PromptRefusedError:  # a person answered first: take theirs
            current = self.store.read(lambda s: prompts.get(s, prompt.prompt_id))
        self._baseline = counts
        self._take(current)

    # ---- the prompt's row ---------------------------------------------------------------------
    def _check(self) -> None:
        from anodeline.records import prompts
        from anodeline.records.prompts import PromptRefusedError

        prompt = self.prompt
        if prompt is None or self._clock() - self._checked < CHECK_S:
            return
        self._checked = self._clock()
        current = self.store.read(lambda s: prompts.get(s, prompt.prompt_id))
        if current.is_open:
            if not current.overdue():
                return
            try:
                current = self.store.write(lambda s: prompts.expire(s, prompt.prompt_id, actor="anodeline"))
            except PromptRefusedError:  # answered between the read and the expiry: take that answer
                current = self.store.read(lambda s: prompts.get(s, prompt.prompt_id))
        if current.answer == "confirmed" and current.user is not None:
            self._tell_equipment()  # a person did it: the equipment's operator did not count it
        self._take(current)

    def _take(self, answered: PromptRecord) -> None:
        action, self.prompt = self._action, None
        assert action is not None
        step = f"step {answered.step} ({instructions(action)})"
        who = answered.user or "the equipment"
        if answered.answer == "confirmed":
            try:
                if self._apply is not None:
                    self._apply(action)
            except InterlockError as impossible:
                self.refused += 1
                self.last_answer = f"{step} confirmed by {who} but impossible: {impossible.reason}"
            else:
                self.done += 1
            self.busy = False
        elif answered.answer == "refused":
            self.refused += 1
            self.last_answer = f"{step} refused by {who}: {answered.reason}"
            self.busy = False
        else:  # timeout: nobody is there (busy: the hold's make-safe asks for no glove work)
            self.timed_out += 1
            self.last_answer = f"{step} not answered within {self.timeout_s:g} s (prompt {answered.prompt_id})"

    def _tell_equipment(self) -> None:
        """A person confirmed the step here: tell the equipment's operator, if it can be told."""
        confirm = getattr(self._inner, "confirm", None)
        if callable(confirm) and getattr(self._inner, "can_confirm", True):
            confirm()
            self._told = self._baseline[0] + 1.0
            self._baseline = (self._told, self._baseline[1])

    def _withdraw(self, reason: str) -> None:
        from anodeline.records import prompts
        from anodeline.records.prompts import PromptRefusedError

        prompt, self.prompt = self.prompt, None
        if prompt is None:
            return
        with contextlib.suppress(PromptRefusedError):  # answered meanwhile: nothing to withdraw
            self.store.write(lambda s: prompts.withdraw(s, prompt.prompt_id, actor="anodeline", reason=reason))


class PromptUsageError(AnodelineError, ValueError):
    """Prompts asked for where they cannot work (``PRM001``; the CLI exits 2 before anything is recorded)."""

    code = "PROMPTS"
    rule = "PRM001"


@dataclass(frozen=True)
class OperatorChoice:
    """Who does a batch's manual steps: ``simulated`` (the twin's operator) or ``manual`` (prompts).

    ``notify`` is told of each prompt opened (the CLI prints how to answer it).
    """

    kind: str = "simulated"
    timeout_s: float = DEFAULT_TIMEOUT_S
    notify: Callable[[PromptRecord], None] | None = field(default=None, compare=False)

    @property
    def manual(self) -> bool:
        return self.kind == "manual"

    def check(self, *, speed: float | None, equipment: bool) -> None:
        """Refuse a choice that cannot work (``PRM001``), before a batch is recorded."""
        if self.kind not in OPERATORS:
            raise PromptUsageError(f"--operator {self.kind!r} is not one of {', '.join(OPERATORS)}",
                                   hint="--operator manual puts manual steps to people as prompts")  # fmt: skip
        if not (self.timeout_s > 0.0 and math.isfinite(self.timeout_s)):
            raise PromptUsageError(f"--prompt-timeout {self.timeout_s:g} is not a positive number of seconds",
                                   hint="e.g. --prompt-timeout 1800 (30 min)")  # fmt: skip
        if self.manual and not equipment and speed is None:
            raise PromptUsageError(
                "--operator manual on the twin needs --speed: people answer prompts on the wall clock, and "
                "simulated time would run past every deadline at once",
                hint="add --speed N (e.g. --speed 10), or keep the simulated operator (--operator simulated)",
            )

    def build(
        self,
        store: Store,
        batch_id: str,
        step: Callable[[], int],
        apply: Callable[[act.Action], None] | None,
        inner: Device | None = None,
    ) -> ManualOperator:
        """The manual operator of one batch: on the twin ``apply`` is its plant's; on equipment ``inner``
        is the equipment's own operator device."""
        return ManualOperator(store, batch_id, step=step, timeout_s=self.timeout_s, apply=apply, notify=self.notify,
                              inner=inner)  # fmt: skip


#: The operators ``run --operator`` knows.
OPERATORS: Final = ("simulated", "manual")
