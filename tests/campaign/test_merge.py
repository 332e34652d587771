"""The merged timeline of an interleaved plan: footprints checked disjoint, then the same verifier as one batch."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anodeline.campaign.footprint import action_footprint
from anodeline.campaign.heuristic import heuristic
from anodeline.campaign.merge import blocks, clashes, merged_procedure, verify_schedule
from anodeline.campaign.problem import Problem
from anodeline.campaign.schedule import Schedule
from anodeline.campaign.setups import changeover_steps
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.load import load_line
from tests.campaign.conftest import RECIPES, problem
from tests.conftest import LINES


@cache
def fig1() -> Line:
    return load_line(LINES / "fig1.yaml")


def test_interleaved_batches_and_changeovers_verify_air_free() -> None:
    line = fig1()
    p = problem([("example-01", 2), ("example-02", 2)])
    schedule = heuristic(p)
    assert schedule.changeovers
    starts = sorted(schedule.batch_span(b.id) for b in p.batches)
    assert starts[1][0] < starts[0][1]  # batches overlap in time
    ((procedure, verdict),) = verify_schedule(p, schedule, {"fig1": line}).values()
    assert verdict.air_free, verdict.failure
    batch_steps = sum(len(b.options["fig1"].procedure.steps) for b in p.batches)
    purge = changeover_steps(line, "apparatus-1", p.batches[0].options["fig1"].procedure.policy)
    assert len(procedure.steps) == batch_steps + len(schedule.changeovers) * len(purge)
    assert {m.name.split("/")[0] for m in procedure.materials} == {b.id for b in p.batches}


def test_a_footprint_names_both_sides_of_a_door_and_the_equipment_commanded() -> None:
    line = fig1()
    state = problem([("example-01", 1)]).batches[0].options["fig1"].procedure.initial_state
    from anodeline.line.machine import Machine

    s = state(Machine(line))
    assert action_footprint(line, s, act.OpenDoor("inlet-2")) == {"door:inlet-2", "space:chamber-4",
                                                                   "space:apparatus-1"}  # fmt: skip
    assert action_footprint(line, s, act.Evacuate("chamber-4", 10.0)) == {"space:chamber-4", "pump:rotary-4",
                                                                          "purifier:purifier-4"}  # fmt: skip
    assert "valve:chamber-5/argon" in action_footprint(line, s, act.Backfill("chamber-5", "Ar"))
    loaded = action_footprint(line, s, act.Load("source-1", "chamber-4"))
    assert loaded == {"door:port-4", "space:chamber-4", "material:source-1"}  # the room is left out


def _moved(schedule: Schedule, batch: str, op: int, start: int, length: int | None = None) -> Schedule:
    moved = tuple(replace(q, start_s=start, end_s=start + (q.end_s - q.start_s if length is None else length))
                  if q.batch == batch and q.op == op else q for q in schedule.placed)  # fmt: skip
    return replace(schedule, placed=moved)


def _op(p: Problem, name: str) -> int:
    return next(op.index for op in p.batches[0].options["fig1"].operations if op.name == name)


def _when(schedule: Schedule, batch: str, op: int) -> tuple[int, int]:
    q = next(q for q in schedule.placed if q.batch == batch and q.op == op)
    return q.start_s, q.end_s


def test_two_overlapping_operations_that_share_a_chamber_and_its_door_are_refused_located() -> None:
    """Batch 2 loaded through port 4 while batch 1 opens its container at the gloves of chamber 4."""
    p = problem([("example-01", 2)])
    schedule = heuristic(p)
    first, second = (b.id for b in p.batches)
    start, _ = _when(schedule, first, _op(p, "open chamber-4"))
    edited = _moved(schedule, second, _op(p, "load chamber-4"), start + 1)
    procedure, verdict = verify_schedule(p, edited, {"fig1": fig1()})["fig1"]
    assert not verdict.air_free and verdict.failure is not None
    assert verdict.failure.rule == "CPG013"
    assert "space:chamber-4" in verdict.failure.reason and verdict.failure.space == "chamber-4"
    assert procedure.note(verdict.failure.step).startswith(f"{second}: load chamber-4")
    assert isinstance(procedure.steps[verdict.failure.step], act.Load)


def test_two_overlapping_transfers_through_one_door_are_refused() -> None:
    """Batch 2's transfer into the apparatus at the same time as batch 1's: one door, two batches."""
    p = problem([("example-01", 2)])
    schedule = heuristic(p)
    first, second = (b.id for b in p.batches)
    transfer = _op(p, "transfer apparatus-1>chamber-4")
    start, _ = _when(schedule, first, transfer)
    verdict = verify_schedule(p, _moved(schedule, second, transfer, start), {"fig1": fig1()})["fig1"][1]
    assert verdict.failure is not None and verdict.failure.rule == "CPG013"
    assert "door:inlet-2" in verdict.failure.reason


def test_a_plan_that_opens_a_chamber_to_the_room_under_an_open_container_is_refused() -> None:
    """Disjoint in time but unsafe in order: batch 2 loaded (port open to the room) at the instant batch 1 has
    opened its container in chamber 4 (a load of no duration, so no overlap): the verifier refuses it."""
    p = problem([("example-01", 2)])
    schedule = heuristic(p)
    first, second = (b.id for b in p.batches)
    start, _ = _when(schedule, first, _op(p, "open chamber-4"))
    edited = _moved(schedule, second, _op(p, "load chamber-4"), start, 0)
    assert clashes(blocks(p, edited, fig1())) == []
    procedure, verdict = verify_schedule(p, edited, {"fig1": fig1()})["fig1"]
    assert not verdict.air_free
    assert verdict.failure is not None and verdict.failure.rule.startswith(("AIR", "DOOR", "PORT"))
    assert procedure.note(verdict.failure.step).startswith(second)


@cache
def _planned(mix: tuple[tuple[str, int], ...], operators: int, solver: str) -> tuple[Problem, Schedule]:
    p = problem(list(mix), operators=operators)
    if solver == "cp-sat":
        from anodeline.campaign.bound import lower_bound
        from anodeline.campaign.cpsat import solve

        return p, solve(p, heuristic(p), lower_bound(p).seconds, 2.0, 1).schedule
    return p, heuristic(p)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mix=st.lists(st.tuples(st.sampled_from(RECIPES), st.integers(1, 2)), min_size=1, max_size=2),
    operators=st.integers(1, 2),
    solver=st.sampled_from(["heuristic", "heuristic", "cp-sat"]),
    data=st.data(),
)
def test_every_order_of_the_overlapping_operations_gives_the_same_states_and_verdict(
    mix: list[tuple[str, int]], operators: int, solver: str, data: st.DataObject
) -> None:
    """Any order consistent with the time order (an operation that ends before another starts comes first)."""
    from anodeline.campaign.merge import _verify

    line = fig1()
    p, schedule = _planned(tuple(mix), operators, "cp-sat" if solver == "cp-sat" and len(mix) == 1 else "heuristic")
    timeline = blocks(p, schedule, line)
    assert clashes(timeline) == []
    before = [{i for i, a in enumerate(timeline) if not a.overlaps(b) and a.end_s <= b.start_s and i != j}
              for j, b in enumerate(timeline)]  # fmt: skip
    order: list[int] = []
    left = set(range(len(timeline)))
    while left:
        ready = sorted(j for j in left if before[j] <= set(order))
        pick = ready[data.draw(st.integers(0, len(ready) - 1))]
        order.append(pick)
        left.remove(pick)
    reference = _verify(merged_procedure(p, schedule, line), line)
    shuffled = _verify(merged_procedure(p, schedule, line, order=order), line)
    assert reference.air_free and shuffled.air_free == reference.air_free
    assert shuffled.final == reference.final
