"""The interlock table: every rule the line enforces, with its code, source and check.

``when="before"`` rules judge the state an action starts from; ``when="after"`` rules
judge the state it would produce. The air-free invariant (AIR001/AIR002) is judged
after every action. A check returns ``None`` (fine) or an :class:`InterlockError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from anodeline import window
from anodeline.line import actions as act
from anodeline.line.errors import InterlockError
from anodeline.line.state import LineState
from anodeline.line.transitions import joined

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.line.machine import Machine

#: The room's temperature (items outside a heated apparatus, and a heater switched off).
ROOM_TEMPERATURE_DEGC = 25.0
#: The lowest heater set-point: a resistive heater has no cooling; room temperature is 5-35 °C (patent description).
HEATER_MIN_DEGC = window.ROOM_TEMPERATURE_DEGC.low

Check = Callable[["Machine", LineState, act.Action], InterlockError | None]


@dataclass(frozen=True)
class Interlock:
    code: str
    title: str
    source: str
    hint: str
    actions: tuple[type[act.Action], ...]
    when: Literal["before", "after"]
    check: Check


INTERLOCKS: dict[str, Interlock] = {}
#: The codes of the air-free invariant, and CONT001 (a container opened in an active space), the only checks
#: a proven make-safe step is let through (Machine.makes_safe): they guard against exposure, which the proof
#: already rules out.
INVARIANT_CODES = frozenset({"AIR001", "AIR002", "CONT001"})
ALL: tuple[type[act.Action], ...] = tuple(act.ACTION_TYPES.values())


def interlock(
    code: str, title: str, *, source: str, hint: str, actions: tuple[type[act.Action], ...], when: str = "before"
) -> Callable[[Check], Check]:
    def decorate(check: Check) -> Check:
        INTERLOCKS[code] = Interlock(
            code, title, source, hint, actions, "after" if when == "after" else "before", check
        )
        return check

    return decorate


def _refuse(m: Machine, code: str, reason: str, **where: object) -> InterlockError:
    return InterlockError(code, reason, hint=INTERLOCKS[code].hint, **where)  # type: ignore[arg-type]


def exposed_item(m: Machine, s: LineState) -> InterlockError | None:
    """The first air-sensitive item touching an atmosphere active to lithium (the invariant)."""
    for name, item in s.items.items():
        if not item.sensitive:
            continue
        atm, container = s.exposure(name)
        why = m.policy.why_active(atm)
        if why is not None:
            space = s.space_of(name)
            if container is not None:
                return _refuse(m, "AIR002", f"{name!r} is sealed in {container!r} under {why}",
                               item=name, space=space, atmosphere=atm)  # fmt: skip
            return _refuse(m, "AIR001", f"{name!r} would be exposed in {space!r} to {why}",
                           item=name, space=space, atmosphere=atm)  # fmt: skip
    return None


@interlock("AIR001", "An air-sensitive item meets an atmosphere active to lithium", actions=ALL, when="after",
           source="claims 1 d), f), g), 2, 10, 11 (without exposure to air; spaces inactive to lithium)",
           hint="keep the item in a closed container, or purge the space to the inert limits first")  # fmt: skip
def _air(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    refusal = exposed_item(m, s)  # the invariant, after every action
    return refusal if refusal is not None and refusal.rule == "AIR001" else None


@interlock("AIR002", "A sensitive item is sealed under an active atmosphere", actions=ALL, when="after",
           source="claims 1 g), 33 g) (the container is closed in a space inactive to lithium)",
           hint="close containers only in a purged glove chamber")  # fmt: skip
def _sealed(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    refusal = exposed_item(m, s)
    return refusal if refusal is not None and refusal.rule == "AIR002" else None


def _space_doors(m: Machine, s: LineState, space: str, but: str = "") -> list[str]:
    return [door for door in m.line.doors_of(space) if s.doors[door] and door != but]


@interlock("DOOR001", "Two doors of one space open at once", actions=(act.OpenDoor, act.Load, act.Unload),
           source="airlock practice; Example 1 (each door is closed before the next is opened)",
           hint="close the space's other door first")  # fmt: skip
def two_doors(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    if isinstance(a, act.OpenDoor):
        spaces = [sp for sp in m.line.doors[a.door].between if sp != m.line.room]
        door = a.door
    elif isinstance(a, act.Load | act.Unload):
        spaces, door = [a.space], m.line.load_port(a.space) or ""
    else:
        return None
    for space in spaces:
        others = _space_doors(m, s, space, but=door)
        if others:
            return _refuse(m, "DOOR001", f"{space!r} already has door {others[0]!r} open", space=space)
    return None


def _door_sides(m: Machine, a: act.Action) -> tuple[str, str] | None:
    if isinstance(a, act.OpenDoor):
        return m.line.doors[a.door].between
    if isinstance(a, act.Load | act.Unload):
        return (m.line.room, a.space)
    return None


@interlock("DOOR002", "A door between unequal pressures", actions=(act.OpenDoor, act.Load, act.Unload),
           source="vacuum practice; Example 1 (the system is filled with argon before door 2 opens)",
           hint="backfill the evacuated side to the other side's pressure first")  # fmt: skip
def pressures(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    sides = _door_sides(m, a)
    if sides is None:
        return None
    first, second = (s.atmospheres[side] for side in sides)
    if abs(first.pressure_pa - second.pressure_pa) > m.policy.door_tolerance_pa:
        return _refuse(m, "DOOR002", f"{sides[0]!r} is at {first.pressure_pa:.4g} Pa and {sides[1]!r} at "
                       f"{second.pressure_pa:.4g} Pa", space=sides[1])  # fmt: skip
    return None


@interlock("DOOR003", "An inner door between an inert and an active atmosphere", actions=(act.OpenDoor,),
           source="claims 1 d), f) (the chamber and the apparatus are joined airtight and kept inactive)",
           hint="purge the active side to the inert limits before opening")  # fmt: skip
def compatible(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    assert isinstance(a, act.OpenDoor)
    sides = m.line.doors[a.door].between
    if m.line.room in sides:
        return None
    why = [m.policy.why_active(s.atmospheres[side]) for side in sides]
    if (why[0] is None) != (why[1] is None):
        bad = 0 if why[0] is not None else 1
        return _refuse(m, "DOOR003", f"{sides[bad]!r} holds {why[bad]}", space=sides[bad],
                       atmosphere=s.atmospheres[sides[bad]])  # fmt: skip
    return None


@interlock("PMP001", "Pumping or filling a space with a door open", actions=(act.Evacuate, act.Backfill),
           source="airlock practice (a space is evacuated or filled only when sealed)",
           hint="close the space's doors first")  # fmt: skip
def sealed_space(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    assert isinstance(a, act.Evacuate | act.Backfill)
    doors = _space_doors(m, s, a.space)
    if doors:
        return _refuse(m, "PMP001", f"door {doors[0]!r} of {a.space!r} is open", space=a.space)
    return None


@interlock("PMP002", "Evacuating below the pump's ultimate pressure", actions=(act.Evacuate,),
           source="pump data (ultimate pressure)", hint="aim at or above the pump's ultimate pressure")  # fmt: skip
def ultimate(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    assert isinstance(a, act.Evacuate)
    pump = m.line.pumps.get(m.line.spaces[a.space].pump or "") if a.space in m.line.spaces else None
    if pump is not None and a.pressure_pa < pump.ultimate_pa:
        return _refuse(m, "PMP002", f"{a.pressure_pa:g} Pa is below the {pump.ultimate_pa:g} Pa its pump reaches",
                       space=a.space)  # fmt: skip
    return None


@interlock("DEP001", "Deposition above the base pressure", actions=(act.Deposit,),
           source="patent description (background vacuum not higher than 1.33e-4 Pa)",
           hint="evacuate the apparatus to the recipe's base pressure first")  # fmt: skip
def base_pressure(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    assert isinstance(a, act.Deposit)
    atm = s.atmospheres.get(a.space)
    limit = min(m.policy.base_pressure_pa, window.BASE_PRESSURE_MAX_PA)
    if atm is not None and atm.pressure_pa > limit * (1 + 1e-9):
        return _refuse(m, "DEP001", f"{a.space!r} is at {atm.pressure_pa:.4g} Pa, above {limit:.3g} Pa",
                       space=a.space, atmosphere=atm)  # fmt: skip
    return None


@interlock("DEP002", "Deposition with a door of the apparatus open", actions=(act.Deposit,),
           source="claims 1 d), e) (the apparatus is closed airtight during film forming)",
           hint="close the apparatus doors first")  # fmt: skip
def closed_apparatus(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    assert isinstance(a, act.Deposit)
    doors = _space_doors(m, s, a.space) if a.space in m.line.spaces else []
    return _refuse(m, "DEP002", f"door {doors[0]!r} is open", space=a.space) if doors else None


@interlock("DEP003", "The apparatus has no source for this method and material", actions=(act.Deposit,),
           source="claims 16, 32, 48 (film forming methods)",
           hint="use an apparatus with a matching source")  # fmt: skip
def has_source(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    assert isinstance(a, act.Deposit)
    name = m.line.apparatus_in(a.space)
    if name is not None and not m.line.apparatus[name].can_deposit(a.method, a.material):
        return _refuse(m, "DEP003", f"{name!r} cannot deposit {a.material} by {a.method}", space=a.space)
    return None


def item_temperature_degc(m: Machine, s: LineState, item: str) -> float:
    """An item's temperature: its apparatus heater's in an apparatus space (loose or boxed), else the room's."""
    return s.heaters.get(s.space_of(item), ROOM_TEMPERATURE_DEGC)


