"""Campaigns: makespan against the lower bound (and FIFO), planning time, replay speed, sweep throughput.

Run: ``.venv/bin/python benchmarks/bench_campaign.py [--quick]``. Goals of issue 12: single-recipe
campaigns of 10, 50, 200 batches on one line within 5 % of the bound, a mixed campaign (3 recipes,
2 lines, 40 batches) within 15 %, both below FIFO; a 200-batch plan in ≤ 30 s; the discrete-event
replay at ≥ 50 % of the events per second of a plain SimPy model of the same line (written here as
the baseline); sweep throughput on 1, 2 and 4 local workers.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

from harness import ROOT, Result, report

from anodeline.campaign.load import load_campaign
from anodeline.campaign.merge import verify_schedule
from anodeline.campaign.plan import plan
from anodeline.campaign.problem import Problem
from anodeline.campaign.replay import Randomness, replay

CAMPAIGNS = ROOT / "examples" / "campaigns"


def _single(n: int) -> tuple[Problem, dict]:
    """The week campaign with ``n`` batches, no shift calendar (the pure pipelining question)."""
    campaign = load_campaign(CAMPAIGNS / "week-example-01.yaml")
    campaign = replace(campaign, orders=(replace(campaign.orders[0], count=n, due_s=None),),
                       spec=campaign.spec.model_copy(update={"shifts": None}))  # fmt: skip
    return campaign.problem(), dict(campaign.lines)


def _plain_simpy(n: int, d: dict[str, int]) -> int:
    """The baseline: Fig. 1 as three SimPy resources and an operator, the same ten operations per batch."""
    import simpy

    env = simpy.Environment()
    inlet, app, outlet = simpy.Resource(env), simpy.Resource(env), simpy.Resource(env)
    operator = simpy.PriorityResource(env)
    done = [0]

    def work(seconds: int, manual: bool, priority: int) -> object:
        if manual:
            with operator.request(priority=priority) as r:
                yield r
                yield env.timeout(seconds)
        else:
            yield env.timeout(seconds)
        done[0] += 1

    def outlet_side(i: int, ready: simpy.Event, out_done: simpy.Event, req: object) -> object:
        yield from work(d["sload"], True, i)
        yield from work(d["opurge"], False, i)
        ready.succeed()
        yield out_done
        yield from work(d["unload"], True, i)
        outlet.release(req)

    def batch(i: int) -> object:
        r_in = inlet.request()
        yield r_in
        yield from work(d["load"], True, i)
        yield from work(d["purge"], False, i)
        yield from work(d["open"], True, i)
        r_app = app.request()
        yield r_app
        yield from work(d["tin"], True, i)
        yield from work(d["tidy"], True, i)
        inlet.release(r_in)
        r_out = outlet.request()
        yield r_out
        ready, out_done = env.event(), env.event()
        env.process(outlet_side(i, ready, out_done, r_out))
        yield from work(d["deposit"], False, i)
        yield ready
        yield from work(d["tout"], True, i)
        app.release(r_app)
        out_done.succeed()

    for i in range(n):
        env.process(batch(i))
    env.run()
    return done[0]


def measure(quick: bool = False) -> list[Result]:
    results: list[Result] = []
    for n in (10, 50) if quick else (10, 50, 200):
        problem, lines = _single(n)
        began = time.perf_counter()
        p = plan(problem)
        proofs = verify_schedule(problem, p.schedule, lines)
        seconds = time.perf_counter() - began
        assert all(v.air_free for _, v in proofs.values())
        results.append(Result(f"campaign: {n} × Example 1, 1 line: makespan / bound", "s", p.schedule.makespan_s,
                              p.bound.seconds, "lower bound", higher_is_better=False, goal_ratio=1.05,
                              note=f"FIFO {p.fifo.makespan_s / p.bound.seconds:.2f}× the bound"))  # fmt: skip
        if n == 200:
            results.append(Result("plan 200 batches (heuristic, bound, FIFO, air-free proof)", "s", seconds, None,
                                  higher_is_better=False, goal_value=30.0))  # fmt: skip
    week = load_campaign(CAMPAIGNS / "week-example-01.yaml").problem()
    p = plan(week)
    results.append(Result("campaign: the week (10 × Example 1, day shifts): makespan / bound", "s",
                          p.schedule.makespan_s, p.bound.seconds, "shift-aware bound", higher_is_better=False,
                          goal_ratio=1.05, note=f"bound: {p.bound.bottleneck}"))  # fmt: skip
    mixed = load_campaign(CAMPAIGNS / "mixed-3x2.yaml")
    problem = mixed.problem()
    p = plan(problem, "heuristic" if quick else "cp-sat", 20.0)
    results.append(Result(f"campaign: mixed 3 recipes, 2 lines, {len(problem.batches)} batches: makespan / bound",
                          "s", p.schedule.makespan_s, p.bound.seconds, "lower bound", higher_is_better=False,
                          goal_ratio=1.15, note=f"{p.schedule.solver}; FIFO {p.fifo.makespan_s / p.bound.seconds:.2f}×"
                          " the bound"))  # fmt: skip
    # replay speed against a plain SimPy model of the same line
    problem, _ = _single(50)
    schedule = plan(problem).schedule
    template = problem.batches[0].options["fig1"]
    names = ["sload", "load", "purge", "open", "tin", "deposit", "opurge", "tout", "unload", "tidy"]
    d = {name: op.duration_s for name, op in zip(names, template.operations, strict=True)}
    repeat = 3 if quick else 10
    began = time.perf_counter()
    events = sum(replay(problem, schedule, Randomness(), seed).events for seed in range(repeat))
    product = events / (time.perf_counter() - began)
    began = time.perf_counter()
    plain = sum(_plain_simpy(50, d) for _ in range(repeat))
    baseline = plain / (time.perf_counter() - began)
    results.append(Result("campaign replay (50 batches, random durations)", "ops/s", product, baseline,
                          "plain SimPy model of Fig. 1", goal_ratio=0.5))  # fmt: skip
    results += _sweeps(quick)
    return results


def _sweeps(quick: bool) -> list[Result]:
    from anodeline.campaign.sweep import load_sweep, run_sweep

    sweep = replace(load_sweep(CAMPAIGNS / "what-if.yaml"), replications=100 if quick else 300)  # work worth spreading
    rates: dict[int, float] = {}
    for workers in (1, 2) if quick else (1, 2, 4):
        began = time.perf_counter()
        run_sweep(sweep, workers=workers)
        rates[workers] = len(sweep.points) / (time.perf_counter() - began)
    return [
        Result(
            f"sweep on {w} local worker{'s' if w > 1 else ''} ({len(sweep.points)} points)",
            "points/s",
            rate,
            rates[1],
            "1 worker",
            note=f"parallel efficiency {rate / rates[1] / w:.0%}; cluster start-up included; the machine has 2 cores",
        )
        for w, rate in rates.items()
    ]


def main() -> None:
    report(measure("--quick" in sys.argv))


if __name__ == "__main__":
    main()
