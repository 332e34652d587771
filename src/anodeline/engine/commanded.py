"""Holds a person ends: ISA-88 commands taken by the running engine, and manual steps not done.

* :func:`obey` — a command (``hold``, ``restart``, ``stop``, ``abort``) taken at a step boundary
  (:mod:`anodeline.engine.commands` is the seam it comes through).
* :func:`held` — hold at a step boundary (alarm ``HOLD-CMD`` for a command; ``PROMPT-REFUSED`` or
  ``PROMPT-TIMEOUT`` for a manual step a person refused or did not answer): make everything safe,
  then wait for a restart whose check passes (:func:`restart_refusal`), a stop or an abort. A hold
  for a prompt that timed out does not ask the absent operator to make anything safe by hand.
* :func:`stop` — the orderly ISA-88 stop.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from anodeline.engine.commands import OperatorCommand, remaining_refusal
from anodeline.engine.errors import DeviceFaultError
from anodeline.engine.suspenders import tripped, undo
from anodeline.line import actions as act
from anodeline.line.errors import InterlockError
from anodeline.line.state import LineState

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.engine.runner import Engine

Steps = Generator[Any, Any, None]
Made = list[tuple[act.Action, LineState]]


def obey(eng: Engine, command: OperatorCommand, index: int) -> Generator[Any, Any, bool]:
    """Act on a command taken while running; True when the batch goes on."""
    who = f"{command.verb} by {command.user}: {command.reason}"
    if (yield from ended_by(eng, command, who)):
        return False
    if command.verb == "hold":
        eng.commands.taken(command, "held")
        return (yield from held(eng, who, index))
    eng.commands.taken(command, "refused: the batch is running, not held")
    return True


def ended_by(eng: Engine, command: OperatorCommand, said: str) -> Generator[Any, Any, bool]:
    """Abort (raises ``ABORT-CMD``) or stop on such a command; True when it stopped the batch."""
    if command.verb == "abort":
        eng.commands.taken(command, "aborted")
        raise DeviceFaultError("ABORT-CMD", said)
    if command.verb == "stop":
        eng.commands.taken(command, "stopped")
        yield from stop(eng, said)
        return True
    return False


def held(eng: Engine, who: str, index: int, code: str = "HOLD-CMD") -> Generator[Any, Any, bool]:
    """Hold at a step boundary (make-safe everything) until a restart whose check passes, a stop or an abort.

    True when restarted (the step at ``index`` is then done, or asked, again), False when the batch
    stopped or stays held past the suspenders' maximum hold.
    """
    alarm_id = eng.journal.alarm(eng.clock.now, code, who, True)
    eng.batch.to("holding", who)
    made = yield from eng._protect(None)
    eng.batch.to("held", who)
    t0 = eng.clock.now
    while eng.clock.now - t0 < eng.settings.suspenders.max_hold_s:
        yield eng.clock.timeout(eng.settings.period_s)
        eng.poll()
        for command in eng.commands.pending():
            said = f"{command.verb} by {command.user}: {command.reason}"
            if (yield from ended_by(eng, command, said)):
                return False
            if command.verb == "hold":
                eng.commands.taken(command, "refused: already held")
                continue
            why = restart_refusal(eng, index, made)
            if why is not None:
                eng.commands.taken(command, f"refused: {why}")
                continue
            eng.commands.taken(command, "restarted")
            eng.batch.to("restarting", said)
            if (yield from eng._undo(made)):
                eng.journal.alarm_cleared(eng.clock.now, alarm_id)
                eng.trips.clear()
                eng.batch.to("running", said)
                return True
            eng.batch.to("holding", "could not restore the state before the hold")
            eng.batch.to("held", who)
    eng.reasons.append(f"{who}; no restart within {eng.settings.suspenders.max_hold_s:.0f} s: the batch waits")
    return False


def restart_refusal(eng: Engine, index: int, made: Made) -> str | None:
    """Why a restart may not go on now: the hold's cause not cleared, or the rest of the procedure not
    air-free from the line as observed (after undoing the make-safe), else None."""
    observed = eng.observed
    above = tripped(eng.ceiling.policy, observed)
    if above:
        return "above the ceiling: " + "; ".join(above.values())
    state = observed
    for action, before in reversed(made):
        inverse = undo(action, before)
        if inverse is None:
            continue
        try:
            state = eng.machine.apply(state, inverse)
        except InterlockError as refusal:
            return f"cannot undo {action.describe()}: {refusal.rule} {refusal.reason}"
    return remaining_refusal(eng.machine, state, eng.procedure.steps[index:])


def stop(eng: Engine, why: str) -> Steps:
    """ISA-88 stop: an orderly end at this step boundary, every sensitive item made safe."""
    eng.journal.alarm(eng.clock.now, "STOP-CMD", why, False)
    eng.reasons.append(why)
    eng.batch.to("stopping", why)
    yield from eng._protect(None)
    eng.poll()
    eng.batch.to("stopped", why)
