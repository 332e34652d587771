"""Random action sequences on each shipped line: the machine never accepts a step that exposes an item.

The invariant is re-checked here independently of the machine's own check: every
air-sensitive item is in a closed container sealed under an inactive atmosphere, or in a
space whose atmosphere is inactive (inert within limits, vacuum, or dry air ≤ −50 °C).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from anodeline.chemistry import gases
from anodeline.line import actions as act
from anodeline.line.errors import InterlockError
from anodeline.line.load import load_line
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.physics.atmosphere.state import Atmosphere
from anodeline.procedure.model import Procedure
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe
from tests.conftest import LINES, PATENT

RECIPE = {"fig1": "example-05.yaml", "single-port": "example-01.yaml", "two-apparatus": "two-apparatus-01.yaml"}


def inactive(machine: Machine, atm: Atmosphere) -> bool:
    policy = machine.policy
    if atm.pressure_pa < policy.vacuum_below_pa:
        return True
    parts = gases.components(atm.gas)
    if parts == ("dry-air",):
        return atm.h2o_ppm <= policy.dry_air_h2o_max_ppm
    inert = bool(parts) and all(part in gases.CHAMBER_GASES for part in parts)
    return inert and atm.o2_ppm <= policy.max_o2_ppm and atm.h2o_ppm <= policy.max_h2o_ppm


def air_free(machine: Machine, state: LineState) -> bool:
    for name, item in state.items.items():
        if not item.sensitive:
            continue
        box = state.containers.get(item.location)
        if box is not None and box.closed:
            assert box.sealed is not None
            if not inactive(machine, box.sealed):
                return False
        elif not inactive(machine, state.atmospheres[state.space_of(name)]):
            return False
    return True


def vocabulary(machine: Machine, procedure: Procedure, state: LineState) -> list[act.Action]:
    """Every action worth trying on this line with these materials (plus the procedure's own)."""
    line = machine.line
    chambers = [n for n, s in line.spaces.items() if s.kind == "glove-chamber"]
    spaces = list(line.spaces)
    boxes = list(state.containers)
    items = list(state.items)
    found: list[act.Action] = list(procedure.steps)
    for box in boxes:
        found += [act.OpenContainer(box), act.CloseContainer(box)]
        found += [act.Load(box, c) for c in chambers] + [act.Unload(box, c) for c in chambers]
    for door in line.doors:
        found += [act.OpenDoor(door), act.CloseDoor(door)]
    for space in spaces[1:]:
        found += [
            act.Evacuate(space, 10.0),
            act.Evacuate(space, 1e-4),
            act.Backfill(space, "Ar"),
            act.Hold(space, 600.0),
        ]
    for thing in items + boxes:
        found += [act.Move(thing, to) for to in spaces + boxes]
    for app in line.apparatus.values():
        found += [act.Heat(app.space, t) for t in (25.0, 150.0, 185.0)]
    return list(dict.fromkeys(found))


def make_machine(line_name: str) -> type[RuleBasedStateMachine]:
    line = load_line(LINES / f"{line_name}.yaml")
    procedure = compile_procedure(load_recipe(PATENT / RECIPE[line_name]), line)
    machine = Machine(line, procedure.policy)
    start = procedure.initial_state(machine)
    words = vocabulary(machine, procedure, start)

    class LineMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.state = start
            self.cursor = 0
            self.accepted = 0

        @rule()
        def follow_the_procedure(self) -> None:
            """Take the procedure's next step (reaches deep states: parts in the apparatus, films made)."""
            if self.cursor < len(procedure.steps):
                self.attempt(procedure.steps[self.cursor])
                self.cursor += 1

        @rule(action=st.sampled_from(words))
        def random_action(self, action: act.Action) -> None:
            self.attempt(action)

        def attempt(self, action: act.Action) -> None:
            before = self.state
            try:
                self.state = machine.apply(before, action)
            except InterlockError as exc:
                assert exc.rule
                assert self.state is before
                return
            self.accepted += 1
            assert air_free(machine, self.state), f"{action.describe()} was accepted but exposes an item"

        @invariant()
        def no_item_is_exposed(self) -> None:
            assert air_free(machine, self.state)

        @invariant()
        def at_most_one_door_per_space_is_open(self) -> None:
            for space in line.spaces:
                if space != line.room:
                    assert sum(self.state.doors[d] for d in line.doors_of(space)) <= 1

    LineMachine.TestCase.settings = settings(
        max_examples=60, stateful_step_count=120, deadline=None, suppress_health_check=list(HealthCheck)
    )
    return LineMachine


@pytest.mark.parametrize("line_name", sorted(RECIPE))
def test_random_actions_never_expose_an_item(line_name: str) -> None:
    machine_class: Any = make_machine(line_name)
    machine_class.TestCase("runTest").runTest()
