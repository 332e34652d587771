"""On resume, what the sensors cannot tell: where the item the step in flight moved is (issue 11, item 4).

Doors, pressures and atmospheres are read back from the line; where an item or a container is,
no sensor says. When the process died during a step that moves one — an item moved through the
gloves, a container loaded or unloaded through a port — the person may have done it, half done
it, or not begun. The journal's line has it where it was before the step (the step is not done,
and the resume does it again). So the resume asks, before anything is commanded:

* ``--operator manual`` — a person, as a prompt of the batch (the ``prompts`` table, listed by
  ``anodeline prompts``, answered by ``anodeline confirm BATCH STEP --as USER``) at the step's
  number, kind ``confirm-location``: *confirm that X is in Y*. Confirmed: the resume goes on warm.
  Refused (``--refuse --reason``: it is elsewhere), or not answered by its deadline: the item's
  whereabouts are unknown, so the batch is abandoned as a cold restart would — make-safe, items
  quarantined — with the answer in the recorded decision;
* the simulated operator (the twin's default) — the twin's ground truth answers (the plant as it
  really is: for an in-process twin, the twin rebuilt from the journal), recorded on the same
  kind of prompt with no person named and the truth as its reason.

Either way the question and its answer are ``prompt.open`` / ``prompt.answer`` audit entries and
show in ``record --json`` → ``prompts``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from anodeline.line import actions as act
from anodeline.line.state import LineState
from anodeline.records import Store, prompts
from anodeline.records.prompts import PromptRecord, PromptRefusedError

#: The prompts' kind (``prompts.kind``) of a location confirmation.
KIND: Final = "confirm-location"
#: Who answers for the simulated operator (the prompt's audit actor; no user is named).
SIMULATED: Final = "simulated operator"
#: Wall seconds between two reads of the open prompt's row while a person is asked.
POLL_S: Final = 0.2
#: The deadline of a prompt the simulated operator answers at once (it never waits on it).
SIMULATED_TIMEOUT_S: Final = 60.0


@dataclass(frozen=True)
class LocationQuestion:
    """Is ``name`` (an item or a container) in ``where``, as the journal's line has it before step ``step``?"""

    step: int
    action: act.Action
    name: str
    where: str

    @property
    def instructions(self) -> str:
        return (
            f"confirm that {self.name} is in {self.where}: step {self.step} ({self.action.describe()}) was in "
            f"flight when the batch's process died, and the resume does it again; refuse (--reason) if "
            f"{self.name} is elsewhere — the batch is then abandoned and its items quarantined"
        )


@dataclass(frozen=True)
class LocationAnswer:
    """What was answered: ``confirmed`` or not, and in words (``text``: who and why, for the record)."""

    confirmed: bool
    text: str
    prompt: PromptRecord


def question(step: int, action: act.Action, state: LineState) -> LocationQuestion | None:
    """The question to ask when step ``step`` (``action``) was in flight; None when it moves nothing."""
    name = action.item if isinstance(action, act.Move) else getattr(action, "container", None)
    if not isinstance(action, act.Move | act.Load | act.Unload) or name is None:
        return None
    if name not in state.items and name not in state.containers:
        return None
    return LocationQuestion(step, action, name, located(state, name))


def located(state: LineState, name: str) -> str:
    """Where ``name`` is in ``state``, in words: a space, or a container and the space it is in."""
    if name in state.containers:
        return state.containers[name].space
    location = state.items[name].location
    container = state.containers.get(location)
    return f"{location} (in {container.space})" if container is not None else location


def _open(store: Store, batch_id: str, q: LocationQuestion, timeout_s: float) -> PromptRecord:
    return store.write(lambda s: prompts.open_prompt(s, batch_id, step=q.step, kind=KIND, item=q.name,
                                                     instructions=q.instructions, timeout_s=timeout_s,
                                                     actor="anodeline"))  # fmt: skip


def ask_the_twin(store: Store, batch_id: str, q: LocationQuestion, truth: LineState) -> LocationAnswer:
    """The simulated operator: the twin's ground truth ``truth`` answers, recorded on a prompt."""
    prompt = _open(store, batch_id, q, timeout_s=SIMULATED_TIMEOUT_S)
    where = located(truth, q.name)
    confirmed = where == q.where
    reason = f"the twin's ground truth: {q.name} is in {where}"
    answered = store.write(lambda s: prompts.answer_at_equipment(s, prompt.prompt_id,
                                                                 answer="confirmed" if confirmed else "refused",
                                                                 reason=reason, actor=SIMULATED))  # fmt: skip
    return LocationAnswer(confirmed, f"{'confirmed' if confirmed else 'refused'} by the {SIMULATED} ({reason})",
                          answered)  # fmt: skip


def ask_a_person(
    store: Store,
    batch_id: str,
    q: LocationQuestion,
    *,
    timeout_s: float,
    notify: Callable[[PromptRecord], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> LocationAnswer:
    """Put ``q`` to a person as a prompt and wait (wall clock) for ``anodeline confirm``, or its deadline."""
    prompt = _open(store, batch_id, q, timeout_s)
    if notify is not None:
        notify(prompt)
    while True:
        current = store.read(lambda s: prompts.get(s, prompt.prompt_id))
        if current.is_open and current.overdue():
            try:
                current = store.write(lambda s: prompts.expire(s, prompt.prompt_id, actor="anodeline"))
            except PromptRefusedError:  # answered between the read and the expiry: take that answer
                current = store.read(lambda s: prompts.get(s, prompt.prompt_id))
        if not current.is_open:
            break
        sleep(POLL_S)
    if current.answer == "confirmed":
        return LocationAnswer(True, f"confirmed by {current.user}", current)
    if current.answer == "refused":
        return LocationAnswer(False, f"refused by {current.user}: {current.reason}", current)
    return LocationAnswer(False, f"not answered within {timeout_s:g} s", current)


__all__ = ["KIND", "LocationAnswer", "LocationQuestion", "ask_a_person", "ask_the_twin", "located", "question"]
