"""Plan a campaign: lower bound, heuristic (and CP-SAT), FIFO beside it, the air-free proof, the replay.

The one service the faces call (``anodeline campaign plan``, sweeps, benchmarks): parse, call,
render stays in the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from anodeline.campaign.bound import Bound, lower_bound
from anodeline.campaign.heuristic import fifo, heuristic
from anodeline.campaign.problem import Problem
from anodeline.campaign.replay import Randomness, Uncertain, replicate
from anodeline.campaign.schedule import Schedule

SOLVERS = ("heuristic", "cp-sat")


@dataclass(frozen=True)
class Plan:
    """A planned campaign: the schedule, its bound, FIFO's makespan, and what the replay says."""

    problem: Problem
    schedule: Schedule
    bound: Bound
    fifo: Schedule
    solver_status: str = ""
    uncertain: Uncertain | None = None
    air_free: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return self.schedule.makespan_s / self.bound.seconds - 1.0 if self.bound.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        problem, schedule = self.problem, self.schedule
        batches = []
        for b in problem.batches:
            start, end = schedule.batch_span(b.id)
            batches.append({"batch": b.id, "recipe": b.recipe, "line": schedule.assignment[b.id],
                            "start_s": start, "end_s": end})  # fmt: skip
        operations = []
        for p in schedule.placed:
            op = problem.template(p.batch, p.line).operations[p.op]
            resource = [f"{space}@{p.line}" for space in op.spaces] + (["operator"] if op.manual else [])
            operations.append({"batch": p.batch, "operation": op.name, "resource": ", ".join(resource),
                               "start_s": p.start_s, "end_s": p.end_s})  # fmt: skip
        for c in schedule.changeovers:
            operations.append({"batch": c.batch, "operation": f"changeover {c.space}",
                               "resource": f"{c.space}@{c.line}", "start_s": c.start_s, "end_s": c.end_s})  # fmt: skip
        operations.sort(key=lambda o: (o["start_s"], o["batch"], o["operation"]))
        data: dict[str, Any] = {
            "campaign": problem.name, "solver": schedule.solver, "makespan_s": schedule.makespan_s,
            "lower_bound_s": self.bound.seconds, "gap": round(self.gap, 6), "fifo_makespan_s": self.fifo.makespan_s,
            "bottleneck": self.bound.bottleneck, "batches": batches, "operations": operations,
            "due_misses": schedule.due_misses(problem),
        }  # fmt: skip
        if self.air_free:
            data["air_free"] = self.air_free
        if self.uncertain is not None:
            data["replications"] = self.uncertain.to_dict()
        return data


def plan(problem: Problem, solver: str = "heuristic", time_limit_s: float = 10.0, workers: int = 0) -> Plan:
    """Schedule ``problem`` with ``solver``; the bound is the larger of ours and CP-SAT's own."""
    if solver not in SOLVERS:
        raise ValueError(f"unknown solver {solver!r}")
    bound = lower_bound(problem)
    best = heuristic(problem)
    status = ""
    if solver == "cp-sat":
        from anodeline.campaign.cpsat import solve

        result = solve(problem, best, bound.seconds, time_limit_s, workers)
        best, status = replace(result.schedule, solver="cp-sat"), result.status
        if result.bound_s > bound.seconds:
            bound = Bound(result.bound_s, "cp-sat", {**bound.terms, "cp-sat": result.bound_s})
    return Plan(problem, best, bound, fifo(problem), status)


def with_replications(p: Plan, randomness: Randomness, n: int, seed: int = 0) -> Plan:
    return Plan(p.problem, p.schedule, p.bound, p.fifo, p.solver_status, replicate(p.problem, p.schedule,
                randomness, n, seed), p.air_free)  # fmt: skip
