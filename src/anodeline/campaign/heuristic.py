"""A fast constructive schedule: dispatch rules with family grouping, then list scheduling of operations.

Two phases, both greedy:

1. **Sequence and lines.** Batches are taken in a dispatch order (several are tried: families
   grouped to save changeovers, earliest due date, the file's order) and each goes to the line
   where it would finish first, spaces held in that order (a permutation flow line: every
   chamber and apparatus serves batches in the same order, so no two batches can wait on each
   other). This gives each operation an ideal start, operators ignored.
2. **Operations.** All operations are then placed one by one in the order of their ideal
   starts (the one with the longest remaining path first on a tie: the bottleneck's feeders
   before a batch's packing), each at the earliest time its predecessors, its spaces, a free
   operator and a shared pump allow.

FIFO, the baseline reported beside every plan, is the file's order with one batch at a time
on each line (the way a line runs without a planner).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from anodeline.campaign.calendar import Calendar
from anodeline.campaign.problem import Batch, Problem
from anodeline.campaign.schedule import Changeover, Placed, Schedule


@dataclass
class _Lane:
    """What the spaces of one line are doing as batches are appended to it."""

    free: dict[str, int]
    family: dict[str, str]
    last: dict[str, tuple[str, int]]  # space → (batch, its last operation there)


def _place_ideal(problem: Problem, batch: Batch, line: str, lane: _Lane, release: int = 0) -> tuple[list[int], int]:
    """Ideal start of each operation of ``batch`` appended to ``line`` (operators ignored), and its setups."""
    template = batch.options[line]
    starts = [release] * len(template.operations)
    ends = [0] * len(template.operations)
    setups = 0
    preds: dict[int, list[int]] = {}
    for before, after in template.precedence:
        preds.setdefault(after, []).append(before)
    firsts = {space: template.on(space)[0] for space in template.spaces}
    for op in template.operations:
        t = max([release, *(ends[p] for p in preds.get(op.index, ()))])
        for space in op.spaces:
            if firsts[space] == op.index:
                setup = problem.setup_s(line, space, lane.family.get(space), template)
                setups += setup
                t = max(t, lane.free.get(space, 0) + setup)
        starts[op.index], ends[op.index] = t, t + op.duration_s
    return starts, setups


def _commit(batch: Batch, line: str, lane: _Lane, starts: list[int]) -> None:
    template = batch.options[line]
    for space in template.spaces:
        last = template.on(space)[-1]
        lane.free[space] = starts[last] + template.operations[last].duration_s
        lane.last[space] = (batch.id, last)
        if space in template.families:
            lane.family[space] = template.families[space]


Ideal = tuple[dict[str, str], dict[str, list[int]]]


def sequence_and_lines(problem: Problem, order: Sequence[Batch], forced: dict[str, str] | None = None) -> Ideal:
    """Each batch's line (``forced``, else its earliest ideal finish) and the ideal starts of its operations."""
    lanes = {line: _Lane({}, {}, {}) for line in problem.lines}
    assignment: dict[str, str] = {}
    ideal: dict[str, list[int]] = {}
    for batch in order:
        best: tuple[int, int, int, str, list[int]] | None = None
        for rank, line in enumerate(problem.lines):
            if line not in batch.options or (forced and forced.get(batch.id, line) != line):
                continue
            starts, setups = _place_ideal(problem, batch, line, lanes[line])
            ops = batch.options[line].operations
            finish = max(s + op.duration_s for s, op in zip(starts, ops, strict=True))
            if best is None or (finish, setups, rank) < best[:3]:
                best = (finish, setups, rank, line, starts)
        assert best is not None, f"batch {batch.id} has no line"
        line, starts = best[3], best[4]
        _commit(batch, line, lanes[line], starts)
        assignment[batch.id], ideal[batch.id] = line, starts
    return assignment, ideal


