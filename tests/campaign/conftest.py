"""Shared fixtures of the campaign tests: compiled templates, small problems, an independent checker."""

from __future__ import annotations

import itertools
from functools import cache
from types import MappingProxyType

from anodeline.campaign.operations import BatchTemplate, split
from anodeline.campaign.problem import Batch, Problem
from anodeline.campaign.schedule import Schedule
from anodeline.campaign.setups import changeover_s
from anodeline.line.load import load_line
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe
from tests.conftest import EXAMPLES, LINES

RECIPES = ("example-01", "example-02", "example-04")


@cache
def template(recipe: str, line: str = "fig1") -> BatchTemplate:
    """``recipe`` on the Fig. 1 line (``fig1-b`` is a second copy of it)."""
    model = load_line(LINES / "fig1.yaml")
    if line != "fig1":
        model = model.model_copy(update={"line": line})
    return split(compile_procedure(load_recipe(EXAMPLES / "patent" / f"{recipe}.yaml"), model), model)


def problem(mix: list[tuple[str, int]], lines: tuple[str, ...] = ("fig1",), operators: int = 1,
            due: dict[str, int] | None = None, off_shift: tuple[tuple[int, int], ...] = ()) -> Problem:  # fmt: skip
    batches = []
    for order, (recipe, count) in enumerate(mix):
        options = MappingProxyType({ln: template(recipe, ln) for ln in lines})
        for k in range(count):
            batches.append(Batch(f"{recipe}-o{order}-{k}", order, recipe, options, (due or {}).get(recipe)))
    first = template(mix[0][0])
    change = {(ln, "apparatus-1", "Ar"): changeover_s(load_line(LINES / "fig1.yaml"), "apparatus-1",
                                                       first.procedure.policy) for ln in lines}  # fmt: skip
    return Problem("test", tuple(batches), lines, operators, MappingProxyType(change),
                   MappingProxyType({ln: frozenset() for ln in lines}), off_shift)  # fmt: skip


def check(problem: Problem, schedule: Schedule) -> list[str]:
    """Every way ``schedule`` breaks a resource or an order, checked from scratch (not by the scheduler)."""
    wrong: list[str] = []
    placed = {(p.batch, p.op): p for p in schedule.placed}
    holds: dict[tuple[str, str], list[tuple[int, int, str, str | None]]] = {}
    manual: list[tuple[int, int]] = []
    for b in problem.batches:
        line = schedule.assignment.get(b.id)
        if line not in b.options:
            wrong.append(f"{b.id} on {line}, which cannot run it")
            continue
        t = b.options[line]
        for op in t.operations:
            p = placed.get((b.id, op.index))
            if p is None or p.line != line:
                wrong.append(f"{b.id} op {op.index} not placed on {line}")
                continue
            if p.end_s - p.start_s != op.duration_s or p.start_s < 0:
                wrong.append(f"{b.id} op {op.index} lasts {p.end_s - p.start_s}, not {op.duration_s}")
            if op.manual and op.duration_s:
                manual.append((p.start_s, p.end_s))
        for before, after in t.precedence:
            if (
                (b.id, before) in placed
                and (b.id, after) in placed
                and (placed[(b.id, before)].end_s > placed[(b.id, after)].start_s)
            ):
                wrong.append(f"{b.id}: op {after} starts before op {before} ends")
        for space in t.spaces:
            ops = [placed[(b.id, i)] for i in t.on(space) if (b.id, i) in placed]
            if ops:
                holds.setdefault((line, space), []).append((min(p.start_s for p in ops), max(p.end_s for p in ops),
                                                            b.id, t.families.get(space)))  # fmt: skip
    for (line, space), spans in holds.items():
        spans.sort()
        for (_s1, e1, b1, f1), (s2, _, b2, f2) in itertools.pairwise(spans):
            need = problem.changeover_s.get((line, space, "Ar"), 0) if f1 and f2 and f1 != f2 else 0
            if s2 < e1 + need:
                wrong.append(f"{space}@{line}: {b2} enters at {s2}, {b1} holds it until {e1} (+{need} changeover)")
    events = sorted([(s, 1) for s, _ in manual] + [(e, -1) for _, e in manual], key=lambda x: (x[0], x[1]))
    busy = 0
    for t_s, delta in events:
        busy += delta
        if busy > problem.operators:
            wrong.append(f"{busy} operators needed at {t_s}, {problem.operators} on shift")
            break
    for s, e in manual:
        for a, z in problem.off_shift:
            if s < z and a < e:
                wrong.append(f"manual work [{s}, {e}) off shift [{a}, {z})")
    return wrong
