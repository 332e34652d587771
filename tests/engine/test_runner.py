"""The engine's make-safe: commanded at once on an exposure hold, allowed beyond the limit, journalled."""

from __future__ import annotations

from anodeline.engine import MemoryJournal, run_procedure
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