def list_schedule(
    problem: Problem,
    order: Sequence[Batch],
    assignment: dict[str, str],
    priority: Callable[[Batch, int], tuple[float, ...]],
    solver: str,
) -> Schedule:
    """Place every operation, in ``priority`` order among those whose predecessors are placed.

    Spaces serve batches in ``order`` (per line); an operation that is a batch's first on a
    space starts after the previous batch's last one there (plus a changeover).
    """
    rank = {b.id: i for i, b in enumerate(order)}
    deps: dict[tuple[str, int], list[tuple[str, int]]] = {}
    lanes: dict[str, _Lane] = {line: _Lane({}, {}, {}) for line in problem.lines}
    for b in order:
        template = b.options[assignment[b.id]]
        for before, after in template.precedence:
            deps.setdefault((b.id, after), []).append((b.id, before))
        lane = lanes[assignment[b.id]]
        for space in template.spaces:
            if space in lane.last:
                deps.setdefault((b.id, template.on(space)[0]), []).append(lane.last[space])
            lane.last[space] = (b.id, template.on(space)[-1])
    waiting = {key: len(set(v)) for key, v in deps.items()}
    children: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for key, parents in deps.items():
        for parent in set(parents):
            children.setdefault(parent, []).append(key)
    heap: list[tuple[tuple[float, ...], int, int, str]] = []
    for b in order:
        for op in b.options[assignment[b.id]].operations:
            if waiting.get((b.id, op.index), 0) == 0:
                heapq.heappush(heap, (priority(b, op.index), rank[b.id], op.index, b.id))
    operators = Calendar(problem.operators, problem.off_shift)
    pumps: dict[str, Calendar] = {}
    ends: dict[tuple[str, int], int] = {}
    placed: list[Placed] = []
    changeovers: list[Changeover] = []
    state = {line: _Lane({}, {}, {}) for line in problem.lines}
    while heap:
        _, _, index, batch_id = heapq.heappop(heap)
        b = problem.by_id[batch_id]
        line = assignment[batch_id]
        template = b.options[line]
        op = template.operations[index]
        lane = state[line]
        t = max([0, *(ends[d] for d in deps.get((batch_id, index), ()))])
        for space in op.spaces:
            if template.on(space)[0] == index:
                free = lane.free.get(space, 0)
                setup = problem.setup_s(line, space, lane.family.get(space), template)
                if setup:
                    changeovers.append(Changeover(line, space, batch_id, free, free + setup))
                t = max(t, free + setup)
        t = _slot(problem, line, op.manual, op.pumps, t, op.duration_s, operators, pumps)
        end = t + op.duration_s
        ends[(batch_id, index)] = end
        placed.append(Placed(batch_id, line, index, t, end))
        for space in op.spaces:
            if template.on(space)[-1] == index:
                lane.free[space] = end
                if space in template.families:
                    lane.family[space] = template.families[space]
        for child in children.get((batch_id, index), ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                cb = problem.by_id[child[0]]
                heapq.heappush(heap, (priority(cb, child[1]), rank[child[0]], child[1], child[0]))
    placed.sort(key=lambda p: (p.start_s, rank[p.batch], p.op))
    return Schedule(solver, tuple(placed), tuple(changeovers), dict(assignment))


def _slot(problem: Problem, line: str, manual: bool, pumps: tuple[str, ...], t: int, seconds: int,
          operators: Calendar, calendars: dict[str, Calendar]) -> int:  # fmt: skip
    """The earliest start ≥ ``t`` when an operator (if manual) and every shared pump are free; books them."""
    shared = [f"{line}/{p}" for p in pumps if p in problem.shared_pumps.get(line, frozenset())]
    while True:
        start, unit = operators.earliest(t, seconds) if manual else (t, 0)
        fits = [calendars.setdefault(key, Calendar()).earliest(start, seconds) for key in shared]
        latest = max([start, *(f[0] for f in fits)])
        if latest == start:
            if manual:
                operators.book(unit, start, start + seconds)
            for key, (_, pump_unit) in zip(shared, fits, strict=True):
                calendars[key].book(pump_unit, start, start + seconds)
            return start
        t = latest


def _due(b: Batch) -> float:
    return float(b.due_s) if b.due_s is not None else float("inf")


def dispatch_orders(problem: Problem) -> dict[str, list[Batch]]:
    """The dispatch orders the heuristic tries, by name."""
    batches = list(problem.batches)
    file_order = {b.id: i for i, b in enumerate(batches)}
    families: dict[str, list[Batch]] = {}
    for b in batches:
        families.setdefault(b.family, []).append(b)

    def within(b: Batch) -> tuple[float, int, int]:
        return (_due(b), -b.priority, file_order[b.id])

    def grouped(key: Callable[[list[Batch]], tuple[float, ...]]) -> list[Batch]:
        groups = sorted(families.values(), key=key)
        return [b for group in groups for b in sorted(group, key=within)]

    def work(group: list[Batch]) -> float:
        return float(sum(min(t.critical_path_s for t in b.options.values()) for b in group))

    return {
        "families by due date": grouped(lambda g: (min(_due(b) for b in g), -max(b.priority for b in g),
                                                   min(file_order[b.id] for b in g))),
        "families, longest first": grouped(lambda g: (-work(g), min(file_order[b.id] for b in g))),
        "earliest due date": sorted(batches, key=within),
        "file order": batches,
    }  # fmt: skip


def chunked(problem: Problem, order: Sequence[Batch]) -> dict[str, str]:
    """Cut a family-grouped order into one run of about equal work per line (a family split at most once)."""
    work = [min(t.critical_path_s for t in b.options.values()) for b in order]
    total, lines = sum(work), problem.lines
    forced: dict[str, str] = {}
    done = 0
    for b, w in zip(order, work, strict=True):
        chunk = min(int(len(lines) * (done + w / 2) / max(total, 1)), len(lines) - 1)
        if lines[chunk] in b.options:
            forced[b.id] = lines[chunk]
        done += w
    return forced


def heuristic(problem: Problem) -> Schedule:
    """The best of the dispatch orders (makespan, then lateness), each list-scheduled."""
    best: tuple[int, int, int, Schedule] | None = None
    tries: list[tuple[list[Batch], dict[str, str] | None]] = [(o, None) for o in dispatch_orders(problem).values()]
    if len(problem.lines) > 1:
        grouped = dispatch_orders(problem)["families by due date"]
        tries.append((grouped, chunked(problem, grouped)))
        longest = dispatch_orders(problem)["families, longest first"]
        tries.append((longest, chunked(problem, longest)))
    for attempt, (order, forced) in enumerate(tries):
        assignment, ideal = sequence_and_lines(problem, order, forced)
        tails = {b.id: b.options[assignment[b.id]].tails() for b in order}

        def priority(b: Batch, op: int, ideal: dict[str, list[int]] = ideal,
                     tails: dict[str, list[int]] = tails) -> tuple[float, ...]:  # fmt: skip
            return (ideal[b.id][op], -tails[b.id][op])

        schedule = list_schedule(problem, order, assignment, priority, "heuristic")
        key = (schedule.makespan_s, schedule.tardiness_s(problem), attempt)
        if best is None or key < best[:3]:
            best = (*key, schedule)
    assert best is not None
    return best[3]


def fifo(problem: Problem) -> Schedule:
    """The file's order, one batch at a time on each line (each line takes the next batch when it is free)."""
    order = list(problem.batches)
    assignment: dict[str, str] = {}
    free = dict.fromkeys(problem.lines, 0)
    placed: list[Placed] = []
    changeovers: list[Changeover] = []
    family: dict[tuple[str, str], str] = {}
    operators = Calendar(problem.operators, problem.off_shift)
    pumps: dict[str, Calendar] = {}
    for b in order:
        line = min((ln for ln in problem.lines if ln in b.options), key=lambda ln: (free[ln], problem.lines.index(ln)))
        template = b.options[line]
        t0 = free[line]
        for space, key in template.families.items():
            setup = problem.setup_s(line, space, family.get((line, space)), template)
            if setup:
                changeovers.append(Changeover(line, space, b.id, t0, t0 + setup))
                t0 += setup
            family[(line, space)] = key
        ends: list[int] = [0] * len(template.operations)
        preds: dict[int, list[int]] = {}
        for before, after in template.precedence:
            preds.setdefault(after, []).append(before)
        for op in template.operations:
            t = max([t0, *(ends[p] for p in preds.get(op.index, ()))])
            t = _slot(problem, line, op.manual, op.pumps, t, op.duration_s, operators, pumps)
            ends[op.index] = t + op.duration_s
            placed.append(Placed(b.id, line, op.index, t, ends[op.index]))
        free[line] = max(ends)
        assignment[b.id] = line
    return Schedule("fifo", tuple(sorted(placed, key=lambda p: (p.start_s, p.batch, p.op))), tuple(changeovers),
                    assignment)  # fmt: skip
