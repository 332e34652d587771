"""Build the digital twin of a line for a procedure: the plant and its devices, named by the line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

import simpy

from anodeline.devices import naming
from anodeline.devices.protocols import Device
from anodeline.devices.sim.devices import (
    Mains,
    SimDevice,
    SimDoor,
    SimHeater,
    SimPump,
    SimPurifier,
    SimSensor,
    SimSource,
    SimValve,
)
from anodeline.devices.sim.faults import Fault, parse_fault
from anodeline.devices.sim.operator import SimOperator
from anodeline.devices.sim.params import TwinParams
from anodeline.devices.sim.plant import Plant
from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.physics.deposition.erosion import Charge, default_capacity, kind_for
from anodeline.procedure.model import Procedure


class _HasNow(Protocol):
    @property
    def now(self) -> float: ...


@dataclass
class Twin:
    """The plant (true state) and the devices acting on it, by name (:mod:`anodeline.devices.naming`)."""

    line: Line
    plant: Plant
    devices: dict[str, Device]
    doors: dict[str, SimDoor]
    operator: SimOperator
    sources: tuple[str, ...]
    faults: tuple[Fault, ...] = field(default_factory=tuple)
    procedure: Procedure | None = None  # what the twin is loaded for (faults time and check themselves by it)

    @property
    def sim_devices(self) -> dict[str, SimDevice]:
        """The devices as the twin's own classes (for faults and tests that reach behind the protocols)."""
        return {name: device for name, device in self.devices.items() if isinstance(device, SimDevice)}

    def true_state(self) -> LineState:
        """The line as it really is now (what no sensor may fully show)."""
        self.plant.advance()
        return self.plant.state


def _now_reader(clock: _HasNow) -> Callable[[], float]:
    """``clock.now`` as a callable: on a SimPy clock with float time, the environment's own getter.

    The plant asks the time at every device read (some thirty a poll); SimPy's ``now`` property
    read directly is the same float as ``clock.now`` (:class:`~anodeline.engine.clock.SimClock`
    starts at a float, and SimPy adds float delays) without two Python calls on the way.
    """
    env = getattr(clock, "env", None)
    if isinstance(env, simpy.Environment) and type(env.now) is float:
        return partial(simpy.Environment.now.fget, env)  # type: ignore[attr-defined]
    return lambda: clock.now


def build_twin(
    line: Line,
    procedure: Procedure,
    *,
    clock: _HasNow,
    seed: int = 0,
    faults: Iterable[str | Fault] = (),
    params: TwinParams | None = None,
    charges: Mapping[str, Charge] | None = None,
) -> Twin:
    """The twin of ``line`` loaded with ``procedure``'s materials, with ``faults`` installed.

    ``charges`` (source device → its sputter target or evaporation charge, e.g. from the records'
    mounted targets) set how worn each source is; a tracked source not named gets a fresh one of
    the estimated default capacity (:mod:`anodeline.physics.deposition.erosion`).
    """
    parsed = tuple(parse_fault(f) for f in faults)
    real = line
    for fault in parsed:
        real = fault.alter_line(real)
    state = procedure.initial_state(Machine(line, procedure.policy))
    plant = Plant(real, state, _now_reader(clock), params or TwinParams())
    devices: dict[str, Device] = {}
    for name, space in line.spaces.items():
        if space.pump:
            devices[space.pump] = SimPump(space.pump, plant, name, seed)
        if space.purifier:
            devices[space.purifier] = SimPurifier(space.purifier, plant, name, seed)
            plant.purifiers_on[name] = space.initial != "air"  # a box kept under gas circulates
        for supply in space.supplies:
            valve = naming.valve(name, supply)
            devices[valve] = SimValve(valve, plant, name, line.supplies[supply].gas, seed)
    for name, sensor in line.sensors.items():
        devices[name] = SimSensor(name, plant, sensor.space, sensor.measures, seed)
    doors = {name: SimDoor(name, plant, seed) for name in line.doors}
    devices.update(doors)
    sources: list[str] = []
    for app_name, app in line.apparatus.items():
        if app.heater is not None:
            devices[naming.heater(app_name)] = SimHeater(naming.heater(app_name), plant, app.space, seed)
        for src in app.sources:
            device = naming.source(app_name, src.name)
            devices[device] = SimSource(device, plant, src.method, seed)
            sources.append(device)
            kind = kind_for(src.method)
            if charges is not None and device in charges:
                plant.charges[device] = charges[device]
            elif kind is not None:
                plant.charges[device] = Charge(kind, default_capacity(kind, src.materials[0]))
    operator = SimOperator(naming.OPERATOR, plant, seed)
    devices[naming.OPERATOR] = operator
    devices[naming.MAINS] = Mains(naming.MAINS, plant, seed)
    twin = Twin(line, plant, devices, doors, operator, tuple(sources), parsed, procedure)
    for fault in parsed:
        fault.check_applies(line, procedure)
    for fault in parsed:
        fault.install(twin)
    return twin
