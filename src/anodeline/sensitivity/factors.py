"""What ``anodeline sensitivity`` varies: the recipe's inputs and the estimated constants.

Each factor is data: a name, whether it is a process *input* (what an engineer sets) or an
*estimate* (a constant of the model nobody measured on this line), its range, the scale it
is sampled on, and where the range comes from. Estimates vary as a multiplier on their
default (log-uniform: ×0.2 means a fifth, ×5 five times). Ranges are engineering judgement
(est.) unless a source is named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from anodeline import window
from anodeline.recipe.schema import Layer, Recipe

Kind = Literal["input", "estimate"]
Scale = Literal["linear", "log"]


@dataclass(frozen=True)
class Factor:
    name: str
    kind: Kind
    low: float
    high: float
    unit: str
    nominal: float
    source: str
    scale: Scale = "linear"

    @property
    def bounds(self) -> tuple[float, float]:
        """The interval SALib samples (log10 of the value for a log-scaled factor)."""
        if self.scale == "log":
            return math.log10(self.low), math.log10(self.high)
        return self.low, self.high

    def value(self, sampled: float) -> float:
        return 10.0**sampled if self.scale == "log" else sampled

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "kind": self.kind, "low": self.low, "high": self.high, "unit": self.unit,
                "nominal": self.nominal, "scale": self.scale, "source": self.source}  # fmt: skip


def _top(recipe: Recipe) -> Layer:
    return [layer for layer in recipe.layers if layer.kind == "solid-electrolyte"][-1]


def _multiplier(name: str, low: float, high: float, source: str) -> Factor:
    return Factor(name, "estimate", low, high, "×", 1.0, source, "log")


def factors_for(recipe: Recipe) -> tuple[Factor, ...]:
    """The factors of ``recipe``: its top electrolyte film's settings, the line's gas, the twin's estimates."""
    top = _top(recipe)
    thickness = float(top.thickness.to("um").magnitude)
    bound = window.ELECTROLYTE_THICKNESS_UM
    temperature = float(top.substrate_temperature.to("degC").magnitude)
    room = window.ROOM_TEMPERATURE_DEGC
    if room.contains(temperature):
        t_low, t_high, t_source = room.low, room.high, room.source
    else:
        t_low, t_high, t_source = (
            temperature - 10.0,
            temperature + 10.0,
            "stated temperature ± 10 °C (heater control, est.)",
        )
    found = [
        Factor("thickness", "input", max(bound.low, 0.8 * thickness), min(bound.high, 1.2 * thickness), "µm",
               thickness, "stated thickness ± 20 % (QCM tooling and rate drift, est.)"),
        Factor("substrate_temperature", "input", t_low, t_high, "°C", temperature, t_source),
    ]  # fmt: skip
    if top.method == "sputtering":
        power = float(top.power.to("W").magnitude) if top.power is not None else 100.0
        found.append(Factor("sputter_power", "input", 0.5 * power, 2.0 * power, "W", power,
                            "stated power ×0.5–×2 (or the estimated rate constant k_s: r = k_s·P)"))  # fmt: skip
    found += [
        Factor("gas_impurity", "input", 1e-6, 1e-4, "mol/mol", 1e-4,
               "supply impurity 1 ppm (6N) to 100 ppm (4N, the claims' floor of 99.99 %)", "log"),
        _multiplier("chamber_leak", 0.2, 5.0, "glove-chamber leak rate (twin estimate; ISO 10648-2 classes span ×5)"),
        _multiplier("apparatus_leak", 0.1, 10.0, "apparatus leak + permeation (twin estimate, Viton-sealed chamber)"),
        _multiplier("operator_time", 0.5, 2.0, "operator work times (twin estimate)"),
        _multiplier("door_travel", 0.5, 2.0, "door and gate-valve travel time (twin estimate)"),
        _multiplier("fill_flow", 0.5, 2.0, "backfill flow (twin estimate, 100 slm)"),
        _multiplier("hydrolysis_rate", 0.1, 10.0,
                    "sulfide σ loss per ppm·s H2O (Yersak et al. 2022, one dew point, powder: est.)"),
        Factor("sulfide_o2_equivalent", "estimate", 0.0, 0.05, "ppm H2O per ppm O2", 0.0,
               "O2 reactivity of the sulfide as water-equivalents (est.: far slower than H2O)"),
    ]  # fmt: skip
    return tuple(found)
