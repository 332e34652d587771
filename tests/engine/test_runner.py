"""The engine's make-safe (at once on an exposure hold, allowed beyond the limit, journalled); its time limit."""

from __future__ import annotations

from dataclasses import replace

from anodeline.engine import Engine, EngineSettings, MemoryJournal, SimClock, Suspenders, run_procedure
from anodeline.engine.duration import planned_duration_s
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.procedure.model import Procedure


def _base_in_chamber_5(journal: MemoryJournal, procedure: Procedure) -> float:
    """When the base is loose in chamber 5 beside the open storage container (outlet door closing behind it)."""
    index = procedure.steps.index(act.CloseDoor("outlet-3"))
    return next(t for t, i, _k, outcome in journal.steps if i == index and outcome == "started")


def test_a_big_leak_around_the_unsealed_base_ends_with_it_sealed_within_minutes(
    example_1: Procedure, fig1: Line
) -> None:
    clean = MemoryJournal()
    run_procedure(example_1, fig1, journal=clean)
    leak_s = _base_in_chamber_5(clean, example_1)  # storage-1 opened in chamber 5, the base loose beside it
    journal = MemoryJournal()
    result = run_procedure(example_1, fig1, faults=[f"leak:chamber-5@{leak_s:.0f}*10"], journal=journal)
    assert result.status == "held"
    made_safe = next(a for a in journal.alarms.values() if a["code"] == "MAKE-SAFE")
    assert made_safe["sim_s"] - leak_s < 300.0, made_safe
    base = result.final_state.items["base"]
    box = result.final_state.containers[base.location]
    assert box.closed  # sealed, in the twin's true state
    unsealed_after_leak = [t for t, item, _s, _o2, _h2o, sealed in journal.exposures if item == "base" and not sealed]
    assert max(unsealed_after_leak) - leak_s < 300.0
    exposure = result.exposure["base"]
    assert exposure.max_o2_ppm < 21.0  # sealed before the chamber reached the leak's steady state
    assert exposure.o2_dose_ppm_s < 5000.0  # minutes, not the two hours of the hold


def test_a_make_safe_that_leaves_an_item_exposed_is_an_alarm(example_1: Procedure, fig1: Line) -> None:
    clean = MemoryJournal()
    run_procedure(example_1, fig1, journal=clean)
    leak_s = _base_in_chamber_5(clean, example_1)
    journal = MemoryJournal()
    faults = [f"leak:chamber-5@{leak_s:.0f}*10", f"operator-absent@{leak_s + 30:.0f}"]
    run_procedure(example_1, fig1, faults=faults, journal=journal)
    failed = [a for a in journal.alarms.values() if a["code"] == "MAKE-SAFE-FAILED"]
    assert failed and "base" in failed[0]["message"], journal.alarms


def test_the_record_keeps_the_measurement_and_a_disagreeing_model_raises_an_alarm(
    example_1: Procedure, fig1: Line
) -> None:
    clean = MemoryJournal()
    run_procedure(example_1, fig1, journal=clean)
    assert "MODEL-SENSOR" not in clean.alarm_codes  # the model and the analysers agree on a clean run
    leak_s = _base_in_chamber_5(clean, example_1)
    journal = MemoryJournal()
    run_procedure(example_1, fig1, faults=[f"leak:chamber-5@{leak_s:.0f}*10"], journal=journal)
    disagreements = [a for a in journal.alarms.values() if a["code"] == "MODEL-SENSOR"]
    assert any(a["message"].startswith("chamber-5: measured") for a in disagreements), journal.alarms
    measured = [o2 for _t, item, space, o2, _h2o, sealed in journal.exposures if item == "base" and not sealed]
    assert max(measured) > 3.0  # what the analyser read; the model alone kept the chamber below 1 ppm


def test_an_apparatus_holding_an_exposed_item_is_pumped_down_to_make_it_safe(example_1: Procedure, fig1: Line) -> None:
    from dataclasses import replace

    from anodeline.engine.suspenders import protective_actions, undo
    from anodeline.line import actions as act
    from anodeline.procedure.verify import verify_procedure

    trace = verify_procedure(example_1, fig1, keep_trace=True).trace
    state = next(s.after for s in trace if s.action == act.Move("base", "apparatus-1"))
    state = state.with_atmosphere("apparatus-1", replace(state.atmospheres["apparatus-1"], o2_ppm=12.0))
    actions = protective_actions(fig1, state, {"apparatus-1"})
    last = actions[-1]
    assert isinstance(last, act.Evacuate) and last.space == "apparatus-1" and last.pressure_pa < 0.1
    assert act.CloseDoor("inlet-2") in actions
    assert undo(actions[-1], state) == act.Backfill("apparatus-1", "Ar", state.atmospheres["apparatus-1"].pressure_pa)


def _holds(procedure: Procedure, count: int, hours: float) -> Procedure:
    """``procedure``'s materials (sealed in the room) and nothing but holds in glove chamber 4."""
    return replace(procedure, steps=(act.Hold("chamber-4", hours * 3600.0),) * count, notes=())


#: Polls once an hour: the limit is what these tests are about, not the polling.
HOURLY = {"period_s": 3600.0, "exposed_period_s": 3600.0}


def test_a_procedure_longer_than_a_week_runs_to_completion_under_the_default_limit(
    example_1: Procedure, fig1: Line
) -> None:
    """Issue 9: the limit follows the procedure (3 × its planned duration), not a hidden fixed week."""
    long = _holds(example_1, 6, 36.0)  # 9 simulated days
    result = run_procedure(long, fig1, settings=EngineSettings(**HOURLY))
    assert result.status == "complete", result.reasons
    assert result.simulated_seconds > 7 * 86400.0


def test_a_run_beyond_its_time_limit_aborts_with_a_timeout(example_1: Procedure, fig1: Line) -> None:
    journal = MemoryJournal()
    settings = EngineSettings(max_run_s=5 * 3600.0, **HOURLY)
    result = run_procedure(_holds(example_1, 3, 4.0), fig1, settings=settings, journal=journal)
    assert result.status == "aborted"
    assert journal.alarm_codes == ["TIMEOUT"]
    assert result.reasons[0].startswith("TIMEOUT: the run reached its time limit of 5 h (its --max-hours)")
    assert result.steps_executed == 2 and result.simulated_seconds < 9 * 3600.0


def test_the_default_limit_is_three_times_the_planned_duration_and_one_hold(example_1: Procedure, fig1: Line) -> None:
    engine = Engine(example_1, fig1, {}, SimClock(), MemoryJournal())
    assert engine.max_run_s == 3 * planned_duration_s(example_1, fig1) + Suspenders().max_hold_s
