"""The merged timeline of an interleaved plan goes through the same verifier as one batch."""

from __future__ import annotations

from dataclasses import replace

from anodeline.campaign.heuristic import heuristic
from anodeline.campaign.merge import merged_procedure, verify_schedule
from anodeline.campaign.setups import changeover_steps
from anodeline.line.load import load_line
from tests.campaign.conftest import problem
from tests.conftest import LINES


def test_interleaved_batches_and_changeovers_verify_air_free() -> None:
    line = load_line(LINES / "fig1.yaml")
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


def test_a_plan_that_opens_a_chamber_to_the_room_under_an_open_container_is_refused() -> None:
    """Batch 2 loaded (port open to the room) while batch 1's containers stand open in chamber 4."""
    line = load_line(LINES / "fig1.yaml")
    p = problem([("example-01", 2)])
    schedule = heuristic(p)
    first, second = (b.id for b in p.batches)
    t = p.template(first, "fig1")
    opened = next(op.index for op in t.operations if op.name == "open chamber-4")
    when = next(q.start_s for q in schedule.placed if q.batch == first and q.op == opened) + 1
    load_op = next(op.index for op in t.operations if op.name == "load chamber-4")
    moved = tuple(replace(q, start_s=when, end_s=when + 1) if q.batch == second and q.op == load_op else q
                  for q in schedule.placed)  # fmt: skip
    verdict = verify_schedule(p, replace(schedule, placed=moved), {"fig1": line})["fig1"][1]
    assert not verdict.air_free
    assert verdict.failure is not None and verdict.failure.rule.startswith(("AIR", "DOOR", "PORT"))
    procedure = merged_procedure(p, replace(schedule, placed=moved), line)
    assert procedure.note(verdict.failure.step).startswith(second)
