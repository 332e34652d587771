"""`anodeline predict` on the shipped examples."""

from __future__ import annotations

import json
from pathlib import Path

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
