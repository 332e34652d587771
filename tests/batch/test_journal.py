"""The records journal: one step row per step index, telemetry filtered, exposure written at the end."""

from __future__ import annotations

from itertools import pairwise

from anodeline.batch.journal import RecordsJournal
from anodeline.line import actions as act
from anodeline.records import Store


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
        journal.telemetry(float(second), "o2-4", 0.5)  # flat: only the first and the 5-min heartbeats
    journal.telemetry(1000.0, "o2-4", 5.0)  # a real change: kept
    door = act.CloseDoor("inlet-2")
    journal.step_started(0.0, 0, door)
    journal.step_finished(1000.0, 0, door, "ok", {})
    kept = store.telemetry(journal.batch_id, "o2-4")
    assert kept[0].sim_s == 0.0 and kept[-1].value == 5.0
    assert len(kept) < 10
    assert all(b.sim_s - a.sim_s <= 300.0 for a, b in pairwise(kept))
