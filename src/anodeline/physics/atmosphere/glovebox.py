"""O2, H2O and N2 in a recirculating glove box: leak ingress against the purifier.

Each impurity fraction c (ppm) obeys a first-order balance (well-mixed box, pressure
held by the box controller, so ingress exchanges box gas for outside gas)::

    dc/dt = λ·(c_out − c) + s − k·c,        k = η·F/V

λ leak rate, box volumes per hour (ISO 10648-2 hourly leak rate); c_out the outside
fraction (room air); s an internal source, ppm/h (glove permeation, outgassing of the
load); F purifier circulation flow, V box volume, η single-pass removal (copper catalyst
takes O2, 13X sieve takes H2O, neither takes N2: η_N2 = 0). With r = λ + k::

    c(t) = c_ss + (c0 − c_ss)·exp(−r·t),    c_ss = (λ·c_out + s)/r       (r = 0: c = c0 + s·t)

Sources: shared/REFERENCES.md (purifier holds < 1 ppm, spikes ~5 ppm on transfers;
ISO 10648-2 class 1 ≤ 0.05 vol %/h ≈ 100 ppm O2/h with the purifier off; a good box gains
1–3 ppm O2/h). Valid while the purifier is below saturation and the box well mixed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache

from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.state import AIR_O2_PPM, PPM, Atmosphere, room_air

SECONDS_PER_HOUR = 3600.0
#: ISO 10648-2:1994 class 1 glove box: hourly leak rate ≤ 5e-4 box volumes per hour (0.05 vol %/h).
ISO_CLASS_1_LEAK_PER_H = 5e-4
#: A good box gains ~2 ppm O2/h with the purifier off (shared/REFERENCES.md: 1–3 ppm/h), as air exchange.
TYPICAL_LEAK_PER_H = 2.0 / AIR_O2_PPM


@dataclass(frozen=True)
class GloveBoxParams:
    """A glove box and its purifier; defaults are a typical 1 m³ laboratory box (est. where marked)."""

    volume_m3: float = 1.0  # (est.) a two-to-four-glove laboratory box
    leak_per_h: float = TYPICAL_LEAK_PER_H
    purifier_flow_m3_per_h: float = 30.0  # (est.) circulation blowers move ~30–100 m³/h; the low end
    purifier_on: bool = True
    o2_removal: float = 1.0  # (est.) single pass through fresh copper catalyst
    h2o_removal: float = 1.0  # (est.) single pass through fresh 13X molecular sieve
    n2_removal: float = 0.0  # Cu and 13X do not take N2
    h2o_source_ppm_per_h: float = 0.5  # (est.) water permeating the gloves and leaving the load
    outside: Atmosphere = field(default_factory=room_air)

    def __post_init__(self) -> None:
        for name in ("volume_m3", "leak_per_h", "purifier_flow_m3_per_h", "h2o_source_ppm_per_h"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0.0:
                raise AtmosphereError(f"glove box {name} = {value!r} must be >= 0")
        if self.volume_m3 <= 0.0:
            raise AtmosphereError("glove box volume must be positive")
        for name in ("o2_removal", "h2o_removal", "n2_removal"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise AtmosphereError(f"glove box {name} = {getattr(self, name)!r} is not a fraction")

    @property
    def turnover_per_h(self) -> float:
        """Box volumes passed through the purifier per hour (0 with the purifier off)."""
        return self.purifier_flow_m3_per_h / self.volume_m3 if self.purifier_on else 0.0


#: A typical box that holds well below 1 ppm O2 and H2O.
TYPICAL_GLOVE_BOX = GloveBoxParams()
#: A box at the ISO 10648-2 class 1 limit; with the default purifier it settles near 3.5 ppm O2.
ISO_CLASS_1_GLOVE_BOX = GloveBoxParams(leak_per_h=ISO_CLASS_1_LEAK_PER_H)


def _rates_per_s(
    box: GloveBoxParams, outside_ppm: float, removal: float, source_ppm_per_h: float
) -> tuple[float, float]:
    """(gain ppm/s, decay 1/s) of one species."""
    gain = (box.leak_per_h * outside_ppm + source_ppm_per_h) / SECONDS_PER_HOUR
    decay = (box.leak_per_h + removal * box.turnover_per_h) / SECONDS_PER_HOUR
    return gain, decay


def _evolve_one(c0: float, gain: float, decay: float, seconds: float) -> float:
    if decay == 0.0:
        return min(c0 + gain * seconds, PPM)
    # c0·e^(−rt) + c_ss·(1 − e^(−rt)), with expm1 so that slow decays (N2: leak only) keep their digits
    return min(c0 * math.exp(-decay * seconds) - gain / decay * math.expm1(-decay * seconds), PPM)


@lru_cache(maxsize=256)
def _rates(box: GloveBoxParams) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """(gain ppm/s, decay 1/s) of O2, H2O and N2 in ``box`` (kept: the twin evolves the same box at every poll)."""
    rates = [_rates_per_s(box, outside, removal, source) for outside, removal, source in _species(box).values()]
    return rates[0], rates[1], rates[2]


def _species(box: GloveBoxParams) -> dict[str, tuple[float, float, float]]:
    out = box.outside
    return {
        "o2_ppm": (out.o2_ppm, box.o2_removal, 0.0),
        "h2o_ppm": (out.h2o_ppm, box.h2o_removal, box.h2o_source_ppm_per_h),
        "n2_ppm": (out.n2_ppm, box.n2_removal, 0.0),
    }


def evolve(atm: Atmosphere, seconds: float, box: GloveBoxParams = TYPICAL_GLOVE_BOX) -> Atmosphere:
    """The box atmosphere ``seconds`` later (analytic solution of the first-order balance)."""
    if not math.isfinite(seconds) or seconds < 0.0:
        raise AtmosphereError(f"time {seconds!r} s must be >= 0")
    o2, h2o, n2 = _rates(box)
    return Atmosphere(
        atm.gas, atm.pressure_pa, _evolve_one(atm.o2_ppm, *o2, seconds), _evolve_one(atm.h2o_ppm, *h2o, seconds),
        _evolve_one(atm.n2_ppm, *n2, seconds),
    )  # fmt: skip


def steady_state(atm: Atmosphere, box: GloveBoxParams = TYPICAL_GLOVE_BOX) -> Atmosphere:
    """Where :func:`evolve` tends; a species with neither loss nor gain keeps its value.

    Raises :class:`AtmosphereError` when a species grows without bound (a source and no loss).
    """
    values: dict[str, float] = {}
    for name, (outside_ppm, removal, source) in _species(box).items():
        gain, decay = _rates_per_s(box, outside_ppm, removal, source)
        if decay > 0.0:
            values[name] = min(gain / decay, PPM)
        elif gain == 0.0:
            values[name] = getattr(atm, name)
        else:
            raise AtmosphereError(f"{name} grows without bound: a source and nothing removes it")
    return replace(atm, o2_ppm=values["o2_ppm"], h2o_ppm=values["h2o_ppm"], n2_ppm=values["n2_ppm"])
