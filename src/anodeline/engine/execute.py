"""Each action kind executed on devices: commands, then a wait on readings with a timeout.

* evacuate — pump on, until the gauge reads 90 % of the target (so gauge noise cannot
  flip the next interlock); timeout: the pump-down physics (``Line.pump_set(space).time_to``:
  one-stage rough pump, or backing pump to crossover then turbo against decaying
  outgassing) × 2 + 2 min;
* backfill — pump isolated, valve open until the gauge reads the target (−1 %), valve
  closed; a glove chamber's purifier is then switched on and its analysers settle 60 s;
  a reading far above the Machine's prediction means the gas is not what its label says;
* doors — command and wait for the position feedback (4 × travel);
* glove work — handed to the operator; wait for done (30 min). A prompting operator (a person asked
  through prompts, ``operator.prompting`` = 1: :mod:`anodeline.batch.operator`) keeps its own deadline
  on the wall clock: a refusal or a prompt not answered in time holds the batch (``PROMPT-REFUSED``,
  ``PROMPT-TIMEOUT``) instead of aborting it, and the wait polls at most four times a wall second;
* load, unload — the engine opens the chamber's load port (a door like any other: a stuck
  port stops the step), the operator puts the container through, the engine closes the port;
* deposit — source on until the QCM reads the thickness; timeout: rates model × 1.5 + 5 min;
* heat — setpoint, until the thermocouple is within 2 °C (1 h); hold — wait.

Spaces without a gauge are timed open-loop from the physics (pump-down, fill flow).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from anodeline.devices import naming
from anodeline.devices.commands import SourceCommand
from anodeline.engine.errors import DeviceFaultError, PromptUnanswered
from anodeline.line import actions as act
from anodeline.line.state import LineState
from anodeline.physics.deposition.rates import deposition_time_s, params_for

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.engine.runner import Engine

Steps = Generator[Any, Any, None]

EVACUATE_AIM = 0.9
BACKFILL_AIM = 0.99
SETTLE_AFTER_FILL_S = 60.0
DOOR_TRAVEL_S = 8.0  # (est.) a pneumatic door; the wait allows four times it
DOOR_TIMEOUT_S = 4 * DOOR_TRAVEL_S
#: Backfill flow the engine times a gauge-less fill by: 100 slm as Pa·m³/s (est., as the twin).
FILL_FLOW_PA_M3_PER_S = 100.0 * 1e-3 / 60.0 * 101325.0
OPERATOR_TIMEOUT_S = 1800.0
HEAT_TIMEOUT_S = 3600.0
HEAT_BAND_DEGC = 2.0
#: A reading this many times the prediction (plus the ceiling) after a fill means impure gas.
GAS_MISMATCH_FACTOR = 10.0


def _gauge(eng: Engine, space: str) -> str | None:
    return naming.sensors_in(eng.line, space).get("pressure")


def _pressure(eng: Engine, space: str) -> float:
    return eng.observed.atmospheres[space].pressure_pa


def evacuate(eng: Engine, a: act.Evacuate) -> Steps:
    line = eng.line
    config = line.spaces[a.space]
    pump_name = config.pump or ""
    pumps = line.pump_set(a.space)
    if pumps is None:  # pragma: no cover - refused before by the Machine (no pump)
        raise DeviceFaultError("DEV-PUMP", f"{a.space} has no pump")
    if config.purifier:
        eng.command(config.purifier, False)  # the purifier does not circulate a vacuum
    floor = pumps.ultimate()
    aim = a.pressure_pa * EVACUATE_AIM if a.pressure_pa * EVACUATE_AIM > floor * 1.01 else a.pressure_pa
    start = _pressure(eng, a.space)
    model_s = pumps.time_to(start, aim) if start > aim else 0.0
    eng.command(pump_name, True)
    gauge = _gauge(eng, a.space)
    t0 = eng.clock.now

    def done() -> bool:
        if gauge is None:
            return eng.clock.now - t0 >= model_s * 1.2
        return eng.readings.get(gauge, math.inf) <= aim

    def eta() -> float:
        p = _pressure(eng, a.space) if gauge else start
        if gauge is None:
            return model_s * 1.2 - (eng.clock.now - t0)
        return pumps.time_to(p, aim) if p > aim else 0.0

    def fault() -> str | None:
        if eng.reads_off(f"{pump_name}.running"):
            return f"pump {pump_name} stopped while evacuating {a.space} (gauge {_pressure(eng, a.space):.3g} Pa)"
        return None

    yield from eng.wait_until(f"evacuate {a.space} to {aim:.3g} Pa", done, model_s * 2 + 120.0, eta, fault)


def backfill(eng: Engine, a: act.Backfill, predicted: LineState) -> Steps:
    line = eng.line
    config = line.spaces[a.space]
    valve = naming.valve_for(line, a.space, a.gas)
    if valve is None:  # pragma: no cover - refused before by GAS001
        raise DeviceFaultError("DEV-VALVE", f"{a.space} has no valve for {a.gas}")
    if config.pump:
        eng.command(config.pump, False)
    aim = a.pressure_pa * BACKFILL_AIM
    start = _pressure(eng, a.space)
    flow = FILL_FLOW_PA_M3_PER_S / config.volume_m3
    model_s = max(a.pressure_pa - start, 0.0) / flow
    eng.command(valve, True)
    gauge = _gauge(eng, a.space)
    t0 = eng.clock.now

    def done() -> bool:
        if gauge is None:
            return eng.clock.now - t0 >= model_s
        return eng.readings.get(gauge, 0.0) >= aim

    def eta() -> float:
        p = _pressure(eng, a.space) if gauge else start + flow * (eng.clock.now - t0)
        return max(aim - p, 0.0) / flow

    yield from eng.wait_until(f"backfill {a.space} with {a.gas}", done, model_s * 2 + 120.0, eta)
    eng.command(valve, False)
    eng.poll()
    _check_gas(eng, a, predicted)
    if config.purifier:
        eng.command(config.purifier, True)
        yield from eng.pause(SETTLE_AFTER_FILL_S)


def _check_gas(eng: Engine, a: act.Backfill, predicted: LineState) -> None:
    """A filled space whose analyser reads far above the Machine's prediction: the gas is bad."""
    sensors = naming.sensors_in(eng.line, a.space)
    expected = predicted.atmospheres[a.space]
    ceiling = eng.ceiling.policy
    for measures, field, limit in (("o2", "o2_ppm", ceiling.max_o2_ppm), ("h2o", "h2o_ppm", ceiling.max_h2o_ppm)):
        sensor = sensors.get(measures)
        if sensor is None or sensor not in eng.readings:
            continue
        value, model = eng.readings[sensor], getattr(expected, field)
        if value > GAS_MISMATCH_FACTOR * model + limit:
            raise DeviceFaultError(
                "GAS-IMPURE",
                f"{a.space} reads {value:.4g} ppm {measures.upper()} after filling with {a.gas}, the model expects "
                f"{model:.3g} ppm: the supply is far below its stated purity",
                hint="change the bottle or regenerate its point-of-use purifier; the same gas feeds other spaces",
            )


