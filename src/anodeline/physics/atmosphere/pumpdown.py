"""Rough pump-down of a chamber at constant pumping speed with a constant gas load.

Mass balance of an ideal gas at constant temperature (shared/REFERENCES.md; O'Hanlon,
*A User's Guide to Vacuum Technology*, ch. on pumpdown)::

    V·dp/dt = Q − S·p

V chamber volume, m³; S effective pumping speed at the chamber, m³/s; Q gas load
(outgassing + leaks), Pa·m³/s. With p(0) = p0::

    p(t) = Q/S + (p0 − Q/S)·exp(−S·t/V)
    t    = (V/S)·ln((p0 − Q/S)/(p − Q/S))          (Q = 0: t = (V/S)·ln(p0/p))

and the ultimate pressure is Q/S. Valid in the viscous/transition range of a roughing
pump whose speed is flat over the range (real pump-downs take 2–3× the ideal time, since
the speed falls towards the pump's base pressure and outgassing falls with time); high
vacuum (1e-4 Pa) needs a turbo or cryo pump and a time-dependent outgassing.
"""

from __future__ import annotations

import math

from anodeline.physics.atmosphere.errors import AtmosphereError, UnreachablePressureError

#: Outgassing of unbaked stainless steel after about 1 h of pumping, Pa·m³/(s·m²)
#: (est., order of magnitude from vacuum handbooks (O'Hanlon); it falls roughly as 1/t).
STAINLESS_OUTGASSING_PA_M3_PER_S_M2 = 1e-6


def _check_positive(name: str, value: float) -> None:
    if not math.isfinite(value) or value <= 0.0:
        raise AtmosphereError(f"{name} = {value!r} must be positive")


def _check_load(gas_load_pa_m3_per_s: float) -> None:
    if not math.isfinite(gas_load_pa_m3_per_s) or gas_load_pa_m3_per_s < 0.0:
        raise AtmosphereError(f"gas load {gas_load_pa_m3_per_s!r} Pa·m³/s must be >= 0")


def gas_load(
    area_m2: float = 0.0,
    outgassing_pa_m3_per_s_m2: float = STAINLESS_OUTGASSING_PA_M3_PER_S_M2,
    leak_pa_m3_per_s: float = 0.0,
) -> float:
    """Gas load Q = outgassing rate × wall area + leak rate, Pa·m³/s."""
    load = area_m2 * outgassing_pa_m3_per_s_m2 + leak_pa_m3_per_s
    _check_load(load)
    return load


def ultimate_pressure(speed_m3_per_s: float, gas_load_pa_m3_per_s: float = 0.0) -> float:
    """The pressure the chamber tends to, Pa: Q/S."""
    _check_positive("pumping speed", speed_m3_per_s)
    _check_load(gas_load_pa_m3_per_s)
    return gas_load_pa_m3_per_s / speed_m3_per_s


def pressure_at(
    seconds: float, volume_m3: float, speed_m3_per_s: float, p0_pa: float, gas_load_pa_m3_per_s: float = 0.0
) -> float:
    """Chamber pressure, Pa, ``seconds`` after the pump starts at ``p0_pa``."""
    _check_positive("volume", volume_m3)
    _check_positive("start pressure", p0_pa)
    if not math.isfinite(seconds) or seconds < 0.0:
        raise AtmosphereError(f"time {seconds!r} s must be >= 0")
    floor_pa = ultimate_pressure(speed_m3_per_s, gas_load_pa_m3_per_s)
    return floor_pa + (p0_pa - floor_pa) * math.exp(-speed_m3_per_s * seconds / volume_m3)


def pumpdown_time(
    volume_m3: float, speed_m3_per_s: float, p0_pa: float, p_pa: float, gas_load_pa_m3_per_s: float = 0.0
) -> float:
    """Seconds to pump ``volume_m3`` from ``p0_pa`` down to ``p_pa``.

    Raises :class:`UnreachablePressureError` (a ``ValueError``) when ``p_pa`` ≤ Q/S.
    """
    _check_positive("volume", volume_m3)
    _check_positive("start pressure", p0_pa)
    _check_positive("target pressure", p_pa)
    if p_pa > p0_pa:
        raise AtmosphereError(
            f"target {p_pa:.6g} Pa is above the start pressure {p0_pa:.6g} Pa", hint="a pump only lowers pressure"
        )
    floor_pa = ultimate_pressure(speed_m3_per_s, gas_load_pa_m3_per_s)
    if p_pa <= floor_pa:
        raise UnreachablePressureError(p_pa, floor_pa)
    return volume_m3 / speed_m3_per_s * math.log((p0_pa - floor_pa) / (p_pa - floor_pa))
