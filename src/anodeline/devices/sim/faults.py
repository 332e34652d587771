"""Faults the twin can suffer, selectable by name: ``NAME[:TARGET][@SECONDS][*SCALE]`` (CLI ``--fault``).

``TARGET`` names the space, door, pump or supply hit (each has a default); ``@SECONDS``
is when it strikes, counted from its trigger (the run start, the pump's first start or
the first deposition; each has a default); ``*SCALE`` sizes a leak in multiples of the
ISO 10648-2 class 1 rate (default 5). The registry :data:`FAULTS` gives each a
description; :func:`parse_fault` refuses an unknown name and lists the known ones.

Every fault must change what the line does: :meth:`Fault.check_applies` refuses, before the
run, a fault that the procedure would never meet (a door it never moves, a pump it never
starts, a supply it never fills from, a chamber it never uses, a power loss with no film,
an absent operator with no glove work).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from anodeline.devices import naming
from anodeline.devices.sim.params import FAULT_LEAK_PER_H, FAULT_PURITY
from anodeline.errors import AnodelineError
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.physics.atmosphere.glovebox import ISO_CLASS_1_LEAK_PER_H
from anodeline.physics.atmosphere.state import STANDARD_PRESSURE_PA
from anodeline.physics.deposition.rates import deposition_rate_nm_per_s
from anodeline.units import Q_

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.devices.sim.twin import Twin
    from anodeline.procedure.model import Procedure


class FaultError(AnodelineError, ValueError):
    """A fault name, target or time that the twin does not know."""

    code = "FAULT"


@dataclass(frozen=True)
class Fault:
    """One fault: its registry name, what it hits (None: the default) and when (None: the default)."""

    name: str
    target: str | None = None
    at_s: float | None = None
    scale: float | None = None  # leak: multiple of the ISO 10648-2 class 1 rate (default 5)

    def __str__(self) -> str:
        text = self.name + (f":{self.target}" if self.target else "")
        text += f"@{self.at_s:g}" if self.at_s is not None else ""
        return text + (f"*{self.scale:g}" if self.scale is not None else "")

    @property
    def kind(self) -> FaultKind:
        return FAULTS[self.name]

    def alter_line(self, line: Line) -> Line:
        """The line as it really is (the twin's plant); the engine keeps the stated one."""
        return self.kind.alter(self, line) if self.kind.alter else line

    def install(self, twin: Twin) -> None:
        self.kind.install(self, twin)

    def check_applies(self, line: Line, procedure: Procedure) -> None:
        """Raise :class:`FaultError` if ``procedure`` on ``line`` would never meet this fault."""
        why = self.kind.applies(self, line, procedure) if self.kind.applies else None
        if why:
            raise FaultError(
                f"fault {self} does not apply to procedure {procedure.name!r} on line {line.line!r}: {why}",
                hint="choose a target the procedure uses (run 'anodeline plan' to see its steps)",
            )


@dataclass(frozen=True)
class FaultKind:
    name: str
    description: str
    target: str  # what TARGET names
    when: str  # what @SECONDS counts from
    install: Callable[[Fault, Twin], None]
    alter: Callable[[Fault, Line], Line] | None = None
    applies: Callable[[Fault, Line, Procedure], str | None] | None = None  # why not, or None


def _first_app(line: Line) -> Any:
    if not line.apparatus:
        raise FaultError(f"line {line.line!r} has no apparatus for this fault")
    return next(iter(line.apparatus.values()))


def _need(kind: str, name: str, known: Any) -> str:
    if name not in known:
        raise FaultError(f"there is no {kind} {name!r} on this line", hint=f"use one of {', '.join(known)}")
    return name


def _leak(fault: Fault, twin: Twin) -> None:
    space = _need("glove chamber", fault.target or _first_app(twin.line).inlet,
                  [n for n, s in twin.line.spaces.items() if s.kind == "glove-chamber"])  # fmt: skip

    rate = FAULT_LEAK_PER_H if fault.scale is None else fault.scale * ISO_CLASS_1_LEAK_PER_H

    def strike() -> None:
        twin.plant.leak_per_h[space] = rate

    twin.plant.schedule(fault.at_s or 0.0, strike)


def _impure(fault: Fault, line: Line) -> Line:
    name = _need("gas supply", fault.target or next(iter(line.supplies), ""), line.supplies)
    bad = line.supplies[name].model_copy(update={"purity": Q_(FAULT_PURITY, "dimensionless"), "purifier": None})
    return line.model_copy(update={"supplies": {**line.supplies, name: bad}})


def _stuck(fault: Fault, twin: Twin) -> None:
    app = _first_app(twin.line)
    door = _need("door", fault.target or twin.line.door_between(app.inlet, app.space) or "", twin.line.doors)

    def strike() -> None:
        twin.doors[door].stuck = True

    if not fault.at_s:
        strike()
    else:
        twin.plant.schedule(fault.at_s, strike)


def _pump_failure(fault: Fault, twin: Twin) -> None:
    line = twin.line
    pump = _need("pump", fault.target or line.spaces[_first_app(line).inlet].pump or "", line.pumps)
    space = next(name for name, s in line.spaces.items() if s.pump == pump)
    config, spec = line.spaces[space], line.pumps[pump]
    low = float(config.purge_to.to("Pa").magnitude) if config.purge_to else 10.0 * spec.ultimate_pa
    steps = twin.procedure.steps if twin.procedure else ()
    aims = [a.pressure_pa for a in steps if isinstance(a, act.Evacuate) and a.space == space]
    low = aims[0] if aims else low  # the pump-down the procedure really commands first
    delay = fault.at_s
    if delay is None:  # half-way through its pump-down, by the same pump model the twin and engine use
        pump_set = line.pump_set(space)
        assert pump_set is not None  # the space was found by its pump
        delay = 0.5 * pump_set.time_to(STANDARD_PRESSURE_PA, low)
    armed = [True]

    def on_set(value: Any) -> None:
        if value and armed[0]:
            armed[0] = False
            twin.plant.schedule(float(delay), lambda: twin.plant.failed_pumps.add(pump))

    twin.sim_devices[pump].on_set.append(on_set)


def _power_loss(fault: Fault, twin: Twin) -> None:
    armed = [True]

    def on_set(value: Any) -> None:
        deposit = getattr(value, "deposit", None)
        if deposit is None or not armed[0]:
            return
        armed[0] = False
        delay = fault.at_s
        if delay is None:
            rate = deposition_rate_nm_per_s(deposit.method, deposit.material)
            delay = 0.5 * deposit.thickness_um * 1000.0 / rate
        twin.plant.schedule(float(delay), lambda: twin.devices[naming.MAINS].set(False))

    for name in twin.sources:
        twin.sim_devices[name].on_set.append(on_set)


def _operator_absent(fault: Fault, twin: Twin) -> None:
    def strike() -> None:
        twin.operator.absent = True

    twin.plant.schedule(fault.at_s or 0.0, strike)


def _evacuates(action: act.Action, space: str) -> bool:
    return isinstance(action, act.Evacuate) and action.space == space


def _spaces_used(procedure: Procedure, line: Line) -> set[str]:
    used: set[str] = set()
    for step in procedure.steps:
        if isinstance(step, act.OpenDoor | act.CloseDoor):
            used.update(line.doors[step.door].between if step.door in line.doors else ())
        space = getattr(step, "space", None)
        if isinstance(space, str):
            used.add(space)
    return used


def _leak_applies(fault: Fault, line: Line, procedure: Procedure) -> str | None:
    space = fault.target or (_first_app(line).inlet if line.apparatus else "")
    if space in line.spaces and space not in _spaces_used(procedure, line):
        return f"no step works in {space!r}"
    return None


def _gas_applies(fault: Fault, line: Line, procedure: Procedure) -> str | None:
    supply = fault.target or next(iter(line.supplies), "")
    if supply not in line.supplies:
        return None  # the target check names the known supplies
    gas = line.supplies[supply].gas
    for step in procedure.steps:
        if isinstance(step, act.Backfill) and step.gas == gas and supply in _supplies_of(line, step.space):
            return None
    return f"no step fills from supply {supply!r}"


def _supplies_of(line: Line, space: str) -> tuple[str, ...]:
    return tuple(line.spaces[space].supplies) if space in line.spaces else ()


def _door_applies(fault: Fault, line: Line, procedure: Procedure) -> str | None:
    app = _first_app(line)
    door = fault.target or line.door_between(app.inlet, app.space) or ""
    if door not in line.doors:
        return None
    for step in procedure.steps:
        if isinstance(step, act.OpenDoor | act.CloseDoor) and step.door == door:
            return None
        if isinstance(step, act.Load | act.Unload) and line.load_port(step.space) == door:
            return None
    return f"no step opens or closes door {door!r} (nor loads through it)"


def _pump_applies(fault: Fault, line: Line, procedure: Procedure) -> str | None:
    pump = fault.target or line.spaces[_first_app(line).inlet].pump or ""
    space = next((name for name, s in line.spaces.items() if s.pump == pump), None)
    if space is not None and not any(_evacuates(step, space) for step in procedure.steps):
        return f"no step evacuates {space!r} with pump {pump!r}"
    return None


def _power_applies(fault: Fault, line: Line, procedure: Procedure) -> str | None:
    has_film = any(isinstance(step, act.Deposit) for step in procedure.steps)
    return None if has_film else "it strikes during a deposition and the procedure deposits nothing"


def _operator_applies(fault: Fault, line: Line, procedure: Procedure) -> str | None:
    return None if any(step.manual for step in procedure.steps) else "the procedure has no manual work"


FAULTS: dict[str, FaultKind] = {
    kind.name: kind
    for kind in (
        FaultKind("leak", f"a leak into a glove chamber: {FAULT_LEAK_PER_H:g} volumes/h, five times the ISO 10648-2 "
                  "class 1 limit (*SCALE to change)", "glove chamber (default: the first apparatus's inlet)",
                  "the run start", _leak, applies=_leak_applies),
        FaultKind("impure-gas", f"a gas bottle at {FAULT_PURITY:.1%} instead of its stated purity, its point-of-use "
                  "purifier saturated", "gas supply (default: the first)", "(always)", lambda f, t: None, _impure,
                  _gas_applies),
        FaultKind("stuck-door", "a door that no longer opens or closes on command",
                  "door (default: the first apparatus's inlet door)", "the run start", _stuck,
                  applies=_door_applies),
        FaultKind("pump-failure", "a pump that stops during an evacuation",
                  "pump (default: the inlet chamber's)", "its first start (default: half its pump-down)",
                  _pump_failure, applies=_pump_applies),
        FaultKind("power-loss", "mains lost during deposition: pumps, valves, purifiers, heaters, sources and door "
                  "drives stop; analysers and controls stay on the UPS", "-",
                  "the first source switched on (default: half the film)", _power_loss, applies=_power_applies),
        FaultKind("operator-absent", "the operator stops answering: glove work times out",
                  "-", "the run start", _operator_absent, applies=_operator_applies),
    )
}  # fmt: skip


def parse_fault(spec: str | Fault) -> Fault:
    """``NAME[:TARGET][@SECONDS]`` → :class:`Fault`; an unknown name lists the known ones."""
    if isinstance(spec, Fault):
        return spec
    text, at_s, scale = spec.strip(), None, None
    if "*" in text:
        text, factor = text.rsplit("*", 1)
        try:
            scale = float(factor)
        except ValueError:
            raise FaultError(f"fault {spec!r}: {factor!r} is not a number", hint="write e.g. leak*5") from None
        if not math.isfinite(scale) or scale <= 0:
            raise FaultError(f"fault {spec!r}: the scale must be a finite number > 0", hint="write e.g. leak*5")
    if "@" in text:
        text, when = text.rsplit("@", 1)
        try:
            at_s = float(when)
        except ValueError:
            message = f"fault {spec!r}: {when!r} is not a number of seconds"
            raise FaultError(message, hint="write e.g. leak@600") from None
        if not math.isfinite(at_s) or at_s < 0:
            raise FaultError(f"fault {spec!r}: the time must be a finite number of seconds >= 0", hint="e.g. leak@600")
    name, _, target = text.partition(":")
    if name not in FAULTS:
        known = ", ".join(FAULTS)
        raise FaultError(f"unknown fault {name!r}", hint=f"use one of {known} (NAME[:TARGET][@SECONDS][*SCALE])")
    return Fault(name, target or None, at_s, scale)


def describe_faults() -> list[tuple[str, str, str, str]]:
    """(name, description, target, when) of every fault, for ``--help`` and docs."""
    return [(k.name, k.description, k.target, k.when) for k in FAULTS.values()]
