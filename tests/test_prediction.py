"""A recipe's prediction ties the film, deposition and cell models together."""

from __future__ import annotations

from pathlib import Path

import pytest

from anodeline.prediction import predict_recipe
from anodeline.recipe.validate import load_recipe
from anodeline.units import Q_
from tests.conftest import EXAMPLES, PATENT_EXAMPLES


@pytest.mark.parametrize("path", PATENT_EXAMPLES, ids=lambda p: p.stem)
def test_every_example_predicts_a_film_inside_the_claims(path: Path) -> None:
    result = predict_recipe(load_recipe(path))
    film = result.electrolyte.film
    assert film is not None
    assert 1e-4 <= film.sigma25_s_per_cm <= 2.5e-3  # claims 15/31/47 and the description's range
    assert film.ea_kj_per_mol <= 40.0
    assert film.amorphous
    assert sum(film.film_fractions.values()) == pytest.approx(1.0)
    assert all(layer.deposition_seconds > 0 for layer in result.layers)
    sigmas = [sigma for _, sigma in result.electrolyte.sigma_at_degc]
    assert sigmas == sorted(sigmas)  # σ rises with temperature


def test_example_1_film_and_cell_match_the_patent() -> None:
    result = predict_recipe(load_recipe(EXAMPLES / "patent" / "example-01.yaml"))
    film = result.electrolyte.film
    assert film is not None
    # Example 1 measured 3e-4 S/cm: inside the 90 % interval; the point is +26 % since the fit
    # puts every sputtered film at its plasma-heated temperature (docs/models/film-properties.md)
    low, high = film.sigma25_interval_90_s_per_cm
    assert low < 3e-4 < high
    assert film.sigma25_s_per_cm == pytest.approx(3e-4, rel=0.3)
    assert film.film_fractions["Li"] == pytest.approx(0.42, abs=0.02)
    assert result.cell.capacity_ah == pytest.approx(0.5, rel=0.1)
    assert result.cell.packaged_wh_per_l == pytest.approx(490, rel=0.1)


def test_a_stated_power_shortens_sputtering() -> None:
    recipe = load_recipe(EXAMPLES / "patent" / "example-01.yaml")
    slow = predict_recipe(recipe).layers[0].deposition_seconds
    layer = recipe.layers[0].model_copy(update={"power": Q_(300, "W")})
    fast = predict_recipe(recipe.model_copy(update={"layers": (layer,)})).layers[0].deposition_seconds
    assert fast < slow


def test_room_temperature_sputtering_grows_the_film_at_the_plasma_heated_temperature() -> None:
    """Before issue 14 item 4 the film model saw the 25 °C setpoint; 100 W lifts it ~20 K."""
    recipe = load_recipe(EXAMPLES / "patent" / "example-01.yaml")
    layer = predict_recipe(recipe).electrolyte
    assert layer.thermal is not None
    assert layer.thermal.setpoint_degc == 25.0
    assert 40.0 < layer.thermal.effective_degc < 46.0
    assert layer.to_dict()["thermal_history"]["effective_deposition_degc"] == layer.thermal.effective_degc
    hotter = recipe.layers[0].model_copy(update={"power": Q_(300, "W")})
    hot = predict_recipe(recipe.model_copy(update={"layers": (hotter,)})).electrolyte
    assert hot.thermal is not None and hot.film is not None and layer.film is not None
    assert hot.thermal.effective_degc > layer.thermal.effective_degc + 20.0
    assert hot.film.sigma25_s_per_cm > layer.film.sigma25_s_per_cm  # the glass relaxes more when hotter


def test_json_form_has_units_in_keys() -> None:
    data = predict_recipe(load_recipe(EXAMPLES / "patent" / "example-05.yaml")).to_dict()
    electrolyte = data["layers"][-1]
    for key in ("sigma25_S_per_cm", "ea_kj_per_mol", "area_resistance_ohm_cm2", "deposition_seconds", "composition"):
        assert key in electrolyte
    assert set(electrolyte["sigma_S_per_cm_at_degc"]) == {"-20", "0", "60"}
    assert data["cell"]["packaged_wh_per_l"] > 0
