"""Holding for the equipment itself: a lost link, a stale reading, a command not acknowledged.

A backend behind a link (OPC UA, Modbus) reports through
:meth:`~anodeline.devices.protocols.Supervised.health` when its readings cannot be trusted.
The engine never acts on such data: the step in hand is interrupted and the batch holds
(alarm ``LINK``, ``STALE`` or ``NO-ACK``, the reason recorded).

* ``STALE`` / ``NO-ACK`` — the batch resumes (repeating the interrupted step) once every device
  is healthy again and the step is safe. A deposition cut short is not repeated: its source
  is switched off and the batch stays held (the film's thickness is no longer known).
* ``LINK`` (``connection lost``) — the engine was blind. When the link returns it first re-reads
  the whole line, then commands make-safe everywhere (:func:`~anodeline.engine.suspenders.protective_actions`)
  and stops every device (``stop()``: what it was doing unseen, a valve filling, a source on, ends),
  records it (``MAKE-SAFE``), and the batch stays held for a person: nothing that happened while it
  was blind is assumed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from anodeline.devices import naming
from anodeline.devices.commands import SourceCommand
from anodeline.engine.errors import DeviceFaultError
from anodeline.line import actions as act

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.engine.runner import Engine

LINK = "LINK"
CONNECTION_LOST = "connection lost"


def describe(engine: Engine) -> tuple[str, str]:
    """The alarm code (``LINK`` first) and the reasons of the current health problems."""
    health = engine.health
    code = LINK if any(h.code == LINK for h in health) else health[0].code
    return code, "; ".join(dict.fromkeys(h.reason for h in health))


def hold(engine: Engine, action: act.Action, interrupted: bool) -> Generator[Any, Any, bool]:
    """Hold until the equipment is trusted again; True when the batch may go on (the step is then repeated)."""
    code, reason = describe(engine)
    alarm_id = engine.journal.alarm(engine.clock.now, code, reason, True)
    engine.reasons.append(reason)
    engine.batch.to("holding", reason)
    blind = code == LINK
    film_lost = interrupted and isinstance(action, act.Deposit)
    if film_lost and not blind:
        _source_off(engine, action)
    engine.batch.to("held", reason)
    suspenders = engine.settings.suspenders
    t0 = engine.clock.now
    while engine.clock.now - t0 < suspenders.max_hold_s:
        yield engine.clock.timeout(engine.settings.period_s)
        observed = engine.poll()  # after a reconnection: the line re-read before anything else
        if engine.health:
            if not blind and any(h.code == LINK for h in engine.health):  # a stale reading turned into a lost link
                blind = True
                engine.journal.alarm(engine.clock.now, LINK, CONNECTION_LOST, True)
                engine.reasons.append(CONNECTION_LOST)
            continue
        if blind:
            yield from engine._protect(None)
            engine.stop_devices()  # whatever it was doing unseen (a valve filling, a source on) stops
            engine.journal.alarm(engine.clock.now, "MAKE-SAFE", "connection restored: the line re-read, exposed "
                                 "items made safe, every device stopped (pumps isolated, valves closed, sources "
                                 "off, heaters to ambient)", False)  # fmt: skip
            engine.reasons.append(
                "connection restored: the line was re-read and made safe; the batch waits for a person "
                "(the engine did not see what happened while the link was down)"
            )
            return False
        if film_lost:
            engine.reasons.append(f"{action.describe()} was cut short: the film's thickness is not known")
            return False
        if engine.check(observed, action)[0] is None:
            engine.batch.to("restarting", "equipment trusted again")
            engine.journal.alarm_cleared(engine.clock.now, alarm_id)
            engine.batch.to("running", "resumed")
            return True
    engine.reasons.append(f"the equipment did not recover within {suspenders.max_hold_s:.0f} s; the batch waits "
                          "for a person")  # fmt: skip
    return False


def _source_off(engine: Engine, action: act.Action) -> None:
    assert isinstance(action, act.Deposit)
    source = naming.source_for(engine.line, action.space, action.method, action.material)
    if source is None:  # pragma: no cover - the step could not have started
        return
    with contextlib.suppress(DeviceFaultError):  # a backend that fails reports it through health()
        engine.command(source, SourceCommand(None))
