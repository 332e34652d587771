"""``anodeline calibrate``: JSON keys, human table and report directory."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import anodeline.cli.calibrate  # noqa: F401 - registers the command
from anodeline.cli.app import app

KEYS = {
    "loo_sigma25_median_rel_error",
    "loo_ea_mae_kj_per_mol",
    "ea_mean_baseline_mae_kj_per_mol",
    "samples",
    "parameters",
    "transfer_residuals",
    "report_files",
}


def test_calibrate_json_has_the_documented_keys() -> None:
    result = CliRunner().invoke(app, ["calibrate", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == KEYS
    assert data["loo_sigma25_median_rel_error"] <= 0.10
    assert data["loo_ea_mae_kj_per_mol"] < data["ea_mean_baseline_mae_kj_per_mol"]
    assert len(data["samples"]) == 48
    assert data["report_files"] == []


def test_calibrate_prints_a_table_and_writes_the_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["calibrate", "--report", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    assert "Leave-one-out" in result.stdout
    assert (tmp_path / "report" / "parity.png").exists()


def test_an_unwritable_report_directory_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = CliRunner().invoke(app, ["calibrate", "--report", str(blocker)])
    assert result.exit_code == 2 and "cannot write the report" in result.stderr
