"""`anodeline doe`: proposals below 100 °C first, written as recipes that validate."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from anodeline.cli import app
from anodeline.recipe.validate import validate_file
from tests.conftest import EXAMPLES

runner = CliRunner()
EX1 = str(EXAMPLES / "patent" / "example-01.yaml")


def test_doe_proposes_low_temperature_films_as_valid_recipes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["doe", "--template", EX1, "--count", "3", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    proposals = data["proposals"]
    assert len(proposals) == 3 and data["candidates"] > 50
    assert proposals[0]["substrate_temperature_degc"] < 100.0  # where the data are thin
    shares = [p["share_of_total"] for p in proposals]
    assert shares == sorted(shares, reverse=True)
    for p in proposals:
        report = validate_file(Path(p["recipe"]))
        assert report.valid, report.violations


def test_doe_usage_errors() -> None:
    assert runner.invoke(app, ["doe", "--former", "XyS2"]).exit_code == 2
    assert runner.invoke(app, ["doe", "--method", "painting"]).exit_code == 2
    missing = runner.invoke(app, ["doe", "--template", "nope.yaml"])
    assert missing.exit_code == 2 and "template" in missing.output
