"""The shipped patent examples are faithful and validate clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from anodeline.recipe.validate import load_recipe, validate_file
from tests.conftest import PATENT_EXAMPLES


def test_all_seventeen_examples_are_shipped() -> None:
    numbers = {path.stem for path in PATENT_EXAMPLES}
    assert {f"example-{n:02d}" for n in range(1, 18)} <= numbers


@pytest.mark.parametrize(
    "path", [*PATENT_EXAMPLES, PATENT_EXAMPLES[0].parent / "two-apparatus-01.yaml"], ids=lambda p: p.stem
)
def test_example_validates_clean(path: Path) -> None:
    report = validate_file(path)
    assert report.valid
    assert report.violations == ()


def test_example_routes_follow_the_patent() -> None:
    routes = {path.stem: load_recipe(path).route for path in PATENT_EXAMPLES}
    for n in (1, 2, 3, 4, 9, 10, 11, 12):
        assert routes[f"example-{n:02d}"] == "coat-lithium-base"
    for n in (5, 6, 7, 8, 13, 14, 15, 16, 17):
        assert routes[f"example-{n:02d}"] == "lithium-then-electrolyte"


def test_example_1_is_the_patent_text() -> None:
    recipe = load_recipe(PATENT_EXAMPLES[0])
    assert recipe.base.substrate.material == "Cu"
    assert recipe.base.substrate.thickness.to("um").magnitude == pytest.approx(10)
    assert recipe.base.lithium_foil is not None
    assert recipe.base.lithium_foil.thickness.to("um").magnitude == pytest.approx(50)
    (layer,) = recipe.layers
    assert (layer.method, layer.thickness.to("um").magnitude) == ("sputtering", pytest.approx(1))
    assert recipe.atmosphere.gas == "Ar"
    assert recipe.atmosphere.purity.to("").magnitude == pytest.approx(0.9999)
