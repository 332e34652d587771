"""Predicted properties of a sulfide solid-electrolyte film from its target, method and heating.

:func:`predict_film` ties three models together:

1. composition transfer, target → film (:mod:`anodeline.physics.deposition.transfer`);
2. σ25 and Ea of the glassy film (:mod:`anodeline.chemistry.conductivity`), fitted on
   the patent's Tables 1–5 and Example 1, with a 1-σ band from leave-one-out residuals
   (both fitted once and shipped, :mod:`anodeline.chemistry.shipped`);
3. the chemistry (:mod:`anodeline.chemistry.systems`): a target no data or literature prior
   supports (no sulfide network former, Li2S outside the glass-forming range) raises
   :class:`~anodeline.errors.ModelDomainError` instead of getting a made-up σ25;
4. crystallisation on heating (:mod:`anodeline.chemistry.crystallisation`): JMAK kinetics of
   the film's own system, continuous in temperature and time — Li2S–P2S5 gains (Li7P3S11
   glass-ceramic), Li2S–SiS2 loses, as the patent warns for heating near Tg;
5. the predictive distribution of ln σ25 (:mod:`anodeline.chemistry.uncertainty`): a 90 %
   interval and P(σ25 ≥ spec).

Temperature dependence: :func:`sigma_at` uses σ = σ0·exp(−Ea/RT). The patent reports
Ea "obtained by the measurement of the temperature dependency of the ionic conductance"
without the form; the Osaka-group papers on these Li2S–SiS2 glasses use σ = σ0·exp(−Ea/RT),
and σ0 = σ25·exp(Ea/RT25) then lands at 1e2–1e3 S/cm, normal for fast-ion glasses
(shared/REFERENCES.md, "Ionic conductivity"). The σT form would shift Ea by ≈ RT ≈ 2.5 kJ/mol.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache, partial
from typing import Any

from anodeline.chemistry import shipped
from anodeline.chemistry.bootstrap import shipped_bootstrap
from anodeline.chemistry.conductivity import (
    GAS_CONSTANT,
    REFERENCE_TEMPERATURE_DEGC,
    ZERO_CELSIUS_K,
    LooRow,
    activation_energy_kj_per_mol,
    fitted_parameters,
    leave_one_out,
)
from anodeline.chemistry.crystallisation import (
    DEFAULT_HOLD_S,
    Hold,
    crystallised_fraction,
    first_to_crystallise,
    mix,
)
from anodeline.chemistry.dataset import fit_samples
from anodeline.chemistry.predictive import OUT_OF_DOMAIN_WIDENING, Calibration, domain_of, predict_glass
from anodeline.chemistry.systems import require_supported
from anodeline.chemistry.uncertainty import LnSigmaDistribution
from anodeline.physics.deposition.transfer import film_composition, normalise_method

#: Lithium melts at 179 °C: heating a film on lithium must stay below (patent description).
LITHIUM_MELTING_DEGC = 179.0
#: A crystallised fraction above this is reported (the film is no longer the patent's glass).
CRYSTALLISED_WARN_ABOVE = 1e-3


@dataclass(frozen=True)
class FilmPrediction:
    """Predicted film: composition, σ25 with its distribution, Ea, σ0, phase, and why it may be unreliable."""

    target: str
    method: str
    heating_temperature_degc: float
    film_fractions: dict[str, float]
    sigma25_s_per_cm: float
    sigma25_interval_90_s_per_cm: tuple[float, float]
    sigma25_distribution: LnSigmaDistribution
    ea_kj_per_mol: float
    ea_uncertainty_kj_per_mol: float
    sigma0_s_per_cm: float
    amorphous: bool
    crystallised_fraction: float
    crystal_phase: str
    glass_transition_degc: float | None
    area_resistance_ohm_cm2: float | None
    in_domain: bool
    warnings: tuple[str, ...]

    def __hash__(self) -> int:
        return hash((self.target, self.method, self.heating_temperature_degc, self.sigma25_s_per_cm))

    def p_at_least(self, sigma_s_per_cm: float) -> float:
        """P(σ25 ≥ sigma_s_per_cm) under the predictive distribution."""
        return self.sigma25_distribution.p_at_least(sigma_s_per_cm)

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form (JSON-ready); :meth:`from_dict` reverses it."""
        data = asdict(self)
        data["sigma25_distribution"] = self.sigma25_distribution.to_json()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FilmPrediction:
        values = dict(data)
        values["sigma25_interval_90_s_per_cm"] = tuple(values["sigma25_interval_90_s_per_cm"])
        values["sigma25_distribution"] = LnSigmaDistribution.from_json(values["sigma25_distribution"])
        values["warnings"] = tuple(values["warnings"])
        return cls(**values)


