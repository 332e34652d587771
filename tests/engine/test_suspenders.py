"""The suspender's make-safe steps, checked on Example 1's states: seal, retreat, close doors, undo."""

from __future__ import annotations

from dataclasses import replace

from anodeline.engine.suspenders import Suspenders, protective_actions, scaled, tripped, undo
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.procedure.model import Procedure
from anodeline.procedure.verify import verify_procedure


def _state_after(procedure: Procedure, line: Line, index: int) -> LineState:
    verdict = verify_procedure(procedure, line, keep_trace=True)
    return verdict.trace[index].after


def _apply(machine: Machine, state: LineState, actions: list[act.Action]) -> LineState:
    for action in actions:
        state = machine.apply(state, action)
    return state


def test_an_open_source_container_is_closed_and_the_inner_door_shut(example_1: Procedure, fig1: Line) -> None:
    state = _state_after(example_1, fig1, 9)  # source-1 open in chamber 4 with the base in it, inlet door open
    actions = protective_actions(fig1, state, {"chamber-4"})
    assert actions == [act.CloseContainer("source-1"), act.CloseDoor("inlet-2")]
    safe = _apply(Machine(fig1, example_1.policy), state, actions)
    assert safe.containers["source-1"].closed and not safe.doors["inlet-2"]


def test_a_loose_item_goes_into_the_open_container_of_its_chamber(example_1: Procedure, fig1: Line) -> None:
    state = _state_after(example_1, fig1, 24)  # the electrode loose in chamber 5, storage-1 open beside it
    actions = protective_actions(fig1, state, {"chamber-5"})
    assert actions == [act.Move("base", "storage-1"), act.CloseContainer("storage-1")]
    safe = _apply(Machine(fig1, example_1.policy), state, actions)
    assert safe.items["base"].location == "storage-1" and safe.containers["storage-1"].closed
    assert not tripped(example_1.policy, safe)


def test_with_only_a_closed_empty_container_it_is_opened_to_seal_the_item(example_1: Procedure, fig1: Line) -> None:
    state = _state_after(example_1, fig1, 24)  # the electrode loose in chamber 5 ...
    storage = state.containers["storage-1"]  # ... and the storage container closed
    state = state.with_container(replace(storage, closed=True, sealed=state.atmospheres["chamber-5"]))
    actions = protective_actions(fig1, state, {"chamber-5"})
    assert actions == [act.OpenContainer("storage-1"), act.Move("base", "storage-1"), act.CloseContainer("storage-1")]
    safe = _apply(Machine(fig1, example_1.policy), state, actions)
    assert safe.items["base"].location == "storage-1" and safe.containers["storage-1"].closed


def test_with_no_container_the_item_retreats_through_the_door_it_came(example_1: Procedure, fig1: Line) -> None:
    state = _state_after(example_1, fig1, 24)  # the electrode loose in chamber 5 ...
    state = state.with_container(replace(state.containers["storage-1"], space="room"))  # ... and no container there
    actions = protective_actions(fig1, state, {"chamber-5"})
    assert actions[:2] == [act.OpenDoor("outlet-3"), act.Move("base", "apparatus-1")]
    assert act.CloseDoor("outlet-3") in actions
    safe = _apply(Machine(fig1, example_1.policy), state, actions)
    assert safe.items["base"].location == "apparatus-1"


def test_undo_reverses_each_protective_step(example_1: Procedure, fig1: Line) -> None:
    machine = Machine(fig1, example_1.policy)
    state = _state_after(example_1, fig1, 9)
    made: list[tuple[act.Action, LineState]] = []
    for action in protective_actions(fig1, state, {"chamber-4"}):
        made.append((action, state))
        state = machine.apply(state, action)
    for action, before in reversed(made):
        reverse = undo(action, before)
        assert reverse is not None
        state = machine.apply(state, reverse)
    original = _state_after(example_1, fig1, 9)
    assert state.items["base"].location == original.items["base"].location
    assert state.containers["source-1"].closed == original.containers["source-1"].closed
    assert state.doors == original.doors


def test_the_ceiling_trips_before_the_limit(example_1: Procedure, fig1: Line) -> None:
    state = _state_after(example_1, fig1, 9)
    limits = example_1.policy
    ceiling = scaled(limits, Suspenders().ceiling_share)
    dirty = replace(state.atmospheres["chamber-4"], o2_ppm=0.5 * limits.max_o2_ppm)
    state = state.with_atmosphere("chamber-4", dirty)
    assert not tripped(limits, state)  # still within the recipe's limit ...
    assert "chamber-4" in tripped(ceiling, state)  # ... but above the suspender's ceiling: hold now
