"""Merge a scheduled campaign into one timeline of actions per line, and prove it air-free.

Two batches in one line at once share its chambers, doors and apparatus. Each batch's
materials are renamed (``example-01-003/source-1``) so that their containers and items stay
apart, the unit operations of all batches on a line (and the apparatus changeovers) are laid
end to end in the order of their start times, and the result is one :class:`Procedure` that the
same verifier as ``anodeline verify`` runs through the line state machine
(:func:`anodeline.procedure.verify.verify_procedure`).

One order stands for all only if the operations that overlap in time cannot affect each other.
That is checked, not assumed: each operation's footprint (:mod:`anodeline.campaign.footprint`:
every space, door, pump, valve, purifier, heater, source and material its steps touch) must be
disjoint from that of every operation of another batch (and every changeover) that overlaps it
in time on the line; otherwise the plan is refused with ``CPG013``, located at the later
operation's first step. With disjoint footprints the transitions of two overlapping operations
commute (each changes only what it touches), so every order consistent with the time order
reaches the same states and the same verdict (tested with Hypothesis).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

from anodeline.campaign.footprint import Footprint, action_footprint, renamed, union
from anodeline.campaign.operations import MATERIAL_FIELDS
from anodeline.campaign.problem import Problem
from anodeline.campaign.schedule import Schedule
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.policy import AirPolicy
from anodeline.line.verify import Verdict
from anodeline.procedure.model import ContainerSpec, Procedure


def rename(batch: str, name: str) -> str:
    return f"{batch}/{name}"


def _renamed(batch: str, line: Line, action: act.Action) -> act.Action:
    changes = {f.name: rename(batch, getattr(action, f.name)) for f in fields(action) if f.name in MATERIAL_FIELDS}
    if isinstance(action, act.Move) and action.to not in line.spaces:
        changes["to"] = rename(batch, action.to)
    return replace(action, **changes) if changes else action


def _materials(batch: str, specs: tuple[ContainerSpec, ...]) -> list[ContainerSpec]:
    return [replace(spec, name=rename(batch, spec.name),
                    items=tuple(replace(it, name=rename(batch, it.name)) for it in spec.items))
            for spec in specs]  # fmt: skip


def _policy(policies: list[AirPolicy]) -> AirPolicy:
    """The strictest limits of the batches on the line (the line decides the rest)."""
    first = policies[0]
    return replace(first, max_o2_ppm=min(p.max_o2_ppm for p in policies),
                   max_h2o_ppm=min(p.max_h2o_ppm for p in policies))  # fmt: skip


@dataclass(frozen=True)
class Block:
    """One operation (or changeover) of one batch on the merged timeline: when, its steps, what it touches."""

    start_s: int
    end_s: int
    batch: str
    op: int  # -1: a changeover
    steps: tuple[act.Action, ...]
    note: str
    footprint: Footprint
    rank: int = 0

    def overlaps(self, other: Block) -> bool:
        """Both run during some span of time, or one of no duration runs strictly inside the other."""
        if self.start_s == self.end_s:
            return other.start_s < self.start_s < other.end_s
        if other.start_s == other.end_s:
            return self.start_s < other.start_s < self.end_s
        return self.start_s < other.end_s and other.start_s < self.end_s


def _changeover_footprint(line: Line, steps: list[act.Action], policy: AirPolicy) -> Footprint:
    from anodeline.line.machine import Machine
    from anodeline.line.transitions import TRANSITIONS

    machine = Machine(line, policy)
    state = machine.initial_state()
    keys: list[Footprint] = []
    for step in steps:
        keys.append(action_footprint(line, state, step))
        state = TRANSITIONS[type(step)](machine, state, step)
    return union(keys)


def blocks(problem: Problem, schedule: Schedule, line: Line) -> list[Block]:
    """Every operation and changeover of ``schedule`` on ``line``, renamed per batch, in start-time order."""
    from anodeline.campaign.setups import changeover_steps

    rank = {b.id: i for i, b in enumerate(problem.batches)}
    found: list[Block] = []
    for p in schedule.placed:
        if p.line != line.line:
            continue
        op = problem.template(p.batch, p.line).operations[p.op]
        steps = tuple(_renamed(p.batch, line, step) for step in op.steps)
        found.append(Block(p.start_s, p.end_s, p.batch, p.op, steps, f"{p.batch}: {op.name} (t = {p.start_s} s)",
                           renamed(op.footprint, p.batch), rank[p.batch]))  # fmt: skip
    for c in schedule.changeovers:
        if c.line != line.line:
            continue
        policy = problem.template(c.batch, c.line).procedure.policy
        purge = changeover_steps(line, c.space, policy)
        found.append(Block(c.start_s, c.end_s, c.batch, -1, tuple(purge),
                           f"changeover of {c.space} before {c.batch} (t = {c.start_s} s)",
                           _changeover_footprint(line, purge, policy), rank[c.batch]))  # fmt: skip
    found.sort(key=lambda b: (b.start_s, b.rank, b.op))
    return found


def clashes(timeline: list[Block]) -> list[tuple[int, int, frozenset[str]]]:
    """(earlier, later, shared keys) for each two blocks of ``timeline`` (start-time order) that overlap in time
    and touch a common thing; empty when every order of the overlapping ones gives the same states."""
    found = []
    active: list[int] = []
    for j, b in enumerate(timeline):
        active = [i for i in active if timeline[i].end_s >= b.start_s]
        for i in active:
            a = timeline[i]
            if a.overlaps(b):
                shared = a.footprint & b.footprint
                if shared:
                    found.append((i, j, shared))
        active.append(j)
    return found


def merged_procedure(
    problem: Problem, schedule: Schedule, line: Line, name: str = "", order: Sequence[int] | None = None
) -> Procedure:
    """All of ``schedule``'s operations on ``line`` as one procedure, in start-time order (or in ``order``,
    a permutation of :func:`blocks`)."""
    timeline = blocks(problem, schedule, line)
    return _procedure(problem, line, [timeline[i] for i in order] if order is not None else timeline, name)


def _procedure(problem: Problem, line: Line, timeline: list[Block], name: str = "") -> Procedure:
    materials: list[ContainerSpec] = []
    policies: list[AirPolicy] = []
    seen: set[str] = set()
    for b in problem.batches:
        if any(block.batch == b.id and block.op >= 0 for block in timeline) and b.id not in seen:
            seen.add(b.id)
            template = problem.template(b.id, line.line)
            materials += _materials(b.id, template.procedure.materials)
            policies.append(template.procedure.policy)
    steps = [step for block in timeline for step in block.steps]
    notes = [block.note for block in timeline for _ in block.steps]
    policy = _policy(policies) if policies else AirPolicy()
    return Procedure(name or f"{problem.name}@{line.line}", line.line, "campaign", policy, tuple(materials),
                     tuple(steps), tuple(notes), problem.name)  # fmt: skip


def verify_schedule(
    problem: Problem, schedule: Schedule, lines: dict[str, Line]
) -> dict[str, tuple[Procedure, Verdict]]:
    """Each line's merged timeline and its verdict, every step through the line state machine.

    Each step goes through :meth:`Machine.apply` (the interlock table and the air-free invariant),
    exactly as ``anodeline verify`` does. Only the bookkeeping differs: a batch's containers are
    placed in the room when its first step comes and retired when its last step is done (they are
    then closed in the room, touched by no later step), so the proof costs time in proportion to
    the steps, not steps × every batch of the campaign.
    """
    out = {}
    for name, line in lines.items():
        if not any(p.line == name for p in schedule.placed):
            continue
        timeline = blocks(problem, schedule, line)
        procedure = _procedure(problem, line, timeline)
        found = clashes(timeline)
        out[name] = (procedure, _clash(timeline, found[0], procedure) if found else _verify(procedure, line))
    return out


def _clash(timeline: list[Block], clash: tuple[int, int, frozenset[str]], procedure: Procedure) -> Verdict:
    """The refusal ``CPG013`` at the first step of the later of two overlapping operations that share a thing."""
    from anodeline.line.errors import InterlockError

    i, j, shared = clash
    a, b = timeline[i], timeline[j]
    step = sum(len(block.steps) for block in timeline[:j])
    names = sorted(shared)
    kinds = {k.split(":", 1)[0]: k.split(":", 1)[1] for k in reversed(names)}
    failure = InterlockError(
        "CPG013",
        f"{b.note} overlaps {a.note} (until t = {a.end_s} s) and both touch {', '.join(names)}",
        step=step, action=b.steps[0].kind if b.steps else "start", space=kinds.get("space", ""),
        door=kinds.get("door", ""),
        hint="operations that run at once must touch disjoint spaces, doors, devices and materials: "
             "re-plan, or start the later one after the earlier ends",
    )  # fmt: skip
    return Verdict(False, len(procedure.steps), failure, (), None)


def _owner(name: str) -> str:
    return name.split("/", 1)[0]


def _verify(procedure: Procedure, line: Line) -> Verdict:
    from anodeline.line.errors import InterlockError
    from anodeline.line.machine import Machine
    from anodeline.line.policy import on_line
    from anodeline.line.state import Container, Item, LineState, frozen
    from anodeline.physics.atmosphere.state import room_air

    machine = Machine(line, on_line(procedure.policy, line))
    state = machine.initial_state()
    specs: dict[str, list[ContainerSpec]] = {}
    for spec in procedure.materials:
        specs.setdefault(_owner(spec.name), []).append(spec)
    last_step: dict[str, int] = {}
    for index, note in enumerate(procedure.notes):
        if not note.startswith("changeover"):
            last_step[note.split(":", 1)[0]] = index
    placed: set[str] = set()
    for index, (action, note) in enumerate(zip(procedure.steps, procedure.notes, strict=True)):
        batch = note.split(":", 1)[0]
        if batch in specs and batch not in placed:
            placed.add(batch)
            containers, items = dict(state.containers), dict(state.items)
            for spec in specs[batch]:
                sealed = (spec.sealed or room_air()) if spec.closed else None
                containers[spec.name] = Container(spec.name, spec.space or line.room, spec.closed, sealed,
                                                  spec.volume_l / 1000.0)  # fmt: skip
                for it in spec.items:
                    items[it.name] = Item(it.name, it.kind, it.is_sensitive, spec.name, it.layers, it.lithium)
            state = LineState(state.atmospheres, state.doors, frozen(containers), frozen(items), state.heaters,
                              state.wall_h2o)  # fmt: skip
            failure = machine.check(state)
            if failure is not None:
                return Verdict(False, len(procedure.steps), failure.at_step(index, "start"), (), state)
        try:
            state = machine.apply(state, action)
        except InterlockError as exc:
            return Verdict(False, len(procedure.steps), exc.at_step(index, action.kind), (), state)
        if last_step.get(batch) == index:
            done = {name for name, c in state.containers.items() if _owner(name) == batch
                    and c.space == line.room and c.closed}  # fmt: skip
            items = {k: v for k, v in state.items.items() if v.location not in done}
            state = LineState(state.atmospheres, state.doors,
                              frozen({k: v for k, v in state.containers.items() if k not in done}), frozen(items),
                              state.heaters, state.wall_h2o)  # fmt: skip
    return Verdict(True, len(procedure.steps), None, (), state)
