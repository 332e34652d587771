"""Suspenders: when to hold for the atmosphere, what "making safe" does, and when to resume.

A suspender trips when an air-sensitive item is *exposed* — not sealed in a closed
container and not in vacuum — in a space whose O2 or H2O reads above the **ceiling**
(``ceiling_share`` of the recipe's limits, 30 %). The engine then holds at the next safe
point and makes safe what it can: it closes the doors of the tripped spaces, puts loose
items into an open container there and closes the containers that hold sensitive items
(glove work). It resumes only when every tripped space has read below the **resume**
threshold (``resume_share``, 15 %) for ``settle_s`` (the purifier has recovered), undoing
what holding did. The thresholds leave margin for the time the operator needs to seal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.line.policy import AirPolicy
from anodeline.line.state import LineState
from anodeline.physics.atmosphere.state import Atmosphere


@dataclass(frozen=True)
class Suspenders:
    """Thresholds (shares of the recipe's O2/H2O limits) and times of the atmosphere suspender."""

    ceiling_share: float = 0.3
    resume_share: float = 0.15
    settle_s: float = 300.0  # readings must stay below the resume level this long (est.: 4 purifier time constants)
    max_hold_s: float = 2 * 3600.0  # a hold that has not cleared by then leaves the batch held for a person


def scaled(policy: AirPolicy, share: float) -> AirPolicy:
    """``policy`` with its O2/H2O limits (and the dry-air water limit) scaled by ``share``."""
    return replace(
        policy,
        max_o2_ppm=policy.max_o2_ppm * share,
        max_h2o_ppm=policy.max_h2o_ppm * share,
        dry_air_h2o_max_ppm=policy.dry_air_h2o_max_ppm * share,
    )


#: A sensitive item's exposure in one state: (item, the atmosphere it touches, its closed container or None, space).
Exposure = tuple[str, Atmosphere, str | None, str]


def exposures(state: LineState) -> list[Exposure]:
    """What every sensitive item of ``state`` touches, in the state's item order."""
    found: list[Exposure] = []
    for name, item in state.items.items():
        if item.sensitive:
            atm, container = state.exposure(name)
            found.append((name, atm, container, state.space_of(name)))
    return found


def tripped(policy: AirPolicy, state: LineState, among: list[Exposure] | None = None) -> dict[str, str]:
    """Spaces where a sensitive item is exposed to an atmosphere ``policy`` calls active, with why.

    ``among``: :func:`exposures` of ``state`` when the caller has them already (the engine, at every poll).
    """
    found: dict[str, str] = {}
    for name, atm, container, space in exposures(state) if among is None else among:
        if container is not None:
            continue
        why = policy.why_active(atm)
        if why is not None and space not in found:
            found[space] = f"{name!r} exposed in {space!r} to {why}"
    return found


def protective_actions(line: Line, state: LineState, spaces: set[str] | None = None) -> list[act.Action]:
    """Make-safe steps in ``spaces`` (or everywhere): seal, retreat, close doors, pump away.

    1. a loose sensitive item goes into an open container in its space (for a tripped space,
       an empty closed one is opened for it); failing that (only for a tripped space) it
       retreats through a door into a neighbouring space that is not tripped (the apparatus
       it came from);
    2. every open container holding sensitive items is closed;
    3. every open inner door of the concerned spaces is closed;
    4. (tripped spaces only) an apparatus still holding a loose sensitive item is evacuated.
    """

    def concerned(space: str) -> bool:
        return spaces is None or space in spaces

    actions: list[act.Action] = []
    doors = dict(state.doors)
    holding: set[str] = set()
    opened: set[str] = set()
    loose: dict[str, str] = {}  # sensitive item → the space it is left loose in
    for name, item in state.items.items():
        if not item.sensitive:
            continue
        location = item.location
        if location in state.containers:
            holding.add(location)
            continue
        loose[name] = location
        config = line.spaces.get(location)
        if config is None or not config.has_gloves or not concerned(location):
            continue
        box = next((c for c in state.containers.values() if c.space == location and not c.closed), None)
        empty = next((c for c in state.containers.values() if c.space == location and not state.contents(c.name)), None)
        if box is None and empty is not None and spaces is not None and empty.name not in opened:
            actions.append(act.OpenContainer(empty.name))  # an empty container to seal the item in
            box = replace(empty, closed=False)
            opened.add(empty.name)
        if box is not None:
            actions.append(act.Move(name, box.name))
            holding.add(box.name)
            del loose[name]
        elif spaces is not None:
            retreat = _retreat(line, doors, name, location, spaces)
            actions.extend(retreat)
            if retreat:
                loose[name] = line.other_side(_door_through(line, location, retreat), location)
    for name in sorted(holding):
        box = state.containers[name]
        config = line.spaces.get(box.space)
        if (not box.closed or name in opened) and config is not None and config.has_gloves and concerned(box.space):
            actions.append(act.CloseContainer(name))
    for door, is_open in doors.items():
        sides = line.doors[door].between
        if is_open and line.room not in sides and any(concerned(s) for s in sides):
            actions.append(act.CloseDoor(door))
    if spaces is not None:  # an exposed item that could not be sealed: isolate it by vacuum
        actions.extend(_pump_away(line, state, spaces & set(loose.values())))
    return actions


def _door_through(line: Line, here: str, retreat: list[act.Action]) -> str:
    move = retreat[-1]
    assert isinstance(move, act.Move)
    door = line.door_between(here, move.to)
    assert door is not None  # _retreat only goes through a door
    return door


def _pump_away(line: Line, state: LineState, spaces: set[str]) -> list[act.Action]:
    """Evacuate each tripped apparatus still holding a loose sensitive item (doors closed first).

    An apparatus has no purifier to recover, and it is leak-tight: pumping takes the item
    into vacuum. A glove chamber is not pumped: a chamber that trips is leaking, and pumping
    it raises the leak's inflow until the item meets more air, not less (the fault matrix
    showed 20 × worse at 100 × class 1); its purifier is what brings it back. Aimed at a
    tenth of the line's vacuum threshold, never below ten times the pump's ultimate pressure.
    """
    actions: list[act.Action] = []
    vacuum_pa = line.policy.vacuum_below_pa
    for space in sorted(spaces):
        config = line.spaces.get(space)
        pump = line.pumps.get(config.pump or "") if config is not None else None
        if config is None or config.kind != "apparatus" or pump is None:
            continue
        if state.atmospheres[space].pressure_pa <= vacuum_pa:
            continue
        actions.append(act.Evacuate(space, max(vacuum_pa / 10.0, 10.0 * pump.ultimate_pa)))
    return actions


def _retreat(line: Line, doors: dict[str, bool], item: str, here: str, tripped: set[str]) -> list[act.Action]:
    """Move ``item`` through a door into a neighbour that is not tripped (or tripped only through that open door)."""
    for door in line.doors_of(here):
        there = line.other_side(door, here)
        if there == line.room or (there in tripped and not doors[door]):
            continue
        steps: list[act.Action] = [] if doors[door] else [act.OpenDoor(door)]
        doors[door] = True
        return [*steps, act.Move(item, there)]
    return []


def undo(action: act.Action, before: LineState) -> act.Action | None:
    """The action that reverses a protective one (to restart where the procedure left off)."""
    if isinstance(action, act.CloseDoor):
        return act.OpenDoor(action.door)
    if isinstance(action, act.OpenDoor):
        return act.CloseDoor(action.door)
    if isinstance(action, act.CloseContainer):
        return act.OpenContainer(action.container)
    if isinstance(action, act.Move):
        return act.Move(action.item, before.items[action.item].location)
    if isinstance(action, act.Evacuate):
        atm = before.atmospheres[action.space]
        return act.Backfill(action.space, atm.gas, atm.pressure_pa)
    return None


def ceiling_machine(machine: Machine, suspenders: Suspenders) -> Machine:
    return Machine(machine.line, scaled(machine.policy, suspenders.ceiling_share))
