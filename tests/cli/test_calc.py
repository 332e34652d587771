"""``anodeline calc``: dew/frost point, purge and pump-down from the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

import anodeline.cli.calc  # noqa: F401 - registers the calc commands
from anodeline.cli.app import app

runner = CliRunner()


def run_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["calc", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_dew_point_gives_ppmv_at_a_frost_point() -> None:
    data = run_json("dew-point", "-60 degC")
    assert data["ppmv"] == pytest.approx(10.7, rel=0.01)
    assert data["frost_point_degc"] == pytest.approx(-60.0)


def test_dew_point_over_water_gives_more_water() -> None:
    data = run_json("dew-point", "-40 degC", "--over", "water")
    assert data["dew_point_degc"] == pytest.approx(-40.0)
    assert data["ppmv"] > 126.8 * 1.4


def test_dew_point_accepts_kelvin() -> None:
    assert run_json("dew-point", "223.15 K")["ppmv"] == pytest.approx(38.9, rel=0.01)


def test_frost_point_reads_a_bare_number_as_ppmv() -> None:
    assert run_json("frost-point", "38.9")["frost_point_degc"] == pytest.approx(-50.0, abs=0.1)
    assert run_json("frost-point", "38.9 ppm")["ppmv"] == pytest.approx(38.9)


def test_purge_leaves_reference_o2_with_pure_argon() -> None:
    data = run_json("purge", "--low", "1 mbar", "--cycles", "1", "--fill-purity", "100 %")
    assert data["o2_ppm"] == pytest.approx(207.0, rel=0.01)
    assert data["h2o_ppm"] > data["o2_ppm"]
    assert len(data["per_cycle"]) == 2


def test_purge_with_patent_argon_approaches_its_impurities() -> None:
    data = run_json("purge", "--low", "1 mbar", "--cycles", "3", "--fill-purity", "99.99%", "--fill-gas", "Ar")
    assert data["o2_ppm"] == pytest.approx(20.0, rel=0.01)


def test_pumpdown_gives_seconds() -> None:
    data = run_json("pumpdown", "--volume", "72 L", "--speed", "12 m^3/h", "--to", "0.1 mbar", "--from", "1013 mbar")
    assert data["seconds"] == pytest.approx(200.0, rel=0.01)


def test_pumpdown_with_gas_load_reports_ultimate_pressure() -> None:
    data = run_json(
        "pumpdown", "--volume", "1 m^3", "--speed", "60 m^3/h", "--to", "0.1 mbar", "--gas-load", "1 mbar*L/s"
    )
    assert data["ultimate_pressure_pa"] == pytest.approx(0.1 / (60 / 3600))


def test_human_output_is_a_table() -> None:
    result = runner.invoke(app, ["calc", "dew-point", "-50 degC"])
    assert result.exit_code == 0
    assert "38.88 ppmv" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dew-point", "-60"], "has no unit"),
        (["dew-point", "-60 degC", "--pressure", "-1 bar"], "not a positive pressure"),
        (["frost-point", "20000"], "no frost point"),
        (["frost-point", "lots"], "PPMV"),
        (["purge", "--low", "-1 mbar", "--cycles", "3"], "not a reachable pressure"),
        (["purge", "--low", "1 parsec", "--cycles", "3"], "not a pressure"),
        (["purge", "--low", "1 mbar", "--cycles", "3", "--fill-purity", "120 %"], "purity"),
        (["pumpdown", "--volume", "72 kg", "--speed", "12 m^3/h", "--to", "0.1 mbar"], "not a volume"),
        (["pumpdown", "--volume", "72 L", "--speed", "12 m^3/h", "--to", "-1 mbar"], "positive"),
        (["pumpdown", "--volume", "72 L", "--speed", "12 m^3/h", "--to", "1e-6 mbar", "--gas-load", "1 mbar*L/s"],
         "ultimate pressure"),
        (["pumpdown", "--volume", "72 L", "--speed", "12 m^3/h", "--to", "0.1 mbar", "--gas-load", "3 m"], "gas-load"),
    ],
)  # fmt: skip
def test_bad_input_is_a_one_line_error_with_a_hint_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["calc", *args])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error:") and lines[1].startswith("hint:")
    assert "Traceback" not in result.output


def test_calc_help_starts_without_heavy_imports() -> None:
    import subprocess
    import sys

    code = (
        "import sys, anodeline.cli.calc; "
        "heavy = [m for m in ('pint', 'scipy', 'numpy') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_purge_refuses_a_fill_gas_that_is_not_inert() -> None:
    for gas in ("Xx", "air", "dry-air"):
        result = CliRunner().invoke(app, ["calc", "purge", "--low", "1 mbar", "--cycles", "3", "--fill-gas", gas])
        assert result.exit_code == 2 and "not an inert purge gas" in result.stderr
    zero = CliRunner().invoke(app, ["calc", "purge", "--low", "0 Pa", "--cycles", "3"])
    assert zero.exit_code == 2


def test_pumpdown_with_a_backing_pump_uses_the_two_stage_model() -> None:
    args = ["calc", "pumpdown", "--volume", "150 L", "--speed", "300 L/s", "--to", "1e-4 Pa", "--json"]
    single = json.loads(CliRunner().invoke(app, args).stdout)["seconds"]
    staged = json.loads(CliRunner().invoke(app, [*args, "--backing-speed", "10 m^3/h"]).stdout)["seconds"]
    assert single < 60.0 < 600.0 < staged < 7200.0  # roughing + outgassing-limited turbo stage
