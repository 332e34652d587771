"""The state of a gas space: matrix gas, total pressure and the impurities that harm lithium.

O2 and H2O oxidise lithium and hydrolyse sulfide electrolytes (H2S); N2 forms Li3N.
They are carried as mole fractions in ppm of the whole gas; the rest is the matrix gas
(``gas``: 'air', 'Ar', 'N2', 'He', 'Ar+He', 'dry-air'…, spelled as in
:mod:`anodeline.chemistry.gases`). For an 'air' matrix the O2 and N2 fields hold air's own
O2 and N2, so the harm of air is always read from the impurity fields, never from ``gas``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from anodeline.physics.atmosphere.errors import AtmosphereError

#: Standard atmosphere, Pa (ISO 2533).
STANDARD_PRESSURE_PA = 101325.0
#: Dry-air O2 and N2 mole fractions, ppm (US Standard Atmosphere 1976).
AIR_O2_PPM = 209460.0
AIR_N2_PPM = 780840.0
PPM = 1e6


def _check_ppm(name: str, value: float) -> None:
    if not math.isfinite(value) or value < 0.0 or value > PPM:
        raise AtmosphereError(f"{name} = {value!r} is not a mole fraction in ppm", hint="use 0 … 1e6 ppm")


@dataclass(frozen=True)
class Atmosphere:
    """Matrix gas, pressure and O2/H2O/N2 mole fractions (ppm of the whole gas)."""

    gas: str
    pressure_pa: float
    o2_ppm: float
    h2o_ppm: float
    n2_ppm: float = 0.0

    def __post_init__(self) -> None:
        if (
            0.0 <= self.pressure_pa < math.inf
            and 0.0 <= self.o2_ppm <= PPM
            and 0.0 <= self.h2o_ppm <= PPM
            and (0.0 <= self.n2_ppm <= PPM)
        ):
            return  # a valid atmosphere (NaN fails every comparison): one chain, as the twin makes one per poll
        if not math.isfinite(self.pressure_pa) or self.pressure_pa < 0.0:
            raise AtmosphereError(f"pressure {self.pressure_pa!r} Pa is not a pressure", hint="use a pressure >= 0 Pa")
        for name in ("o2_ppm", "h2o_ppm", "n2_ppm"):
            _check_ppm(name, getattr(self, name))

    @property
    def harmful_ppm(self) -> float:
        """O2 + H2O, the two impurities that attack lithium at room temperature."""
        return self.o2_ppm + self.h2o_ppm

    def with_pressure(self, pressure_pa: float) -> Atmosphere:
        """The same composition at another pressure."""
        return Atmosphere(self.gas, pressure_pa, self.o2_ppm, self.h2o_ppm, self.n2_ppm)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gas": self.gas,
            "pressure_pa": self.pressure_pa,
            "o2_ppm": self.o2_ppm,
            "h2o_ppm": self.h2o_ppm,
            "n2_ppm": self.n2_ppm,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Atmosphere:
        return cls(
            gas=str(data["gas"]),
            pressure_pa=float(data["pressure_pa"]),
            o2_ppm=float(data["o2_ppm"]),
            h2o_ppm=float(data["h2o_ppm"]),
            n2_ppm=float(data.get("n2_ppm", 0.0)),
        )


def room_air(
    temperature_degc: float = 20.0, relative_humidity: float = 0.5, pressure_pa: float = STANDARD_PRESSURE_PA
) -> Atmosphere:
    """Room air: dry-air O2 and N2, water from relative humidity over liquid water (WMO convention).

    O2 and N2 keep their dry-air values rather than being diluted by the water (about 1 % at
    20 °C, 50 % RH): the conservative side for an air-free line, and the basis of the purge
    reference (20.9 % O2 → 207 ppm after one 1 mbar cycle).
    """
    from anodeline.physics.atmosphere.humidity import water_vapour_pressure_pa

    if not 0.0 <= relative_humidity <= 1.0:
        raise AtmosphereError(f"relative humidity {relative_humidity!r} is not a fraction", hint="use 0 … 1 (0.5)")
    vapour_pa = relative_humidity * water_vapour_pressure_pa(temperature_degc + 273.15)
    if vapour_pa >= pressure_pa:
        raise AtmosphereError(f"water vapour {vapour_pa:.4g} Pa exceeds the total pressure {pressure_pa:.4g} Pa")
    return Atmosphere("air", pressure_pa, AIR_O2_PPM, vapour_pa / pressure_pa * PPM, AIR_N2_PPM)


def inert(gas: str, o2_ppm: float, h2o_ppm: float, pressure_pa: float = STANDARD_PRESSURE_PA) -> Atmosphere:
    """An inert or dry gas space with given O2 and H2O (no N2 unless the matrix is N2 itself)."""
    return Atmosphere(gas, pressure_pa, o2_ppm, h2o_ppm)
