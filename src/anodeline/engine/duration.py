"""How long a procedure should take on a line, and the time limit of its run.

The planned duration walks the steps through the line's transitions (the physics the
verifier and the twin share: :data:`anodeline.line.transitions.TRANSITIONS`) and adds
what each step takes by the models the engine times its waits with
(:mod:`anodeline.engine.execute`):

* evacuate — the pump-down physics (``Line.pump_set(space).time_to``) to the engine's aim;
* backfill — the fill flow from the pressure before the step, plus the analysers' settling
  in a glove chamber with a purifier;
* doors — their travel; load and unload — the port opened and closed around the operator;
* glove work — the operator's median time for the step (the twin's estimates);
* deposit — the rates model; heat — the heater's first-order response to the band;
* hold — its seconds.

A run may take longer (polling, an operator slower than the median, a suspender hold), so
its default limit is :data:`LIMIT_FACTOR` × the planned duration plus one suspender hold
(``Suspenders.max_hold_s``): a long procedure is not cut short by a fixed week, and a runaway
one is stopped (``run --max-hours`` sets the limit instead; docs/engine.md).
"""

from __future__ import annotations

import math

from anodeline.devices.sim.operator import DEFAULT_MEDIAN_S
from anodeline.devices.sim.params import OPERATOR_MEDIAN_S, TwinParams
from anodeline.engine.execute import (
    BACKFILL_AIM,
    DOOR_TRAVEL_S,
    EVACUATE_AIM,
    FILL_FLOW_PA_M3_PER_S,
    HEAT_BAND_DEGC,
    SETTLE_AFTER_FILL_S,
)
from anodeline.engine.suspenders import Suspenders
from anodeline.errors import AnodelineError
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.line.transitions import TRANSITIONS
from anodeline.physics.deposition.rates import deposition_time_s, params_for
from anodeline.procedure.model import Procedure

#: A run's default time limit is this many times its planned duration (plus one suspender hold).
LIMIT_FACTOR = 3.0


def planned_duration_s(procedure: Procedure, line: Line) -> float:
    """Seconds ``procedure`` should take on ``line``: every step by the engine's own models, in order."""
    machine = Machine(line, procedure.policy)
    state = procedure.initial_state(machine)
    total_s = 0.0
    for action in procedure.steps:
        total_s += step_duration_s(line, state, action)
        try:
            state = TRANSITIONS[type(action)](machine, state, action)
        except (AnodelineError, KeyError):  # an impossible step: the engine refuses it; the plan goes on
            continue
    return total_s


def default_time_limit_s(procedure: Procedure, line: Line, suspenders: Suspenders | None = None) -> float:
    """The run's time limit when none is given: :data:`LIMIT_FACTOR` × the planned duration + one hold."""
    hold_s = (suspenders or Suspenders()).max_hold_s
    return LIMIT_FACTOR * planned_duration_s(procedure, line) + hold_s


def step_duration_s(line: Line, state: LineState, action: act.Action) -> float:
    """Seconds one step should take from ``state`` (0 for a step the models cannot time)."""
    if isinstance(action, act.Evacuate):
        return _evacuate_s(line, state, action)
    if isinstance(action, act.Backfill):
        return _backfill_s(line, state, action)
    if isinstance(action, act.OpenDoor | act.CloseDoor):
        return DOOR_TRAVEL_S
    if isinstance(action, act.Load | act.Unload):
        return 2 * DOOR_TRAVEL_S + OPERATOR_MEDIAN_S.get(action.kind, DEFAULT_MEDIAN_S)
    if isinstance(action, act.Deposit):
        return deposition_time_s(action.method, action.material, action.thickness_um, params_for(action.power_w))
    if isinstance(action, act.Heat):
        return _heat_s(state, action)
    if isinstance(action, act.Hold):
        return action.seconds
    if action.manual:
        return OPERATOR_MEDIAN_S.get(action.kind, DEFAULT_MEDIAN_S)
    return 0.0


def _evacuate_s(line: Line, state: LineState, a: act.Evacuate) -> float:
    pumps = line.pump_set(a.space) if a.space in line.spaces else None
    if pumps is None:
        return 0.0
    start = state.atmospheres[a.space].pressure_pa
    floor = pumps.ultimate()
    aim = a.pressure_pa * EVACUATE_AIM if a.pressure_pa * EVACUATE_AIM > floor * 1.01 else a.pressure_pa
    if start <= aim:
        return 0.0
    try:
        return pumps.time_to(start, aim)
    except AnodelineError:  # below what the pumps reach: the engine's timeout will say so
        return 0.0


def _backfill_s(line: Line, state: LineState, a: act.Backfill) -> float:
    config = line.spaces.get(a.space)
    if config is None:
        return 0.0
    start = state.atmospheres[a.space].pressure_pa
    fill_s = max(a.pressure_pa * BACKFILL_AIM - start, 0.0) / (FILL_FLOW_PA_M3_PER_S / config.volume_m3)
    return fill_s + (SETTLE_AFTER_FILL_S if config.purifier else 0.0)


def _heat_s(state: LineState, a: act.Heat) -> float:
    """First order: ``tau·ln(|ΔT| / band)`` to come within the engine's band of the set-point."""
    step_degc = abs(a.temperature_degc - state.heaters.get(a.space, TwinParams.ambient_degc))
    if step_degc <= HEAT_BAND_DEGC:
        return 0.0
    return TwinParams.heater_tau_s * math.log(step_degc / HEAT_BAND_DEGC)
