"""When an atmosphere is inactive to lithium: the recipe's limits and the line's thresholds.

An air-sensitive item may meet an atmosphere only if it is (claims 2, 10, 11, 18, 34):

* an inert gas (He, N2, Ne, Ar, Kr or a mixture) with O2 and H2O within the recipe's
  ``atmosphere.max_o2`` / ``max_h2o``, at any pressure (pumping keeps the composition);
* a vacuum, below the line's ``policy.vacuum_below``, whatever the residual gas; or
* dry air whose water is at most that of a −50 °C frost point (38.9 ppmv at 1 atm).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from anodeline import window
from anodeline.chemistry import gases
from anodeline.physics.atmosphere.state import Atmosphere

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.line.config import Line
    from anodeline.recipe.schema import Recipe

#: Defaults when no recipe is given (recipe defaults: 10 ppm O2 and H2O).
DEFAULT_MAX_PPM = 10.0


@dataclass(frozen=True)
class AirPolicy:
    """The thresholds the interlocks judge by (all bare floats carry their unit in the name)."""

    max_o2_ppm: float = DEFAULT_MAX_PPM
    max_h2o_ppm: float = DEFAULT_MAX_PPM
    vacuum_below_pa: float = 0.1
    dry_air_h2o_max_ppm: float = window.DRY_AIR_H2O_MAX_PPMV
    base_pressure_pa: float = window.BASE_PRESSURE_MAX_PA
    door_tolerance_pa: float = 5000.0
    glove_pressure_min_pa: float = 90000.0
    gas: str = "Ar"

    def why_active(self, atm: Atmosphere) -> str | None:
        """None when ``atm`` is inactive to lithium, else the reason in words."""
        if atm.pressure_pa < self.vacuum_below_pa:
            return None
        parts = gases.components(atm.gas)
        if parts == (gases.DRY_AIR,):
            if atm.h2o_ppm <= self.dry_air_h2o_max_ppm:
                return None
            return f"dry air with {atm.h2o_ppm:.4g} ppm H2O (above {self.dry_air_h2o_max_ppm:.3g} ppm, -50 °C)"
        if not parts or any(part not in gases.CHAMBER_GASES for part in parts):
            return f"{atm.gas} at {atm.pressure_pa:.4g} Pa ({atm.o2_ppm:.4g} ppm O2, {atm.h2o_ppm:.4g} ppm H2O)"
        if atm.o2_ppm > self.max_o2_ppm:
            return f"{atm.gas} with {atm.o2_ppm:.4g} ppm O2 (limit {self.max_o2_ppm:g} ppm)"
        if atm.h2o_ppm > self.max_h2o_ppm:
            return f"{atm.gas} with {atm.h2o_ppm:.4g} ppm H2O (limit {self.max_h2o_ppm:g} ppm)"
        return None

    def is_inactive(self, atm: Atmosphere) -> bool:
        return self.why_active(atm) is None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AirPolicy:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown policy keys: {', '.join(sorted(unknown))}")
        numbers = {key: float(value) for key, value in data.items() if key != "gas"}
        return cls(gas=str(data.get("gas", "Ar")), **numbers)


#: The policy fields a line decides (its ``policy`` block), by the line key they come from.
LINE_KEYS: dict[str, str] = {
    "vacuum_below_pa": "vacuum_below",
    "door_tolerance_pa": "door_pressure_tolerance",
    "glove_pressure_min_pa": "glove_pressure_min",
}

#: The bounds every policy value must lie in (item-4 bounds of the window), whoever wrote it.
BOUNDS: dict[str, window.Bound] = {
    "max_o2_ppm": window.MAX_O2_PPM,
    "max_h2o_ppm": window.MAX_H2O_PPM,
    "dry_air_h2o_max_ppm": window.MAX_H2O_PPM,
    "vacuum_below_pa": window.VACUUM_BELOW_PA,
    "base_pressure_pa": window.Bound(
        0.0, window.BASE_PRESSURE_MAX_PA, "Pa", "patent description (background vacuum not higher than 1.33e-4 Pa)",
        low_open=True,
    ),
    "door_tolerance_pa": window.DOOR_TOLERANCE_PA,
    "glove_pressure_min_pa": window.GLOVE_PRESSURE_MIN_PA,
}  # fmt: skip


def line_values(line: Line) -> dict[str, float]:
    """The policy values ``line`` decides: its vacuum threshold, door tolerance, glove pressure."""
    p = line.policy
    return {
        "vacuum_below_pa": p.vacuum_below_pa,
        "door_tolerance_pa": p.door_pressure_tolerance_pa,
        "glove_pressure_min_pa": p.glove_pressure_min_pa,
    }


def out_of_bounds(policy: AirPolicy) -> dict[str, str]:
    """Each policy field outside its bound (or not finite, or a gas the claims do not allow): field -> why."""
    found: dict[str, str] = {}
    for key, bound in BOUNDS.items():
        value = getattr(policy, key)
        if not bound.contains(value):
            found[key] = f"{key} = {value!r} is out of range: it must be {bound.text()}"
    parts = gases.components(policy.gas)
    if not parts or any(part not in (*gases.CHAMBER_GASES, gases.DRY_AIR) for part in parts):
        found["gas"] = f"gas {policy.gas!r} is not among He, N2, Ne, Ar, Kr, their mixtures or dry-air"
    return found


def on_line(policy: AirPolicy, line: Line) -> AirPolicy:
    """``policy`` with what the line decides taken from ``line``; the dry-air water never above −50 °C's."""
    changes: dict[str, Any] = {
        **line_values(line),
        "dry_air_h2o_max_ppm": min(policy.dry_air_h2o_max_ppm, window.DRY_AIR_H2O_MAX_PPMV),
    }
    return replace(policy, **changes)


def policy_for(line: Line, recipe: Recipe | None = None) -> AirPolicy:
    """The policy of ``line`` with the limits of ``recipe`` (or the defaults)."""
    from anodeline.physics.atmosphere.humidity import frost_point_to_ppmv

    values: dict[str, Any] = {
        **line_values(line),
        "dry_air_h2o_max_ppm": frost_point_to_ppmv(window.DRY_AIR_DEW_POINT_MAX_DEGC),
    }
    if recipe is not None:
        atmosphere = recipe.atmosphere
        values["max_o2_ppm"] = float(atmosphere.max_o2.to("ppm").magnitude)
        values["max_h2o_ppm"] = float(atmosphere.max_h2o.to("ppm").magnitude)
        values["base_pressure_pa"] = float(recipe.deposition.base_pressure.to("Pa").magnitude)
        values["gas"] = atmosphere.gas
        if atmosphere.dew_point is not None and gases.is_dry_air(atmosphere.gas):
            dew = min(float(atmosphere.dew_point.to("degC").magnitude), window.DRY_AIR_DEW_POINT_MAX_DEGC)
            values["dry_air_h2o_max_ppm"] = frost_point_to_ppmv(dew)
        if recipe.assembly is not None:  # claims 7, 23, 39: the cell is assembled at its dew point or drier
            cell_ppm = frost_point_to_ppmv(float(recipe.assembly.dew_point.to("degC").magnitude))
            values["max_h2o_ppm"] = min(values["max_h2o_ppm"], cell_ppm)
            values["dry_air_h2o_max_ppm"] = min(values["dry_air_h2o_max_ppm"], cell_ppm)
    return AirPolicy(**values)
