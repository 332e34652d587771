"""The records journal: one step row per step index, telemetry filtered, exposure written as it closes."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import text

from anodeline.batch.journal import RecordsJournal
from anodeline.line import actions as act
from anodeline.records import RecordConflictError, Store, open_store


def _journal(store: Store) -> RecordsJournal:
    record = store.create_batch(recipe_id="r", recipe_snapshot={}, line_snapshot={}, route="coat-lithium-base")
    journal = RecordsJournal(store, record.batch_id, {})
    journal.batch_started(None, 0, ())
    return journal


def test_an_interrupted_hold_leaves_one_row_for_its_repeated_attempt(store: Store) -> None:
    journal = _journal(store)
    hold = act.Hold("chamber-4", 3600.0)
    journal.step_started(100.0, 3, hold)
    journal.step_finished(400.0, 3, hold, "interrupted", {})
    journal.step_started(2000.0, 3, hold)
    journal.step_finished(5600.0, 3, hold, "ok", {"o2-4": 0.2})
    (row,) = store.steps(journal.batch_id)
    assert (row.index, row.outcome, row.started_sim_s, row.ended_sim_s) == (3, "ok", 2000.0, 5600.0)


def test_telemetry_keeps_changes_and_heartbeats_and_flushes_at_each_step(store: Store) -> None:
    journal = _journal(store)
    for second in range(0, 1000, 10):
        journal.telemetry(float(second), {"o2-4": 0.5})  # flat: only the first and the 5-min heartbeats
    journal.telemetry(1000.0, {"o2-4": 5.0})  # a real change: kept
    door = act.CloseDoor("inlet-2")
    journal.step_started(0.0, 0, door)
    journal.step_finished(1000.0, 0, door, "ok", {})
    kept = store.telemetry(journal.batch_id, "o2-4")
    assert kept[0].sim_s == 0.0 and kept[-1].value == 5.0
    assert len(kept) < 10
    assert all(b.sim_s - a.sim_s <= 300.0 for a, b in pairwise(kept))


def test_a_finished_step_is_committed_with_the_telemetry_before_the_callback_returns(
    store_url: str, store: Store
) -> None:
    journal = _journal(store)
    journal.telemetry(10.0, {"o2-4": 0.5})
    journal.telemetry(20.0, {"o2-4": 3.0})
    door = act.CloseDoor("inlet-2")
    journal.step_started(0.0, 0, door)
    journal.step_finished(30.0, 0, door, "ok", {})
    with open_store(store_url) as reader:  # another connection: only committed rows are visible
        assert [r.index for r in reader.steps(journal.batch_id)] == [0]
        assert [s.sim_s for s in reader.telemetry(journal.batch_id)] == [10.0, 20.0]
        kinds = [k for (k,) in _kinds(reader)]
    assert kinds[-2:] == ["telemetry", "step"]  # one transaction: the samples, then the step


def test_close_writes_every_sample_still_held(store: Store) -> None:
    journal = _journal(store)
    for second in range(0, 100, 10):
        journal.telemetry(float(second), {"o2-4": 0.5})  # flat: the first kept, the last held back
    journal.close()  # what the runner calls before it aborts a batch on an exception
    assert [s.sim_s for s in store.telemetry(journal.batch_id)] == [0.0, 90.0]
    journal.close()  # nothing left: writes nothing
    assert len(store.telemetry(journal.batch_id)) == 2


def test_samples_of_a_step_that_could_not_be_written_are_kept(store_url: str, store: Store) -> None:
    journal = _journal(store)
    journal.telemetry(10.0, {"o2-4": 0.5})
    door = act.CloseDoor("inlet-2")
    journal.step_started(0.0, 0, door)
    journal.step_finished(20.0, 0, door, "ok", {})
    journal.telemetry(30.0, {"o2-4": 5.0})
    journal.step_started(20.0, 0, door)
    with pytest.raises(RecordConflictError):  # index 0 again: the step is refused, its samples are not lost
        journal.step_finished(40.0, 0, door, "ok", {})
    journal.close()
    assert [s.sim_s for s in store.telemetry(journal.batch_id)] == [10.0, 30.0]


def _kinds(s: Store) -> list[tuple[str]]:
    with s.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT kind FROM audit_entries ORDER BY sequence"))]


def test_an_exposure_interval_is_committed_as_it_closes_not_at_the_end(store_url: str, store: Store) -> None:
    record = store.create_batch(recipe_id="r", recipe_snapshot={}, line_snapshot={}, route="coat-lithium-base")
    store.register_item(f"{record.batch_id}/base", kind="base", batch_id=record.batch_id)
    journal = RecordsJournal(store, record.batch_id, {"base": f"{record.batch_id}/base"})
    journal.batch_started(None, 0, ())
    journal.exposure(0.0, "base", "chamber-4", 0.4, 0.5, False)
    journal.exposure(10.0, "base", "chamber-4", 0.6, 0.5, False)
    with open_store(store_url) as reader:
        assert reader.exposures(f"{record.batch_id}/base") == []  # still open
    journal.exposure(20.0, "base", "apparatus-1", 0.2, 0.3, False)  # moved: the chamber-4 stretch closed
    with open_store(store_url) as reader:  # another connection: committed before the callback returned
        (stored,) = reader.exposures(f"{record.batch_id}/base")
    assert (stored.space, stored.start_s, stored.end_s, stored.max_o2_ppm) == ("chamber-4", 0.0, 20.0, 0.6)
    journal.exposure(30.0, "base", "apparatus-1", 0.2, 0.3, True)  # sealed: the apparatus stretch closed
    journal.batch_finished(40.0, "complete", [])
    spaces = [x.space for x in store.exposures(f"{record.batch_id}/base")]
    assert spaces == ["chamber-4", "apparatus-1"]  # each once: nothing written twice at the end
    assert [len(v) for v in journal.intervals.values()] == [2]
    assert store.verify().ok
