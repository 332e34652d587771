"""``anodeline campaign plan`` and ``anodeline sweep`` end to end: JSON shape, charts, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from anodeline.cli import app
from tests.cli.test_imports import loaded
from tests.conftest import EXAMPLES

runner = CliRunner()
WEEK = EXAMPLES / "campaigns" / "week-example-01.yaml"


def test_plan_json_has_the_issue_shape_and_is_air_free(tmp_path: Path) -> None:
    chart = tmp_path / "g.png"
    result = runner.invoke(app, ["campaign", "plan", str(WEEK), "--json", "--gantt", str(chart),
                                 "--replications", "3"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("campaign", "solver", "makespan_s", "lower_bound_s", "gap", "fifo_makespan_s", "bottleneck",
                "batches", "operations", "due_misses"):  # fmt: skip
        assert key in data
    assert set(data["batches"][0]) == {"batch", "recipe", "line", "start_s", "end_s"}
    assert set(data["operations"][0]) == {"batch", "operation", "resource", "start_s", "end_s"}
    assert data["gap"] == round(data["makespan_s"] / data["lower_bound_s"] - 1, 6)
    assert data["lower_bound_s"] <= data["makespan_s"] < data["fifo_makespan_s"]
    assert data["air_free"]["fig1"]["air_free"] is True
    assert data["replications"]["replications"] == 3
    assert chart.stat().st_size > 1000


def test_plan_with_cp_sat_and_an_html_chart(tmp_path: Path) -> None:
    chart = tmp_path / "g.html"
    result = runner.invoke(app, ["campaign", "plan", str(WEEK), "--solver", "cp-sat", "--time-limit", "2",
                                 "--gantt", str(chart)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "cp-sat" in result.stdout and "air-free" in result.stdout
    assert chart.read_text().startswith("<!doctype html>")


def test_bad_campaigns_exit_1_located_and_unreadable_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text(WEEK.read_text().replace("count: 10", "count: 0").replace("../patent", str(EXAMPLES / "patent"))
                   .replace("../lines", str(EXAMPLES / "lines")))  # fmt: skip
    result = runner.invoke(app, ["campaign", "plan", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:8:" in result.output and "CPG010" in result.output and "Traceback" not in result.output
    assert runner.invoke(app, ["campaign", "plan", str(tmp_path / "none.yaml")]).exit_code == 2
    assert runner.invoke(app, ["campaign", "plan", str(WEEK), "--solver", "magic"]).exit_code == 2
    assert runner.invoke(app, ["campaign", "plan", str(WEEK), "--gantt", "x.pdf"]).exit_code == 2


def test_sweep_with_an_unreachable_scheduler_exits_2_with_one_line() -> None:
    result = runner.invoke(app, ["sweep", str(EXAMPLES / "campaigns" / "what-if.yaml"), "--scheduler",
                                 "tcp://127.0.0.1:9"])  # fmt: skip
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.output and "Traceback" not in result.output


def test_campaign_help_imports_no_heavy_library() -> None:
    top = set(loaded("campaign", "plan", "--help")["top"])
    assert not {"ortools", "distributed", "dask", "matplotlib", "simpy", "pint", "numpy"} & top


def test_campaign_run_json_has_the_issue_shape_and_a_fault_exits_1(tmp_path: Path) -> None:
    from tests.campaign.test_run import campaign_file

    path = campaign_file(tmp_path, 2)
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    result = runner.invoke(app, ["campaign", "run", str(path), "--db", db, "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"campaign", "status", "makespan_s", "planned_makespan_s", "batches"} <= set(data)
    assert data["status"] == "complete" and len(data["batches"]) == 2
    assert {"batch", "recipe", "status", "verdict"} <= set(data["batches"][0])
    assert [b["verdict"] for b in data["batches"]] == ["pass", "pass"]
    audit = runner.invoke(app, ["audit", "verify", "--db", db])
    assert audit.exit_code == 0, audit.output
    failed = runner.invoke(app, ["campaign", "run", str(path), "--db", db,
                                 "--fault", "example-01-001=pump-failure:rotary-4"])  # fmt: skip
    assert failed.exit_code == 1, failed.output
    assert "aborted" in failed.stdout
    for bad in (["--fault", "example-01-002"], ["--fault", "nope=leak"], ["--fault", "example-01-001=warp-drive"]):
        result = runner.invoke(app, ["campaign", "run", str(path), "--db", db, *bad])
        assert result.exit_code == 2, (bad, result.output)
        assert "Traceback" not in result.output
