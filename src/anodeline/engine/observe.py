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
from dataclasses import replace

from anodeline.line.config import Line
from anodeline.line.state import LineState
from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.humidity import frost_point_to_ppmv
from anodeline.physics.atmosphere.state import STANDARD_PRESSURE_PA, Atmosphere

FIELD = {"o2": "o2_ppm", "h2o": "h2o_ppm", "pressure": "pressure_pa", "dew-point": "h2o_ppm"}


def overlay(line: Line, belief: LineState, readings: Mapping[str, float]) -> LineState:
    """``belief`` with every measured quantity replaced by its reading."""
    changes: dict[str, dict[str, float]] = {}
    for name, sensor in line.sensors.items():
        if name not in readings:
            continue
        value = readings[name]
        if sensor.measures == "dew-point":
            try:
                value = frost_point_to_ppmv(value)
            except AtmosphereError:
                continue
        changes.setdefault(sensor.space, {})[FIELD[sensor.measures]] = min(max(value, 0.0), 1e6)
    for door, is_open in belief.doors.items():  # an open door makes one volume: share what is measured
        a, b = line.doors[door].between
        if not is_open or line.room in (a, b):
            continue
        for here, there in ((a, b), (b, a)):
            for key, value in list(changes.get(here, {}).items()):
                changes.setdefault(there, {}).setdefault(key, value)
    measured = {space: replace(belief.atmospheres[space], **fields) for space, fields in changes.items()}  # type: ignore[arg-type]
    return belief.with_atmospheres(measured) if measured else belief


def equivalent_ppm(atm: Atmosphere) -> tuple[float, float]:
    """O2 and H2O as atmosphere-equivalent ppm: fraction × p / 1 atm (partial pressure in ppm of 1 atm)."""
    share = min(atm.pressure_pa / STANDARD_PRESSURE_PA, 1.0)
    return atm.o2_ppm * share, atm.h2o_ppm * share
