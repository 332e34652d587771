"""A campaign run on the twin: interleaved batches, one record each, a fault holding only what it touches."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from anodeline.campaign.heuristic import heuristic
from anodeline.campaign.load import Campaign, load_campaign
from anodeline.campaign.plan import Plan, plan
from anodeline.campaign.run import run_campaign
from anodeline.campaign.tasks import tasks
from anodeline.line.load import load_line
from anodeline.records import Store, open_store
from tests.campaign.conftest import problem
from tests.conftest import EXAMPLES, LINES


def campaign_file(folder: Path, count: int, lines: tuple[str, ...] = ("lines/fig1.yaml",)) -> Path:
    path = folder / "c.yaml"
    shown = ", ".join(str(EXAMPLES / line) for line in lines)
    recipe = EXAMPLES / "patent" / "example-01.yaml"
    path.write_text(f"campaign: small\nstart: 2025-03-10T06:00:00+00:00\nlines: [{shown}]\n"
                    f"orders:\n  - {{recipe: {recipe}, count: {count}}}\n")  # fmt: skip
    return path


@cache
def _planned(count: int, lines: tuple[str, ...] = ("lines/fig1.yaml",)) -> tuple[Campaign, Plan]:
    import tempfile

    folder = Path(tempfile.mkdtemp())
    campaign = load_campaign(campaign_file(folder, count, lines))
    return campaign, plan(campaign.problem())


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'records.sqlite'}")
    store.migrate()
    yield store
    store.close()


def test_three_batches_run_interleaved_complete_and_pass_each_with_its_record(sqlite: Store) -> None:
    campaign, planned = _planned(3)
    run = run_campaign(campaign, planned, sqlite, seed=1)
    assert run.status == "complete"
    assert [(b.status, b.verdict) for b in run.batches] == [("complete", "pass")] * 3
    spans = sorted((b.start_s, b.end_s) for b in run.batches)
    assert spans[1][0] < spans[0][1] and spans[2][0] < spans[1][1]  # batch i+1 starts while batch i runs
    assert planned.schedule.makespan_s <= run.makespan_s <= 1.1 * planned.schedule.makespan_s
    records = {b.record for b in run.batches}
    assert len(records) == 3 and {r.batch_id for r in sqlite.list_batches()} == records
    template = planned.problem.batches[0].options["fig1"]
    for b in run.batches:
        assert b.record is not None
        steps = sqlite.steps(b.record)
        assert [s.index for s in steps] == list(range(len(template.procedure.steps)))  # its own numbering
        assert all("/" not in str(s.arguments) for s in steps)  # recipe names kept
        assert sqlite.telemetry(b.record)
        assert sqlite.genealogy(f"{b.record}/electrode").lots() is not None
    chain = sqlite.verify_chain()
    assert chain.ok and chain.head is not None and chain.head.hash == run.audit_head


def test_a_fault_in_the_last_batch_holds_it_and_the_others_complete(sqlite: Store) -> None:
    """Batch 2's inlet pump fails while batch 1 deposits: batch 2 is aborted, batch 1 is not touched."""
    campaign, planned = _planned(2)
    last = planned.problem.batches[-1].id
    run = run_campaign(campaign, planned, sqlite, seed=1, faults={last: ["pump-failure:rotary-4"]})
    assert run.status == "incomplete"
    by = {b.batch: b for b in run.batches}
    assert by[last].status == "aborted" and any("rotary-4" in why for why in by[last].reasons)
    assert [(b.status, b.verdict) for b in run.batches if b.batch != last] == [("complete", "pass")]
    first = run.batches[0]
    assert first.end_s is not None and by[last].end_s is not None and by[last].end_s < first.end_s
    assert sqlite.get_batch(by[last].record or "").status == "aborted"
    assert sqlite.verify_chain().ok


