"""The cell a batch assembles (claims 7, 23, 39): its record, its genealogy and the twin's cell test.

A recipe with an ``assembly`` section makes, besides the electrode, a sealed cell: the item
``<batch>/cell`` (kind ``cell``), linked from the electrode and from the cell parts the procedure
brought (positive electrode, separator, electrolyte), so ``genealogy`` runs lots → parts →
electrode → cell. Once the batch completes on the twin, the cell is charged and discharged by the
twin's cycler (:mod:`anodeline.cell.cycler`, PyBaMM); the discharge curve goes to the record as the
telemetry channel ``cell.voltage_v`` and the result into the batch's product record and its report.
On equipment there is no cycler device: the cell is recorded, its test is left to the lab.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from anodeline.batch.outcome import Electrode
from anodeline.cell.design import CellDesign, ElectrodeStack
from anodeline.cell.model import estimate_cell
from anodeline.procedure.assembly import ELECTROLYTE, STACK
from anodeline.recipe.schema import Recipe
from anodeline.records.core import StoreCore
from anodeline.records.telemetry import TelemetrySample

#: What the patent states for Example 1's cell (not a result of anodeline): 0.5 Ah from 4.2 V to 3.5 V at
#: 100 mA, 490 Wh/L, stable for 100 cycles.
PATENT_EXAMPLE_1 = {"capacity_ah": 0.5, "energy_density_wh_per_l": 490.0, "cycles": 100,
                    "source": "patent Example 1 (stated values, for comparison)"}  # fmt: skip
VOLTAGE_CHANNEL = "cell.voltage_v"


def cell_id(batch_id: str) -> str:
    return f"{batch_id}/cell"


def register_cell(store: StoreCore, batch_id: str, item_ids: Mapping[str, str], electrode_id: str) -> str:
    """Register the cell item and link the electrode and the cell parts into it; returns its id."""
    cell = cell_id(batch_id)
    store.register_item(cell, kind="cell", batch_id=batch_id, air_sensitive=True)
    store.link(electrode_id, cell, batch_id=batch_id)
    for part in (*STACK, ELECTROLYTE):
        if part in item_ids:
            store.link(item_ids[part], cell, batch_id=batch_id)
    return cell


@dataclass(frozen=True)
class CellOutcome:
    """The cell as ``run`` reports it: the twin's measured discharge beside the volumetric estimate."""

    id: str
    measured: Mapping[str, Any] | None  # None: not tested (on equipment, or the batch made no electrode)
    estimate: Mapping[str, Any]
    n_p_ratio: float
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        measured = dict(self.measured or {})
        return {
            "id": self.id,
            "capacity_ah": measured.pop("capacity_ah", None),
            "energy_wh": measured.pop("energy_wh", None),
            "energy_density_wh_per_l": measured.pop("energy_density_wh_per_l", None),
            "test": measured or None,
            "volumetric_model": dict(self.estimate),
            "n_p_ratio": round(self.n_p_ratio, 4),
            "patent": dict(PATENT_EXAMPLE_1),
            "note": self.note,
        }


def assess_cell(
    store: StoreCore, batch_id: str, recipe: Recipe, electrode: Electrode | None, sim_s: float, *, on_twin: bool
) -> CellOutcome:
    """Run the twin's cell test on the batch's cell (when it can) and record its discharge curve."""
    from anodeline.cell.cycler import CellTestError, TestProtocol, run_cell_test

    assert recipe.assembly is not None
    stack = ElectrodeStack.from_recipe(recipe)
    design = CellDesign.from_assembly(recipe.assembly)
    estimate = estimate_cell(stack, design)
    volumetric = {"capacity_ah": round(estimate.capacity_ah, 6), "energy_wh": round(estimate.energy_wh, 5),
                  "energy_density_wh_per_l": round(estimate.packaged_wh_per_l, 2)}  # fmt: skip
    cell = cell_id(batch_id)
    if not on_twin:
        return CellOutcome(cell, None, volumetric, estimate.n_p_ratio, "no cycler device on this line: test the cell")
    if electrode is None or electrode.sigma25_s_per_cm is None:
        return CellOutcome(cell, None, volumetric, estimate.n_p_ratio, "not tested: the film's σ25 is not known")
    try:
        result = run_cell_test(stack, design, TestProtocol.from_assembly(recipe.assembly), electrode.sigma25_s_per_cm)
    except CellTestError as exc:  # the electrode and the cell are made and recorded; only the test failed
        return CellOutcome(cell, None, volumetric, estimate.n_p_ratio, f"not tested: {exc.message}")
    current = result.protocol.current_a
    samples = [TelemetrySample(VOLTAGE_CHANNEL, sim_s + q / current * 3600.0, v) for q, v in result.curve]
    store.record_telemetry(batch_id, samples)
    return CellOutcome(cell, result.to_dict(), volumetric, estimate.n_p_ratio)
