"""`anodeline targets list|install`, and `validate --db` / `run` on the shipped Example 1 with a worn target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from anodeline.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
EX1 = str(EXAMPLES / "patent" / "example-01.yaml")
FIG1 = str(EXAMPLES / "lines" / "fig1.yaml")
GUN = "system-1/sputter-gun"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


def _install(db: str, target: str, *args: str) -> Result:
    return runner.invoke(app, ["targets", "install", target, "--source", GUN, "--material", "57Li2S-38SiS2-5P2O5",
                               "--db", db, *args])  # fmt: skip


def test_install_then_list_shows_the_mounted_target_and_its_life(db: str) -> None:
    result = _install(db, "T-1", "--capacity", "5 kWh", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["capacity"] == 5.0
    assert _install(db, "T-2", "--capacity", "4000 Wh").exit_code == 0
    listed = runner.invoke(app, ["targets", "list", "--db", db, "--json"])
    (mounted,) = json.loads(listed.stdout)["targets"]
    assert mounted["id"] == "T-2" and mounted["capacity"] == pytest.approx(4.0) and mounted["remaining_share"] == 1.0
    every = json.loads(runner.invoke(app, ["targets", "list", "--db", db, "--all", "--json"]).stdout)["targets"]
    assert [t["id"] for t in every] == ["T-1", "T-2"] and not every[0]["mounted"]
    assert "T-2" in runner.invoke(app, ["targets", "list", "--db", db]).stdout


@pytest.mark.parametrize(
    "capacity", ["-5 kWh", "0 kWh", "1e300 kWh", "nan kWh", "inf kWh", "5", "5 g", "five kWh", "5 parsecs"]
)
def test_a_hostile_capacity_is_a_usage_error(db: str, capacity: str) -> None:
    result = _install(db, "T-1", "--capacity", capacity)
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "Traceback" not in result.output


def test_an_unknown_or_unworn_source_is_a_usage_error(db: str) -> None:
    for source in ("system-9/gun", "system-1/laser"):
        result = runner.invoke(app, ["targets", "install", "T-1", "--source", source, "--material", "x", "--db", db])
        assert result.exit_code == 2 and "TGT003" in result.output


def test_a_duplicate_target_id_is_refused(db: str) -> None:
    assert _install(db, "T-1").exit_code == 0
    result = _install(db, "T-1")
    assert result.exit_code == 2 and "already in the records" in result.output


def test_validate_with_db_warns_then_refuses_as_the_target_wears(db: str) -> None:
    assert _install(db, "T-1", "--capacity", "0.23 kWh").exit_code == 0  # 1 µm takes ~0.215 kWh
    warned = runner.invoke(app, ["validate", EX1, "--line", FIG1, "--db", db, "--json"])
    assert warned.exit_code == 0, warned.output
    (finding,) = json.loads(warned.stdout)["recipes"][0]["violations"]
    assert finding["code"] == "TGT001" and finding["path"] == "layers[0]" and finding["line"] > 0
    assert _install(db, "T-2", "--capacity", "0.2 kWh").exit_code == 0
    refused = runner.invoke(app, ["validate", EX1, "--line", FIG1, "--db", db, "--json"])
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["recipes"][0]["violations"][0]["code"] == "TGT002"
    run = runner.invoke(app, ["run", EX1, "--db", db, "--json"])
    assert run.exit_code == 1 and "TGT002" in run.output and not run.stdout.strip().startswith("{")


def test_validate_db_needs_a_line(db: str) -> None:
    result = runner.invoke(app, ["validate", EX1, "--db", db])
    assert result.exit_code == 2 and "--line" in result.output


def test_run_warns_before_the_batch_and_records_the_use(db: str) -> None:
    assert _install(db, "T-1", "--capacity", "0.23 kWh").exit_code == 0
    result = runner.invoke(app, ["run", EX1, "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["warnings"][0].startswith("TGT001") and report["targets"][0]["target"] == "T-1"
    assert "warning: TGT001" in result.stderr
    (target,) = json.loads(runner.invoke(app, ["targets", "list", "--db", db, "--json"]).stdout)["targets"]
    assert target["used"] == pytest.approx(0.222, rel=0.03)


def test_run_shows_each_target_in_its_summary(db: str) -> None:
    assert _install(db, "T-1").exit_code == 0  # the default life, 5 kWh
    result = runner.invoke(app, ["run", EX1, "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "target T-1 on system-1/sputter-gun: 0.201 kWh for layer electrolyte (rate -0.8% over it), 96%" in (
        result.stdout
    )
