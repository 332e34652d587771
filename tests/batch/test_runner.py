"""Batches end to end on the twin, recorded on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from anodeline.batch.runner import BatchRefusedError, run_batch
from anodeline.records import Store
from tests.conftest import EXAMPLES

EX1 = EXAMPLES / "patent" / "example-01.yaml"


def test_example_1_completes_passes_and_is_recorded(store: Store) -> None:
    report = run_batch(EX1, store=store, seed=1, lots={"substrate": "CU-2611", "electrolyte": "T-77"})
    assert (report.status, report.verdict) == ("complete", "pass"), report.reasons
    assert report.simulated_seconds > 3600  # a 1 µm sputtered film takes hours
    assert report.electrode is not None
    assert report.electrode.thickness_um == pytest.approx(1.0, rel=0.05)
    assert report.electrode.sigma25_s_per_cm >= 1e-4
    (batch,) = store.list_batches()
    assert (batch.batch_id, batch.status, batch.verdict) == (report.batch, "completed", "pass")
    assert len(store.steps(report.batch)) == report.steps
    assert store.telemetry(report.batch)
    family = store.genealogy(f"{report.batch}/electrode")
    assert {"CU-2611", "T-77"} <= family.lots()
    chain = store.verify_chain()
    assert chain.ok and chain.head is not None and chain.head.hash == report.audit_head
    # the write-ahead journal: every step's intent, then its end, in order; no step in flight; lease released
    from anodeline.records.stepjournal import in_flight

    journal = store.step_journal(report.batch)
    assert [(e.index, e.phase) for e in journal] == [(i, p) for i in range(report.steps) for p in ("intent", "done")]
    assert {e.outcome for e in journal if e.phase == "done"} == {"ok"}
    assert in_flight(journal) is None
    lease = store.lease(report.batch)
    assert lease is not None and lease.released and lease.owner == "anodeline"


def test_every_exposure_stays_within_the_recipe_limits(store: Store) -> None:
    report = run_batch(EXAMPLES / "patent" / "example-05.yaml", store=store)
    assert report.status == "complete"
    assert report.exposure
    for exposure in report.exposure:
        assert exposure.max_o2_ppm <= 10.0 and exposure.max_h2o_ppm <= 10.0, exposure


def test_the_same_seed_gives_the_same_batch(tmp_path: Path) -> None:
    first = run_batch(EX1, db_url=f"sqlite:///{tmp_path / 'a.sqlite'}", seed=7)
    second = run_batch(EX1, db_url=f"sqlite:///{tmp_path / 'b.sqlite'}", seed=7)
    assert first.simulated_seconds == second.simulated_seconds
    assert first.electrode is not None and second.electrode is not None
    assert replace(first.electrode, id="") == replace(second.electrode, id="")  # batch ids differ, nothing else
    assert first.exposure == second.exposure


def test_a_line_that_cannot_run_the_route_is_refused_before_anything_is_recorded(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    with pytest.raises(BatchRefusedError, match="cannot run"):
        run_batch(
            EXAMPLES / "patent" / "two-apparatus-01.yaml",
            line_path=EXAMPLES / "lines" / "fig1.yaml",
            db_url=f"sqlite:///{db}",
        )
    assert not db.exists()


def _pairs() -> list[tuple[Path, Path]]:
    from anodeline.line import load_line
    from anodeline.procedure import can_run
    from anodeline.recipe.validate import load_recipe

    lines = sorted((EXAMPLES / "lines").glob("*.yaml"))
    recipes = sorted((EXAMPLES / "patent").glob("*.yaml"))
    return [(r, ln) for r in recipes for ln in lines if can_run(load_recipe(r), load_line(ln)) is None]


@pytest.mark.parametrize(("recipe", "line"), _pairs(), ids=lambda p: p.stem)
def test_every_example_passes_on_every_line_that_can_run_it(recipe: Path, line: Path, tmp_path: Path) -> None:
    report = run_batch(recipe, line_path=line, db_url=f"sqlite:///{tmp_path / 'r.sqlite'}")
    assert (report.status, report.verdict) == ("complete", "pass"), report.reasons


def test_an_engine_exception_aborts_the_batch_with_its_telemetry_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anodeline.engine

    def failing_engine(procedure: object, line: object, *, journal: object, **kwargs: object) -> None:
        journal.batch_started(procedure, 0, ())  # type: ignore[attr-defined]
        for second in range(0, 60, 10):  # flat: the first sample is kept at once, the last one held back
            journal.telemetry(float(second), {"o2-4": 0.5})  # type: ignore[attr-defined]
        raise RuntimeError("controller lost")

    monkeypatch.setattr(anodeline.engine, "run_procedure", failing_engine)
    with pytest.raises(RuntimeError, match="controller lost"):
        run_batch(EX1, store=store)
    (batch,) = store.list_batches()
    assert batch.status == "aborted" and "controller lost" in batch.reasons[0]
    assert [s.sim_s for s in store.telemetry(batch.batch_id)] == [0.0, 50.0]
    assert store.verify_chain().ok


def test_a_stop_command_taken_mid_batch_ends_the_record_stopped(store: Store) -> None:
    def stop_at_step_3(now: float, index: int, total: int, action: object) -> None:
        if index == 3:
            (batch,) = store.list_batches()
            store.issue_command(batch.batch_id, verb="stop", user="otto", reason="line needed for another lot")

    report = run_batch(EX1, store=store, seed=1, progress=stop_at_step_3)
    assert report.status == "stopped" and report.steps == 4
    record = store.get_batch(report.batch)
    assert (record.status, record.verdict) == ("stopped", "fail")
    assert any("stop by otto: line needed" in r for r in record.reasons)
    assert [(c.verb, c.outcome) for c in store.commands(report.batch)] == [("stop", "stopped")]
    assert store.verify().ok
