"""`anodeline predict` on the shipped examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anodeline.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
EX1 = EXAMPLES / "patent" / "example-01.yaml"


def test_predict_prints_film_and_cell() -> None:
    result = runner.invoke(app, ["predict", str(EX1)])
    assert result.exit_code == 0, result.output
    for text in ("σ(25 °C)", "Ea", "σ(-20 °C)", "amorphous", "area resistance", "Wh/L", "deposition time"):
        assert text in result.output


def test_predict_json() -> None:
    result = runner.invoke(app, ["predict", str(EXAMPLES / "patent" / "two-apparatus-01.yaml"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [layer["kind"] for layer in data["layers"]] == ["lithium", "solid-electrolyte"]
    assert data["layers"][1]["sigma25_S_per_cm"] > 1e-3  # annealed at 130 °C (Table 1, sample 6: 1.7e-3)


def test_predict_refuses_an_invalid_recipe(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EX1.read_text().replace("thickness: 1 um", "thickness: 12 um"))
    result = runner.invoke(app, ["predict", str(bad)])
    assert result.exit_code == 1
    assert "THK001" in result.stderr and "Traceback" not in result.output


def test_predict_missing_file_is_a_usage_error() -> None:
    assert runner.invoke(app, ["predict", "nope.yaml"]).exit_code == 2


def test_predict_refuses_a_film_no_data_or_prior_supports(tmp_path: Path) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text(EX1.read_text().replace("target: 57Li2S-38SiS2-5P2O5", "target: 90Li2S-10SiS2"))
    result = runner.invoke(app, ["predict", str(odd), "--json"])
    assert result.exit_code == 1, result.output
    assert f"{odd}:12:" in result.stderr and "FLM001" in result.stderr
    assert "glass-forming range" in result.stderr and "Traceback" not in result.output
    layer = json.loads(result.stdout)["layers"][0]
    assert layer["sigma25_S_per_cm"] is None and "σ25 not predicted" in layer["not_predicted"]


def test_predict_json_gives_the_90_percent_interval_and_the_chance_of_meeting_the_spec() -> None:
    layer = json.loads(runner.invoke(app, ["predict", str(EX1), "--json"]).stdout)["layers"][0]
    low, high = layer["sigma25_interval_90_S_per_cm"]
    assert low < layer["sigma25_S_per_cm"] < high
    assert layer["sigma25_spec_S_per_cm"] == 1e-4
    assert 0.95 < layer["sigma25_p_meets_spec"] < 1.0  # the spec lies below the interval: P > 95 %


def test_predict_report_writes_the_film_map(tmp_path: Path) -> None:
    result = runner.invoke(app, ["predict", str(EX1), "--report", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    assert "thickness map" in result.output and "±7.5 %" in result.output
    written = {path.name for path in (tmp_path / "report").iterdir()}
    assert written == {"prediction.json", "film-map.csv", "film-map.png"}
    assert (tmp_path / "report" / "film-map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = (tmp_path / "report" / "film-map.csv").read_text().splitlines()
    assert rows[0] == "x_mm,y_mm,thickness_um" and len(rows) == 1 + 41 * 21
    saved = json.loads((tmp_path / "report" / "prediction.json").read_text())
    assert saved["film_map"]["nonuniformity"] == pytest.approx(0.0750818561589)


def test_predict_report_into_a_file_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(app, ["predict", str(EX1), "--report", str(blocker)])
    assert result.exit_code == 2 and "cannot write the report" in result.output


def test_a_hostile_source_geometry_is_a_located_error_not_a_crash(tmp_path: Path) -> None:
    text = EX1.read_text().replace(
        "deposition: {base_pressure: 1.0e-4 Pa}",
        "deposition: {base_pressure: 1.0e-4 Pa, geometry: {source_offset: 1e200 m, throw_distance: 1e-300 m}}",
    )
    assert "1e200" in text
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(text)
    for command in (["validate", str(hostile)], ["predict", str(hostile)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1 and "MAP001" in result.output and "internal error" not in result.output
