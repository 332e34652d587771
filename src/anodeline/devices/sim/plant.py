"""The true line of the twin: a :class:`LineState` that evolves on the clock by physics, lazily.

Nothing ticks. Every read or command first calls :meth:`Plant.advance`, which brings each
space from the last instant to ``now`` with the analytic solutions of
:mod:`anodeline.physics` (docs/models.md), splitting the span at scheduled events (a door
reaching its end stop, an operator finishing, a fault striking):

* a pumped space follows its pump set (:meth:`~anodeline.physics.atmosphere.pumpdown.PumpSet.pressure_after`,
  built by :meth:`anodeline.line.config.Line.pump_set`): a rough pump the curve
  ``p(t) = Q/S + (p0 − Q/S)·e^(−S·t/V)`` (Q = S × ultimate + leak); a turbo with a backing
  pump the roughing curve down to the crossover, then the decaying wall outgassing, its
  clock kept per space and reset whenever the space is not being pumped (pump off or
  failed, power lost, valve open). The composition is kept
  (:func:`anodeline.line.transitions.evacuate`: the one model of the line);
* a space being filled rises at the valve's flow up to the regulator, its composition the
  backfill mixture with wall water of :func:`anodeline.line.transitions.backfill`, computed
  from the state when the valve opened (so the answer does not depend on the polling);
* a glove chamber at working pressure exchanges gas with the room through its leak and is
  cleaned by its purifier (:func:`~anodeline.physics.atmosphere.glovebox.evolve`);
* a sealed space below atmospheric pressure takes in room air at its leak rate (rate of rise);
* spaces joined by an open door are mixed (:func:`~anodeline.physics.atmosphere.mixing.mix`).

Discrete steps (a door opening, glove work, a load through the port, a film) are the
Machine's own transitions (:data:`anodeline.line.transitions.TRANSITIONS`), applied
without interlocks: the plant is physics, the engine is the guard.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from anodeline.devices.sim.params import TwinParams
from anodeline.line import actions as act
from anodeline.line import transitions
from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.physics.atmosphere import glovebox, mixing
from anodeline.physics.atmosphere.state import STANDARD_PRESSURE_PA, Atmosphere
from anodeline.physics.deposition.erosion import Charge, film_nm

#: Below this share of an atmosphere a glove chamber is not at working pressure (no box controller).
WORKING_PRESSURE_SHARE = 0.5


@dataclass
class _Fill:
    gas: str
    start: LineState
    t0: float


@dataclass
class SourceRun:
    """A deposition source: whether it runs, its rate on a fresh consumable, the film grown since switched
    on, and how fast it wears its target or charge (kWh/s or g/s; the rate drifts down with the wear)."""

    rate_nm_per_s: float = 0.0
    on: bool = False
    thickness_um: float = 0.0
    deposit: act.Deposit | None = None
    use_per_s: float = 0.0


@dataclass
class HeaterState:
    temperature_degc: float
    setpoint_degc: float
    #: what a running sputter source adds on the substrate (thermocouple) above the stage, K
    plasma_rise_k: float = 0.0


@dataclass
class Plant:
    """True state of the line and the equipment acting on it."""

    line: Line
    state: LineState
    now: Callable[[], float]
    params: TwinParams = field(default_factory=TwinParams)
    powered: bool = True
    pumps_on: dict[str, bool] = field(default_factory=dict)  # space → pump running
    failed_pumps: set[str] = field(default_factory=set)
    high_vacuum_s: dict[str, float] = field(default_factory=dict)  # space → time its high-vacuum stage has run
    purifiers_on: dict[str, bool] = field(default_factory=dict)  # space → circulating
    leak_per_h: dict[str, float] = field(default_factory=dict)  # glove chamber → hourly leak rate
    heaters: dict[str, HeaterState] = field(default_factory=dict)  # apparatus space → heater
    sources: dict[str, SourceRun] = field(default_factory=dict)  # device name → run
    #: device name → its sputter target or evaporation charge (:mod:`anodeline.physics.deposition.erosion`)
    charges: dict[str, Charge] = field(default_factory=dict)
    t: float = 0.0

    def __post_init__(self) -> None:
        self.machine = Machine(self.line)
        self.t = self.now()
        self._filling: dict[str, _Fill] = {}
        self._events: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = count()
        self._room = self.line.room
        self._pump_sets = {name: self.line.pump_set(name) for name in self.line.spaces}
        self._boxes: dict[tuple[str, bool, float, Atmosphere], glovebox.GloveBoxParams] = {}
        for name, space in self.line.spaces.items():
            if space.kind == "glove-chamber":
                self.leak_per_h.setdefault(name, self.params.chamber_leak_per_h)
            self.pumps_on.setdefault(name, False)
            self.high_vacuum_s.setdefault(name, 0.0)
            self.purifiers_on.setdefault(name, False)
        for app in self.line.apparatus.values():
            degc = self.state.heaters.get(app.space, self.params.ambient_degc)
            self.heaters[app.space] = HeaterState(degc, degc)

    # --- time -------------------------------------------------------------------------------
    def schedule(self, delay_s: float, event: Callable[[], None]) -> None:
        """Run ``event`` when the plant reaches ``now + delay_s``."""
        heapq.heappush(self._events, (self.now() + max(delay_s, 0.0), next(self._seq), event))

    def advance(self) -> None:
        """Bring the plant to the clock's ``now``, running the events due on the way."""
        now = self.now()
        if now == self.t and not (self._events and self._events[0][0] <= now):
            return  # already there: every device of a poll reads the same instant
        while self._events and self._events[0][0] <= now:
            when, _, event = heapq.heappop(self._events)
            self._evolve_to(when)
            event()
        self._evolve_to(now)

    def _evolve_to(self, t: float) -> None:
        dt = t - self.t
        if dt <= 0.0:
            return
        for name in self.line.spaces:
            if name != self._room:
                self._evolve_space(name, t, dt)
        self._mix_open_doors()
        tau = self.params.heater_tau_s
        for heater in self.heaters.values():
            decay = math.exp(-dt / tau)
            heater.temperature_degc = heater.setpoint_degc + (heater.temperature_degc - heater.setpoint_degc) * decay
        for name, run in self.sources.items():
            if run.on and self.powered:
                charge = self.charges.get(name)
                if charge is None:
                    run.thickness_um += run.rate_nm_per_s * dt / 1000.0
                else:  # the rate drifts down as the target erodes / the charge empties
                    run.thickness_um += film_nm(charge, run.rate_nm_per_s, run.use_per_s, dt) / 1000.0
                    self.charges[name] = charge.after(run.use_per_s * dt)
        self.t = t

    # --- atmosphere physics ----------------------------------------------------------------
    def atmosphere(self, space: str) -> Atmosphere:
        self.advance()
        return self.state.atmospheres[space]

    def _set(self, space: str, atm: Atmosphere) -> None:
        self.state = self.state.with_atmosphere(space, atm)

    def leak_throughput(self, space: str, pressure_pa: float) -> float:
        """Room air flowing in, Pa·m³/s, across the pressure difference to the room."""
        outside = self.state.atmospheres[self._room].pressure_pa
        drive = max(outside - pressure_pa, 0.0) / outside
        config = self.line.spaces[space]
        if config.kind == "glove-chamber":
            hourly = self.leak_per_h.get(space, 0.0) * config.volume_m3 * outside / 3600.0
            return hourly * drive
        return self.params.apparatus_leak_pa_m3_per_s * drive

    def _ingress(self, atm: Atmosphere, space: str, air_pa_m3: float, pressure_pa: float) -> Atmosphere:
        """``atm`` at ``pressure_pa`` of which ``air_pa_m3`` (as p·V) came in from the room."""
        total = pressure_pa * self.line.spaces[space].volume_m3
        air = min(max(air_pa_m3, 0.0), total)
        if air <= 0.0:
            return atm.with_pressure(pressure_pa)
        room = self.state.atmospheres[self._room]
        mixed = mixing.mix(atm.with_pressure(total - air), 1.0, room.with_pressure(air), 1.0)
        return mixed.with_pressure(pressure_pa)

    def _evolve_space(self, name: str, t: float, dt: float) -> None:
        config = self.line.spaces[name]
        atm = self.state.atmospheres[name]
        volume = config.volume_m3
        fill = self._filling.get(name)
        pump_set = self._pump_sets[name]
        pumping = self.pumps_on[name] and self.powered and config.pump not in self.failed_pumps
        if fill is not None or pump_set is None or not pumping:
            self.high_vacuum_s[name] = 0.0  # not pumped: the high-vacuum stage ends (vented, stopped, failed)
        if fill is not None:
            start_pa = fill.start.atmospheres[name].pressure_pa
            rise = self.params.fill_flow_pa_m3_per_s / volume * (t - fill.t0)
            target = max(min(start_pa + rise, self.params.regulator_pa), start_pa)
            filled = transitions.backfill(self.machine, fill.start, act.Backfill(name, fill.gas, target))
            self.state = self.state.with_atmosphere(name, filled.atmospheres[name]).with_wall_h2o(name, None)
            return
        if pump_set is not None and pumping:
            leak = self.leak_throughput(name, atm.pressure_pa)
            p_new, self.high_vacuum_s[name] = pump_set.pressure_after(
                max(atm.pressure_pa, 1e-12), dt, self.high_vacuum_s[name], leak
            )
            if p_new < atm.pressure_pa:
                self.state = transitions.evacuate(self.machine, self.state, act.Evacuate(name, p_new))
            if leak > 0.0:  # room air came in during dt; the pump takes the mixture away (well mixed)
                self._set(name, self._ingress(self.state.atmospheres[name], name, leak * dt, p_new))
            return
        if config.kind == "glove-chamber" and atm.pressure_pa >= WORKING_PRESSURE_SHARE * STANDARD_PRESSURE_PA:
            self._set(name, glovebox.evolve(atm, dt, self._box(name)))
            return
        leak = self.leak_throughput(name, atm.pressure_pa)
        if leak > 0.0:
            outside = self.state.atmospheres[self._room].pressure_pa
            p_new = min(atm.pressure_pa + leak * dt / volume, outside)
            self._set(name, self._ingress(atm, name, (p_new - atm.pressure_pa) * volume, p_new))

    def _box(self, space: str) -> glovebox.GloveBoxParams:
        """The glove box model of ``space`` as it is now (built once per purifier state, leak and room air)."""
        config = self.line.spaces[space]
        purifier = self.line.purifiers.get(config.purifier or "")
        running = purifier is not None and self.purifiers_on[space] and self.powered
        key = (space, running, self.leak_per_h.get(space, 0.0), self.state.atmospheres[self._room])
        if key not in self._boxes:
            self._boxes[key] = glovebox.GloveBoxParams(
                volume_m3=config.volume_m3,
                leak_per_h=key[2],
                purifier_flow_m3_per_h=purifier.flow_m3_per_h if purifier is not None else 0.0,
                purifier_on=running,
                o2_removal=purifier.o2_removal if purifier is not None else 1.0,
                h2o_removal=purifier.h2o_removal if purifier is not None else 1.0,
                outside=key[3],
            )
        return self._boxes[key]

    def _mix_open_doors(self) -> None:
        for door, is_open in self.state.doors.items():
            if not is_open:
                continue
            a, b = self.line.doors[door].between
            atm_a, atm_b = self.state.atmospheres[a], self.state.atmospheres[b]
            mixed = mixing.mix(atm_a, self.line.spaces[a].volume_m3, atm_b, self.line.spaces[b].volume_m3)
            if self._room in (a, b):  # the room is a reservoir: the chamber takes the mix, the room stays air
                self._set(b if a == self._room else a, mixed)
            else:
                self._set(a, mixed)
                self._set(b, mixed)

    # --- commands from devices ---------------------------------------------------------------
    def apply(self, action: act.Action) -> None:
        """A discrete step (door, glove work, load) by the Machine's transition; raises if impossible."""
        self.advance()
        self.state = transitions.TRANSITIONS[type(action)](self.machine, self.state, action)

    def set_pump(self, space: str, on: bool) -> None:
        self.advance()
        self.pumps_on[space] = on and self.powered
        if not self.pumps_on[space]:
            self.high_vacuum_s[space] = 0.0

    def set_valve(self, space: str, gas: str, is_open: bool) -> None:
        self.advance()
        if is_open and self.powered and space not in self._filling:
            self._filling[space] = _Fill(gas, self.state, self.t)
        elif not is_open:
            self._filling.pop(space, None)

    def valve_open(self, space: str) -> bool:
        return space in self._filling

    def set_purifier(self, space: str, on: bool) -> None:
        self.advance()
        self.purifiers_on[space] = on and self.powered

    def set_heater(self, space: str, degc: float) -> None:
        self.advance()
        self.heaters[space].setpoint_degc = degc if self.powered else self.params.ambient_degc
        if self.powered:
            self.state = self.state.with_heater(space, degc)

    def set_source(
        self, device: str, rate_nm_per_s: float, deposit: act.Deposit | None, use_per_s: float = 0.0
    ) -> None:
        """Switch a source on (with the film it grows at ``rate_nm_per_s`` on a fresh consumable, wearing it
        at ``use_per_s``) or off (``deposit`` None); a finished film is applied."""
        self.advance()
        run = self.sources.setdefault(device, SourceRun())
        if deposit is not None and self.powered:
            self.sources[device] = SourceRun(rate_nm_per_s, True, 0.0, deposit, use_per_s)
            self._plasma(deposit)
            return
        if run.on and run.deposit is not None and self.powered:
            self.apply(run.deposit)
        if run.deposit is not None and run.deposit.space in self.heaters:
            self.heaters[run.deposit.space].plasma_rise_k = 0.0
        run.on = False

    def _plasma(self, deposit: act.Deposit) -> None:
        """A sputter source heats the substrate above its stage: the lumped model's steady rise.

        Its time constant (~1.3 s, docs/models/deposition.md) is far below a poll, so the rise is
        applied at once; the substrate area is Example 1's 50 cm² (est.: the twin knows no recipe).
        """
        from anodeline.physics.deposition.rates import DEFAULT_PARAMS
        from anodeline.physics.deposition.thermal_history import PLASMA_METHODS, thermal_history

        heater = self.heaters.get(deposit.space)
        if heater is None or deposit.method not in PLASMA_METHODS:
            return
        power = deposit.power_w or DEFAULT_PARAMS.sputtering.power_w
        history = thermal_history(deposit.method, heater.setpoint_degc, power, 3600.0)
        heater.plasma_rise_k = history.steady_state_degc - heater.setpoint_degc

    def lose_power(self) -> None:
        """Mains gone: pumps, valves, purifiers, heaters and sources stop; doors stay where they are."""
        self.advance()
        self.powered = False
        self._filling.clear()
        for space in self.pumps_on:
            self.pumps_on[space] = False
            self.high_vacuum_s[space] = 0.0
            self.purifiers_on[space] = False
        for heater in self.heaters.values():
            heater.setpoint_degc = self.params.ambient_degc
            heater.plasma_rise_k = 0.0
        for run in self.sources.values():
            run.on = False
