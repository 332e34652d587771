"""Split a compiled procedure into unit operations (ISA-88 unit procedures) that hold resources.

A unit operation is a run of consecutive steps that needs the same spaces and the same
kind of hands: loading a chamber (operator), purging it (pump), opening the containers
(operator at the gloves), a transfer through a door (both spaces and the operator), the
deposition (the apparatus and its pump), packing and unloading (operator). Its duration
is the sum of its steps' durations by the models the engine times its waits with
(:func:`anodeline.engine.duration.step_duration_s`: pump-down physics, fill flow, the
rates model, the operator's median times): one set of physics, never a second copy.

Within a batch two operations are ordered when the procedure orders them *and* they share
a space or a container or item; operations that touch disjoint things (purging the outlet
chamber while the apparatus deposits) may overlap. A batch *holds* each space from its
first operation there to its last one (its containers sit in the chamber in between), so
two batches never share a chamber's atmosphere; the merged timeline's air-free proof
(:mod:`anodeline.campaign.merge`) checks the result on the line state machine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from anodeline.campaign.footprint import action_footprint
from anodeline.engine.duration import step_duration_s
from anodeline.errors import AnodelineError
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.line.transitions import TRANSITIONS
from anodeline.procedure.model import Procedure

#: Fields of an action that name a container or an item (the batch's materials).
MATERIAL_FIELDS = ("container", "item", "target", "onto")


@dataclass(frozen=True)
class UnitOperation:
    """One unit operation of a batch: its steps, the resources it holds and its duration (whole seconds)."""

    index: int
    name: str
    spaces: tuple[str, ...]
    pumps: tuple[str, ...]
    manual: bool
    duration_s: int
    steps: tuple[act.Action, ...]
    materials: frozenset[str] = frozenset()
    #: every space, door, device and material its steps touch (:mod:`anodeline.campaign.footprint`)
    footprint: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BatchTemplate:
    """A recipe's procedure on a line, as unit operations with their order and the apparatus families."""

    recipe: str
    line: str
    procedure: Procedure
    operations: tuple[UnitOperation, ...]
    #: (before, after): operation indices the procedure orders because they share a space or material
    precedence: tuple[tuple[int, int], ...]
    #: apparatus space → the source set it deposits with (a change costs a changeover)
    families: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    gas: str = "Ar"

    @cached_property
    def spaces(self) -> tuple[str, ...]:
        """Every space the batch holds, in order of first use."""
        return tuple(dict.fromkeys(s for op in self.operations for s in op.spaces))

    @cached_property
    def _on(self) -> dict[str, tuple[int, ...]]:
        return {space: tuple(op.index for op in self.operations if space in op.spaces) for space in self.spaces}

    def on(self, space: str) -> tuple[int, ...]:
        """The operations that need ``space``, in order."""
        return self._on.get(space, ())

    @cached_property
    def predecessors(self) -> tuple[tuple[int, ...], ...]:
        """Per operation, the operations that must end before it starts."""
        return tuple(tuple(a for a, b in self.precedence if b == op.index) for op in self.operations)

    @property
    def family(self) -> str:
        """The batch's family: the source sets of all its apparatus (grouping these saves changeovers)."""
        return " | ".join(f"{space}: {key}" for space, key in sorted(self.families.items()))

    @property
    def manual_s(self) -> int:
        return sum(op.duration_s for op in self.operations if op.manual)

    @cached_property
    def _starts(self) -> tuple[int, ...]:
        start = [0] * len(self.operations)
        for before, after in self.precedence:  # sorted by ``after``: a topological order
            start[after] = max(start[after], start[before] + self.operations[before].duration_s)
        return tuple(start)

    def earliest_starts(self) -> list[int]:
        """Each operation's earliest start when nothing else competes (longest path from the batch's start)."""
        return list(self._starts)

    def tails(self) -> list[int]:
        """Each operation's longest path to the batch's end, its own duration included."""
        tail = [op.duration_s for op in self.operations]
        for before, after in sorted(self.precedence, reverse=True):
            tail[before] = max(tail[before], self.operations[before].duration_s + tail[after])
        return tail

    @property
    def critical_path_s(self) -> int:
        """The batch alone on an idle line with enough operators: its shortest possible duration."""
        return max((s + op.duration_s for s, op in zip(self.earliest_starts(), self.operations, strict=True)),
                   default=0)  # fmt: skip

    def hold_bounds(self, space: str) -> tuple[int, int, int]:
        """(head, hold, tail) on ``space``: earliest first use, least hold length, least time after it.

        The hold is at least the longest path from the first to the last operation on the space.
        """
        ops = self.on(space)
        first, last = ops[0], ops[-1]
        starts = self.earliest_starts()
        longest = {first: self.operations[first].duration_s}
        for before, after in self.precedence:
            if before in longest and after <= last:
                longest[after] = max(longest.get(after, 0), longest[before] + self.operations[after].duration_s)
        tail_after = self.tails()[last] - self.operations[last].duration_s
        return starts[first], longest.get(last, self.operations[last].duration_s), tail_after


