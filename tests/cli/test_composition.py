"""`anodeline calc composition`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from anodeline.cli import app

runner = CliRunner()


def test_composition_json_sums_to_one_and_checks_the_window() -> None:
    result = runner.invoke(app, ["calc", "composition", "57Li2S-38SiS2-5Li3PO4", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert sum(data["composition"].values()) == pytest.approx(1.0)
    assert data["composition"]["P"] == pytest.approx(5 / 325)
    assert all(data["in_claim_window"].values())


def test_composition_with_a_method_predicts_the_film() -> None:
    result = runner.invoke(
        app, ["calc", "composition", "57Li2S-38SiS2-5(Li2O-P2O5)", "--method", "sputtering", "--json"]
    )
    film = json.loads(result.stdout)["film_composition"]
    assert film["O"] < 0.02  # oxygen arrives depleted (Example 9: 0.008)


def test_composition_outside_the_window_is_flagged() -> None:
    data = json.loads(runner.invoke(app, ["calc", "composition", "60Li2S-39.5P2S5-0.5Li4SiO4", "--json"]).stdout)
    assert data["in_claim_window"]["Li"] is False  # 26 at% Li (Table 4, sample 36)


def test_a_bad_formula_is_a_usage_error_naming_the_token() -> None:
    result = runner.invoke(app, ["calc", "composition", "57Li2S-38XyS2"])
    assert result.exit_code == 2 and "'Xy'" in result.stderr


def test_composition_human_output_shows_target_film_and_windows() -> None:
    result = runner.invoke(app, ["calc", "composition", "60Li2S-39.5P2S5-0.5Li4SiO4", "--method", "vacuum-evaporation"])
    assert result.exit_code == 0
    assert "film by vacuum-evaporation" in result.stdout
    assert "Li:" in result.stdout and "outside" in result.stdout  # 26 at% Li is below the claims' 30 %
