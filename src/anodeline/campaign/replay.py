"""Replay a schedule on a discrete-event model of the line with random durations and faults (SimPy).

The plan fixes what each resource does and in which order (each space serves its batches in the
planned order, operators take work in the order of its planned start); the replay lets the
times fall where they fall:

* manual work takes its planned time × a lognormal factor of median 1 (σ as the twin's operator,
  :class:`~anodeline.devices.sim.params.TwinParams`), operators working only on shift;
* operations that pump (purges, pump-downs) take their planned time × a normal factor
  N(1, ``pump_spread``) (est.: pumps, seals and wall water differ from day to day), at least half;
* a fault holds a batch for ``fault_hold`` with probability ``fault_rate`` (per batch, at a random
  operation of it), and whatever waits on it waits too.

Each replication draws from its own seeded generator, so results are reproducible.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from anodeline.campaign.problem import Problem
from anodeline.campaign.schedule import Schedule


@dataclass(frozen=True)
class Randomness:
    operator_sigma: float = 0.35
    pump_spread: float = 0.1
    fault_rate: float = 0.02
    fault_hold_s: float = 7200.0


@dataclass(frozen=True)
class Replay:
    """One replication: the makespan, each batch's end, the events processed."""

    makespan_s: float
    ends: dict[str, float]
    events: int


def _next_on_shift(problem: Problem, t: float) -> float:
    """``t``, or the end of the off-shift window it falls in."""
    windows = problem.off_shift
    i = bisect_right(windows, (t, math.inf)) - 1
    if i >= 0 and windows[i][0] <= t < windows[i][1]:
        return float(windows[i][1])
    return t


def replay(problem: Problem, schedule: Schedule, randomness: Randomness, seed: int = 0) -> Replay:
    """One replication of ``schedule``."""
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    operators = simpy.PriorityResource(env, capacity=problem.operators)
    done: dict[tuple[str, int], Any] = {}
    order = sorted(schedule.placed, key=lambda p: (p.start_s, p.batch, p.op))
    for p in order:
        done[(p.batch, p.op)] = env.event()
    # the previous batch's last operation on each space, in the planned order
    space_prev: dict[tuple[str, int], list[tuple[str, int]]] = {}
    last_on: dict[tuple[str, str], tuple[str, int]] = {}
    first_seen: set[tuple[str, str, str]] = set()
    for p in order:
        template = problem.template(p.batch, p.line)
        for space in template.operations[p.op].spaces:
            key = (p.line, space, p.batch)
            if key not in first_seen:
                first_seen.add(key)
                if (p.line, space) in last_on:
                    space_prev.setdefault((p.batch, p.op), []).append(last_on[(p.line, space)])
            last_on[(p.line, space)] = (p.batch, template.on(space)[-1])
    changeover = {(c.batch, c.space): c.end_s - c.start_s for c in schedule.changeovers}
    faulty = {b.id: rng.randrange(len(b.options[schedule.assignment[b.id]].operations))
              for b in problem.batches if rng.random() < randomness.fault_rate}  # fmt: skip
    ends: dict[str, float] = {}
    counter = [0]

    def run(p: Any) -> Any:
        template = problem.template(p.batch, p.line)
        op = template.operations[p.op]
        preds = [done[(p.batch, a)] for a in template.predecessors[p.op]]
        prev = [done[k] for k in space_prev.get((p.batch, p.op), ())]
        if preds or prev:
            yield env.all_of(preds + prev)
        setup = (
            sum(changeover.get((p.batch, s), 0) for s in op.spaces if template.on(s)[0] == p.op) if changeover else 0
        )
        if setup:
            yield env.timeout(setup)
        seconds = float(op.duration_s)
        if op.manual:
            seconds *= math.exp(randomness.operator_sigma * rng.gauss(0.0, 1.0))
        elif op.pumps:
            seconds *= max(0.5, rng.gauss(1.0, randomness.pump_spread))
        if faulty.get(p.batch) == p.op:
            seconds += randomness.fault_hold_s
        if op.manual:
            with operators.request(priority=p.start_s) as request:
                yield request
                wait = _next_on_shift(problem, env.now) - env.now
                if wait > 0:
                    yield env.timeout(wait)
                yield env.timeout(seconds)
        else:
            yield env.timeout(seconds)
        counter[0] += 1
        ends[p.batch] = max(ends.get(p.batch, 0.0), env.now)
        done[(p.batch, p.op)].succeed()

    for p in order:
        env.process(run(p))
    env.run()
    return Replay(max(ends.values(), default=0.0), ends, counter[0])


@dataclass(frozen=True)
class Uncertain:
    """What the replications say: the makespan's median and 90th percentile, P(meet due) per order."""

    replications: int
    median_s: float
    p90_s: float
    meet_due: dict[str, float]
    events: int

    def to_dict(self) -> dict[str, Any]:
        return {"replications": self.replications, "makespan_median_s": round(self.median_s, 1),
                "makespan_p90_s": round(self.p90_s, 1),
                "p_meet_due": {k: round(v, 4) for k, v in self.meet_due.items()}}  # fmt: skip


def _quantile(values: list[float], q: float) -> float:
    """The q-quantile by linear interpolation between order statistics (numpy's default)."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def replicate(problem: Problem, schedule: Schedule, randomness: Randomness, n: int, seed: int = 0) -> Uncertain:
    """``n`` replications (seeds ``seed``, ``seed + 1`` …): quantiles and the share of each order on time."""
    runs = [replay(problem, schedule, randomness, seed + k) for k in range(n)]
    makespans = [r.makespan_s for r in runs]
    orders: dict[str, list[str]] = {}
    for b in problem.batches:
        if b.due_s is not None:
            orders.setdefault(f"order {b.order + 1} ({b.recipe})", []).append(b.id)
    meet = {}
    for name, ids in orders.items():
        due = {i: problem.by_id[i].due_s or 0 for i in ids}
        meet[name] = sum(all(r.ends[i] <= due[i] for i in ids) for r in runs) / n
    return Uncertain(n, _quantile(makespans, 0.5), _quantile(makespans, 0.9), meet, sum(r.events for r in runs))
