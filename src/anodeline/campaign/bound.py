"""A lower bound on a campaign's makespan: no schedule, whatever the solver, can finish sooner.

Each is proved from the problem alone (every term a minimum over the batches' lines):

* **one batch** — the longest batch's critical path (operators unlimited, the line idle);
* **the bottleneck space** — a space holds one batch at a time, from its first operation there
  to its last. On a line, a space cannot start before the least *head* (the earliest first use
  by any batch) and after its last batch the least *tail* still follows, so
  ``makespan ≥ head + Σ holds + tail``; with several lines the holds are shared out, so their
  sum is divided by the number of lines. Changing sources between families adds at least
  ``(families − lines)`` changeovers to the apparatus;
* **operators** — all manual work, divided by the number of operators.

The bound is the largest; ``bottleneck`` names the resource that gives it.
"""

from __future__ import annotations

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
    terms["operators"] = _ceil_div(manual, problem.operators)
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
    return {label: min(heads) + min(tails) + _ceil_div(holds + changeovers, len(usable))}