@interlock("HEAT001", "Lithium at or above its melting point", actions=ALL, when="after",
           source="patent description (heating below 179 °C, the melting point of lithium)",
           hint="stay below 179 °C while lithium is in the apparatus (100-178 °C is preferred); cool the "
                "apparatus before lithium goes in")  # fmt: skip
def lithium_melting(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    """After every action, whatever brought the heat: a heater set-point, or lithium moved into a hot space."""
    for name, item in s.items.items():
        if not item.lithium:
            continue
        degc = item_temperature_degc(m, s, name)
        if degc >= window.LITHIUM_MELTING_DEGC:
            space = s.space_of(name)
            return _refuse(m, "HEAT001", f"{name!r} would be at {degc:g} °C in {space!r}, melting its lithium",
                           item=name, space=space)  # fmt: skip
    return None


@interlock("HEAT002", "A heater set-point outside the heater's range", actions=(act.Heat,),
           source="heater data; a resistive substrate heater has no cooling (it cannot go below the room)",
           hint=f"set a finite temperature between {HEATER_MIN_DEGC:g} °C and the heater's maximum")  # fmt: skip
def heater_range(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    assert isinstance(a, act.Heat)
    name = m.line.apparatus_in(a.space) if a.space in m.line.spaces else None
    heater = m.line.apparatus[name].heater if name else None
    if name is not None and heater is None:
        return _refuse(m, "HEAT002", f"{name!r} has no heater", space=a.space)
    if not math.isfinite(a.temperature_degc) or a.temperature_degc < HEATER_MIN_DEGC:
        return _refuse(m, "HEAT002", f"{a.temperature_degc:g} °C is below what a heater without cooling holds "
                       f"({HEATER_MIN_DEGC:g} °C)", space=a.space)  # fmt: skip
    if heater is not None and a.temperature_degc > heater.max_degc:
        return _refuse(m, "HEAT002", f"{a.temperature_degc:g} °C is above the heater's {heater.max:~P}", space=a.space)
    return None


@interlock("CONT001", "A container opened outside an inert space", actions=(act.OpenContainer,),
           source="claims 1 c), 17 c), 33 c), j) (containers are opened in the inlet chamber space)",
           hint="open containers only in a glove chamber purged to the inert limits")  # fmt: skip
def open_where_inert(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    assert isinstance(a, act.OpenContainer)
    box = s.containers.get(a.container)
    if box is None:
        return None
    atm = s.atmospheres[box.space]
    why = "the room" if box.space == m.line.room else m.policy.why_active(atm)
    if why is not None:
        return _refuse(m, "CONT001", f"{a.container!r} would be opened in {box.space!r} ({why})",
                       space=box.space, atmosphere=atm)  # fmt: skip
    return None


@interlock("CONT002", "A container of active gas opened beside an exposed sensitive item", actions=(act.OpenContainer,),
           source="claims 1 c), g) (spaces inactive to lithium); the container's gas mixes into the space "
                  "(anodeline.physics.atmosphere.mixing), locally near air before it is diluted",
           hint="bring empty containers in open through the purge, or seal sensitive items first")  # fmt: skip
def open_active_container(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    assert isinstance(a, act.OpenContainer)
    box = s.containers.get(a.container)
    if box is None or not box.closed or box.space == m.line.room:
        return None
    why = "an unstated gas (taken as room air)" if box.sealed is None else m.policy.why_active(box.sealed)
    if why is None:
        return None
    spaces = set(joined(m, s, box.space))
    for name, item in s.items.items():
        if not item.sensitive or item.location == a.container:
            continue
        if s.space_of(name) in spaces and s.exposure(name)[1] is None:
            return _refuse(m, "CONT002", f"{a.container!r} holds {why}; opening it would expose {name!r}",
                           item=name, space=box.space, atmosphere=box.sealed)  # fmt: skip
    return None


def _glove_space(m: Machine, s: LineState, a: act.Action) -> list[str]:
    if isinstance(a, act.OpenContainer | act.CloseContainer):
        return [s.containers[a.container].space] if a.container in s.containers else []
    if isinstance(a, act.Move) and (a.item in s.items or a.item in s.containers):
        here = s.space_of(a.item)
        there = s.containers[a.to].space if a.to in s.containers else a.to
        return [here, there]
    return []


@interlock("GLOVE001", "Glove work where there are no gloves or the pressure is too low",
           actions=(act.OpenContainer, act.CloseContainer, act.Move),
           source="Example 1 (operations by hands inserted into the gloves of chambers 4 and 5)",
           hint="do the work from a glove chamber at about atmospheric pressure")  # fmt: skip
def gloves(m: Machine, s: LineState, a: act.Action) -> InterlockError | None:
    spaces = [space for space in _glove_space(m, s, a) if space in m.line.spaces]
    if not spaces:
        return None
    for space in spaces:
        if space == m.line.room:
            return None
        ok = m.line.spaces[space].has_gloves and s.atmospheres[space].pressure_pa >= m.policy.glove_pressure_min_pa
        if ok:
            return None
    return _refuse(m, "GLOVE001", f"no glove port at working pressure reaches {', '.join(spaces)}", space=spaces[0])


def interlocks_for(action: act.Action, when: str) -> list[Interlock]:
    return [rule for rule in INTERLOCKS.values() if rule.when == when and isinstance(action, rule.actions)]
