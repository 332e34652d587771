"""Sequence-dependent set-ups: what it costs an apparatus to change its sources between two families.

Batches with the same sources (method and target in every apparatus) follow each other at no
cost: each batch's own procedure already pumps the apparatus to base pressure. Changing a
target means opening the apparatus to the room to swap it (:data:`SOURCE_SWAP_S`, est.), so
the walls take up air and water, and before the next batch may enter through its inlet the
apparatus must be brought back to the recipe's gas: the same purge the procedures use
(:func:`anodeline.procedure.steps.purge_space` sizes the cycles from air), each step timed by
the engine's models (:func:`anodeline.engine.duration.step_duration_s`, the pump-down physics).
"""

from __future__ import annotations

import math

from anodeline.engine.duration import step_duration_s
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.policy import AirPolicy
from anodeline.line.transitions import TRANSITIONS
from anodeline.physics.atmosphere.state import room_air
from anodeline.procedure.steps import purge_space

#: Venting, unbolting the source flange, swapping the target and closing up again, s (est.: a trained
#: technician on a sputter gun; vendors quote 20-45 min for a magnetron target change).
SOURCE_SWAP_S = 1800.0


def changeover_steps(line: Line, space: str, policy: AirPolicy) -> list[act.Action]:
    """The purge that brings ``space`` back from room air to the policy's gas after a source swap."""
    machine = Machine(line, policy)
    state = machine.initial_state().with_atmosphere(space, room_air())
    return purge_space(machine, state, space, policy.gas)


def changeover_s(line: Line, space: str, policy: AirPolicy) -> int:
    """Seconds of a source change on ``space``: the swap, then the purge back to the gas (pump-downs)."""
    machine = Machine(line, policy)
    state = machine.initial_state().with_atmosphere(space, room_air())
    total = SOURCE_SWAP_S
    for step in purge_space(machine, state, space, policy.gas):
        total += step_duration_s(line, state, step)
        state = TRANSITIONS[type(step)](machine, state, step)
    return math.ceil(total - 1e-9)