@cache
def shipped_calibration() -> Calibration:
    """The calibration predictions use: the shipped fit, its bootstrap and the domain of the patent's films."""
    p = fitted_parameters()
    return Calibration(p, shipped_bootstrap(), domain_of(fit_samples(), p.heating_range_degc))


def loo_bands(rows: Sequence[LooRow]) -> tuple[float, float]:
    """(RMS of LOO ln(σ25 pred/meas), RMS of LOO Ea error in kJ/mol) over leave-one-out rows."""
    ln_rms = math.sqrt(sum(math.log(r.sigma25_predicted / r.sigma25_measured) ** 2 for r in rows) / len(rows))
    with_ea = [r for r in rows if r.ea_measured is not None]
    ea_rms = math.sqrt(sum((r.ea_predicted - (r.ea_measured or 0.0)) ** 2 for r in with_ea) / len(with_ea))
    return ln_rms, ea_rms


@cache
def loo_uncertainties() -> tuple[float, float]:
    """The 1-σ bands of :func:`loo_bands`: shipped, or (stale calibration) from a fresh leave-one-out."""
    data = shipped.calibration()
    if data is None:
        return loo_bands(leave_one_out())
    bands = data["loo_bands"]
    return float(bands["ln_sigma25_rms"]), float(bands["ea_rms_kj_per_mol"])


def ea_sd(refit_eas: Sequence[float], slope: float, ln_sd: float, residual_sd: float) -> float:
    """1-σ of a film's Ea, conditional on its inputs (issue 14 item 3)::

        σ_Ea² = var_b(Ea_b) + (b·σ_ln)² + s_c²

    var_b: the spread of the bootstrap refits' Ea at this film (each refit's compensation line at
    its own ln σ25 centre: parameter uncertainty, large where the data are thin); (b·σ_ln)²: the
    film's own σ25 scatter carried through the compensation line Ea = a + b·ln σ25 (b the glass's
    slope times its uncrystallised share); s_c²: the measured films' scatter of Ea about that line.
    Replaces the fixed leave-one-out band; validated by leave-one-out coverage
    (tests/chemistry/test_calibration.py).
    """
    mean = sum(refit_eas) / len(refit_eas)
    spread = sum((e - mean) ** 2 for e in refit_eas) / len(refit_eas)
    return math.sqrt(spread + (slope * ln_sd) ** 2 + residual_sd**2)


@cache
def compensation_residual_sd() -> float:
    """s_c: RMS scatter of the patent's measured Ea about the shipped compensation line at their measured
    σ25 (n − 2 degrees of freedom)."""
    p = fitted_parameters()
    rows = [(math.log(x.sigma25_s_per_cm), x.ea_kj_per_mol) for x in fit_samples() if x.ea_kj_per_mol is not None]
    squares = sum((ea - activation_energy_kj_per_mol(ln, p)) ** 2 for ln, ea in rows)
    return math.sqrt(squares / (len(rows) - 2))


def _holds(
    deposition_degc: float, anneal_degc: float | None, deposition_s: float | None, anneal_s: float | None
) -> tuple[Hold, ...]:
    """The film's thermal history as isothermal holds (1 h where a time is not given, est.)."""
    holds = [Hold(deposition_degc, DEFAULT_HOLD_S if deposition_s is None else deposition_s)]
    if anneal_degc is not None:
        holds.append(Hold(anneal_degc, DEFAULT_HOLD_S if anneal_s is None else anneal_s))
    return tuple(holds)


