"""A schedule: when each unit operation of each batch runs, on which line; checked facts about it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from anodeline.campaign.problem import Problem


@dataclass(frozen=True)
class Placed:
    """One unit operation of one batch, placed in time."""

    batch: str
    line: str
    op: int
    start_s: int
    end_s: int


@dataclass(frozen=True)
class Changeover:
    """An apparatus changing sources between two families, before ``batch``."""

    line: str
    space: str
    batch: str
    start_s: int
    end_s: int


@dataclass(frozen=True)
class Schedule:
    """Every operation of every batch placed, and the changeovers between them."""

    solver: str
    placed: tuple[Placed, ...]
    changeovers: tuple[Changeover, ...] = ()
    assignment: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @cached_property
    def makespan_s(self) -> int:
        return max((p.end_s for p in self.placed), default=0)

    def batch_span(self, batch: str) -> tuple[int, int]:
        mine = [p for p in self.placed if p.batch == batch]
        return min(p.start_s for p in mine), max(p.end_s for p in mine)

    def due_misses(self, problem: Problem) -> list[dict[str, Any]]:
        """Batches that end after their due time, with how late."""
        misses = []
        for b in problem.batches:
            if b.due_s is None:
                continue
            end = self.batch_span(b.id)[1]
            if end > b.due_s:
                misses.append({"batch": b.id, "due_s": b.due_s, "end_s": end, "late_s": end - b.due_s})
        return misses

    def tardiness_s(self, problem: Problem) -> int:
        return sum(m["late_s"] for m in self.due_misses(problem))

    def busy_s(self, problem: Problem) -> dict[str, int]:
        """Seconds each space is held (first to last operation of each batch) and the operators work."""
        busy: dict[str, int] = {}
        spans: dict[tuple[str, str, str], list[int]] = {}
        for p in self.placed:
            op = problem.template(p.batch, p.line).operations[p.op]
            for space in op.spaces:
                span = spans.setdefault((p.line, space, p.batch), [p.start_s, p.end_s])
                span[0], span[1] = min(span[0], p.start_s), max(span[1], p.end_s)
            if op.manual:
                busy["operators"] = busy.get("operators", 0) + p.end_s - p.start_s
        for (line, space, _), (start, end) in spans.items():
            busy[f"{space}@{line}"] = busy.get(f"{space}@{line}", 0) + end - start
        for c in self.changeovers:
            key = f"{c.space}@{c.line}"
            busy[key] = busy.get(key, 0) + c.end_s - c.start_s
        return busy
