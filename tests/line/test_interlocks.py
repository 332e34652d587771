"""Each interlock refuses the step that breaks it (drop, swap or insert a step of Example 1)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from anodeline.line import actions as act
from anodeline.line.errors import InterlockError
from anodeline.line.interlocks import INTERLOCKS
from anodeline.line.machine import Machine
from anodeline.line.verify import Verdict, verify
from anodeline.physics.atmosphere.state import room_air
from anodeline.procedure.model import Procedure


def _run(procedure: Procedure, machine: Machine, steps: list[act.Action]) -> Verdict:
    return verify(machine, procedure.initial_state(machine), steps)


def _index(steps: list[act.Action], wanted: act.Action) -> int:
    return steps.index(wanted)


def _fails(verdict: Verdict, code: str, index: int) -> InterlockError:
    assert not verdict.air_free
    assert verdict.failure is not None
    assert (verdict.failure.rule, verdict.failure.step) == (code, index), verdict.failure
    return verdict.failure


def test_example_1_is_air_free(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    assert _run(example_1_procedure, fig1_machine, list(example_1_procedure.steps)).air_free


def test_every_interlock_has_a_source_and_hint() -> None:
    for rule in INTERLOCKS.values():
        assert rule.source and rule.hint and rule.title


def test_opening_the_container_before_purging_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = [s for s in example_1_procedure.steps if getattr(s, "space", "") != "chamber-4" or isinstance(s, act.Load)]
    opening = _index(steps, act.OpenContainer("source-1"))
    failure = _fails(_run(example_1_procedure, fig1_machine, steps), "CONT001", opening)
    assert failure.space == "chamber-4"


def test_one_purge_cycle_too_few_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = list(example_1_procedure.steps)
    opening = _index(steps, act.OpenContainer("source-1"))
    del steps[opening - 2 : opening]  # the last evacuate/backfill of chamber 4
    failure = _fails(_run(example_1_procedure, fig1_machine, steps), "CONT001", opening - 2)
    assert "H2O" in failure.reason


def test_depositing_without_the_base_vacuum_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = list(example_1_procedure.steps)
    pump = _index(steps, act.Evacuate("apparatus-1", 1e-4))
    del steps[pump]
    _fails(_run(example_1_procedure, fig1_machine, steps), "DEP001", pump)


def test_opening_the_outlet_door_onto_a_vacuum_is_refused(
    example_1_procedure: Procedure, fig1_machine: Machine
) -> None:
    steps = list(example_1_procedure.steps)
    fill = next(i for i, s in enumerate(steps) if s == act.Backfill("apparatus-1", "Ar") and i > 13)
    del steps[fill]
    _fails(_run(example_1_procedure, fig1_machine, steps), "DOOR002", _index(steps, act.OpenDoor("outlet-3")))


def test_two_doors_of_the_apparatus_open_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = list(example_1_procedure.steps)
    at = _index(steps, act.OpenDoor("inlet-2")) + 1
    steps.insert(at, act.OpenDoor("outlet-3"))
    _fails(_run(example_1_procedure, fig1_machine, steps), "DOOR001", at)


def test_inner_door_onto_air_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = list(example_1_procedure.steps)
    steps.insert(2, act.OpenDoor("inlet-2"))  # chamber 4 still holds the air it was loaded in
    failure = _fails(_run(example_1_procedure, fig1_machine, steps), "DOOR003", 2)
    assert failure.space == "chamber-4"


def test_unloading_while_the_part_is_in_an_open_container_exposes_it(
    example_1_procedure: Procedure, fig1_machine: Machine
) -> None:
    steps = list(example_1_procedure.steps)
    at = _index(steps, act.OpenContainer("source-1")) + 1
    steps.insert(at, act.Unload("source-1", "chamber-4"))
    failure = _fails(_run(example_1_procedure, fig1_machine, steps), "AIR001", at)
    assert failure.item == "base" and failure.atmosphere is not None and failure.atmosphere.gas == "air"


def test_taking_out_an_unclosed_storage_container_exposes_the_electrode(
    example_1_procedure: Procedure, fig1_machine: Machine
) -> None:
    steps = list(example_1_procedure.steps)
    at = _index(steps, act.CloseContainer("storage-1"))
    del steps[at]
    failure = _fails(_run(example_1_procedure, fig1_machine, steps), "AIR001", at)
    assert failure.item == "base"


def test_swapping_pack_and_unload_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = list(example_1_procedure.steps)
    at = _index(steps, act.CloseContainer("storage-1"))
    steps[at], steps[at + 1] = steps[at + 1], steps[at]
    _fails(_run(example_1_procedure, fig1_machine, steps), "AIR001", at)


def test_heating_lithium_to_its_melting_point_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = list(example_1_procedure.steps)
    at = _index(steps, act.CloseDoor("inlet-2")) + 1
    steps.insert(at, act.Heat("apparatus-1", 180.0))
    failure = _fails(_run(example_1_procedure, fig1_machine, steps), "HEAT001", at)
    assert failure.item == "base"


def test_heating_beyond_the_heater_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = [act.Heat("apparatus-1", 350.0), *example_1_procedure.steps]
    _fails(_run(example_1_procedure, fig1_machine, steps), "HEAT002", 0)


def test_pumping_with_a_door_open_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = list(example_1_procedure.steps)
    at = _index(steps, act.OpenDoor("inlet-2")) + 1
    steps.insert(at, act.Evacuate("chamber-4", 10.0))
    _fails(_run(example_1_procedure, fig1_machine, steps), "PMP001", at)


def test_pumping_below_the_ultimate_pressure_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = [act.Evacuate("chamber-4", 0.01), *example_1_procedure.steps]
    _fails(_run(example_1_procedure, fig1_machine, steps), "PMP002", 0)


def test_glove_work_in_an_evacuated_chamber_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = list(example_1_procedure.steps)
    at = _index(steps, act.OpenContainer("source-1"))
    steps.insert(at, act.Evacuate("chamber-4", 10.0))
    _fails(_run(example_1_procedure, fig1_machine, steps), "GLOVE001", at + 1)


def test_an_unknown_method_has_no_source(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = list(example_1_procedure.steps)
    at = next(i for i, s in enumerate(steps) if isinstance(s, act.Deposit))
    deposit = steps[at]
    assert isinstance(deposit, act.Deposit)
    steps[at] = replace(deposit, method="chemical-vapour-deposition")
    _fails(_run(example_1_procedure, fig1_machine, steps), "DEP003", at)


def test_deposition_with_a_door_open_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    state = example_1_procedure.initial_state(fig1_machine)
    steps = list(example_1_procedure.steps)
    at = next(i for i, s in enumerate(steps) if isinstance(s, act.Deposit))
    for step in steps[:at]:
        state = fig1_machine.apply(state, step)
    with pytest.raises(InterlockError) as info:
        fig1_machine.apply(state.with_door("inlet-2", True), steps[at])
    assert info.value.rule == "DEP002"


def test_a_container_sealed_under_air_fails_at_the_start(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    materials = tuple(replace(m, sealed=room_air()) for m in example_1_procedure.materials)
    bad = replace(example_1_procedure, materials=materials)
    failure = _fails(_run(bad, fig1_machine, list(bad.steps)), "AIR002", 0)
    assert failure.item == "base"


def test_a_backfill_without_a_supply_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = [act.Backfill("chamber-4", "Kr"), *example_1_procedure.steps]
    _fails(_run(example_1_procedure, fig1_machine, steps), "GAS001", 0)


def test_a_misspelt_name_is_refused_not_crashed(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    steps = [act.OpenDoor("inlet-9"), *example_1_procedure.steps]
    failure = _fails(_run(example_1_procedure, fig1_machine, steps), "ACT001", 0)
    assert "inlet-9" in failure.reason
