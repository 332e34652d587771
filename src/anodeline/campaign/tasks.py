"""What a campaign run executes, and what each piece waits for: tasks gated by their footprints.

A task is one unit operation of one batch (or an apparatus changeover) on its line, with its
renamed steps (:mod:`anodeline.campaign.merge`) and footprint
(:mod:`anodeline.campaign.footprint`). On the line it may start when

* its planned start has come (manual work is planned on shift only), and
* for every key of its footprint (a space, door, pump, valve, purifier, heater, source or
  material), the task planned just before it on that key has finished.

So tasks that share anything run in the planned order, one after the other, and only tasks
with disjoint footprints run at once — the very condition under which the merged air-free
proof holds for every interleaving (``CPG013``). Whatever the twin's real durations, the run
is a reordering of the proven timeline that the proof covers.
"""

from __future__ import annotations

from dataclasses import dataclass

from anodeline.campaign.footprint import Footprint
from anodeline.campaign.merge import blocks
from anodeline.campaign.problem import Problem
from anodeline.campaign.schedule import Schedule
from anodeline.line import actions as act
from anodeline.line.config import Line


@dataclass(frozen=True)
class Task:
    """One operation (``op`` ≥ 0) or changeover (``op`` −1, of ``space``) to run, and the tasks it waits for."""

    index: int
    line: str
    batch: str
    op: int
    start_s: int
    end_s: int
    steps: tuple[act.Action, ...]
    footprint: Footprint
    manual: bool
    #: index of its first step in the batch's procedure (journal step numbers); -1 for a changeover
    offset: int
    note: str
    after: tuple[int, ...]
    space: str = ""


def tasks(problem: Problem, schedule: Schedule, lines: dict[str, Line]) -> list[Task]:
    """Every task of ``schedule``, line by line in planned order, each with the tasks it waits for."""
    found: list[Task] = []
    for name, line in lines.items():
        last: dict[str, int] = {}
        for block in blocks(problem, schedule, line):
            index = len(found)
            after = tuple(sorted({last[key] for key in block.footprint if key in last}))
            for key in block.footprint:
                last[key] = index
            if block.op >= 0:
                template = problem.template(block.batch, name)
                op = template.operations[block.op]
                offset = sum(len(o.steps) for o in template.operations[: block.op])
                found.append(Task(index, name, block.batch, block.op, block.start_s, block.end_s, block.steps,
                                  block.footprint, op.manual, offset, block.note, after))  # fmt: skip
            else:
                space = block.note.split(" ")[2]  # "changeover of SPACE before BATCH (…)"
                found.append(Task(index, name, block.batch, -1, block.start_s, block.end_s, block.steps,
                                  block.footprint, False, -1, block.note, after, space))  # fmt: skip
    return found
