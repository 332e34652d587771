"""CP-SAT: from the heuristic's hint, a feasible schedule no worse, and a bound no better than the truth."""

from __future__ import annotations

from anodeline.campaign.bound import lower_bound
from anodeline.campaign.cpsat import solve
from anodeline.campaign.heuristic import heuristic
from tests.campaign.conftest import check, problem


def test_cp_sat_on_a_mixed_two_line_campaign_is_feasible_and_bounded() -> None:
    p = problem([("example-01", 2), ("example-02", 2), ("example-04", 1)], ("fig1", "fig1-b"), operators=2,
                due={"example-01": 30000})  # fmt: skip
    hint = heuristic(p)
    lower = lower_bound(p).seconds
    result = solve(p, hint, lower, time_limit_s=5.0, workers=2)
    assert check(p, result.schedule) == []
    assert lower <= result.bound_s <= result.schedule.makespan_s <= hint.makespan_s


def test_cp_sat_proves_the_single_recipe_pipeline_optimal() -> None:
    p = problem([("example-01", 3)])
    hint = heuristic(p)
    result = solve(p, hint, lower_bound(p).seconds, time_limit_s=5.0, workers=2)
    assert result.status == "OPTIMAL"
    assert result.schedule.makespan_s == result.bound_s == hint.makespan_s
