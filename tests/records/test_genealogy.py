"""Lots → parts → electrode → cell, traced both ways; the exposure ledger stored per item."""

from __future__ import annotations

import pytest

from anodeline.records import ExposureLedger, RecordConflictError, RecordNotFoundError, Store
from tests.records.conftest import new_batch, release


def _electrode(store: Store) -> str:
    """Substrate, foil and target lots → one electrode → one cell (route 1, claim 7)."""
    batch = new_batch(store)
    for lot, material in [("L-CU", "cu_substrate"), ("L-LI", "lithium_foil"), ("L-TGT", "li2s_sis2_li3po4_target")]:
        store.register_lot(lot, material=material, supplier="acme")
    store.register_item("cu-1", kind="substrate", lot_id="L-CU", air_sensitive=False)
    store.register_item("li-1", kind="lithium_foil", lot_id="L-LI")
    store.register_item("tgt-1", kind="target", lot_id="L-TGT")
    store.register_item("el-1", kind="electrode", batch_id=batch, sim_s=100)
    store.register_item("cell-1", kind="cell", sim_s=200)
    for parent in ("cu-1", "li-1", "tgt-1"):
        store.link(parent, "el-1", batch_id=batch)
    release(store, batch)  # an electrode goes into a cell only once its batch is released
    store.link("el-1", "cell-1")
    return batch


def test_an_electrode_knows_its_lots(store: Store) -> None:
    _electrode(store)
    family = store.genealogy("el-1")
    assert family.item.kind == "electrode"
    assert {b.item.item_id for b in family.ancestry.branches} == {"cu-1", "li-1", "tgt-1"}
    assert family.lots() == {"L-CU", "L-LI", "L-TGT"}
    assert [b.item.item_id for b in family.descent.branches] == ["cell-1"]


def test_a_foil_lot_traces_down_to_the_cell(store: Store) -> None:
    _electrode(store)
    assert store.genealogy("li-1").descent.ids() == {"li-1", "el-1", "cell-1"}
    assert [i.item_id for i in store.items_from_lot("L-LI")] == ["li-1", "el-1", "cell-1"]


def test_a_link_that_closes_a_loop_is_refused(store: Store) -> None:
    _electrode(store)
    with pytest.raises(RecordConflictError, match="its own ancestor"):
        store.link("cell-1", "li-1")
    with pytest.raises(RecordConflictError):
        store.link("el-1", "el-1")


def test_linking_an_unknown_item_is_refused(store: Store) -> None:
    _electrode(store)
    with pytest.raises(RecordNotFoundError, match="ghost"):
        store.link("ghost", "el-1")


def test_an_item_of_an_unknown_lot_is_a_conflict(store: Store) -> None:
    with pytest.raises(RecordConflictError):
        store.register_item("li-9", kind="lithium_foil", lot_id="L-NOPE")


def test_the_exposure_ledger_is_stored_per_interval(store: Store) -> None:
    batch = _electrode(store)
    ledger = ExposureLedger("li-1")
    ledger.observe(0, "chamber4", 0.5, 0.8)
    ledger.observe(60, "chamber4", 0.7, 0.8)
    ledger.observe(60, "apparatus1", 0.0, 0.0)
    ledger.observe(600, "apparatus1", 0.0, 0.0)
    for interval in ledger.close():
        store.record_exposure(interval, batch_id=batch)
    stored = store.exposures("li-1")
    assert [e.space for e in stored] == ["chamber4", "apparatus1"]
    assert stored[0].o2_dose_ppm_s == pytest.approx(36.0)
    assert stored[0].max_h2o_ppm == 0.8
    assert store.verify_chain().ok