def _spaces(line: Line, state: LineState, action: act.Action) -> tuple[str, ...]:
    """The spaces (not the room) an action needs."""
    found: list[str] = []
    if isinstance(action, act.OpenDoor | act.CloseDoor):
        found += line.doors[action.door].between
    elif isinstance(action, act.OpenContainer | act.CloseContainer):
        found.append(state.containers[action.container].space)
    elif isinstance(action, act.Move):
        found.append(state.space_of(action.item))
        found.append(action.to if action.to in line.spaces else state.containers[action.to].space)
    else:
        found.append(getattr(action, "space", ""))
    return tuple(sorted({s for s in found if s and s != line.room}))


def _materials(line: Line, action: act.Action) -> frozenset[str]:
    names = {getattr(action, name) for name in MATERIAL_FIELDS if hasattr(action, name)}
    if isinstance(action, act.Move) and action.to not in line.spaces:
        names.add(action.to)
    return frozenset(names)


def _label(steps: list[act.Action], spaces: tuple[str, ...]) -> str:
    kinds = {type(s) for s in steps}
    if act.Deposit in kinds:
        what = "deposit"
    elif act.OpenDoor in kinds or act.CloseDoor in kinds:
        what = "transfer"
    elif kinds <= {act.Evacuate, act.Backfill, act.Hold, act.Heat}:
        what = "purge" if act.Backfill in kinds else ("pump-down" if act.Evacuate in kinds else "hold")
    elif act.Unload in kinds:
        what = "unload"
    elif act.Load in kinds:
        what = "load"
    elif kinds == {act.OpenContainer}:
        what = "open"
    else:
        what = "pack"
    return f"{what} {'>'.join(spaces) if what == 'transfer' else '+'.join(spaces)}"


def _hands(action: act.Action) -> bool:
    """Work that needs an operator: manual steps, and the doors of a transfer done at the gloves."""
    return action.manual or isinstance(action, act.OpenDoor | act.CloseDoor)


def split(procedure: Procedure, line: Line, recipe: str = "") -> BatchTemplate:
    """The unit operations of ``procedure`` on ``line``, timed by the engine's models, with their order."""
    machine = Machine(line, procedure.policy)
    state = procedure.initial_state(machine)
    groups: list[tuple[tuple[str, ...], bool, list[act.Action], float, set[str], set[str]]] = []
    for action in procedure.steps:
        spaces, hands = _spaces(line, state, action), _hands(action)
        seconds = step_duration_s(line, state, action)
        touched = action_footprint(line, state, action)
        if groups and groups[-1][0] == spaces and groups[-1][1] == hands:
            _, _, steps, total, names, keys = groups[-1]
            groups[-1] = (spaces, hands, [*steps, action], total + seconds, names | _materials(line, action),
                          keys | touched)  # fmt: skip
        else:
            groups.append((spaces, hands, [action], seconds, set(_materials(line, action)), set(touched)))
        try:
            state = TRANSITIONS[type(action)](machine, state, action)
        except (AnodelineError, KeyError):  # the verifier refuses it; the plan goes on (as planned_duration_s)
            continue
    operations: list[UnitOperation] = []
    seen: dict[str, int] = {}
    for index, (spaces, hands, steps, seconds, names, keys) in enumerate(groups):
        label = _label(steps, spaces)
        seen[label] = seen.get(label, 0) + 1
        name = label if seen[label] == 1 else f"{label} #{seen[label]}"
        pumps = tuple(sorted({line.spaces[s.space].pump or "" for s in steps if isinstance(s, act.Evacuate)} - {""}))
        operations.append(UnitOperation(index, name, spaces, pumps, hands, math.ceil(seconds - 1e-9), tuple(steps),
                                        frozenset(names), frozenset(keys)))  # fmt: skip
    return BatchTemplate(recipe or procedure.recipe, line.line, procedure, tuple(operations),
                         _precedence(operations), MappingProxyType(_families(line, procedure)),
                         procedure.policy.gas)  # fmt: skip


def _precedence(operations: list[UnitOperation]) -> tuple[tuple[int, int], ...]:
    """For each operation and each space or material it touches, the last earlier operation touching it."""
    last: dict[str, int] = {}
    edges: set[tuple[int, int]] = set()
    for op in operations:
        for key in (*(f"space:{s}" for s in op.spaces), *(f"material:{m}" for m in op.materials)):
            if key in last:
                edges.add((last[key], op.index))
            last[key] = op.index
    return tuple(sorted(edges, key=lambda e: (e[1], e[0])))


def _families(line: Line, procedure: Procedure) -> dict[str, str]:
    """Per apparatus space: the sources it deposits with (method and target), the key of its set-up."""
    found: dict[str, set[str]] = {}
    for step in procedure.steps:
        if isinstance(step, act.Deposit):
            found.setdefault(step.space, set()).add(f"{step.method}:{step.target}")
    return {space: ",".join(sorted(keys)) for space, keys in found.items()}
