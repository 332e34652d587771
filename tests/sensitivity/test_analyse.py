"""The analysis on a known function: the factor that matters comes first, by Morris and by Sobol."""

from __future__ import annotations

import pytest

from anodeline.line import load_line
from anodeline.line.load import default_line_path
from anodeline.recipe.validate import load_recipe
from anodeline.sensitivity import analyse
from anodeline.sensitivity.evaluate import OUTPUTS
from tests.conftest import EXAMPLES

RECIPE = load_recipe(EXAMPLES / "patent" / "example-01.yaml")
LINE = load_line(default_line_path(RECIPE.route))


def known(recipe: object, line: object, point: dict[str, float], seed: int = 0) -> dict[str, float]:
    """σ25 driven by temperature, O2 by the leak (×10 the door), cycle time by thickness alone."""
    t = point.get("substrate_temperature", 25.0)
    leak, door = point.get("chamber_leak", 1.0), point.get("door_travel", 1.0)
    return {"sigma25_S_per_cm": 1e-4 * (1 + t / 10), "max_o2_ppm": 10 * leak + door, "max_h2o_ppm": 0.0,
            "cycle_time_h": 5 * point.get("thickness", 1.0), "complete": 1.0}  # fmt: skip


@pytest.mark.parametrize(("method", "size"), [("morris", 8), ("sobol", 64)])
def test_the_driving_factor_ranks_first(monkeypatch: pytest.MonkeyPatch, method: str, size: int) -> None:
    monkeypatch.setattr(analyse, "evaluate_point", known)
    done: list[int] = []
    study = analyse.run_study(RECIPE, LINE, method, size, seed=1, progress=lambda n, total: done.append(n))
    ranking = study.to_dict()["ranking"]
    assert set(ranking) == set(OUTPUTS) and done[-1] == len(study.rows)
    assert ranking["sigma25_S_per_cm"][0]["factor"] == "substrate_temperature"
    assert [e["factor"] for e in ranking["max_o2_ppm"][:2]] == ["chamber_leak", "door_travel"]
    assert ranking["cycle_time_h"][0]["factor"] == "thickness"
    key = "mu_star" if method == "morris" else "ST"
    assert all(e[key] == pytest.approx(0.0, abs=1e-12) for e in ranking["max_h2o_ppm"])  # a constant output
    if method == "sobol":
        assert ranking["cycle_time_h"][0]["S1"] == pytest.approx(1.0, abs=0.1)


def test_dask_processes_give_the_same_rows_as_one_process() -> None:
    points = [{}, {"chamber_leak": 5.0}, {"sputter_power": 200.0}]
    alone = analyse._evaluate_all(RECIPE, LINE, points, 0, 1, None)
    pooled = analyse._evaluate_all(RECIPE, LINE, points, 0, 2, None)
    assert pooled == alone