def test_a_fault_on_one_line_holds_what_shares_it_and_the_rest_are_replanned_on_the_other(sqlite: Store) -> None:
    campaign, planned = _planned(3, ("lines/fig1.yaml", "campaigns/fig1-b.yaml"))
    on_fig1 = [b.id for b in planned.problem.batches if planned.schedule.assignment[b.id] == "fig1"]
    assert len(on_fig1) == 2
    run = run_campaign(campaign, planned, sqlite, seed=2, faults={on_fig1[0]: ["pump-failure:rotary-4"]})
    by = {b.batch: b for b in run.batches}
    assert by[on_fig1[0]].status in ("aborted", "held")
    moved = by[on_fig1[1]]
    assert (moved.line, moved.replanned, moved.status, moved.verdict) == ("fig1-b", True, "complete", "pass")
    assert all(b.status == "complete" for b in run.batches if b.batch != on_fig1[0])


def test_tasks_that_share_a_footprint_key_wait_for_each_other_in_planned_order() -> None:
    p = problem([("example-01", 2), ("example-02", 1)])
    schedule = heuristic(p)
    found = tasks(p, schedule, {"fig1": load_line(LINES / "fig1.yaml")})
    reach: list[set[int]] = []
    for t in found:  # every task it waits for, directly or not
        reach.append(set(t.after).union(*(reach[a] for a in t.after)))
    for j, b in enumerate(found):
        for i in range(j):
            if found[i].footprint & b.footprint:
                assert i in reach[j], (found[i].note, b.note)
    assert any(t.op == -1 for t in found)  # the changeover is a task too


def test_unknown_batches_and_faults_that_alter_the_line_are_refused(sqlite: Store) -> None:
    from anodeline.devices.sim.faults import FaultError

    campaign, planned = _planned(3)
    with pytest.raises(FaultError, match="no batch"):
        run_campaign(campaign, planned, sqlite, faults={"nope": ["leak"]})
    with pytest.raises(FaultError, match="changes the line"):
        run_campaign(campaign, planned, sqlite, faults={planned.problem.batches[0].id: ["impure-gas"]})
    assert sqlite.list_batches() == []


def test_a_campaign_of_cells_records_each_cell_with_its_genealogy_and_test(sqlite: Store, tmp_path: Path) -> None:
    pytest.importorskip("pybamm")
    from tests.conftest import CELL_EXAMPLE

    path = tmp_path / "cells.yaml"
    path.write_text(f"campaign: cells\nstart: 2025-03-10T06:00:00+00:00\nlines: [{LINES / 'fig1.yaml'}]\n"
                    f"orders:\n  - {{recipe: {CELL_EXAMPLE}, count: 2}}\n")  # fmt: skip
    campaign = load_campaign(path)
    run = run_campaign(campaign, plan(campaign.problem()), sqlite, seed=1)
    assert [(b.status, b.verdict) for b in run.batches] == [("complete", "pass")] * 2
    for b in run.batches:
        assert f"{b.record}/electrode" in sqlite.genealogy(f"{b.record}/cell").ancestry.ids()
        curve = sqlite.telemetry(b.record, "cell.voltage_v")
        assert curve and curve[-1].value == pytest.approx(3.5, abs=1e-3)


def test_a_campaign_wears_the_mounted_target_and_books_each_batch(sqlite: Store) -> None:
    """Issue 14 item 7: three Example 1 batches take ~0.6 kWh from the gun's target, one row each."""

    gun = "system-1/sputter-gun"
    sqlite.install_target("T-1", source=gun, kind="sputter-target", material="57Li2S", capacity=5.0,
                                      actor="tech")  # fmt: skip
    campaign, planned = _planned(3)
    run = run_campaign(campaign, planned, sqlite, seed=1)
    assert run.status == "complete"
    uses = sqlite.target_usage("T-1")
    assert sorted(u.batch_id for u in uses) == sorted(str(b.record) for b in run.batches)
    assert sum(u.amount for u in uses) == pytest.approx(0.61, rel=0.03)
    assert sqlite.verify().ok


def test_a_campaign_that_would_wear_a_target_through_is_refused_before_any_record(sqlite: Store) -> None:
    from anodeline.batch.targets import TargetExhaustedError

    sqlite.install_target("T-1", source="system-1/sputter-gun", kind="sputter-target",
                                      material="57Li2S", capacity=0.5, actor="tech")  # fmt: skip
    campaign, planned = _planned(3)
    with pytest.raises(TargetExhaustedError, match="needs"):
        run_campaign(campaign, planned, sqlite, seed=1)
    assert sqlite.list_batches() == []
