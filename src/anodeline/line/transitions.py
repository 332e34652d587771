"""What each action does to the line state: topology and atmosphere physics, no safety judgement.

Each transition is a pure function ``(machine, state, action) -> state``. It raises an
:class:`InterlockError` with an ``ACT…`` code only when the action is impossible (an
unknown name, an item that is not there); whether it is *safe* is the interlock
table's business (:mod:`anodeline.line.interlocks`). Atmospheres change through the
physics: evacuate/backfill dilution with wall water (:mod:`~anodeline.physics.atmosphere.purge`),
door mixing by volumes (:mod:`~anodeline.physics.atmosphere.mixing`), purifier
circulation (:mod:`~anodeline.physics.atmosphere.glovebox`).
"""

from __future__ import annotations

import math
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from anodeline import window
from anodeline.line import actions as act
from anodeline.line.errors import InterlockError
from anodeline.line.state import Container, LineState
from anodeline.physics.atmosphere import glovebox, mixing
from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.purge import WALL_WATER_SHARE, FillGas
from anodeline.physics.atmosphere.purge import backfill as backfill_gas
from anodeline.physics.atmosphere.purge import evacuate as evacuate_gas

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.line.machine import Machine

#: The thickest film a step may deposit: the thickest the claims allow (window.FILM_THICKNESS_UM, 20 µm).
MAX_FILM_UM = window.FILM_THICKNESS_UM.high
#: The highest pressure a space is filled to: not pressure equipment (window.GAS_PRESSURE_PA, 0.5 bar gauge).
MAX_FILL_PA = window.GAS_PRESSURE_PA.high
#: The longest single wait a step may ask for (window.STEP_DURATION_S, 48 h).
MAX_STEP_S = window.STEP_DURATION_MAX_S
#: The rule of an action whose numbers cannot be (not finite, beyond physics, a pump-down *up* to its target).
NOT_PHYSICAL = "ACT005"


def check_numbers(a: act.Action) -> None:
    """Refuse (ACT005) an action whose numbers are not finite or not physical, before anything else."""
    for f in fields(a):
        value = getattr(a, f.name)
        if not isinstance(value, float):
            continue
        if not math.isfinite(value):
            raise impossible("ACT005", f"{a.kind} {f.name} = {value!r} is not a finite number", "give a real value")
    if isinstance(a, act.Evacuate | act.Backfill) and not 0.0 < a.pressure_pa <= MAX_FILL_PA:
        raise impossible("ACT005", f"{a.kind} to {a.pressure_pa:g} Pa is outside (0, {MAX_FILL_PA:g}] Pa",
                         "fill to about 1 atm and evacuate to a positive pressure", space=a.space)  # fmt: skip
    if isinstance(a, act.Hold) and not 0.0 <= a.seconds <= MAX_STEP_S:
        raise impossible("ACT005", f"a hold of {a.seconds:g} s is outside [0, {MAX_STEP_S:g}] s",
                         "split a long wait, or fix the duration", space=a.space)  # fmt: skip
    if isinstance(a, act.Deposit) and not 0.0 < a.thickness_um <= MAX_FILM_UM:
        raise impossible("ACT005", f"a film of {a.thickness_um:g} µm is outside (0, {MAX_FILM_UM:g}] µm",
                         "deposit a film within the process window (claims 1, 17, 33)", space=a.space)  # fmt: skip


def impossible(code: str, reason: str, hint: str = "", **where: Any) -> InterlockError:
    return InterlockError(code, reason, hint=hint, **where)


def need_space(m: Machine, name: str) -> None:
    if name not in m.line.spaces:
        raise impossible("ACT001", f"there is no space {name!r}", "use a space of the line", space=name)


def need_container(s: LineState, name: str) -> Container:
    if name not in s.containers:
        raise impossible("ACT001", f"there is no container {name!r}", "name a container of the procedure's materials")
    return s.containers[name]


def need_door(m: Machine, name: str) -> None:
    if name not in m.line.doors:
        raise impossible("ACT001", f"there is no door {name!r}", "use a door of the line")


def _room_mix(m: Machine, s: LineState, space: str) -> LineState:
    """The chamber opens to the room: the room (a reservoir) stays air, the chamber takes the mix."""
    room = m.line.room
    mixed = mixing.mix(s.atmospheres[space], m.volume(space), s.atmospheres[room], m.volume(room))
    return s.with_atmosphere(space, mixed).with_wall_h2o(space, None)


def load(m: Machine, s: LineState, a: act.Load) -> LineState:
    need_space(m, a.space)
    box = need_container(s, a.container)
    if box.space != m.line.room:
        raise impossible("ACT002", f"container {a.container!r} is in {box.space!r}, not in the room")
    if m.line.load_port(a.space) is None:
        raise impossible("ACT003", f"{a.space!r} has no load port to the room", space=a.space)
    return _room_mix(m, s, a.space).with_container(replace(box, space=a.space))


