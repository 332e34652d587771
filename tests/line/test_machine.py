"""The Machine lets make-safe steps through from a state already beyond the limits, and nothing else."""

from __future__ import annotations

from dataclasses import replace

import pytest

from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.errors import InterlockError
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.procedure.model import Procedure
from anodeline.procedure.verify import verify_procedure

LEAKED_O2_PPM = 21.0  # the steady state of a 10 x ISO class 1 leak into chamber 5 (docs/engine.md)


def _first(procedure: Procedure, line: Line, wanted: type[act.Action], **fields: str) -> LineState:
    """The verified state right after the first step of kind ``wanted`` with these fields."""
    trace = verify_procedure(procedure, line, keep_trace=True).trace
    for step in trace:
        if isinstance(step.action, wanted) and all(getattr(step.action, k) == v for k, v in fields.items()):
            return step.after
    raise AssertionError(f"no {wanted.kind} {fields} in the procedure")


def _leaked(state: LineState, *spaces: str) -> LineState:
    for space in spaces:
        state = state.with_atmosphere(space, replace(state.atmospheres[space], o2_ppm=LEAKED_O2_PPM))
    return state


def test_from_an_exposed_state_the_item_can_be_put_away_and_sealed_but_no_door_opens(
    example_1_procedure: Procedure, fig1: Line
) -> None:
    machine = Machine(fig1, example_1_procedure.policy)
    state = _leaked(_first(example_1_procedure, fig1, act.CloseDoor, door="outlet-3"), "chamber-5")
    assert machine.check(state) is not None  # the base is loose in 21 ppm O2: already beyond the limit
    put_away = machine.apply(state, act.Move("base", "storage-1"))
    sealed = machine.apply(put_away, act.CloseContainer("storage-1"))
    assert sealed.containers["storage-1"].closed and sealed.items["base"].location == "storage-1"
    with pytest.raises(InterlockError):
        machine.apply(state, act.OpenDoor("outlet-3"))


def test_from_an_exposed_state_an_inner_door_can_be_closed(example_1_procedure: Procedure, fig1: Line) -> None:
    machine = Machine(fig1, example_1_procedure.policy)
    state = _leaked(
        _first(example_1_procedure, fig1, act.Move, item="base", to="chamber-5"), "chamber-5", "apparatus-1"
    )
    assert state.doors["outlet-3"] and machine.check(state) is not None
    closed = machine.apply(state, act.CloseDoor("outlet-3"))
    assert not closed.doors["outlet-3"]


def test_a_make_safe_step_from_a_safe_state_is_judged_as_before(example_1_procedure: Procedure, fig1: Line) -> None:
    machine = Machine(fig1, example_1_procedure.policy)
    state = _first(example_1_procedure, fig1, act.CloseDoor, door="outlet-3")
    assert machine.check(state) is None
    assert not machine.makes_safe(state, state, act.CloseContainer("storage-1"))


def test_a_step_that_makes_any_atmosphere_worse_is_not_make_safe(example_1_procedure: Procedure, fig1: Line) -> None:
    machine = Machine(fig1, example_1_procedure.policy)
    before = _leaked(
        _first(example_1_procedure, fig1, act.Move, item="base", to="chamber-5"), "chamber-5", "apparatus-1"
    )
    worse = _leaked(before, "chamber-4")  # pretend the step also spoiled chamber 4
    dirtier = before.with_atmosphere("chamber-5", replace(before.atmospheres["chamber-5"], o2_ppm=50.0))
    step = act.CloseDoor("outlet-3")
    assert machine.makes_safe(before, machine.apply(before, step), step)
    assert not machine.makes_safe(before, worse, step)
    assert not machine.makes_safe(before, dirtier, step)
    assert not machine.makes_safe(before, before, act.Move("base", "apparatus-1"))  # a move to a space never is
    assert not machine.makes_safe(before, before, act.OpenDoor("port-5"))


def test_from_an_exposed_state_an_empty_container_may_be_opened_to_seal_the_item(
    example_1_procedure: Procedure, fig1: Line
) -> None:
    machine = Machine(fig1, example_1_procedure.policy)
    state = _first(example_1_procedure, fig1, act.CloseDoor, door="outlet-3")
    storage = replace(state.containers["storage-1"], closed=True, sealed=state.atmospheres["chamber-5"])
    state = _leaked(state.with_container(storage), "chamber-5")  # storage-1 closed under clean argon, then a leak
    assert state.containers["storage-1"].closed and machine.check(state) is not None
    opened = machine.apply(state, act.OpenContainer("storage-1"))  # CONT001 would refuse it from a safe state
    sealed = machine.apply(machine.apply(opened, act.Move("base", "storage-1")), act.CloseContainer("storage-1"))
    assert sealed.containers["storage-1"].closed and sealed.items["base"].location == "storage-1"
    source = _leaked(_first(example_1_procedure, fig1, act.Load, container="source-1"), "chamber-4")
    holding = source.with_item(replace(source.items["base"], location="source-1"))
    chamber = _leaked(holding, "chamber-5")  # something exposed elsewhere: the line is already unsafe
    chamber = chamber.with_item(replace(chamber.items["target-57li2s-38sis2-5p2o5"], location="chamber-5"))
    with pytest.raises(InterlockError) as info:  # opening a container with a sensitive item in it is never make-safe
        machine.apply(chamber, act.OpenContainer("source-1"))
    assert info.value.rule == "CONT001"