def door(eng: Engine, name: str, want_open: bool) -> Steps:
    eng.command(name, want_open)
    channel = f"{name}.position"

    def done() -> bool:
        position = eng.readings.get(channel, -1.0)
        return position >= 0.99 if want_open else 0.0 <= position <= 0.01

    verb = "open" if want_open else "close"
    yield from eng.wait_until(f"{verb} door {name}", done, DOOR_TIMEOUT_S, eta=lambda: DOOR_TRAVEL_S)


#: Wall seconds between two polls while a person is asked (a prompt's wait on a fast rehearsal clock).
PROMPT_POLL_WALL_S = 0.25


def manual(eng: Engine, action: act.Action) -> Steps:
    if eng.readings.get(f"{naming.OPERATOR}.prompting", 0.0) > 0.5:
        yield from prompted(eng, action)
        return
    done_before = eng.readings.get(f"{naming.OPERATOR}.done", 0.0)
    refused_before = eng.readings.get(f"{naming.OPERATOR}.refused", 0.0)
    eng.command(naming.OPERATOR, action)

    def done() -> bool:
        return eng.readings.get(f"{naming.OPERATOR}.done", 0.0) > done_before

    def fault() -> str | None:
        if eng.readings.get(f"{naming.OPERATOR}.refused", 0.0) > refused_before:
            return f"the operator could not {action.describe()}"
        return None

    yield from eng.wait_until(f"operator: {action.describe()}", done, OPERATOR_TIMEOUT_S, fault=fault, period=5.0)


