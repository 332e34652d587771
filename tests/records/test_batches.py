"""Batches, steps, telemetry and alarms round-trip through the store on both backends."""

from __future__ import annotations

from datetime import UTC

import pytest

from anodeline.records import (
    BatchStateError,
    RecordConflictError,
    RecordInputError,
    RecordNotFoundError,
    Store,
    TelemetryRecorder,
    TelemetrySample,
)
from tests.records.conftest import new_batch


def test_a_created_batch_keeps_its_snapshots_and_seed(store: Store) -> None:
    batch = store.get_batch(new_batch(store, start=False))
    assert (batch.status, batch.verdict, batch.seed, batch.route) == ("created", None, 7, "coat_lithium_base")
    assert batch.recipe_data == {"film": "57Li2S-38SiS2-5Li3PO4", "thickness_um": 1.0}
    assert batch.created_at.tzinfo is UTC
    assert batch.started_sim_s is None


def test_a_batch_runs_and_finishes_with_a_verdict(store: Store) -> None:
    batch = new_batch(store)
    done = store.finish_batch(batch, sim_s=120.0, verdict="pass", reasons=["all steps ok"])
    assert (done.status, done.verdict, done.reasons, done.ended_sim_s) == (
        "completed",
        "pass",
        ("all steps ok",),
        120.0,
    )
    assert done.ended_at is not None and done.started_at is not None and done.ended_at >= done.started_at
    assert [b.batch_id for b in store.list_batches(status="completed")] == [batch]


def test_an_aborted_batch_fails(store: Store) -> None:
    batch = new_batch(store, start=False)
    aborted = store.abort_batch(batch, sim_s=1.0, reasons=["operator stop"])
    assert (aborted.status, aborted.verdict) == ("aborted", "fail")


def test_an_isa88_stop_ends_stopped_with_a_failing_verdict_from_running_or_held(store: Store) -> None:
    running = new_batch(store)
    stopped = store.stop_batch(running, sim_s=5.0, reasons=["stop by otto: line needed"])
    assert (stopped.status, stopped.verdict, stopped.reasons) == ("stopped", "fail", ("stop by otto: line needed",))
    held = new_batch(store, "B-2")
    store.raise_alarm(held, sim_s=1.0, code="HELD", message="left held", hold=True)
    assert store.stop_batch(held, sim_s=2.0, reasons=["stop"]).status == "stopped"
    with pytest.raises(BatchStateError, match="'stopped' and cannot become 'aborted'"):
        store.abort_batch(running, sim_s=6.0, reasons=["late"])
    assert store.verify().ok


def test_a_batch_cannot_finish_before_it_starts(store: Store) -> None:
    batch = new_batch(store, start=False)
    with pytest.raises(BatchStateError, match="'created' and cannot become 'completed'"):
        store.finish_batch(batch, sim_s=1.0, verdict="pass")


def test_a_finished_batch_takes_no_more_steps(store: Store) -> None:
    batch = new_batch(store)
    store.finish_batch(batch, sim_s=1.0, verdict="fail")
    with pytest.raises(BatchStateError):
        store.record_step(batch, index=0, action="move", started_sim_s=1, ended_sim_s=2)


def test_steps_round_trip_in_index_order(store: Store) -> None:
    batch = new_batch(store)
    store.record_step(
        batch, index=1, action="open_door", arguments={"door": "d2"}, manual=True, started_sim_s=5, ended_sim_s=9
    )
    store.record_step(batch, index=0, action="evacuate", started_sim_s=0, ended_sim_s=5, readings={"p_pa": 1e-3})
    steps = store.steps(batch)
    assert [s.action for s in steps] == ["evacuate", "open_door"]
    assert steps[0].readings_data == {"p_pa": 1e-3}
    assert (steps[1].manual, steps[1].arguments_data) == (True, {"door": "d2"})


def test_a_duplicate_step_index_is_a_conflict_and_keeps_nothing(store: Store) -> None:
    batch = new_batch(store)
    store.record_step(batch, index=0, action="evacuate", started_sim_s=0, ended_sim_s=1)
    with pytest.raises(RecordConflictError, match="refused the write"):
        store.record_step(batch, index=0, action="backfill", started_sim_s=1, ended_sim_s=2)
    assert [s.action for s in store.steps(batch)] == ["evacuate"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"started_sim_s": 5, "ended_sim_s": 1},
        {"started_sim_s": -1, "ended_sim_s": 1},
        {"started_sim_s": 0, "ended_sim_s": 1, "outcome": "great"},
        {"started_sim_s": 0, "ended_sim_s": 1, "readings": {"o2": float("nan")}},
    ],
)
def test_impossible_steps_are_refused(store: Store, kwargs: dict[str, object]) -> None:
    batch = new_batch(store)
    with pytest.raises(RecordInputError):
        store.record_step(batch, index=0, action="move", **kwargs)  # type: ignore[arg-type]


def test_telemetry_kept_by_the_recorder_is_stored(store: Store) -> None:
    batch = new_batch(store)
    recorder = TelemetryRecorder(deadband=0.5, max_interval_s=10)
    raw = [TelemetrySample("chamber4.o2_ppm", float(t), 0.2 + (3.0 if 20 <= t < 25 else 0.0)) for t in range(40)]
    kept = recorder.offer_many(raw) + recorder.flush()
    assert store.record_telemetry(batch, kept) == len(kept)
    assert store.telemetry(batch, "chamber4.o2_ppm") == kept
    assert store.record_telemetry(batch, []) == 0


def test_a_hold_alarm_holds_the_batch_until_every_hold_is_cleared(store: Store) -> None:
    batch = new_batch(store)
    first = store.raise_alarm(batch, sim_s=10, code="O2_HIGH", message="chamber4 O2 12 ppm", hold=True)
    second = store.raise_alarm(batch, sim_s=11, code="H2O_HIGH", hold=True)
    store.raise_alarm(batch, sim_s=12, code="INFO")
    assert store.get_batch(batch).status == "held"
    store.clear_alarm(first.alarm_id, sim_s=20)
    assert store.get_batch(batch).status == "held"
    cleared = store.clear_alarm(second.alarm_id, sim_s=21)
    assert (cleared.active, cleared.cleared_sim_s) == (False, 21)
    assert store.get_batch(batch).status == "running"
    assert [a.code for a in store.alarms(batch)] == ["O2_HIGH", "H2O_HIGH", "INFO"]


def test_an_alarm_cannot_be_cleared_twice(store: Store) -> None:
    batch = new_batch(store)
    alarm = store.raise_alarm(batch, sim_s=1, code="DOOR")
    store.clear_alarm(alarm.alarm_id, sim_s=2)
    with pytest.raises(RecordInputError, match="already cleared"):
        store.clear_alarm(alarm.alarm_id, sim_s=3)


def test_unknown_ids_are_named(store: Store) -> None:
    with pytest.raises(RecordNotFoundError, match="no batch 'B-404'"):
        store.get_batch("B-404")
    with pytest.raises(RecordNotFoundError, match="no alarm 404"):
        store.clear_alarm(404, sim_s=0)


def test_a_snapshot_that_is_not_json_is_refused(store: Store) -> None:
    with pytest.raises(RecordInputError, match="canonical JSON"):
        store.create_batch(recipe_id="r", recipe_snapshot={"when": object()}, line_snapshot={}, route="x")
    assert store.list_batches() == []
