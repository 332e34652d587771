"""Each interlock refuses the step that breaks it (drop, swap or insert a step of Example 1)."""

from __future__ import annotations

import math
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


# --- issue 8: gas inside containers, heat wherever it comes from -----------------------------------


def _with_storage_sealed_under_air(procedure: Procedure) -> Procedure:
    """Example 1 as it was planned before issue 8: the new storage container arrives closed, full of room air."""
    materials = tuple(
        replace(spec, closed=True, sealed=room_air()) if spec.name == "storage-1" else spec
        for spec in procedure.materials
    )
    return replace(procedure, materials=materials)


def test_opening_a_container_of_air_mixes_its_gas_into_the_chamber(
    example_1_procedure: Procedure, fig1_machine: Machine
) -> None:
    """1 L of room air opened in the 400 L purged chamber 5 brings ~500 ppm O2 (p·V mixing)."""
    procedure = _with_storage_sealed_under_air(example_1_procedure)
    state = procedure.initial_state(fig1_machine)
    steps = list(procedure.steps)
    at = _index(steps, act.OpenDoor("outlet-3"))  # chamber 5 purged, the base still in the apparatus
    for action in steps[:at]:
        state = fig1_machine.apply(state, action)
    before = state.atmospheres["chamber-5"]
    assert before.o2_ppm < 1.0
    after = fig1_machine.apply(state, act.OpenContainer("storage-1")).atmospheres["chamber-5"]  # nothing exposed
    assert after.o2_ppm == pytest.approx(before.o2_ppm * 399.0 / 400.0 + 209_460.0 * 1.0 / 400.0, rel=1e-6)
    assert after.o2_ppm > 500.0


def test_opening_a_container_of_air_beside_the_electrode_is_refused(
    example_1_procedure: Procedure, fig1_machine: Machine
) -> None:
    """The pre-issue-8 Example 1 plan opened storage-1 (room air) in chamber 5 beside the unsealed base."""
    procedure = _with_storage_sealed_under_air(example_1_procedure)
    steps = list(procedure.steps)
    at = _index(steps, act.Move("base", "storage-1"))
    steps.insert(at, act.OpenContainer("storage-1"))  # the old plan's step 25
    failure = _fails(_run(procedure, fig1_machine, steps), "CONT002", at)
    assert failure.item == "base"


def test_opening_a_container_of_air_early_contaminates_the_chamber(
    example_1_procedure: Procedure, fig1_machine: Machine
) -> None:
    """Opened before the base arrives, the air stays in chamber 5: the next door to the apparatus is refused."""
    procedure = _with_storage_sealed_under_air(example_1_procedure)
    steps = list(procedure.steps)
    steps.insert(_index(steps, act.OpenDoor("outlet-3")), act.OpenContainer("storage-1"))
    verdict = _run(procedure, fig1_machine, steps)
    assert not verdict.air_free and verdict.failure is not None
    assert verdict.failure.step == _index(steps, act.OpenDoor("outlet-3"))


def test_the_shipped_plan_brings_empty_containers_in_open(example_1_procedure: Procedure) -> None:
    storage = next(spec for spec in example_1_procedure.materials if spec.name == "storage-1")
    assert not storage.closed and not storage.items


def test_moving_lithium_into_a_hot_apparatus_is_refused(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    """Heat first, then bring the lithium in: refused at the move, not only at a heat step."""
    steps = [act.Heat("apparatus-1", 250.0), *example_1_procedure.steps]
    at = _index(steps, act.Move("base", "apparatus-1"))
    failure = _fails(_run(example_1_procedure, fig1_machine, steps), "HEAT001", at)
    assert failure.item == "base"


@pytest.mark.parametrize("degc", [-300.0, -273.15, 4.0, float("nan"), float("-inf"), float("inf")])
def test_a_heater_cannot_cool_or_take_a_non_finite_set_point(
    example_1_procedure: Procedure, fig1_machine: Machine, degc: float
) -> None:
    steps = [act.Heat("apparatus-1", degc), *example_1_procedure.steps]
    _fails(_run(example_1_procedure, fig1_machine, steps), "HEAT002" if math.isfinite(degc) else "ACT005", 0)


TARGET = "target-57li2s-38sis2-5p2o5"


@pytest.mark.parametrize(
    "action",
    [
        act.Hold("chamber-4", float("nan")),
        act.Hold("chamber-4", 1e308),
        act.Evacuate("chamber-4", float("nan")),
        act.Evacuate("chamber-4", -5.0),
        act.Backfill("chamber-4", "Ar", 200_000.0),
        act.Backfill("chamber-4", "Ar", float("inf")),
        act.Deposit("apparatus-1", "x", "solid-electrolyte", "sputtering", TARGET, "base", 1e308),
        act.Deposit("apparatus-1", "x", "solid-electrolyte", "sputtering", TARGET, "base", -1e308),
        act.Deposit("apparatus-1", "x", "solid-electrolyte", "sputtering", TARGET, "base", float("nan")),
    ],
    ids=lambda a: a.describe(),
)
def test_absurd_numbers_in_an_action_are_impossible(
    example_1_procedure: Procedure, fig1_machine: Machine, action: act.Action
) -> None:
    state = example_1_procedure.initial_state(fig1_machine)
    with pytest.raises(InterlockError) as refused:
        fig1_machine.apply(state, action)
    assert refused.value.rule == "ACT005"


def test_a_container_opened_in_a_chamber_joined_to_the_apparatus_mixes_into_both(
    example_1_procedure: Procedure, fig1_machine: Machine
) -> None:
    steps = list(example_1_procedure.steps)
    state = example_1_procedure.initial_state(fig1_machine)
    for action in steps[: _index(steps, act.OpenDoor("inlet-2")) + 1]:
        state = fig1_machine.apply(state, action)
    from anodeline.line.transitions import open_container

    jar = replace(state.containers["source-1"], name="jar", closed=True, sealed=room_air())
    state = state.with_container(jar)
    after = open_container(fig1_machine, state, act.OpenContainer("jar"))
    assert after.atmospheres["chamber-4"] == after.atmospheres["apparatus-1"]
    assert after.atmospheres["apparatus-1"].o2_ppm > 300.0


def test_a_file_cannot_declare_lithium_insensitive(example_1_procedure: Procedure, fig1_machine: Machine) -> None:
    from anodeline.procedure.model import ItemSpec

    materials = tuple(
        replace(spec, items=tuple(replace(it, sensitive=False) for it in spec.items))
        for spec in example_1_procedure.materials
    )
    state = replace(example_1_procedure, materials=materials).initial_state(fig1_machine)
    assert state.items["base"].sensitive and state.items["target-57li2s-38sis2-5p2o5"].sensitive
    assert ItemSpec("cu", "substrate", False).is_sensitive is False
