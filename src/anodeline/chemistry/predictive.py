"""σ25 of the glassy film with its predictive distribution, for one calibration.

A :class:`Calibration` is what a prediction needs from the fits: the full fit (the point
estimate), the bootstrap refits and the noise 1-σ (:mod:`anodeline.chemistry.bootstrap`),
and the domain of the data it was fitted on. :func:`predict_glass` gives, for one film,

- the point ln σ25 of the full fit (temperatures clamped to the data's heating range: the
  relaxation term is not extrapolated). Heated colder than every film of the data, the
  film may have relaxed less, by up to the prior gain ln(1.8e-3/1.1e-4) = 2.8 (Ito et al.
  2014), reached linearly over 50 K (est.): the point moves to the middle of that range and
  its spread (uniform, 1-σ = range/√12) joins the noise;
- the centres c_b of the refits at the same inputs and the noise 1-σ s, widened ×2 (est.)
  when the inputs leave the data (:data:`OUT_OF_DOMAIN_WIDENING`) — the distribution of
  :mod:`anodeline.chemistry.uncertainty`;
- warnings naming each way the inputs leave the data.

:func:`anodeline.chemistry.properties.predict_film` uses the shipped calibration; the grouped
cross-validation (:mod:`anodeline.chemistry.validation`) builds one per training fold, so the
held-out films are predicted exactly as a user's recipe would be.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from anodeline.chemistry.bootstrap import Bootstrap
from anodeline.chemistry.conductivity import (
    Condition,
    ConductivityParameters,
    family_features,
    ln_sigma25,
    target_family,
)
from anodeline.chemistry.dataset import PatentSample

#: The noise 1-σ is widened by this factor when the inputs leave the data (est.).
OUT_OF_DOMAIN_WIDENING = 2.0
#: ln of the largest relaxation gain of a vapour-deposited sulfide film on heat treatment: 1.1e-4 →
#: 1.8e-3 S/cm (Ito et al., J. Ceram. Soc. Jpn. 122 (2014) 341): the prior below the data.
PRIOR_RELAXATION_GAIN = math.log(1.8e-3 / 1.1e-4)
#: Below the coldest film of the data, that prior gain ramps in linearly over this many kelvin (est.).
PRIOR_RAMP_K = 50.0
#: Films heated below this were measured only by sputtering (Example 1, samples 1 and 4).
LOW_TEMPERATURE_DEGC = 100.0


@dataclass(frozen=True)
class Domain:
    """What the data cover: formers, dopants, Li2S share, heating range and low-temperature methods."""

    former_counts: dict[str, int]
    dopants: frozenset[str]
    li2s_mol_pct: tuple[float, float]
    dopant_mol_pct_max: float
    heating_degc: tuple[float, float]
    methods: frozenset[str]
    low_temperature_methods: frozenset[str]


def domain_of(samples: Sequence[PatentSample], heating_degc: tuple[float, float]) -> Domain:
    """The domain of the films ``samples`` (a model fitted on them saw ``heating_degc``)."""
    counts: dict[str, int] = {}
    dopants: set[str] = set()
    li2s = []
    for s in samples:
        family = target_family(s.target)
        for former in family.formers:
            counts[former] = counts.get(former, 0) + 1
        dopants |= set(family.dopants)
        li2s.append(family.li2s_mol_pct)
    return Domain(
        counts,
        frozenset(dopants),
        (min(li2s), max(li2s)),
        max(target_family(s.target).dopant_mol_pct for s in samples),
        heating_degc,
        frozenset(s.method for s in samples),
        frozenset(s.method for s in samples if s.heating_temperature_degc < LOW_TEMPERATURE_DEGC),
    )


@dataclass(frozen=True)
class Calibration:
    """The full fit, its bootstrap and the domain of its data."""

    parameters: ConductivityParameters
    bootstrap: Bootstrap
    domain: Domain


@dataclass(frozen=True)
class GlassPrediction:
    """ln σ25 of the glass: point, refit centres, noise 1-σ, and how the inputs leave the data."""

    ln_sigma25: float
    centres: tuple[float, ...]
    sd: float
    warnings: tuple[str, ...]

    @property
    def in_domain(self) -> bool:
        return not self.warnings


def domain_warnings(target: str, method: str, deposition_degc: float, heated_degc: float, d: Domain) -> list[str]:
    """Each way a film's inputs leave the data ``d``."""
    family = target_family(target)
    warnings: list[str] = []
    low, high = d.heating_degc
    if heated_degc > high or deposition_degc < low:
        warnings.append(f"heating outside the data ({low:g}–{high:g} °C): the relaxation term is clamped to that range")
    if method not in d.methods:
        warnings.append(f"no {method} film in the data: no method term")
    elif heated_degc < LOW_TEMPERATURE_DEGC and method not in d.low_temperature_methods:
        measured = ", ".join(sorted(d.low_temperature_methods)) or "no method"
        warnings.append(f"no {method} film below {LOW_TEMPERATURE_DEGC:g} °C in the data: only {measured} there")
    unseen = sorted(family.formers - set(d.former_counts))
    if unseen:
        warnings.append(f"network former(s) {', '.join(unseen)} never measured: no family term")
    rare = sorted(f for f in family.formers if d.former_counts.get(f, 0) == 1)
    if rare:
        warnings.append(f"network former(s) {', '.join(rare)} measured on one sample only")
    new_dopants = sorted(set(family.dopants) - d.dopants)
    if new_dopants:
        warnings.append(f"dopant(s) {', '.join(new_dopants)} never measured: treated by their mol % only")
    if family.dopant_mol_pct > d.dopant_mol_pct_max + 1e-9:
        warnings.append(
            f"dopant {family.dopant_mol_pct:.3g} mol % above the data (≤ {d.dopant_mol_pct_max:g}): clamped"
        )
    li_low, li_high = d.li2s_mol_pct
    if not li_low - 1e-9 <= family.li2s_mol_pct <= li_high + 1e-9:
        warnings.append(f"Li2S {family.li2s_mol_pct:.3g} mol % outside the data ({li_low:g}–{li_high:g})")
    return warnings


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def predict_glass(
    target: str, method: str, deposition_degc: float, anneal_degc: float | None, calibration: Calibration
) -> GlassPrediction:
    """The glass's ln σ25 with its refit centres and noise, for one film (temperatures in °C)."""
    d = calibration.domain
    heated = max(deposition_degc, anneal_degc or deposition_degc)
    warnings = domain_warnings(target, method, deposition_degc, heated, d)
    low, high = d.heating_degc
    condition = Condition(
        method,
        family_features(target_family(target), method, d.dopant_mol_pct_max),
        _clamp(deposition_degc, low, high),
        None if anneal_degc is None else _clamp(anneal_degc, low, high),
    )
    p = calibration.parameters
    below = 0.0
    if heated < low:
        # colder than any film measured: the relaxation lies between none and that of the coldest
        # film; the prior gain (Ito 2014) ramps in over PRIOR_RAMP_K. Middle of the range, uniform 1-σ.
        below = PRIOR_RELAXATION_GAIN * min(1.0, (low - heated) / PRIOR_RAMP_K)
    shift = -below / 2.0
    point = ln_sigma25(condition, p) + shift
    centres = tuple(ln_sigma25(condition, refit) + shift for refit in calibration.bootstrap.refits)
    noise = calibration.bootstrap.sd * (OUT_OF_DOMAIN_WIDENING if warnings else 1.0)
    return GlassPrediction(point, centres, math.hypot(noise, below / math.sqrt(12.0)), tuple(warnings))


def ln_sd_of(centres: Sequence[float], sd: float) -> float:
    """Total 1-σ of the mixture: sqrt(var(centres) + sd²) (for a one-number summary)."""
    mean = sum(centres) / len(centres)
    return math.sqrt(sum((c - mean) ** 2 for c in centres) / len(centres) + sd * sd)
