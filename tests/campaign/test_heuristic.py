"""The heuristic and FIFO: feasible (independent checker), exact on pipelines, never below the bound."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anodeline.campaign.bound import lower_bound
from anodeline.campaign.heuristic import fifo, heuristic
from tests.campaign.conftest import RECIPES, check, problem, template


@pytest.mark.parametrize("n", [1, 2, 3, 7])
@pytest.mark.parametrize("operators", [1, 2])
def test_one_recipe_on_one_line_has_the_exact_pipelined_makespan(n: int, operators: int) -> None:
    """By hand: the apparatus is the bottleneck; head + n x (transfer in + deposit + transfer out) + tail."""
    head, hold, tail = template("example-01").hold_bounds("apparatus-1")
    assert (head, hold, tail) == (136 + 4294 + 25, 56 + 9573 + 36, 181)
    p = problem([("example-01", n)], operators=operators)
    schedule = heuristic(p)
    assert check(p, schedule) == []
    assert schedule.makespan_s == head + n * hold + tail == lower_bound(p).seconds


def test_fifo_runs_one_batch_after_another() -> None:
    p = problem([("example-01", 3)])
    schedule = fifo(p)
    assert check(p, schedule) == []
    spans = sorted(schedule.batch_span(b.id) for b in p.batches)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_families_are_grouped_so_one_line_changes_sources_twice_for_three_recipes() -> None:
    p = problem([("example-01", 2), ("example-02", 2), ("example-01", 2), ("example-04", 1)])
    schedule = heuristic(p)
    assert check(p, schedule) == []
    assert len(schedule.changeovers) == 2
    assert len(fifo(p).changeovers) == 3


def test_operators_keep_to_their_shifts() -> None:
    nights = tuple((d * 86400 + 57600, d * 86400 + 86400) for d in range(10))
    p = problem([("example-01", 4)], off_shift=nights)
    for schedule in (heuristic(p), fifo(p)):
        assert check(p, schedule) == []


mixes = st.lists(st.tuples(st.sampled_from(RECIPES), st.integers(1, 3)), min_size=1, max_size=3)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mix=mixes, lines=st.sampled_from([("fig1",), ("fig1", "fig1-b")]), operators=st.integers(1, 2))
def test_random_campaigns_heuristic_feasible_not_worse_than_fifo_and_above_the_bound(
    mix: list[tuple[str, int]], lines: tuple[str, ...], operators: int
) -> None:
    p = problem(mix, lines, operators)
    h, f = heuristic(p), fifo(p)
    assert check(p, h) == [] and check(p, f) == []
    bound = lower_bound(p).seconds
    assert bound <= h.makespan_s <= f.makespan_s


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mix=mixes,
    lines=st.sampled_from([("fig1",), ("fig1", "fig1-b")]),
    operators=st.integers(1, 2),
    day=st.integers(4, 20),
    night=st.integers(1, 12),
    offset=st.integers(0, 23),
)
def test_with_a_shift_calendar_the_bound_stays_below_every_schedule(
    mix: list[tuple[str, int]], lines: tuple[str, ...], operators: int, day: int, night: int, offset: int
) -> None:
    """The shift-aware terms (operators on shift, the bottleneck's nights) never exceed a feasible schedule."""
    period = (day + night) * 3600
    windows = tuple((k * period + offset * 3600 + day * 3600, (k + 1) * period + offset * 3600) for k in range(60))
    windows = tuple((max(a, 0), z) for a, z in windows)
    p = problem(mix, lines, operators, off_shift=windows)
    h, f = heuristic(p), fifo(p)
    assert check(p, h) == [] and check(p, f) == []
    bound = lower_bound(p)
    assert bound.seconds <= h.makespan_s <= f.makespan_s, bound.terms
    assert bound.seconds >= lower_bound(problem(mix, lines, operators)).seconds  # nights only add


def test_the_nights_raise_the_week_bound_to_within_5_percent_of_the_plan() -> None:
    nights = tuple((d * 86400 + 57600, d * 86400 + 86400) for d in range(10))
    p = problem([("example-01", 10)], off_shift=nights)
    bound, schedule = lower_bound(p), heuristic(p)
    assert "shifts" in bound.bottleneck
    assert bound.seconds > lower_bound(problem([("example-01", 10)])).seconds
    assert schedule.makespan_s <= 1.05 * bound.seconds