def unload(m: Machine, s: LineState, a: act.Unload) -> LineState:
    need_space(m, a.space)
    box = need_container(s, a.container)
    if box.space != a.space:
        raise impossible("ACT002", f"container {a.container!r} is in {box.space!r}, not in {a.space!r}")
    if m.line.load_port(a.space) is None:
        raise impossible("ACT003", f"{a.space!r} has no load port to the room", space=a.space)
    return _room_mix(m, s, a.space).with_container(replace(box, space=m.line.room))


def evacuate(m: Machine, s: LineState, a: act.Evacuate) -> LineState:
    need_space(m, a.space)
    if m.line.spaces[a.space].pump is None:
        raise impossible("ACT004", f"{a.space!r} has no pump", space=a.space)
    atm = s.atmospheres[a.space]
    if a.pressure_pa > atm.pressure_pa:
        reason = f"cannot evacuate {a.space!r} up to {a.pressure_pa:g} Pa from {atm.pressure_pa:g} Pa"
        raise impossible("ACT005", reason, "use backfill to raise the pressure", space=a.space)
    reference = s.wall_h2o.get(a.space, atm.h2o_ppm)
    return s.with_atmosphere(a.space, evacuate_gas(atm, a.pressure_pa)).with_wall_h2o(a.space, reference)


def fill_gas(m: Machine, space: str, gas: str) -> FillGas:
    """The gas a space's supply delivers, cleaned by the supply's point-of-use purifier if it has one."""
    supply = m.line.supply_for(space, gas)
    if supply is None:
        raise impossible("GAS001", f"{space!r} has no supply of {gas}", "backfill with a gas of the space's supplies",
                         space=space)  # fmt: skip
    fill = FillGas.of(supply.gas, supply.purity_fraction)
    if supply.purifier is not None:
        o2 = min(fill.o2_ppm, supply.purifier.o2_out_ppm)
        h2o = min(fill.h2o_ppm, supply.purifier.h2o_out_ppm)
        fill = FillGas(fill.gas, fill.purity, o2, h2o, fill.n2_ppm)
    return fill


def backfill(m: Machine, s: LineState, a: act.Backfill) -> LineState:
    need_space(m, a.space)
    fill = fill_gas(m, a.space, a.gas)
    atm = s.atmospheres[a.space]
    try:
        new = backfill_gas(atm, fill, a.pressure_pa)
    except AtmosphereError as exc:
        raise impossible("ACT005", exc.message, exc.hint, space=a.space) from None
    reference = s.wall_h2o.get(a.space)
    if reference is not None:  # water adsorbed on the walls comes back (purge.purge_cycle)
        new = replace(new, h2o_ppm=new.h2o_ppm + WALL_WATER_SHARE * (reference - new.h2o_ppm))
    return s.with_atmosphere(a.space, new).with_wall_h2o(a.space, None)


def open_door(m: Machine, s: LineState, a: act.OpenDoor) -> LineState:
    need_door(m, a.door)
    if s.doors[a.door]:
        raise impossible("ACT006", f"door {a.door!r} is already open")
    first, second = m.line.doors[a.door].between
    room = m.line.room
    if room in (first, second):
        s = _room_mix(m, s, second if first == room else first)
    else:
        mixed = mixing.mix(s.atmospheres[first], m.volume(first), s.atmospheres[second], m.volume(second))
        s = s.with_atmosphere(first, mixed).with_atmosphere(second, mixed)
        s = s.with_wall_h2o(first, None).with_wall_h2o(second, None)
    return s.with_door(a.door, True)


def close_door(m: Machine, s: LineState, a: act.CloseDoor) -> LineState:
    need_door(m, a.door)
    if not s.doors[a.door]:
        raise impossible("ACT006", f"door {a.door!r} is already closed")
    return s.with_door(a.door, False)


def joined(m: Machine, s: LineState, space: str) -> list[str]:
    """``space`` and the spaces joined to it through open inner doors: one gas volume."""
    found, todo = [space], [space]
    while todo:
        here = todo.pop()
        for door in m.line.doors_of(here):
            there = m.line.other_side(door, here)
            if s.doors[door] and there not in found and there != m.line.room:
                found.append(there)
                todo.append(there)
    return found


def settle(m: Machine, s: LineState, space: str) -> LineState:
    """Spaces joined by open inner doors share one atmosphere: mix them (moles conserved)."""
    group = joined(m, s, space)
    if len(group) == 1:
        return s
    atm, volume = s.atmospheres[group[0]], m.volume(group[0])
    for other in group[1:]:
        atm = mixing.mix(atm, volume, s.atmospheres[other], m.volume(other))
        volume += m.volume(other)
    for name in group:
        s = s.with_atmosphere(name, atm)
    return s


def open_container(m: Machine, s: LineState, a: act.OpenContainer) -> LineState:
    """The container's gas joins the space's: mixed by amounts (p·V), like a door between two volumes.

    The space's volume includes the closed container's, so its own gas fills ``V_space − V_container``.
    """
    box = need_container(s, a.container)
    if not box.closed:
        raise impossible("ACT006", f"container {a.container!r} is already open")
    s = s.with_container(replace(box, closed=False, sealed=None))
    if box.sealed is None or box.space == m.line.room:  # the room is a reservoir
        return s
    space_m3 = m.volume(box.space)  # the container is inside the space: the space's own gas fills the rest
    free_m3 = max(space_m3 - box.volume_m3, 0.0)
    mixed = mixing.mix(s.atmospheres[box.space], free_m3, box.sealed, min(box.volume_m3, space_m3))
    return settle(m, s.with_atmosphere(box.space, mixed), box.space)


