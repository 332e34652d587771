"""Cell model: the patent's Example 1 and 17 cells, REFERENCES.md figures, monotone design trends."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.cell import (
    EXAMPLE_1_CELL,
    EXAMPLE_1_ELECTRODE,
    LITHIUM_UM_PER_MAH_PER_CM2,
    CellDesign,
    ElectrodeStack,
    estimate_cell,
    repeat_unit_um,
)
from anodeline.errors import ModelInputError

thin_um = st.floats(min_value=0.0, max_value=10.0)
extra_um = st.floats(min_value=0.01, max_value=50.0)


def test_one_mah_per_cm2_of_lithium_is_4_85_um() -> None:
    assert pytest.approx(4.85, abs=0.005) == LITHIUM_UM_PER_MAH_PER_CM2


def test_example_1_cell_gives_half_an_amp_hour() -> None:
    assert estimate_cell(EXAMPLE_1_ELECTRODE).capacity_ah == pytest.approx(0.5, rel=0.10)


def test_example_1_cell_gives_490_wh_per_l() -> None:
    assert estimate_cell(EXAMPLE_1_ELECTRODE).packaged_wh_per_l == pytest.approx(490.0, rel=0.10)


def test_example_1_with_the_references_55_percent_packaging_stays_within_10_percent() -> None:
    design = replace(EXAMPLE_1_CELL, packaging_efficiency=0.55)
    assert estimate_cell(EXAMPLE_1_ELECTRODE, design).packaged_wh_per_l == pytest.approx(490.0, rel=0.10)


def test_example_1_lithium_just_matches_the_cathode() -> None:
    assert estimate_cell(EXAMPLE_1_ELECTRODE).n_p_ratio == pytest.approx(1.03, abs=0.02)


def test_example_17_thin_lithium_film_lands_in_500_to_550_wh_per_l() -> None:
    electrode = ElectrodeStack(substrate_um=10.0, lithium_foil_um=0.0, lithium_film_um=10.0, electrolyte_um=1.0)
    assert 500.0 <= estimate_cell(electrode).packaged_wh_per_l <= 550.0


def test_example_17_bonded_lithium_foils_count_as_lithium() -> None:
    electrode = ElectrodeStack(substrate_um=60.0, lithium_foil_um=0.0, substrate_material="Li")
    estimate = estimate_cell(electrode)
    assert estimate.lithium_capacity_mah_per_cm2 == pytest.approx(60.0 / LITHIUM_UM_PER_MAH_PER_CM2)
    assert estimate.packaged_wh_per_l == pytest.approx(490.0, rel=0.10)


def test_repeat_unit_of_example_1_materials() -> None:
    # Al 20 + 2·300 + 2·25 + Cu 10 + 2·50 + 2·1
    assert repeat_unit_um(EXAMPLE_1_ELECTRODE) == pytest.approx(782.0)


def test_double_sided_stack_uses_the_repeat_unit_formula() -> None:
    design = replace(EXAMPLE_1_CELL, double_sided=True, layers=3)
    estimate = estimate_cell(EXAMPLE_1_ELECTRODE, design)
    expected = 2 * estimate.areal_capacity_mah_per_cm2 * design.mean_voltage_v / (782.0e-4)
    assert estimate.faces == 6
    assert estimate.stack_wh_per_l == pytest.approx(expected)
    assert estimate.capacity_ah == pytest.approx(6 * 0.4998, rel=1e-3)


def test_references_920_wh_per_l_stack_at_3_mah_and_double_lithium() -> None:
    # REFERENCES.md: 3 mAh/cm², 100 % Li excess → ~920 Wh/L stack; LiCoO2 140 mAh/g at 3.5 g/cm³ taken
    # as all-active, 20 µm Al, 10 µm Cu, 20 µm separators, 1 µm SE, double-sided.
    cathode_um = 3.0 / (3.5 * 140.0) * 1e4
    design = CellDesign(cathode_coating_um=cathode_um, active_mass_fraction=1.0, separator_um=20.0, double_sided=True)
    electrode = ElectrodeStack(lithium_foil_um=2.0 * 3.0 * LITHIUM_UM_PER_MAH_PER_CM2)
    estimate = estimate_cell(electrode, design)
    assert estimate.areal_capacity_mah_per_cm2 == pytest.approx(3.0)
    assert estimate.n_p_ratio == pytest.approx(2.0)
    assert estimate.stack_wh_per_l == pytest.approx(920.0, rel=0.05)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ElectrodeStack(substrate_um=0.0),
        lambda: ElectrodeStack(electrolyte_um=-1.0),
        lambda: CellDesign(packaging_efficiency=1.2),
        lambda: CellDesign(layers=0),
    ],
)
def test_impossible_designs_are_refused(call: object) -> None:
    with pytest.raises(ModelInputError):
        call()  # type: ignore[operator]


@given(se_um=thin_um, extra=extra_um, double_sided=st.booleans())
def test_thicker_electrolyte_lowers_energy_density(se_um: float, extra: float, double_sided: bool) -> None:
    design = replace(EXAMPLE_1_CELL, double_sided=double_sided)
    thin = estimate_cell(replace(EXAMPLE_1_ELECTRODE, electrolyte_um=se_um), design)
    thick = estimate_cell(replace(EXAMPLE_1_ELECTRODE, electrolyte_um=se_um + extra), design)
    assert thick.packaged_wh_per_l < thin.packaged_wh_per_l
    assert thick.capacity_ah == thin.capacity_ah


@given(li_um=st.floats(min_value=1.0, max_value=100.0), extra=extra_um)
def test_thicker_lithium_lowers_energy_density_but_raises_n_p(li_um: float, extra: float) -> None:
    thin = estimate_cell(replace(EXAMPLE_1_ELECTRODE, lithium_foil_um=li_um))
    thick = estimate_cell(replace(EXAMPLE_1_ELECTRODE, lithium_foil_um=li_um + extra))
    assert thick.stack_wh_per_l < thin.stack_wh_per_l
    assert thick.n_p_ratio > thin.n_p_ratio


@given(layers=st.integers(min_value=1, max_value=40))
def test_capacity_scales_with_layers_and_energy_density_does_not(layers: int) -> None:
    one = estimate_cell(EXAMPLE_1_ELECTRODE)
    many = estimate_cell(EXAMPLE_1_ELECTRODE, replace(EXAMPLE_1_CELL, layers=layers))
    assert many.capacity_ah == pytest.approx(layers * one.capacity_ah)
    assert many.stack_wh_per_l == pytest.approx(one.stack_wh_per_l)


@pytest.mark.parametrize("number", [5, 6, 7, 8, 13, 14, 15, 16])
def test_thin_film_examples_stay_within_15_percent_of_the_patents_490_wh_per_l(number: int) -> None:
    # The patent says these cells gave "the same results as Example 1" (490 Wh/L). The model, with
    # less lithium than Example 1's 50 µm foil, predicts ~551 Wh/L: a known over-estimate of ~12 %
    # (docs/models/cell.md); this test keeps it from growing.
    from pathlib import Path

    from anodeline.cell import ElectrodeStack
    from anodeline.recipe.validate import load_recipe

    path = Path(__file__).resolve().parents[2] / "examples" / "patent" / f"example-{number:02d}.yaml"
    estimate = estimate_cell(ElectrodeStack.from_recipe(load_recipe(path)))
    assert estimate.packaged_wh_per_l == pytest.approx(490.0, rel=0.15)
    assert estimate.packaged_wh_per_l > 490.0  # thinner lithium can only raise the model's figure