def predict_film(
    target: str,
    method: str,
    deposition_temperature_degc: float,
    anneal_temperature_degc: float | None = None,
    thickness_um: float | None = None,
    *,
    deposition_time_s: float | None = None,
    anneal_time_s: float | None = None,
) -> FilmPrediction:
    """Predict the film a target gives by ``method`` at the given deposition and anneal temperatures (°C).

    Raises :class:`~anodeline.errors.ModelDomainError` where no data or prior supports a σ25
    (:func:`anodeline.chemistry.systems.unsupported_reason`). Temperatures outside the data
    (25–160 °C) are clamped for the glass's relaxation and reported in ``warnings``; so are
    targets whose family the patent never measured. Crystallisation follows the film's
    thermal history (times default to 1 h, est.). ``area_resistance_ohm_cm2`` =
    thickness/σ25 (shared/REFERENCES.md) when a thickness is given.
    """
    method = normalise_method(method)
    for name, value in (("deposition", deposition_temperature_degc), ("anneal", anneal_temperature_degc)):
        if value is not None and not math.isfinite(value):
            raise ValueError(f"{name} temperature must be finite, got {value!r}")
    if thickness_um is not None and not (math.isfinite(thickness_um) and thickness_um > 0):
        raise ValueError(f"thickness_um must be a positive number, got {thickness_um!r}")
    chemistry = require_supported(target)
    calibration = shipped_calibration()
    p = calibration.parameters
    film = film_composition(target, method)
    glass = predict_glass(target, method, deposition_temperature_degc, anneal_temperature_degc, calibration)
    warnings = list(glass.warnings)

    heated = max(deposition_temperature_degc, anneal_temperature_degc or deposition_temperature_degc)
    system = first_to_crystallise(chemistry.systems)
    phase = system.crystal
    fraction = crystallised_fraction(
        phase, _holds(deposition_temperature_degc, anneal_temperature_degc, deposition_time_s, anneal_time_s)
    )
    if fraction > CRYSTALLISED_WARN_ABOVE:
        warnings.append(
            f"{fraction:.0%} crystallised to {phase.name} at {heated:g} °C (JMAK, {system.former} system): "
            f"σ25 mixes glass and crystal (docs/models/film-properties.md)"
        )
    if heated > phase.valid_up_to_degc:
        warnings.append(f"heated above {phase.valid_up_to_degc:g} °C: {phase.name} transforms further, not modelled")
    if heated >= LITHIUM_MELTING_DEGC:
        warnings.append(f"heating ≥ {LITHIUM_MELTING_DEGC:g} °C melts a lithium substrate (patent description)")

    def ea_of(ln_sigma: float) -> float:
        return activation_energy_kj_per_mol(ln_sigma, p)

    crystal = mix(phase, fraction, glass.ln_sigma25, ea_of)
    centres = tuple(mix(phase, fraction, c, ea_of).ln_sigma25 for c in glass.centres)
    distribution = LnSigmaDistribution(centres, math.hypot(glass.sd, crystal.ln_sd))
    refit_eas = [
        mix(phase, fraction, c, partial(activation_energy_kj_per_mol, p=r)).ea_kj_per_mol
        for c, r in zip(glass.centres, calibration.bootstrap.refits, strict=True)
    ]
    ea_unc = ea_sd(refit_eas, p.ea_slope_kj_per_mol * (1.0 - fraction), distribution.sd, compensation_residual_sd())
    if not glass.in_domain:
        ea_unc *= OUT_OF_DOMAIN_WIDENING
    sigma25 = math.exp(crystal.ln_sigma25)
    ea = crystal.ea_kj_per_mol
    t25_k = REFERENCE_TEMPERATURE_DEGC + ZERO_CELSIUS_K
    return FilmPrediction(
        target=target,
        method=method,
        heating_temperature_degc=heated,
        film_fractions=film,
        sigma25_s_per_cm=sigma25,
        sigma25_interval_90_s_per_cm=distribution.interval(),
        sigma25_distribution=distribution,
        ea_kj_per_mol=ea,
        ea_uncertainty_kj_per_mol=ea_unc,
        sigma0_s_per_cm=sigma25 * math.exp(ea * 1e3 / (GAS_CONSTANT * t25_k)),
        amorphous=crystal.amorphous,
        crystallised_fraction=fraction,
        crystal_phase=phase.name,
        glass_transition_degc=_glass_transition(film),
        area_resistance_ohm_cm2=None if thickness_um is None else thickness_um * 1e-4 / sigma25,
        in_domain=not warnings,
        warnings=tuple(warnings),
    )


def _glass_transition(film: dict[str, float]) -> float | None:
    from anodeline.chemistry.glass import estimate_tg_degc

    estimate = estimate_tg_degc(film)
    return None if estimate is None else estimate[0]


def sigma_at(prediction: FilmPrediction, temperature_degc: float) -> float:
    """σ(T) = σ0·exp(−Ea/RT) in S/cm, with σ0 and Ea of the prediction."""
    t_k = temperature_degc + ZERO_CELSIUS_K
    if not t_k > 0:
        raise ValueError(f"temperature must be above absolute zero, got {temperature_degc!r} °C")
    return prediction.sigma0_s_per_cm * math.exp(-prediction.ea_kj_per_mol * 1e3 / (GAS_CONSTANT * t_k))
