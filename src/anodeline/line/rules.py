"""The topology rule table: what makes a line configuration unusable, with a code and a source.

Each rule is data (code, title, hint, source) plus a check that yields findings at a
path of the line YAML; :mod:`anodeline.line.load` turns them into located
:class:`~anodeline.documents.violations.Violation` s, exactly like recipe rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from anodeline import window
from anodeline.chemistry import gases
from anodeline.documents.violations import Severity
from anodeline.line.config import Line

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Finding:
    path: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class LineRule:
    code: str
    severity: Severity
    title: str
    hint: str
    source: str
    check: Callable[[Line], Iterable[Finding]]


LINE_RULES: dict[str, LineRule] = {}


def _rule(
    code: str, severity: Severity, title: str, *, hint: str, source: str
) -> Callable[[Callable[[Line], Iterable[Finding]]], Callable[[Line], Iterable[Finding]]]:
    def decorate(check: Callable[[Line], Iterable[Finding]]) -> Callable[[Line], Iterable[Finding]]:
        LINE_RULES[code] = LineRule(code, severity, title, hint, source, check)
        return check

    return decorate


@_rule("LIN001", E, "The line needs exactly one room", hint="declare one space of kind room (the air outside)",
       source="Fig. 1 (the chambers open to the air)")  # fmt: skip
def one_room(line: Line) -> Iterator[Finding]:
    rooms = [name for name, space in line.spaces.items() if space.kind == "room"]
    if len(rooms) != 1:
        yield Finding("spaces", f"found {len(rooms)} spaces of kind room ({', '.join(rooms) or 'none'})")


@_rule("LIN002", E, "A door joins a missing space", hint="name two spaces declared under spaces",
       source="line language (docs/lines.md)")  # fmt: skip
def door_spaces(line: Line) -> Iterator[Finding]:
    for name, door in line.doors.items():
        for index, space in enumerate(door.between):
            if space not in line.spaces:
                yield Finding(f"doors.{name}.between[{index}]", f"door {name!r} leads to unknown space {space!r}")
        if door.between[0] == door.between[1]:
            yield Finding(f"doors.{name}.between", f"door {name!r} joins {door.between[0]!r} to itself")


@_rule("LIN003", E, "Equipment named but not declared", hint="declare it under pumps, supplies or purifiers",
       source="line language (docs/lines.md)")  # fmt: skip
def references(line: Line) -> Iterator[Finding]:
    for name, space in line.spaces.items():
        if space.pump is not None and space.pump not in line.pumps:
            yield Finding(f"spaces.{name}.pump", f"pump {space.pump!r} is not declared under pumps")
        if space.purifier is not None and space.purifier not in line.purifiers:
            yield Finding(f"spaces.{name}.purifier", f"purifier {space.purifier!r} is not declared")
        for index, supply in enumerate(space.supplies):
            if supply not in line.supplies:
                yield Finding(f"spaces.{name}.supplies[{index}]", f"gas supply {supply!r} is not declared")
    for name, sensor in line.sensors.items():
        if sensor.space not in line.spaces:
            yield Finding(f"sensors.{name}.space", f"sensor {name!r} is in unknown space {sensor.space!r}")


@_rule("LIN004", E, "An apparatus has no way in or out",
       hint="give the apparatus an inlet and an outlet glove chamber, each joined to it by a door",
       source="claims 1 d), f); Fig. 1 (inlet 2, outlet 3, chambers 4 and 5)")  # fmt: skip
def apparatus_access(line: Line) -> Iterator[Finding]:
    for name, app in line.apparatus.items():
        space = line.spaces.get(app.space)
        if space is None or space.kind != "apparatus":
            yield Finding(f"apparatus.{name}.space", f"{app.space!r} is not a space of kind apparatus")
            continue
        for role in ("inlet", "outlet"):
            chamber = getattr(app, role)
            kind = line.spaces[chamber].kind if chamber in line.spaces else None
            if kind != "glove-chamber":
                yield Finding(f"apparatus.{name}.{role}", f"{role} {chamber!r} is not a glove chamber")
            elif line.door_between(chamber, app.space) is None:
                yield Finding(f"apparatus.{name}.{role}", f"no door joins {role} {chamber!r} to {app.space!r}")


@_rule("LIN005", E, "A chamber has no load port from the room",
       hint="add a door between the room and the chamber (its antechamber)",
       source="claims 1 b), h) (containers enter from and leave to the air)")  # fmt: skip
def load_ports(line: Line) -> Iterator[Finding]:
    for name, app in line.apparatus.items():
        for role in ("inlet", "outlet"):
            chamber = getattr(app, role)
            if chamber in line.spaces and line.load_port(chamber) is None:
                yield Finding(f"apparatus.{name}.{role}", f"{chamber!r} has no door to the room")


@_rule("LIN006", E, "A space that must be evacuated has no pump",
       hint="give the space a pump (rotary for chambers, turbo or cryo for the apparatus)",
       source="Example 1 (air is evacuated from chamber 4); description (vacuum ≤ 1.33e-4 Pa)")  # fmt: skip
def pumps(line: Line) -> Iterator[Finding]:
    for name, space in line.spaces.items():
        if space.kind != "room" and space.pump is None:
            yield Finding(f"spaces.{name}", f"{space.kind} {name!r} has no pump")


@_rule("LIN007", E, "A space that must be filled has no gas supply",
       hint="list a gas supply under the space's supplies",
       source="claims 10, 11 (chambers and apparatus are filled with an inert gas)")  # fmt: skip
def supplies(line: Line) -> Iterator[Finding]:
    for name, space in line.spaces.items():
        if space.kind != "room" and not space.supplies:
            yield Finding(f"spaces.{name}", f"{space.kind} {name!r} has no gas supply")


@_rule("LIN008", E, "A gas supply delivers a gas the claims do not allow",
       hint="use He, N2, Ne, Ar, Kr, a mixture such as Ar+He, or dry-air (with dew_point <= -50 degC)",
       source="claims 10, 11, 26, 27, 42 and 43")  # fmt: skip
def supply_gases(line: Line) -> Iterator[Finding]:
    for name, supply in line.supplies.items():
        parts = gases.components(supply.gas)
        if gases.is_dry_air(supply.gas):
            dew = supply.dew_point
            if dew is None or float(dew.to("degC").magnitude) > window.DRY_AIR_DEW_POINT_MAX_DEGC:
                yield Finding(f"supplies.{name}", "dry air needs a dew_point of -50 degC or below")
        elif not parts or any(part not in gases.CHAMBER_GASES for part in parts):
            yield Finding(f"supplies.{name}.gas", f"{supply.gas!r} is not a chamber gas")


@_rule("LIN009", E, "An inlet or outlet chamber has no gloves",
       hint="set gloves: true (containers are opened and parts moved by hand through the gloves)",
       source="Example 1 (gloves are attached to chambers 4 and 5)")  # fmt: skip
def gloves(line: Line) -> Iterator[Finding]:
    for name, app in line.apparatus.items():
        for role in ("inlet", "outlet"):
            space = line.spaces.get(getattr(app, role))
            if space is not None and space.kind == "glove-chamber" and not space.has_gloves:
                yield Finding(f"apparatus.{name}.{role}", f"{getattr(app, role)!r} has no gloves")


@_rule("LIN010", E, "An apparatus has no deposition source",
       hint="list its sources: {name, method, materials}",
       source="claims 16, 32, 48 (sputtering, vacuum evaporation, laser ablation, ion plating)")  # fmt: skip
def sources(line: Line) -> Iterator[Finding]:
    for name, app in line.apparatus.items():
        if not app.sources:
            yield Finding(f"apparatus.{name}.sources", f"apparatus {name!r} has no source")
        for index, source in enumerate(app.sources):
            if source.method not in window.METHODS:
                yield Finding(
                    f"apparatus.{name}.sources[{index}].method",
                    f"method {source.method!r} is not one of {', '.join(window.METHODS)}",
                )


@_rule("LIN011", E, "The line has no apparatus", hint="declare at least one apparatus",
       source="claims 1, 17 and 33 (a film forming apparatus)")  # fmt: skip
def has_apparatus(line: Line) -> Iterator[Finding]:
    if not line.apparatus:
        yield Finding("apparatus", "no apparatus is declared")


@_rule("LIN012", W, "A glove chamber has no purifier",
       hint="add a purifier; without one, purge cycles alone must reach the O2/H2O limits",
       source="glove-box practice (circulating purification)")  # fmt: skip
def purifiers(line: Line) -> Iterator[Finding]:
    for name, space in line.spaces.items():
        if space.kind == "glove-chamber" and space.purifier is None:
            yield Finding(f"spaces.{name}", f"glove chamber {name!r} has no purifier")


def _policy_bound(line: Line, key: str, bound: window.Bound) -> Iterator[Finding]:
    value = getattr(line.policy, key)
    pa = float(value.to("Pa").magnitude)
    if not bound.contains(pa):
        yield Finding(f"policy.{key}", f"{key} {value:~P} is outside {bound.text()}")


@_rule("POL001", E, "policy.vacuum_below is not a vacuum",
       hint="set vacuum_below to 48.4 Pa or less (0.1 Pa, the default, is the start of high vacuum)",
       source=window.VACUUM_BELOW_PA.source)  # fmt: skip
def vacuum_below(line: Line) -> Iterator[Finding]:
    yield from _policy_bound(line, "vacuum_below", window.VACUUM_BELOW_PA)


@_rule("POL002", E, "policy.door_pressure_tolerance is not a small positive pressure",
       hint="set door_pressure_tolerance above 0 and at most 10 kPa (5 kPa is the default)",
       source=window.DOOR_TOLERANCE_PA.source)  # fmt: skip
def door_tolerance(line: Line) -> Iterator[Finding]:
    yield from _policy_bound(line, "door_pressure_tolerance", window.DOOR_TOLERANCE_PA)


@_rule("POL003", E, "policy.glove_pressure_min is not near atmospheric pressure",
       hint="set glove_pressure_min between 80 kPa and 110 kPa (90 kPa is the default)",
       source=window.GLOVE_PRESSURE_MIN_PA.source)  # fmt: skip
def glove_pressure(line: Line) -> Iterator[Finding]:
    yield from _policy_bound(line, "glove_pressure_min", window.GLOVE_PRESSURE_MIN_PA)


def _unsealed_at_pressure(line: Line) -> Iterator[str]:
    """Spaces where a sensitive item can be out of its container at pressure.

    A glove chamber with gloves (containers are opened there), and the space of every
    apparatus that can be filled with gas (items enter it from the inlet chamber at pressure).
    """
    for name, space in line.spaces.items():
        gloved = space.kind == "glove-chamber" and space.has_gloves
        if gloved or (space.kind == "apparatus" and space.supplies and line.apparatus_in(name) is not None):
            yield name


@_rule("SEN001", E, "A space where a sensitive item is unsealed at pressure has no O2 or H2O analyser",
       hint="add sensors {space: NAME, measures: o2} and {space: NAME, measures: dew-point} (or h2o) for that space",
       source="claims 1 d), f), 2 (spaces kept inactive: O2 and H2O within the limits must be measured, "
              "not assumed); glove-box practice (O2 and moisture analysers)")  # fmt: skip
def analysers(line: Line) -> Iterator[Finding]:
    for name in _unsealed_at_pressure(line):
        measured = {sensor.measures for sensor in line.sensors.values() if sensor.space == name}
        kind = line.spaces[name].kind
        if "o2" not in measured:
            yield Finding(f"spaces.{name}", f"{kind} {name!r} has no O2 analyser")
        if not measured & {"h2o", "dew-point"}:
            yield Finding(f"spaces.{name}", f"{kind} {name!r} has no H2O or dew-point analyser")
