"""The discrete-event replay: reproduces the plan without randomness, reproducible with it."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anodeline.campaign.heuristic import heuristic
from anodeline.campaign.problem import Problem
from anodeline.campaign.replay import Randomness, _next_on_shift, durations, replay, replicate
from anodeline.campaign.schedule import Placed, Schedule
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


def _processes(p: Problem, schedule: Schedule, seconds: list[float]) -> dict[str, float]:
    """The straightforward model, one SimPy process per operation (as the replay was first written):
    the reference the callback replay must match exactly, given the same durations."""
    import simpy

    env = simpy.Environment()
    operators = simpy.PriorityResource(env, capacity=p.operators)
    order = sorted(schedule.placed, key=lambda q: (q.start_s, q.batch, q.op))
    done = {(q.batch, q.op): env.event() for q in order}
    last_on: dict[tuple[str, str], tuple[str, int]] = {}
    prev: dict[tuple[str, int], list[tuple[str, int]]] = {}
    seen: set[tuple[str, str]] = set()
    for q in order:
        t = p.template(q.batch, q.line)
        for space in t.operations[q.op].spaces:
            if (space, q.batch) not in seen:
                seen.add((space, q.batch))
                if space in last_on:
                    prev.setdefault((q.batch, q.op), []).append(last_on[space])
            last_on[space] = (q.batch, t.on(space)[-1])
    change = {(c.batch, c.space): c.end_s - c.start_s for c in schedule.changeovers}
    ends: dict[str, float] = {}

    def run(q: Placed, d: float) -> Generator[Any, Any, None]:
        t = p.template(q.batch, q.line)
        op = t.operations[q.op]
        waits = [done[(q.batch, a)] for a in t.predecessors[q.op]] + [done[k] for k in prev.get((q.batch, q.op), ())]
        if waits:
            yield env.all_of(waits)
        setup = sum(change.get((q.batch, s), 0) for s in op.spaces if t.on(s)[0] == q.op)
        if setup:
            yield env.timeout(setup)
        if op.manual:
            with operators.request(priority=q.start_s) as request:
                yield request
                wait = _next_on_shift(p, env.now) - env.now
                if wait > 0:
                    yield env.timeout(wait)
                yield env.timeout(d)
        else:
            yield env.timeout(d)
        ends[q.batch] = max(ends.get(q.batch, 0.0), env.now)
        done[(q.batch, q.op)].succeed()

    for q, d in zip(order, seconds, strict=True):
        env.process(run(q, d))
    env.run()
    return ends


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), operators=st.integers(1, 2), two=st.booleans(), night=st.booleans())
def test_the_callback_replay_gives_what_one_process_per_operation_gives(
    seed: int, operators: int, two: bool, night: bool
) -> None:
    mix = [("example-01", 2), ("example-02", 2)] if two else [("example-01", 4)]
    p = problem(mix, operators=operators, off_shift=((20_000, 50_000),) if night else ())
    schedule = heuristic(p)
    seconds = durations(p, schedule, Randomness(fault_rate=0.3), seed)
    run = replay(p, schedule, Randomness(fault_rate=0.3), seed)
    assert run.ends == pytest.approx(_processes(p, schedule, seconds), abs=1e-6)
