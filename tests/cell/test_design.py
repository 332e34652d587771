"""Cell inputs: the electrode read from a recipe, and the design's derived figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from anodeline.cell import EXAMPLE_1_CELL, EXAMPLE_1_ELECTRODE, ElectrodeStack

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "patent"


def test_example_1_recipe_gives_the_example_1_electrode() -> None:
    from anodeline.recipe.validate import load_recipe

    electrode = ElectrodeStack.from_recipe(load_recipe(EXAMPLES / "example-01.yaml"))
    assert electrode == EXAMPLE_1_ELECTRODE


def test_example_1_electrode_area_and_lithium() -> None:
    assert EXAMPLE_1_ELECTRODE.area_cm2 == pytest.approx(50.0)
    assert EXAMPLE_1_ELECTRODE.lithium_um == pytest.approx(50.0)


def test_example_1_cathode_holds_about_10_mah_per_cm2() -> None:
    # 300 µm × 3.5 g/cm³ × 0.68 × 140 mAh/g
    assert EXAMPLE_1_CELL.areal_capacity_mah_per_cm2 == pytest.approx(10.0, rel=0.01)


def test_lithium_substrate_counts_as_lithium() -> None:
    electrode = ElectrodeStack(substrate_um=60.0, lithium_foil_um=0.0, lithium_film_um=2.0, substrate_material="Li")
    assert electrode.lithium_um == pytest.approx(62.0)
