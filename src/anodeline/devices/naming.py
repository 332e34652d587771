"""Device names derived from a line configuration: one convention for every backend.

The engine finds the pump of a space, the gas valve from a supply into a space, the
heater and sources of an apparatus by these names; a hardware backend maps the same names
to its tags. Sensors, pumps, purifiers and doors keep their names from the line file.
"""

from __future__ import annotations

from anodeline.line.config import Line

OPERATOR = "operator"
MAINS = "mains"


def valve(space: str, supply: str) -> str:
    """The gas valve from ``supply`` into ``space``."""
    return f"{space}/{supply}"


def heater(apparatus: str) -> str:
    return f"{apparatus}/heater"


def source(apparatus: str, source_name: str) -> str:
    return f"{apparatus}/{source_name}"


def valve_for(line: Line, space: str, gas: str) -> str | None:
    """The valve that fills ``space`` with ``gas`` (the first supply of that gas)."""
    for name in line.spaces[space].supplies:
        supply = line.supplies.get(name)
        if supply is not None and supply.gas == gas:
            return valve(space, name)
    return None


def heater_for(line: Line, space: str) -> str | None:
    name = line.apparatus_in(space)
    return heater(name) if name is not None and line.apparatus[name].heater is not None else None


def source_for(line: Line, space: str, method: str, material: str) -> str | None:
    """The first source of the apparatus in ``space`` that deposits ``material`` by ``method``."""
    name = line.apparatus_in(space)
    if name is None:
        return None
    for src in line.apparatus[name].sources:
        if src.method == method and material in src.materials:
            return source(name, src.name)
    return None


def sensors_in(line: Line, space: str) -> dict[str, str]:
    """``measures → sensor name`` for the sensors of ``space`` (the first of each kind)."""
    found: dict[str, str] = {}
    for name, sensor in line.sensors.items():
        if sensor.space == space:
            found.setdefault(sensor.measures, name)
    return found
