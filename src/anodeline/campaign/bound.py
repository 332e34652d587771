"""A lower bound on a campaign's makespan: no schedule, whatever the solver, can finish sooner.

Each is proved from the problem alone (every term a minimum over the batches' lines):

* **one batch** — the longest batch's critical path (operators unlimited, the line idle);
* **the bottleneck space** — a space holds one batch at a time, from its first operation there
  to its last. On a line, a space cannot start before the least *head* (the earliest first use
  by any batch) and after its last batch the least *tail* still follows, so
  ``makespan ≥ head + Σ holds + tail``; with several lines the holds are shared out, so their
  sum is divided by the number of lines. Changing sources between families adds at least
  ``(families − lines)`` changeovers to the apparatus;
* **operators** — all manual work, divided by the number of operators; with a shift calendar,
  the least time whose on-shift part holds that work (no manual work happens off shift).

**The shift calendar on the bottleneck space.** When every batch's first and last operations
on the busiest space are manual (the transfers in and out of the apparatus), no hold can begin
or end off shift. So an off-shift window of length ℓ is either idle on that space, or lies
inside the one hold that spans it, and that hold is then at least ℓ plus its first and last
operation long; beyond its least hold that is at least ``ℓ − D`` of waiting, with
``D = max over batches (least hold − first − last operation)`` (for Example 1 on Fig. 1, the
deposition). Either way the window gives the space at most ``min(ℓ, D)`` of useful time. The
useful time C(s, e) of a span can only shrink as s moves later or e earlier, so every line's
busy span lies within [least head, makespan − least tail] and
``lines × C(head, makespan − tail) ≥ Σ holds + changeovers`` bounds the makespan: the term is
the least makespan that satisfies it, walking the calendar. Changeovers are automatic, so with
any, ``D`` is at least the longest of them.

The bound is the largest; ``bottleneck`` names the resource that gives it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from anodeline.campaign.problem import Problem


@dataclass(frozen=True)
class Bound:
    seconds: int
    bottleneck: str
    terms: dict[str, int]


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def lower_bound(problem: Problem) -> Bound:
    terms: dict[str, int] = {}
    batches = problem.batches
    if not batches:
        return Bound(0, "", {})
    terms["one batch (critical path)"] = max(min(t.critical_path_s for t in b.options.values()) for b in batches)
    manual = sum(min(t.manual_s for t in b.options.values()) for b in batches)
    terms["operators"] = _on_shift(problem.off_shift, 0, _ceil_div(manual, problem.operators), 0)
    terms.update(_space_terms(problem))
    bottleneck = max(terms, key=lambda k: (terms[k], k == "operators"))
    return Bound(terms[bottleneck], bottleneck, terms)


def _space_terms(problem: Problem) -> dict[str, int]:
    """For each line's busiest space (by its batches' least holds): head + Σ holds / lines + tail + changeovers."""
    lines = problem.lines
    # the busiest space of each line, over every batch that could go there
    busiest: dict[str, str] = {}
    for line in lines:
        load: dict[str, int] = {}
        for b in problem.batches:
            if line in b.options:
                t = b.options[line]
                for space in t.spaces:
                    load[space] = load.get(space, 0) + t.hold_bounds(space)[1]
        if load:
            busiest[line] = max(sorted(load), key=lambda s: load[s])
    if not busiest:
        return {}
    usable = [ln for ln in lines if ln in busiest]
    heads, tails, holds = [], [], 0
    for b in problem.batches:
        best = None
        for line in usable:
            if line not in b.options or busiest[line] not in b.options[line].spaces:
                continue
            head, hold, tail = b.options[line].hold_bounds(busiest[line])
            heads.append(head)
            tails.append(tail)
            best = hold if best is None else min(best, hold)
        if best is None:  # this batch never uses a busiest space: it adds no work there
            continue
        holds += best
    if not heads:
        return {}
    families = {b.family for b in problem.batches}
    setups = [problem.changeover_s.get((ln, busiest[ln], t.gas), 0) for b in problem.batches
              for ln, t in b.options.items() if ln in busiest and busiest[ln] in t.families]  # fmt: skip
    changeovers = max(len(families) - len(usable), 0) * min(setups, default=0)
    name = "+".join(sorted({busiest[ln] for ln in usable}))
    label = f"{name} ({len(usable)} line{'s' if len(usable) > 1 else ''})"
    head, tail = min(heads), min(tails)
    span = _ceil_div(holds + changeovers, len(usable))
    inside = _night_work(problem, busiest, usable, changeovers > 0)
    if problem.off_shift and inside is not None:
        return {f"{label} and the shifts": _on_shift(problem.off_shift, head, span, inside) + tail}
    return {label: head + span + tail}


def _night_work(problem: Problem, busiest: dict[str, str], usable: list[str], changeovers: bool) -> int | None:
    """D: the most useful time the busiest space can have in one off-shift window, or None when a hold
    may begin or end off shift (a first or last operation on the space that is not manual)."""
    most = 0
    for b in problem.batches:
        for line, t in b.options.items():
            if line not in usable or busiest[line] not in t.spaces:
                continue
            ops = t.on(busiest[line])
            first, last = t.operations[ops[0]], t.operations[ops[-1]]
            if not (first.manual and last.manual) or len(ops) < 2:
                return None
            most = max(most, t.hold_bounds(busiest[line])[1] - first.duration_s - last.duration_s)
    if changeovers:
        most = max([most, *problem.changeover_s.values()])
    return most


def _on_shift(windows: tuple[tuple[int, int], ...], start: int, work: int, inside: float) -> int:
    """The least end e such that [start, e] holds ``work`` seconds of useful time, when each off-shift
    window gives at most ``inside`` of it (0: nothing happens off shift; inf: windows do not matter)."""
    t, need = float(start), float(work)
    for begin, z in windows:
        if z <= t:
            continue
        a = max(float(begin), t)
        if need <= a - t:
            return math.ceil(t + need)
        need -= a - t
        useful = min(z - a, inside)
        if need <= useful:
            return math.ceil(a + need)
        need -= useful
        t = z
    return math.ceil(t + need)