def close_container(m: Machine, s: LineState, a: act.CloseContainer) -> LineState:
    box = need_container(s, a.container)
    if box.closed:
        raise impossible("ACT006", f"container {a.container!r} is already closed")
    return s.with_container(replace(box, closed=True, sealed=s.atmospheres[box.space]))


def _reachable(m: Machine, s: LineState, here: str, there: str) -> bool:
    if here == there:
        return True
    door = m.line.door_between(here, there)
    return door is not None and s.doors[door]


def move(m: Machine, s: LineState, a: act.Move) -> LineState:
    if a.item in s.containers:
        box = s.containers[a.item]
        if a.to not in m.line.spaces:
            raise impossible("ACT007", f"container {a.item!r} can only be moved to a space, not {a.to!r}")
        if a.to == box.space or not _reachable(m, s, box.space, a.to):
            raise impossible("ACT008", f"no open door from {box.space!r} to {a.to!r}", space=box.space)
        return s.with_container(replace(box, space=a.to))
    if a.item not in s.items:
        raise impossible("ACT001", f"there is no item or container {a.item!r}")
    item = s.items[a.item]
    holder = s.containers.get(item.location)
    if holder is not None and holder.closed:
        raise impossible("ACT009", f"{a.item!r} is inside closed container {holder.name!r}", "open the container first",
                         item=a.item, space=holder.space)  # fmt: skip
    here = s.space_of(a.item)
    if a.to in s.containers:
        target = s.containers[a.to]
        if target.closed:
            raise impossible("ACT009", f"container {a.to!r} is closed", "open it first", item=a.item, space=here)
        if target.space != here:
            raise impossible("ACT008", f"container {a.to!r} is in {target.space!r}, not in {here!r}", item=a.item)
    elif a.to in m.line.spaces:
        if not _reachable(m, s, here, a.to) or (a.to == here and holder is None):
            raise impossible("ACT008", f"no open door from {here!r} to {a.to!r}", item=a.item, space=here)
    else:
        raise impossible("ACT001", f"there is no space or container {a.to!r}", item=a.item)
    return s.with_item(replace(item, location=a.to))


def _apparatus_space(m: Machine, space: str) -> None:
    need_space(m, space)
    if m.line.apparatus_in(space) is None:
        raise impossible("ACT010", f"{space!r} is not the space of an apparatus", space=space)


def deposit(m: Machine, s: LineState, a: act.Deposit) -> LineState:
    _apparatus_space(m, a.space)
    for name in (a.target, a.onto):
        if name not in s.items:
            raise impossible("ACT001", f"there is no item {name!r}", item=name)
        if s.items[name].location != a.space:
            raise impossible("ACT011", f"{name!r} is not loose in {a.space!r}", "move it into the apparatus",
                             item=name, space=a.space)  # fmt: skip
    onto = s.items[a.onto]
    lithium = onto.lithium or a.material == "lithium"
    changed = replace(onto, layers=(*onto.layers, a.layer), lithium=lithium, sensitive=onto.sensitive or lithium)
    if a.material == "solid-electrolyte":
        changed = replace(changed, sensitive=True, kind="electrode")
    return s.with_item(changed)


def heat(m: Machine, s: LineState, a: act.Heat) -> LineState:
    _apparatus_space(m, a.space)
    return s.with_heater(a.space, a.temperature_degc)


def hold(m: Machine, s: LineState, a: act.Hold) -> LineState:
    need_space(m, a.space)
    if a.seconds < 0:
        raise impossible("ACT005", f"cannot hold for {a.seconds:g} s", space=a.space)
    space = m.line.spaces[a.space]
    if space.kind != "glove-chamber":
        return s  # the room is a reservoir; a closed apparatus neither leaks nor purifies in this model
    purifier = m.line.purifiers.get(space.purifier or "")
    box = glovebox.GloveBoxParams(
        volume_m3=space.volume_m3,
        purifier_flow_m3_per_h=purifier.flow_m3_per_h if purifier else 0.0,
        purifier_on=purifier is not None,
        o2_removal=purifier.o2_removal if purifier else 1.0,
        h2o_removal=purifier.h2o_removal if purifier else 1.0,
        outside=s.atmospheres[m.line.room],
    )
    return settle(m, s.with_atmosphere(a.space, glovebox.evolve(s.atmospheres[a.space], a.seconds, box)), a.space)


TRANSITIONS: dict[type[act.Action], Any] = {
    act.Load: load, act.Unload: unload, act.Evacuate: evacuate, act.Backfill: backfill,
    act.OpenDoor: open_door, act.CloseDoor: close_door, act.OpenContainer: open_container,
    act.CloseContainer: close_container, act.Move: move, act.Deposit: deposit, act.Heat: heat, act.Hold: hold,
}  # fmt: skip
