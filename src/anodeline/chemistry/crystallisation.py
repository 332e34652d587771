"""Crystallisation of the glass film on heating: JMAK kinetics, system by system, continuous in T and t.

Model (Johnson–Mehl–Avrami–Kolmogorov, isothermal holds added by the additivity rule)::

    k(T)   = k½ · exp[−(E_c/R)·(1/T − 1/T½)],   k½ = (ln 2)^(1/n) / 1 h
    X      = 1 − exp(−(Σ_i k(T_i)·t_i)^n)                          crystallised fraction
    ln σ25 = (1 − X)·ln σ_glass + X·ln σ_crystal                    log-linear mixing
    Ea     = (1 − X)·Ea_glass + X·Ea_crystal

T½ is the temperature at which a 1 h hold crystallises half the glass; E_c, n and the
crystalline phase's σ25/Ea come from :data:`anodeline.chemistry.systems.SYSTEMS` with their
sources. Log-linear (Lichtenecker) mixing is the simplest rule between the series and
parallel bounds of a two-phase composite (est.).

What it gives, by system:

- **Li2S–P2S5**: heating the glass precipitates the metastable Li7P3S11 glass-ceramic, *more*
  conductive than the glass (3.2e-3 S/cm, Ea 12 kJ/mol, Mizuno et al. 2006): 70Li2S-30P2S5
  at 300 °C for 1 h → X ≈ 1, σ25 ≈ 3e-3 S/cm. Above 360 °C Li7P3S11 turns into Li4P2S6
  (Minami et al. 2008), which the model does not follow: it warns.
- **Li2S–SiS2** (the patent's): crystallising to Li4SiS4/Li2SiS3-type phases lowers σ25,
  as the patent warns for heating near Tg (factor 0.1 at X = 1, est.). At the patent's
  25–160 °C, X < 1e-20: the fitted model is untouched.
- GeS2, Ga2S3, B2S3: like SiS2, with their own Tg (est.).

Continuity: X is smooth in T and t, so σ25 has no jump at Tg (the old penalty jumped 3.2×
there). ``amorphous`` is X < :data:`AMORPHOUS_BELOW` (≈ what X-ray diffraction can see).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from anodeline.chemistry.systems import CrystalPhase, GlassSystem

GAS_CONSTANT = 8.314462618
ZERO_CELSIUS_K = 273.15
#: The reference hold of T½ (1 h).
REFERENCE_TIME_S = 3600.0
#: Below this crystallised fraction a film counts as amorphous (XRD detection, est.).
AMORPHOUS_BELOW = 0.05
#: Hold assumed when a recipe gives none (est.).
DEFAULT_HOLD_S = 3600.0


@dataclass(frozen=True)
class Hold:
    """An isothermal hold: temperature (°C) and time (s)."""

    temperature_degc: float
    time_s: float


def rate_per_s(phase: CrystalPhase, temperature_degc: float) -> float:
    """k(T) of the JMAK law, 1/s."""
    t_k = temperature_degc + ZERO_CELSIUS_K
    t_half_k = phase.half_temperature_degc + ZERO_CELSIUS_K
    k_half = math.log(2.0) ** (1.0 / phase.avrami_exponent) / REFERENCE_TIME_S
    exponent = -phase.activation_energy_kj_per_mol * 1e3 / GAS_CONSTANT * (1.0 / t_k - 1.0 / t_half_k)
    return k_half * math.exp(min(exponent, 50.0))


def crystallised_fraction(phase: CrystalPhase, holds: Sequence[Hold]) -> float:
    """X = 1 − exp(−(Σ k(T_i)·t_i)^n): the fraction crystallised after the holds (additivity rule)."""
    kt = sum(rate_per_s(phase, h.temperature_degc) * max(h.time_s, 0.0) for h in holds)
    return 1.0 - math.exp(-(kt**phase.avrami_exponent))


def first_to_crystallise(systems: Sequence[GlassSystem]) -> GlassSystem:
    """Of several formers, the system that crystallises first (lowest T½): it sets the film's fate (est.)."""
    return min(systems, key=lambda s: s.crystal.half_temperature_degc)


@dataclass(frozen=True)
class Crystallised:
    """The film after heating: crystallised fraction and the mixed σ25 and Ea."""

    phase: str
    fraction: float
    ln_sigma25: float
    ea_kj_per_mol: float
    ln_sd: float  # 1-σ added to ln σ25 by the crystal phase's prior uncertainty, X·sd

    @property
    def amorphous(self) -> bool:
        return self.fraction < AMORPHOUS_BELOW


def crystal_ln_sigma(phase: CrystalPhase, ln_sigma_glass: float) -> float:
    """ln σ25 of the fully crystallised film: the literature value, or a factor on the glass's (est.)."""
    if phase.sigma25_s_per_cm is not None:
        return math.log(phase.sigma25_s_per_cm)
    return ln_sigma_glass + math.log(phase.relative_sigma)


def mix(phase: CrystalPhase, fraction: float, ln_sigma_glass: float, ea_of: Callable[[float], float]) -> Crystallised:
    """Mix glass and crystal: ln σ25 and Ea linear in X.

    ``ea_of`` is the glass's compensation line Ea(ln σ25); it gives the glass's Ea, and the
    crystal's where the phase has no literature Ea.
    """
    ln_crystal = crystal_ln_sigma(phase, ln_sigma_glass)
    ea_crystal = phase.ea_kj_per_mol if phase.ea_kj_per_mol is not None else ea_of(ln_crystal)
    return Crystallised(
        phase.name,
        fraction,
        (1.0 - fraction) * ln_sigma_glass + fraction * ln_crystal,
        (1.0 - fraction) * ea_of(ln_sigma_glass) + fraction * ea_crystal,
        fraction * phase.ln_sd,
    )
