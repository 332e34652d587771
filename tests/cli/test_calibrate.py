"""``anodeline calibrate``: JSON keys, human table and report directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
    "coverage_90",
    "cross_validation",
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
    assert 0.85 <= data["coverage_90"] <= 0.95  # issue 14 goal
    assert {s["name"] for s in data["cross_validation"]["schemes"]} == {"family", "method", "low-temperature"}


def test_calibrate_prints_a_table_and_writes_the_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["calibrate", "--report", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    assert "Leave-one-out" in result.stdout
    assert "coverage_90" in result.stdout and "low-temperature" in result.stdout
    assert (tmp_path / "report" / "parity.png").exists()


def test_an_unwritable_report_directory_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = CliRunner().invoke(app, ["calibrate", "--report", str(blocker)])
    assert result.exit_code == 2 and "cannot write the report" in result.stderr


def test_write_rewrites_the_shipped_calibration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from anodeline.chemistry import shipped

    target = tmp_path / "calibrated.json"
    monkeypatch.setattr(shipped, "shipped_path", lambda: target)
    result = CliRunner().invoke(app, ["calibrate", "--write", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["report_files"] == [str(target)]
    written = target.read_text(encoding="utf-8")
    shipped_text = Path(str(shipped.__file__)).with_name("calibrated.json").read_text(encoding="utf-8")
    assert json.loads(written)["dataset"] == json.loads(shipped_text)["dataset"]
    assert written == json.dumps(json.loads(written), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_write_to_an_unwritable_place_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from anodeline.chemistry import shipped

    monkeypatch.setattr(shipped, "shipped_path", lambda: tmp_path / "missing-dir" / "calibrated.json")
    result = CliRunner().invoke(app, ["calibrate", "--write"])
    assert result.exit_code == 2 and "cannot write" in result.stderr and "missing-dir" in result.stderr
