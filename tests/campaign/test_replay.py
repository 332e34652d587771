"""The discrete-event replay: reproduces the plan without randomness, reproducible with it."""

from __future__ import annotations

from anodeline.campaign.heuristic import heuristic
from anodeline.campaign.replay import Randomness, replay, replicate
from tests.campaign.conftest import problem


def test_without_randomness_the_replay_ends_when_the_plan_does() -> None:
    p = problem([("example-01", 4)])
    schedule = heuristic(p)
    run = replay(p, schedule, Randomness(0.0, 0.0, 0.0, 0.0))
    assert run.makespan_s == schedule.makespan_s
    assert run.events == len(schedule.placed)


def test_replications_are_reproducible_and_faults_make_them_later() -> None:
    p = problem([("example-01", 3)], due={"example-01": 40000})
    schedule = heuristic(p)
    a = replicate(p, schedule, Randomness(), 8, seed=3)
    assert a == replicate(p, schedule, Randomness(), 8, seed=3)
    assert a.median_s <= a.p90_s
    faulty = replicate(p, schedule, Randomness(0.0, 0.0, 1.0, 7200.0), 4)
    assert faulty.median_s >= schedule.makespan_s + 7200 - 1e-6 or faulty.median_s > schedule.makespan_s
    assert 0.0 <= a.meet_due["order 1 (example-01)"] <= 1.0