def prompted(eng: Engine, action: act.Action) -> Steps:
    """A manual step put to a person: wait for the answer; refused or timed out → :class:`PromptUnanswered`."""
    channel = naming.OPERATOR
    counts = {what: eng.readings.get(f"{channel}.{what}", 0.0) for what in ("done", "refused", "timed_out")}
    eng.command(channel, action)
    operator = eng.devices[channel]

    def answered(what: str) -> bool:
        return eng.readings.get(f"{channel}.{what}", 0.0) > counts[what]

    def fault() -> str | None:
        if answered("refused") or answered("timed_out"):
            return str(getattr(operator, "last_answer", "") or f"the operator did not {action.describe()}")
        return None

    factor = getattr(getattr(eng.clock, "rt", None), "factor", None)  # wall seconds per clock second
    period = max(5.0, PROMPT_POLL_WALL_S / factor) if factor else 5.0
    try:  # no clock timeout: the prompt's deadline is on the wall clock, kept by the operator
        yield from eng.wait_until(f"operator: {action.describe()}", lambda: answered("done"), math.inf, fault=fault,
                                  period=period)  # fmt: skip
    except DeviceFaultError as unanswered:
        if unanswered.alarm != "DEVICE" or not (answered("refused") or answered("timed_out")):
            raise
        if answered("timed_out"):
            raise PromptUnanswered(unanswered.message, code="PROMPT-TIMEOUT") from None
        raise PromptUnanswered(unanswered.message, code="PROMPT-REFUSED") from None


def through_port(eng: Engine, action: act.Load | act.Unload) -> Steps:
    """Open the load port, hand the container over to the operator, close the port behind it."""
    port = eng.line.load_port(action.space)
    if port is None:  # pragma: no cover - refused before by the Machine (ACT003)
        raise DeviceFaultError("DEV-DOOR", f"{action.space} has no load port")
    yield from door(eng, port, True)
    try:
        yield from manual(eng, action)
    except DeviceFaultError:
        eng.command(port, False)  # the operator failed: do not leave the chamber open to the room
        raise
    yield from door(eng, port, False)


def deposit(eng: Engine, a: act.Deposit) -> Steps:
    source = naming.source_for(eng.line, a.space, a.method, a.material)
    if source is None:  # pragma: no cover - refused before by DEP003
        raise DeviceFaultError("DEV-SOURCE", f"no {a.method} source for {a.material} in {a.space}")
    model_s = deposition_time_s(a.method, a.material, a.thickness_um, params_for(a.power_w))
    eng.command(source, SourceCommand(a))
    qcm = f"{source}.thickness_um"

    def done() -> bool:
        return eng.readings.get(qcm, 0.0) >= a.thickness_um

    def eta() -> float:
        rate_um_s = eng.readings.get(f"{source}.rate_nm_per_s", 0.0) / 1000.0
        left = a.thickness_um - eng.readings.get(qcm, 0.0)
        return left / rate_um_s if rate_um_s > 0 else 30.0

    def fault() -> str | None:
        if eng.reads_off(f"{source}.on"):
            return f"source {source} went off at {eng.readings.get(qcm, 0.0):.4g} µm of {a.thickness_um:g} µm"
        return None

    yield from eng.wait_until(f"deposit {a.layer}", done, model_s * 1.5 + 300.0, eta, fault)
    final_um = eng.readings.get(qcm, 0.0)  # the QCM reading that ended the film
    eng.command(source, SourceCommand(None))
    eng.record_film(a, final_um)


def heat(eng: Engine, a: act.Heat) -> Steps:
    heater = naming.heater_for(eng.line, a.space)
    if heater is None:  # pragma: no cover - refused before by HEAT002
        return
    eng.command(heater, a.temperature_degc)
    channel = f"{heater}.temperature"

    def done() -> bool:
        return abs(eng.readings.get(channel, math.inf) - a.temperature_degc) <= HEAT_BAND_DEGC

    yield from eng.wait_until(f"heat {a.space} to {a.temperature_degc:g} °C", done, HEAT_TIMEOUT_S)


def hold(eng: Engine, a: act.Hold) -> Steps:
    """Wait; unlike the other steps a hold is cut short when the atmosphere trips a suspender."""
    yield from eng.pause(a.seconds, interruptible=True)


def execute(eng: Engine, action: act.Action, predicted: LineState) -> Steps:
    """Carry out ``action`` on the devices (the interlocks were checked before)."""
    if isinstance(action, act.Evacuate):
        yield from evacuate(eng, action)
    elif isinstance(action, act.Backfill):
        yield from backfill(eng, action, predicted)
    elif isinstance(action, act.OpenDoor | act.CloseDoor):
        yield from door(eng, action.door, isinstance(action, act.OpenDoor))
    elif isinstance(action, act.Deposit):
        yield from deposit(eng, action)
    elif isinstance(action, act.Heat):
        yield from heat(eng, action)
    elif isinstance(action, act.Hold):
        yield from hold(eng, action)
    elif isinstance(action, act.Load | act.Unload):
        yield from through_port(eng, action)
    elif action.manual:
        yield from manual(eng, action)
    else:  # pragma: no cover - every action kind is listed above
        raise DeviceFaultError("ENGINE", f"no executor for {action.kind}")
