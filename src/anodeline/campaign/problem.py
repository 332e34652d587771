"""The scheduling problem a campaign poses: batches, the lines each can run on, operators, set-ups.

Plain data, built from a loaded campaign (:mod:`anodeline.campaign.load`) or directly in tests;
every solver (:mod:`~anodeline.campaign.heuristic`, :mod:`~anodeline.campaign.cpsat`) and the
lower bound (:mod:`~anodeline.campaign.bound`) read the same :class:`Problem`. Times are whole
seconds from the campaign's start.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from anodeline.campaign.operations import BatchTemplate

OPERATORS = "operators"


@dataclass(frozen=True)
class Batch:
    """One batch of an order, and its template on each line that can run it."""

    id: str
    order: int
    recipe: str
    options: Mapping[str, BatchTemplate]
    due_s: int | None = None
    priority: int = 0

    @property
    def family(self) -> str:
        """The family on its first line (the recipe's source sets; equal recipes are one family)."""
        return next(iter(self.options.values())).family


@dataclass(frozen=True)
class Problem:
    """Batches, lines (by name), operators and the apparatus changeover time of each line and space."""

    name: str
    batches: tuple[Batch, ...]
    lines: tuple[str, ...]
    operators: int = 1
    #: (line, apparatus space, gas) → seconds to change its sources (vent, swap, purge back)
    changeover_s: Mapping[tuple[str, str, str], int] = field(default_factory=lambda: MappingProxyType({}))
    #: pumps serving more than one space, by line (a resource of their own)
    shared_pumps: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    #: windows when no operator works (outside the shift calendar), [start, end) seconds
    off_shift: tuple[tuple[int, int], ...] = ()

    def setup_s(self, line: str, space: str, before: str | None, after: BatchTemplate) -> int:
        """Seconds between two batches on an apparatus: 0 for the same sources, else a changeover."""
        family = after.families.get(space)
        if before is None or family is None or before == family:
            return 0
        return self.changeover_s.get((line, space, after.gas), 0)

    @cached_property
    def by_id(self) -> dict[str, Batch]:
        return {b.id: b for b in self.batches}

    def template(self, batch: str, line: str) -> BatchTemplate:
        return self.by_id[batch].options[line]


def ceil_s(seconds: float) -> int:
    return math.ceil(seconds - 1e-9)
