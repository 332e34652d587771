"""The engine's make-safe: commanded at once on an exposure hold, allowed beyond the limit, journalled."""

from __future__ import annotations

from anodeline.engine import MemoryJournal, run_procedure
from anodeline.line.config import Line
from anodeline.procedure.model import Procedure


def _started(journal: MemoryJournal, kind: str, occurrence: int = -1) -> float:
    times = [t for t, _index, k, outcome in journal.steps if k == kind and outcome == "started"]
    return times[occurrence]


def test_a_big_leak_around_the_unsealed_base_ends_with_it_sealed_within_minutes(
    example_1: Procedure, fig1: Line
) -> None:
    clean = MemoryJournal()
    run_procedure(example_1, fig1, journal=clean)
    leak_s = _started(clean, "open_container")  # storage-1 opened in chamber 5, the base loose beside it
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
    leak_s = _started(clean, "open_container")
    journal = MemoryJournal()
    faults = [f"leak:chamber-5@{leak_s:.0f}*10", f"operator-absent@{leak_s + 30:.0f}"]
    run_procedure(example_1, fig1, faults=faults, journal=journal)
    failed = [a for a in journal.alarms.values() if a["code"] == "MAKE-SAFE-FAILED"]
    assert failed and "base" in failed[0]["message"], journal.alarms
