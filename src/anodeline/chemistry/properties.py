"""Predicted properties of a sulfide solid-electrolyte film from its target, method and heating.

:func:`predict_film` ties three models together:

1. composition transfer, target → film (:mod:`anodeline.physics.deposition.transfer`);
2. σ25 and Ea of the glassy film (:mod:`anodeline.chemistry.conductivity`), fitted on
   the patent's Tables 1–5 and Example 1, with a 1-σ band from leave-one-out residuals
   (both fitted once and shipped, :mod:`anodeline.chemistry.shipped`);
3. the glass-transition penalty below, for a film heated at or above its estimated Tg.

Glass-transition penalty (est., no data): the patent warns that heating near Tg degrades
the amorphous structure and lowers the conductance (description). Above Tg the glass
crystallises towards Li4SiS4/Li2SiS3-type phases, one to two orders of magnitude less
conductive; the model takes ``ln σ25 −= ln(10)·(0.5 + 0.5·min(1, (T − Tg)/50 K))``, i.e.
a factor ≈ 3 at Tg growing to 10 at Tg + 50 K, and marks the film not amorphous. Tg comes
from :func:`anodeline.chemistry.glass.estimate_tg_degc` on the predicted film composition.

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
from functools import cache
from typing import Any

from anodeline.chemistry import shipped
from anodeline.chemistry.conductivity import (
    GAS_CONSTANT,
    REFERENCE_TEMPERATURE_DEGC,
    ZERO_CELSIUS_K,
    Condition,
    LooRow,
    activation_energy_kj_per_mol,
    family_features,
    fitted_parameters,
    leave_one_out,
    ln_sigma25,
    target_family,
)
from anodeline.chemistry.dataset import fit_samples
from anodeline.physics.deposition.transfer import film_composition, normalise_method

#: Lithium melts at 179 °C: heating a film on lithium must stay below (patent description).
LITHIUM_MELTING_DEGC = 179.0
#: Glass-transition penalty (est.): decades lost at Tg and at Tg + width.
TG_DROP_DECADES_AT_TG = 0.5
TG_DROP_DECADES_MAX = 1.0
TG_DROP_WIDTH_K = 50.0
#: Out-of-domain queries get their 1-σ band widened by this factor (est.).
OUT_OF_DOMAIN_WIDENING = 2.0


@dataclass(frozen=True)
class FilmPrediction:
    """Predicted film: composition, σ25 with a 1-σ band, Ea, σ0, phase, and why it may be unreliable."""

    target: str
    method: str
    heating_temperature_degc: float
    film_fractions: dict[str, float]
    sigma25_s_per_cm: float
    sigma25_rel_uncertainty: float
    sigma25_interval_s_per_cm: tuple[float, float]
    ea_kj_per_mol: float
    ea_uncertainty_kj_per_mol: float
    sigma0_s_per_cm: float
    amorphous: bool
    glass_transition_degc: float | None
    area_resistance_ohm_cm2: float | None
    in_domain: bool
    warnings: tuple[str, ...]

    def __hash__(self) -> int:
        return hash((self.target, self.method, self.heating_temperature_degc, self.sigma25_s_per_cm))

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form (JSON-ready); :meth:`from_dict` reverses it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FilmPrediction:
        values = dict(data)
        values["sigma25_interval_s_per_cm"] = tuple(values["sigma25_interval_s_per_cm"])
        values["warnings"] = tuple(values["warnings"])
        return cls(**values)


@dataclass(frozen=True)
class _Domain:
    """What the data cover: formers, dopants and Li2S share seen, with sample counts."""

    former_counts: dict[str, int]
    dopants: frozenset[str]
    li2s_mol_pct: tuple[float, float]
    dopant_mol_pct_max: float
    heating_degc: tuple[float, float]
    low_temperature_methods: frozenset[str]


@cache
def _domain() -> _Domain:
    samples = fit_samples()
    counts: dict[str, int] = {}
    dopants: set[str] = set()
    li2s = []
    for s in samples:
        family = target_family(s.target)
        for former in family.formers:
            counts[former] = counts.get(former, 0) + 1
        dopants |= set(family.dopants)
        li2s.append(family.li2s_mol_pct)
    return _Domain(
        counts,
        frozenset(dopants),
        (min(li2s), max(li2s)),
        max(target_family(s.target).dopant_mol_pct for s in samples),
        fitted_parameters().heating_range_degc,
        frozenset(s.method for s in samples if s.heating_temperature_degc < 100.0),
    )


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


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def predict_film(
    target: str,
    method: str,
    deposition_temperature_degc: float,
    anneal_temperature_degc: float | None = None,
    thickness_um: float | None = None,
) -> FilmPrediction:
    """Predict the film a target gives by ``method`` at the given deposition and anneal temperatures (°C).

    Temperatures outside the data (25–160 °C) are clamped for the conductivity model and
    reported in ``warnings``; so are targets whose family the patent never measured.
    ``area_resistance_ohm_cm2`` = thickness/σ25 (shared/REFERENCES.md) when a thickness is given.
    """
    method = normalise_method(method)
    for name, value in (("deposition", deposition_temperature_degc), ("anneal", anneal_temperature_degc)):
        if value is not None and not math.isfinite(value):
            raise ValueError(f"{name} temperature must be finite, got {value!r}")
    if thickness_um is not None and not (math.isfinite(thickness_um) and thickness_um > 0):
        raise ValueError(f"thickness_um must be a positive number, got {thickness_um!r}")
    p = fitted_parameters()
    domain = _domain()
    family = target_family(target)
    film = film_composition(target, method)
    warnings: list[str] = []

    heated = max(deposition_temperature_degc, anneal_temperature_degc or deposition_temperature_degc)
    low, high = domain.heating_degc
    if heated > high or deposition_temperature_degc < low:
        warnings.append(f"heating outside the data ({low:g}–{high:g} °C): the relaxation term is clamped to that range")
    if heated < 100.0 and method not in domain.low_temperature_methods:
        warnings.append(f"no {method} film below 100 °C in the data: only sputtering was measured there")
    unseen = sorted(family.formers - set(domain.former_counts))
    if unseen:
        warnings.append(f"network former(s) {', '.join(unseen)} never measured: no family term")
    rare = sorted(f for f in family.formers if domain.former_counts.get(f, 0) == 1)
    if rare:
        warnings.append(f"network former(s) {', '.join(rare)} measured on one sample only")
    if not family.formers:
        warnings.append("no sulfide network former in the target: outside the patent's glasses")
    new_dopants = sorted(set(family.dopants) - domain.dopants)
    if new_dopants:
        warnings.append(f"dopant(s) {', '.join(new_dopants)} never measured: treated by their mol % only")
    if family.dopant_mol_pct > domain.dopant_mol_pct_max + 1e-9:
        warnings.append(
            f"dopant {family.dopant_mol_pct:.3g} mol % above the data (≤ {domain.dopant_mol_pct_max:g}): clamped"
        )
    li_low, li_high = domain.li2s_mol_pct
    if not li_low - 1e-9 <= family.li2s_mol_pct <= li_high + 1e-9:
        warnings.append(f"Li2S {family.li2s_mol_pct:.3g} mol % outside the data ({li_low:g}–{li_high:g})")
    in_domain = not warnings

    condition = Condition(
        method,
        family_features(family, method, domain.dopant_mol_pct_max),
        _clamp(deposition_temperature_degc, low, high),
        None if anneal_temperature_degc is None else _clamp(anneal_temperature_degc, low, high),
    )
    ln_s = ln_sigma25(condition, p)

    tg = _glass_transition(film)
    amorphous = tg is None or heated < tg
    if not amorphous and tg is not None:
        decades = TG_DROP_DECADES_AT_TG + (TG_DROP_DECADES_MAX - TG_DROP_DECADES_AT_TG) * min(
            1.0, (heated - tg) / TG_DROP_WIDTH_K
        )
        ln_s -= decades * math.log(10.0)
        warnings.append(
            f"heated at {heated:g} °C ≥ estimated Tg {tg:g} °C: film taken as crystallised, "
            f"σ25 lowered {10**decades:.3g}× (est., no data)"
        )
        in_domain = False
    if heated >= LITHIUM_MELTING_DEGC:
        warnings.append(f"heating ≥ {LITHIUM_MELTING_DEGC:g} °C melts a lithium substrate (patent description)")

    ln_unc, ea_unc = loo_uncertainties()
    if not in_domain:
        ln_unc, ea_unc = ln_unc * OUT_OF_DOMAIN_WIDENING, ea_unc * OUT_OF_DOMAIN_WIDENING
    sigma25 = math.exp(ln_s)
    ea = activation_energy_kj_per_mol(ln_s, p)
    t25_k = REFERENCE_TEMPERATURE_DEGC + ZERO_CELSIUS_K
    return FilmPrediction(
        target=target,
        method=method,
        heating_temperature_degc=heated,
        film_fractions=film,
        sigma25_s_per_cm=sigma25,
        sigma25_rel_uncertainty=math.exp(ln_unc) - 1.0,
        sigma25_interval_s_per_cm=(sigma25 * math.exp(-ln_unc), sigma25 * math.exp(ln_unc)),
        ea_kj_per_mol=ea,
        ea_uncertainty_kj_per_mol=ea_unc,
        sigma0_s_per_cm=sigma25 * math.exp(ea * 1e3 / (GAS_CONSTANT * t25_k)),
        amorphous=amorphous,
        glass_transition_degc=tg,
        area_resistance_ohm_cm2=None if thickness_um is None else thickness_um * 1e-4 / sigma25,
        in_domain=in_domain,
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
