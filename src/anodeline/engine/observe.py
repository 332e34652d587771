"""What the engine knows: readings overlaid on its model of the line.

The engine keeps a *belief* — the state the Machine predicts from the steps done
(:meth:`anodeline.line.machine.Machine.apply`) — and, at every poll, replaces each
measured quantity by its sensor reading: O2, H2O (or dew point) and pressure of the
spaces that have an analyser or a gauge, and of the spaces joined to them by an open
door. A quantity without a sensor (the O2 of an
apparatus on fig1) keeps the model's estimate; docs/engine.md lists them per line.
"""

from __future__ import annotations

from collections.abc import Mapping

from anodeline.line.config import Line
from anodeline.line.state import LineState
from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.humidity import frost_point_to_ppmv
from anodeline.physics.atmosphere.state import STANDARD_PRESSURE_PA, Atmosphere

FIELD = {"o2": "o2_ppm", "h2o": "h2o_ppm", "pressure": "pressure_pa", "dew-point": "h2o_ppm"}


def overlay(line: Line, belief: LineState, readings: Mapping[str, float]) -> LineState:
    """``belief`` with every measured quantity replaced by its reading."""
    return Overlay(line)(belief, readings)


class Overlay:
    """:func:`overlay` for one line, its sensors and doors looked up once (the engine overlays at every poll)."""

    def __init__(self, line: Line) -> None:
        self.sensors = tuple(
            (name, sensor.space, FIELD[sensor.measures], sensor.measures == "dew-point")
            for name, sensor in line.sensors.items()
        )
        #: Doors between two spaces of the line (an open door makes one volume of them; the room is apart).
        self.doors = {door: config.between for door, config in line.doors.items() if line.room not in config.between}

    def __call__(self, belief: LineState, readings: Mapping[str, float]) -> LineState:
        changes: dict[str, dict[str, float]] = {}
        for name, space, field, dew_point in self.sensors:
            value = readings.get(name)
            if value is None:
                continue
            if dew_point:
                try:
                    value = frost_point_to_ppmv(value)
                except AtmosphereError:
                    continue
            fields = changes.get(space)
            if fields is None:
                fields = changes[space] = {}
            fields[field] = min(max(value, 0.0), 1e6)
        between = self.doors
        for door, is_open in belief.doors.items():  # an open door makes one volume: share what is measured
            if not is_open or door not in between:
                continue
            a, b = between[door]
            for here, there in ((a, b), (b, a)):
                for key, value in list(changes.get(here, {}).items()):
                    changes.setdefault(there, {}).setdefault(key, value)
        if not changes:
            return belief
        atmospheres = belief.atmospheres
        measured = {}
        for space, fields in changes.items():
            atm = atmospheres[space]
            measured[space] = Atmosphere(
                atm.gas,
                fields.get("pressure_pa", atm.pressure_pa),
                fields.get("o2_ppm", atm.o2_ppm),
                fields.get("h2o_ppm", atm.h2o_ppm),
                atm.n2_ppm,
            )
        return belief.with_atmospheres(measured)


def equivalent_ppm(atm: Atmosphere) -> tuple[float, float]:
    """O2 and H2O as atmosphere-equivalent ppm: fraction × p / 1 atm (partial pressure in ppm of 1 atm)."""
    share = min(atm.pressure_pa / STANDARD_PRESSURE_PA, 1.0)
    return atm.o2_ppm * share, atm.h2o_ppm * share
