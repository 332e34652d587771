"""Merge a scheduled campaign into one timeline of actions per line, and prove it air-free.

Two batches in one line at once share its chambers, doors and apparatus. Each batch's
materials are renamed (``example-01-003/source-1``) so that their containers and items stay
apart, the unit operations of all batches on a line (and the apparatus changeovers) are laid
end to end in the order of their start times, and the result is one :class:`Procedure` that the
same verifier as ``anodeline verify`` runs through the line state machine
(:func:`anodeline.procedure.verify.verify_procedure`). Operations that overlap in time touch
disjoint spaces and materials (a batch holds its spaces), so any order of them gives the same
states; the start-time order is the one the line will see.
"""

from __future__ import annotations

from dataclasses import fields, replace

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


def merged_procedure(problem: Problem, schedule: Schedule, line: Line, name: str = "") -> Procedure:
    """All of ``schedule``'s operations on ``line`` as one procedure, in start-time order."""
    from anodeline.campaign.setups import changeover_steps

    rank = {b.id: i for i, b in enumerate(problem.batches)}
    blocks: list[tuple[int, int, int, list[act.Action], str]] = []
    materials: list[ContainerSpec] = []
    policies: list[AirPolicy] = []
    seen: set[str] = set()
    for p in schedule.placed:
        if p.line != line.line:
            continue
        template = problem.template(p.batch, p.line)
        if p.batch not in seen:
            seen.add(p.batch)
            materials += _materials(p.batch, template.procedure.materials)
            policies.append(template.procedure.policy)
        op = template.operations[p.op]
        steps = [_renamed(p.batch, line, step) for step in op.steps]
        blocks.append((p.start_s, rank[p.batch], p.op, steps, f"{p.batch}: {op.name} (t = {p.start_s} s)"))
    for c in schedule.changeovers:
        if c.line != line.line:
            continue
        template = problem.template(c.batch, c.line)
        steps = changeover_steps(line, c.space, template.procedure.policy)
        blocks.append((c.start_s, rank[c.batch], -1, steps, f"changeover of {c.space} before {c.batch} "
                                                            f"(t = {c.start_s} s)"))  # fmt: skip
    blocks.sort(key=lambda b: (b[0], b[1], b[2]))
    steps = [step for block in blocks for step in block[3]]
    notes = [block[4] for block in blocks for _ in block[3]]
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
        procedure = merged_procedure(problem, schedule, line)
        out[name] = (procedure, _verify(procedure, line))
    return out


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
