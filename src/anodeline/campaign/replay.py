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


@dataclass(frozen=True)
class _Compiled:
    """A schedule as the replay needs it, per operation in planned order (built once per plan, then reused)."""

    batch: tuple[int, ...]  # index of the operation's batch in ``ids``
    ids: tuple[str, ...]
    seconds: tuple[float, ...]
    manual: tuple[bool, ...]
    pumps: tuple[bool, ...]
    priority: tuple[int, ...]
    setup: tuple[int, ...]
    successors: tuple[tuple[int, ...], ...]
    predecessors: tuple[int, ...]  # how many
    index: dict[tuple[str, int], int]  # (batch, op) → operation


_CACHE: list[tuple[Problem, Schedule, _Compiled]] = []


def _compiled(problem: Problem, schedule: Schedule) -> _Compiled:
    for known_problem, known_schedule, compiled in _CACHE:
        if known_problem is problem and known_schedule is schedule:
            return compiled
    compiled = _compile(problem, schedule)
    _CACHE.append((problem, schedule, compiled))
    del _CACHE[:-4]
    return compiled


def _compile(problem: Problem, schedule: Schedule) -> _Compiled:
    order = sorted(schedule.placed, key=lambda p: (p.start_s, p.batch, p.op))
    index = {(p.batch, p.op): i for i, p in enumerate(order)}
    ids = tuple(dict.fromkeys(p.batch for p in order))
    rank = {b: i for i, b in enumerate(ids)}
    before: list[set[int]] = [set() for _ in order]
    # the previous batch's last operation on each space, in the planned order
    last_on: dict[tuple[str, str], tuple[str, int]] = {}
    first_seen: set[tuple[str, str, str]] = set()
    changeover = {(c.batch, c.space): c.end_s - c.start_s for c in schedule.changeovers}
    setup = [0] * len(order)
    for i, p in enumerate(order):
        template = problem.template(p.batch, p.line)
        op = template.operations[p.op]
        before[i] |= {index[(p.batch, a)] for a in template.predecessors[p.op]}
        for space in op.spaces:
            key = (p.line, space, p.batch)
            if key not in first_seen:
                first_seen.add(key)
                if (p.line, space) in last_on:
                    before[i].add(index[last_on[(p.line, space)]])
            last_on[(p.line, space)] = (p.batch, template.on(space)[-1])
        setup[i] = sum(changeover.get((p.batch, s), 0) for s in op.spaces if template.on(s)[0] == p.op)
    successors: list[list[int]] = [[] for _ in order]
    for i, preds in enumerate(before):
        for a in sorted(preds):
            successors[a].append(i)
    ops = [problem.template(p.batch, p.line).operations[p.op] for p in order]
    return _Compiled(
        tuple(rank[p.batch] for p in order), ids, tuple(float(op.duration_s) for op in ops),
        tuple(op.manual for op in ops), tuple(bool(op.pumps) for op in ops), tuple(p.start_s for p in order),
        tuple(setup), tuple(tuple(s) for s in successors), tuple(len(b) for b in before), index,
    )  # fmt: skip


def replay(problem: Problem, schedule: Schedule, randomness: Randomness, seed: int = 0) -> Replay:
    """One replication of ``schedule``.

    A SimPy discrete-event model with one timeout per operation (and one per changeover): an
    operation is started by the callback of the last operation it waits for, and manual work
    queues for the operators by its planned start (the rule of a priority resource), so no
    process is created per operation. The random factors are drawn from the seed, per operation
    in planned order, before the run, so they do not depend on the order events fall in.
    """
    c = _compiled(problem, schedule)
    return _simulate(problem, c, durations(problem, schedule, randomness, seed))


def durations(problem: Problem, schedule: Schedule, randomness: Randomness, seed: int = 0) -> list[float]:
    """Each operation's random duration in one replication, in planned order (start, batch, operation)."""
    c = _compiled(problem, schedule)
    rng = random.Random(seed)
    faulty = {b.id: rng.randrange(len(b.options[schedule.assignment[b.id]].operations))
              for b in problem.batches if rng.random() < randomness.fault_rate}  # fmt: skip
    sigma, spread = randomness.operator_sigma, randomness.pump_spread
    gauss, exp = rng.gauss, math.exp
    seconds = [
        d * exp(sigma * gauss(0.0, 1.0)) if manual else (d * max(0.5, gauss(1.0, spread)) if pumps else d)
        for d, manual, pumps in zip(c.seconds, c.manual, c.pumps, strict=True)
    ]
    for batch, op in faulty.items():
        seconds[c.index[(batch, op)]] += randomness.fault_hold_s
    return seconds


def _simulate(problem: Problem, c: _Compiled, seconds: list[float]) -> Replay:
    import heapq

    import simpy

    env = simpy.Environment()
    left = list(c.predecessors)
    ends = [0.0] * len(c.ids)
    free = [problem.operators]
    queue: list[tuple[int, float, int]] = []  # (planned start, request time, operation)
    shifts = bool(problem.off_shift)
    done = [0]

    def finish(i: int) -> None:
        done[0] += 1
        now = env.now
        if now > ends[c.batch[i]]:
            ends[c.batch[i]] = now
        for j in c.successors[i]:
            left[j] -= 1
            if not left[j]:
                ready(j)

    def work(i: int) -> None:
        """An operator takes operation ``i`` now (waiting for the shift to begin if it is off shift)."""
        wait = _next_on_shift(problem, env.now) - env.now if shifts else 0.0
        env.timeout(wait + seconds[i] if wait > 0 else seconds[i]).callbacks.append(lambda _: released(i))

    def released(i: int) -> None:
        if queue:
            work(heapq.heappop(queue)[2])
        else:
            free[0] += 1
        finish(i)

    def start(i: int) -> None:
        if c.manual[i]:
            if free[0]:
                free[0] -= 1
                work(i)
            else:
                heapq.heappush(queue, (c.priority[i], env.now, i))
        else:
            env.timeout(seconds[i]).callbacks.append(lambda _: finish(i))

    def ready(i: int) -> None:
        if c.setup[i]:
            env.timeout(c.setup[i]).callbacks.append(lambda _: start(i))
        else:
            start(i)

    for i, n in enumerate(left):
        if not n:
            ready(i)
    env.run()
    by_batch = dict(zip(c.ids, ends, strict=True))
    return Replay(max(ends, default=0.0), by_batch, done[0])


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
