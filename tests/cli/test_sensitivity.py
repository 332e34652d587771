"""`anodeline sensitivity` on a shipped example: a ranking, and usage errors refused before any run."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from anodeline.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
EX1 = str(EXAMPLES / "patent" / "example-01.yaml")


def test_a_morris_study_ranks_power_first_for_cycle_time_and_the_leak_first_for_oxygen() -> None:
    result = runner.invoke(app, ["sensitivity", EX1, "--size", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["evaluations"] == 2 * (len(data["factors"]) + 1) and data["incomplete_runs"] == 0
    ranking = data["ranking"]
    assert ranking["cycle_time_h"][0]["factor"] == "sputter_power"
    assert ranking["max_o2_ppm"][0]["factor"] == "chamber_leak"
    # the film's temperature sets σ25: the setpoint and, through plasma heating (issue 14 item 4), the power
    assert {e["factor"] for e in ranking["sigma25_S_per_cm"][:2]} == {"substrate_temperature", "sputter_power"}
    assert all(e["mu_star"] >= 0.0 for entries in ranking.values() for e in entries)


def test_usage_errors_are_one_line_and_exit_2() -> None:
    bad_method = runner.invoke(app, ["sensitivity", EX1, "--method", "fast"])
    assert bad_method.exit_code == 2 and "morris" in bad_method.output
    bad_size = runner.invoke(app, ["sensitivity", EX1, "--method", "sobol", "--size", "12"])
    assert bad_size.exit_code == 2 and "power of 2" in bad_size.output
    missing = runner.invoke(app, ["sensitivity", "nope.yaml"])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
