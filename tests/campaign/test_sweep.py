"""Sweeps: the same table whatever the number of workers; bad files and schedulers refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from anodeline.campaign.errors import CampaignError
from anodeline.campaign.sweep import load_sweep, run_sweep, write_report
from tests.conftest import EXAMPLES

SWEEP = """sweep: t
campaign: {campaign}
method: {method}
samples: 3
seed: 5
replications: 2
parameters:
  operators: [1, 2]
  pump_speed: {speed}
"""


def _write(tmp_path: Path, method: str = "grid", speed: str = "[1.0, 1.5]") -> Path:
    """A sweep over the week campaign cut to three batches (enough to pipeline, quick to plan)."""
    path = tmp_path / "s.yaml"
    week = EXAMPLES / "campaigns" / "week-example-01.yaml"
    campaign = tmp_path / "week-3.yaml"
    campaign.write_text(week.read_text().replace("count: 10", "count: 3").replace("../", f"{EXAMPLES}/"))
    path.write_text(SWEEP.format(campaign=campaign, method=method, speed=speed))
    return path


def test_grid_and_latin_hypercube_points(tmp_path: Path) -> None:
    assert len(load_sweep(_write(tmp_path)).points) == 4
    points = load_sweep(_write(tmp_path, "lhs", "{low: 0.5, high: 2.0}")).points
    assert len(points) == 3 and all(0.5 <= p["pump_speed"] <= 2.0 and p["operators"] in (1, 2) for p in points)
    strata = sorted(int(3 * (p["pump_speed"] - 0.5) / 1.5) for p in points)
    assert strata == [0, 1, 2]


def test_a_sweep_gives_the_same_table_on_one_and_four_workers(tmp_path: Path) -> None:
    sweep = load_sweep(_write(tmp_path))
    one = run_sweep(sweep, workers=1, processes=False)
    four = run_sweep(sweep, workers=4, processes=False)
    assert one == four
    assert one[0]["makespan_h"] > one[1]["makespan_h"]  # faster pumps, shorter week
    written = write_report(one, sweep, tmp_path / "report")
    assert [p.name for p in written] == ["sweep.csv", "sweep-operators.png", "sweep-pump_speed.png"]


def test_bad_parameters_are_located(tmp_path: Path) -> None:
    with pytest.raises(CampaignError, match="SWP002") as caught:
        load_sweep(_write(tmp_path, speed="[100.0]"))
    assert caught.value.location.endswith(":9:3")


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CampaignError, match="cannot reach the Dask scheduler"):
        run_sweep(load_sweep(_write(tmp_path)), scheduler="tcp://127.0.0.1:9", connect_timeout_s=1.0)
