"""A batch's targets (issue 14 item 7): planned use before it starts, recorded use after, refusal when worn."""

from __future__ import annotations

from pathlib import Path

import pytest

from anodeline.batch import targets as bt
from anodeline.batch.runner import run_batch
from anodeline.line.load import load_line
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe
from anodeline.records import open_store
from anodeline.records.targets import TargetRecord
from tests.conftest import EXAMPLES

EX1 = EXAMPLES / "patent" / "example-01.yaml"
LINE = load_line(EXAMPLES / "lines" / "fig1.yaml")
PROCEDURE = compile_procedure(load_recipe(EX1), LINE)
GUN = "system-1/sputter-gun"


def _mounted(capacity: float, used: float = 0.0) -> dict[str, TargetRecord]:
    record = TargetRecord("T-1", GUN, "sputter-target", "57Li2S", capacity, "kWh", "t0", None, "", used)
    return {GUN: record}


def test_example_1_takes_a_fifth_of_a_kwh_from_a_fresh_5_kwh_target() -> None:
    (finding,) = bt.plan(PROCEDURE, LINE, _mounted(5.0))
    assert finding.code is None and finding.unit == "kWh"
    assert finding.use == pytest.approx(0.2008, rel=1e-3)
    assert finding.drift == pytest.approx(-0.008, rel=0.01)


@pytest.mark.parametrize(("used", "code"), [(0.0, None), (4.2, None), (4.6, "TGT001"), (4.9, "TGT002")])
def test_a_target_near_its_end_warns_and_one_worn_through_is_an_error(used: float, code: str | None) -> None:
    (finding,) = bt.plan(PROCEDURE, LINE, _mounted(5.0, used))
    assert finding.code == code
    assert finding.is_error == (code == "TGT002")
    with pytest.raises(bt.TargetExhaustedError, match="needs") if code == "TGT002" else _nothing():
        bt.refuse_exhausted([finding])


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_sources_without_a_mounted_target_are_not_booked() -> None:
    assert bt.plan(PROCEDURE, LINE, {}) == []
    assert bt.plan(PROCEDURE, LINE, {"system-1/evaporator": _mounted(5.0)[GUN]}) == []


def test_batches_wear_the_recorded_target_until_it_warns_and_then_refuses(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    with open_store(url) as store:
        store.migrate()
        store.install_target("T-1", source=GUN, kind="sputter-target", material="57Li2S-38SiS2-5P2O5",
                                         capacity=0.45, actor="tech")  # fmt: skip
        warned: list[str] = []
        first = run_batch(EX1, db_url=url, store=store, on_warning=warned.append)
        assert first.verdict == "pass" and not warned and first.targets[0].code is None
        (use,) = store.target_usage("T-1")
        assert use.batch_id == first.batch and use.amount == pytest.approx(0.21, rel=0.02)
        bt.record_batch_use(store, first.batch, LINE, store.mounted_targets(), "resume")  # as a resume would
        assert len(store.target_usage("T-1")) == 1  # a layer is booked once
        second = run_batch(EX1, db_url=url, store=store, on_warning=warned.append)
        assert warned and warned[0].startswith("TGT001") and second.to_dict()["warnings"] == warned
        batches = len(store.list_batches())
        with pytest.raises(bt.TargetExhaustedError, match="needs"):
            run_batch(EX1, db_url=url, store=store)
        assert len(store.list_batches()) == batches  # the batch never started: nothing recorded
        (record,) = store.targets()
        assert record.used == pytest.approx(sum(u.amount for u in store.target_usage("T-1")))
        assert store.verify().ok
