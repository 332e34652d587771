"""Errors of the atmosphere models; each is an :class:`AnodelineError` and a :class:`ValueError`.

They live here until ``anodeline.errors`` gains a physics section; import them from
``anodeline.physics.atmosphere`` so that a later move does not break callers.
"""

from __future__ import annotations

from anodeline.errors import AnodelineError


class AtmosphereError(AnodelineError, ValueError):
    """An atmosphere model was asked for something outside its domain (negative pressure, 2 × 10⁶ ppm…)."""

    code = "ATMOSPHERE"


class UnreachablePressureError(AtmosphereError):
    """A pump cannot reach the asked pressure: it is at or below the ultimate pressure Q/S."""

    code = "ATMOSPHERE_UNREACHABLE"

    def __init__(self, target_pa: float, ultimate_pa: float, *, hint: str = "", location: str = "") -> None:
        self.target_pa = target_pa
        self.ultimate_pa = ultimate_pa
        super().__init__(
            f"{target_pa:.4g} Pa is at or below the ultimate pressure {ultimate_pa:.4g} Pa (gas load / pump speed)",
            hint=hint or "aim above the ultimate pressure, lower the gas load or use a faster pump",
            location=location,
        )


class NoFrostPointError(AtmosphereError):
    """A water content is too high to have a frost point (its dew point is above 0.01 °C)."""

    code = "ATMOSPHERE_NO_FROST_POINT"
