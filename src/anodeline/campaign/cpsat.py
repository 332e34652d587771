"""The campaign as a constraint program for OR-Tools CP-SAT, hinted with the heuristic's schedule.

Model (whole seconds):

* every unit operation of every batch is an optional interval per line that can run the batch,
  present when the batch goes to that line (exactly one line per batch);
* the order of operations within a batch (:attr:`BatchTemplate.precedence`);
* each batch *holds* each space from its first operation there to its last: a hold interval per
  (batch, line, space), ``NoOverlap`` per space of each line;
* sequence-dependent changeovers on an apparatus whose batches belong to several families: a
  circuit over the batches that may use it (``AddCircuit`` with self-loops for those on another
  line), an arc i → j forcing ``start_j ≥ end_i + changeover(i, j)``;
* operators: ``AddCumulative`` of the manual operations (capacity = operators; off-shift windows
  as fixed intervals taking every operator), ``NoOverlap`` instead when there is one;
* shared pumps: ``NoOverlap`` of the operations that pump with them;
* redundant constraints that let the solver prune: the makespan above every batch's end and
  above the lower bound of :mod:`anodeline.campaign.bound`, and identical batches of one order
  started in their index order (any schedule can be relabelled so).

The objective is the makespan, then (second) the total lateness against due dates. The solver
reports its own bound (``BestObjectiveBound``).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from typing import Any

from anodeline.campaign.problem import Problem
from anodeline.campaign.schedule import Changeover, Placed, Schedule


@dataclass(frozen=True)
class CpSatResult:
    schedule: Schedule
    bound_s: int
    status: str
    wall_s: float


def solve(problem: Problem, hint: Schedule, lower: int, time_limit_s: float = 10.0, workers: int = 0,
          seed: int = 0) -> CpSatResult:  # fmt: skip
    """Minimise the makespan with CP-SAT from ``hint``; the best found (never worse than the hint)."""
    from ortools.sat.python import cp_model

    horizon = hint.makespan_s
    m = cp_model.CpModel()
    makespan = m.new_int_var(lower, horizon, "makespan")
    present: dict[tuple[str, str], Any] = {}
    starts: dict[tuple[str, str, int], Any] = {}
    ends: dict[tuple[str, str, int], Any] = {}
    holds: dict[tuple[str, str], list[tuple[str, Any, Any, Any, Any]]] = {}  # (line, space) → (batch, s, e, iv, lit)
    manual: list[Any] = []
    pumps: dict[tuple[str, str], list[Any]] = {}
    for b in problem.batches:
        lits = []
        for line, template in b.options.items():
            lit = m.new_constant(1) if len(b.options) == 1 else m.new_bool_var(f"p[{b.id},{line}]")
            present[(b.id, line)] = lit
            lits.append(lit)
            for op in template.operations:
                s = m.new_int_var(0, horizon - op.duration_s, f"s[{b.id},{line},{op.index}]")
                e = m.new_int_var(op.duration_s, horizon, f"e[{b.id},{line},{op.index}]")
                iv = m.new_optional_interval_var(s, op.duration_s, e, lit, f"i[{b.id},{line},{op.index}]")
                starts[(b.id, line, op.index)], ends[(b.id, line, op.index)] = s, e
                if op.manual and op.duration_s > 0:
                    manual.append(iv)
                for pump in op.pumps:
                    if pump in problem.shared_pumps.get(line, frozenset()):
                        pumps.setdefault((line, pump), []).append(iv)
                m.add(e <= makespan).only_enforce_if(lit)
            for before, after in template.precedence:
                m.add(ends[(b.id, line, before)] <= starts[(b.id, line, after)]).only_enforce_if(lit)
            for space in template.spaces:
                ops = template.on(space)
                s, e = starts[(b.id, line, ops[0])], ends[(b.id, line, ops[-1])]
                size = m.new_int_var(0, horizon, f"h[{b.id},{line},{space}]")
                iv = m.new_optional_interval_var(s, size, e, lit, f"hold[{b.id},{line},{space}]")
                holds.setdefault((line, space), []).append((b.id, s, e, iv, lit))
        if len(lits) > 1:
            m.add_exactly_one(lits)
    for (line, space), entries in holds.items():
        m.add_no_overlap([iv for _, _, _, iv, _ in entries])
        _changeovers(m, problem, line, space, entries)
    for intervals in pumps.values():
        m.add_no_overlap(intervals)
    _operators(m, problem, manual, horizon)
    _symmetry(m, problem, starts)
    weight = _objective(m, problem, makespan, ends, present, horizon)
    for b in problem.batches:
        for line in b.options if len(b.options) > 1 else ():
            m.add_hint(present[(b.id, line)], 1 if hint.assignment.get(b.id) == line else 0)
    for p in hint.placed:
        m.add_hint(starts[(p.batch, p.line, p.op)], p.start_s)
        m.add_hint(ends[(p.batch, p.line, p.op)], p.end_s)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = workers or min(8, max(os.cpu_count() or 1, 1))
    solver.parameters.random_seed = seed
    invalid = m.validate()
    if invalid:
        raise ValueError(f"campaign model invalid: {invalid}")
    status = solver.solve(m)
    name = solver.status_name(status)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    bound = max(lower, int(solver.best_objective_bound) // weight) if found else lower
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.value(makespan) > hint.makespan_s:
        return CpSatResult(hint, bound, name, solver.wall_time)
    placed = []
    assignment = {}
    for b in problem.batches:
        for line, template in b.options.items():
            if solver.boolean_value(present[(b.id, line)]):
                assignment[b.id] = line
                for op in template.operations:
                    placed.append(Placed(b.id, line, op.index, solver.value(starts[(b.id, line, op.index)]),
                                         solver.value(ends[(b.id, line, op.index)])))  # fmt: skip
    placed.sort(key=lambda p: (p.start_s, p.batch, p.op))
    schedule = Schedule("cp-sat", tuple(placed), _placed_changeovers(problem, placed, assignment), assignment)
    return CpSatResult(schedule, bound, name, solver.wall_time)


def _changeovers(m: Any, problem: Problem, line: str, space: str, entries: list[Any]) -> None:
    """A circuit through the batches that may use ``space``, when their families differ."""
    families = {problem.template(batch, line).families.get(space) for batch, *_ in entries}
    if len(families - {None}) < 2:
        return
    arcs = []
    for i, (bi, _, ei, _, li) in enumerate(entries, start=1):
        arcs.append((0, i, m.new_bool_var(f"first[{line},{space},{bi}]")))
        arcs.append((i, 0, m.new_bool_var(f"last[{line},{space},{bi}]")))
        arcs.append((i, i, ~li))
        for j, (bj, sj, _, _, _) in enumerate(entries, start=1):
            if i == j:
                continue
            lit = m.new_bool_var(f"next[{line},{space},{bi},{bj}]")
            arcs.append((i, j, lit))
            fam = problem.template(bi, line).families.get(space)
            setup = problem.setup_s(line, space, fam, problem.template(bj, line))
            m.add(sj >= ei + setup).only_enforce_if(lit)
    m.add_circuit(arcs)


def _operators(m: Any, problem: Problem, manual: list[Any], horizon: int) -> None:
    blocked = [m.new_fixed_size_interval_var(a, min(b, horizon + 1) - a, f"off[{a}]")
               for a, b in problem.off_shift if a < horizon]  # fmt: skip
    if problem.operators == 1:
        m.add_no_overlap(manual + blocked)
    else:
        m.add_cumulative(manual + blocked, [1] * len(manual) + [problem.operators] * len(blocked), problem.operators)


def _symmetry(m: Any, problem: Problem, starts: dict[tuple[str, str, int], Any]) -> None:
    """Identical batches of one order start their first operation in index order (on any line)."""
    by_order: dict[int, list[str]] = {}
    for b in problem.batches:
        by_order.setdefault(b.order, []).append(b.id)
    for ids in by_order.values():
        if any(len(problem.by_id[i].options) > 1 for i in ids):
            continue  # with a choice of lines the first operations are not comparable
        for first, second in itertools.pairwise(ids):
            line = next(iter(problem.by_id[first].options))
            m.add(starts[(first, line, 0)] <= starts[(second, line, 0)])


def _objective(m: Any, problem: Problem, makespan: Any, ends: dict[tuple[str, str, int], Any],
               present: dict[tuple[str, str], Any], horizon: int) -> int:  # fmt: skip
    """Minimise the makespan, then the total lateness; the weight of the makespan in the objective."""
    lateness = []
    for b in problem.batches:
        if b.due_s is None:
            continue
        late = m.new_int_var(0, horizon, f"late[{b.id}]")
        for line, template in b.options.items():
            for op in template.operations:
                m.add(late >= ends[(b.id, line, op.index)] - b.due_s).only_enforce_if(present[(b.id, line)])
        lateness.append(late)
    weight = len(lateness) * horizon + 1 if lateness else 1
    m.minimize(makespan * weight + sum(lateness) if lateness else makespan)
    return weight


def _placed_changeovers(problem: Problem, placed: list[Placed], assignment: dict[str, str]) -> tuple[Changeover, ...]:
    """The changeovers a schedule implies: between consecutive holds of different families on an apparatus."""
    first: dict[tuple[str, str, str], int] = {}
    last: dict[tuple[str, str, str], int] = {}
    for p in placed:
        op = problem.template(p.batch, p.line).operations[p.op]
        for space in op.spaces:
            key = (p.line, space, p.batch)
            first[key] = min(first.get(key, p.start_s), p.start_s)
            last[key] = max(last.get(key, p.end_s), p.end_s)
    out = []
    lanes: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for (line, space, batch), start in first.items():
        lanes.setdefault((line, space), []).append((start, batch))
    for (line, space), seq in lanes.items():
        seq.sort()
        for (_, prev), (_, nxt) in itertools.pairwise(seq):
            fam = problem.template(prev, line).families.get(space)
            setup = problem.setup_s(line, space, fam, problem.template(nxt, line))
            if setup:
                end = last[(line, space, prev)]
                out.append(Changeover(line, space, nxt, end, end + setup))
    return tuple(out)
