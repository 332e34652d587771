"""Room-temperature ionic conductivity and activation energy of a deposited sulfide glass film.

Model (the equations; the numbers are fitted by :func:`fit_parameters` on the patent data and
shipped in ``calibrated.json``, see :mod:`anodeline.chemistry.shipped`)::

    ξ(T)   = 1 − exp(−exp[(E_r/R)·(1/T_r − 1/T)])                       relaxed fraction
    ξ_eff  = ξ(T_dep) + η·(ξ(max(T_dep, T_anneal)) − ξ(T_dep))          route
    ln σ25 = ln σ_u + Δ·ξ_eff + Σ_k b_k·x_k                              conductivity
    Ea     = a + b·ln σ25                                                 compensation

Why this form:

- **Saturating relaxation.** An as-deposited vapour-quenched glass is structurally
  unrelaxed; heating lets it relax towards a denser, better-connected Li⁺ pathway
  network, and σ25 rises (Ito et al., J. Ceram. Soc. Jpn. 122 (2014) 341: heat
  treatment raised a PLD sulfide film from 1.1e-4 to 1.8e-3 S/cm). For a first-order
  relaxation with an Arrhenius relaxation time τ(T) = τ0·exp(E_r/RT) and a fixed heating
  time t, the relaxed fraction is 1 − exp(−t/τ(T)), which is ξ(T) above with T_r the
  temperature at which τ = t. ξ is monotone and saturates: the patent's films gain 2.3×
  from 25 to 50 °C and little above 100 °C (Example 1; Table 1 samples 1–6).
- **Route.** A film grown hot relaxes while it grows; a post-anneal of a cold-grown film
  reaches a fraction η ≤ 1 of that (paired samples 1/4, 2/5, 3/6, 15/19, 18/22, 44/46
  are 5–20 % lower after post-anneal). η ≥ 0 and Δ ≥ 0 keep σ25 non-decreasing in
  both temperatures.
- **Composition family and method** (x_k, level shifts fitted with a ridge penalty, i.e.
  partial pooling towards 0 so that a family seen once is not fitted to its noise):
  oxysalt dopant amount (mol % / 5: the mixed-anion effect of Li3PO4, Li4SiO4,
  Li2O-P2O5…), the sulfide network former (Ge, Ga or P instead of Si) and the method
  (laser ablation, vacuum evaporation, ion plating against sputtering).
- **Compensation (Meyer–Neldel-like).** Across fast-ion glasses a higher σ25 goes with
  a lower Ea; the patent's Ea falls from 36–37 kJ/mol at 6–7e-4 S/cm to 31–32 at 2e-3.
  A line in ln σ25 is the simplest form that uses it.

Source of the data: CA 2,350,384 C, Tables 1–5 and Example 1 (``data/patent_samples.csv``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from anodeline.chemistry import shipped
from anodeline.chemistry.dataset import PatentSample, fit_samples

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

#: Molar gas constant, J/(mol·K) (CODATA 2018, exact).
GAS_CONSTANT = 8.314462618
ZERO_CELSIUS_K = 273.15
REFERENCE_TEMPERATURE_DEGC = 25.0
#: Methods in the order of the method terms (sputtering is the reference level).
METHOD_LEVELS: tuple[str, ...] = ("laser-ablation", "vacuum-evaporation", "ion-plating")
#: Sulfide network formers with their own term (Si is the reference level).
FORMER_LEVELS: tuple[str, ...] = ("Ge", "Ga", "P")
#: Oxysalt dopant amount (mol %) that scales the dopant term to 1.
DOPANT_SCALE_MOL_PCT = 5.0
#: Ridge penalty on the family and method terms (in units of ln σ per residual).
RIDGE_PENALTY = 0.3
FEATURE_NAMES: tuple[str, ...] = (
    *tuple(f"method[{m}]" for m in METHOD_LEVELS),
    "dopant_mol_pct/5",
    *tuple(f"former[{f}]" for f in FORMER_LEVELS),
)
_ANIONS = frozenset({"O", "N"})


@dataclass(frozen=True)
class TargetFamily:
    """What the model reads from a target formula: sulfide formers, oxysalt dopants, Li2S share."""

    formers: frozenset[str]
    dopants: tuple[str, ...]
    dopant_mol_pct: float
    li2s_mol_pct: float


def _is_li2s(amounts: tuple[tuple[str, float], ...]) -> bool:
    """Whether a component is Li2S (any multiple: its reduced formula is Li2S)."""
    counts = dict(amounts)
    return set(counts) == {"Li", "S"} and math.isclose(counts["Li"], 2.0 * counts["S"], rel_tol=1e-9)


@cache
def target_family(target: str) -> TargetFamily:
    """Split a target into sulfide network formers and oxide/oxynitride dopant components."""
    from anodeline.chemistry.composition import parse_mixture

    mixture = parse_mixture(target)
    total = sum(c.amount for c in mixture.components)
    formers: set[str] = set()
    dopants: list[str] = []
    dopant = li2s = 0.0
    for c in mixture.components:  # from the parsed amounts, without pymatgen (0.1 s to import)
        elements = {element for element, _ in c.amounts}
        if elements & _ANIONS:
            dopants.append(c.formula)
            dopant += c.amount
        else:
            formers |= elements - {"Li", "S"}
            if _is_li2s(c.amounts):
                li2s += c.amount
    return TargetFamily(frozenset(formers), tuple(dopants), 100 * dopant / total, 100 * li2s / total)


@dataclass(frozen=True)
class Condition:
    """One film's inputs to the model: method, family features and thermal history (°C)."""

    method: str
    features: tuple[float, ...]
    deposition_temperature_degc: float
    anneal_temperature_degc: float | None


def family_features(family: TargetFamily, method: str, max_dopant_mol_pct: float = 5.0) -> tuple[float, ...]:
    """The x_k of the model: method indicators, dopant amount (clamped to the data), formers."""
    dopant = min(family.dopant_mol_pct, max_dopant_mol_pct) / DOPANT_SCALE_MOL_PCT
    return (
        *tuple(float(method == m) for m in METHOD_LEVELS),
        dopant,
        *tuple(float(f in family.formers) for f in FORMER_LEVELS),
    )


def condition_of(sample: PatentSample) -> Condition:
    family = target_family(sample.target)
    return Condition(
        sample.method,
        family_features(family, sample.method),
        sample.deposition_temperature_degc,
        sample.anneal_temperature_degc,
    )


@dataclass(frozen=True)
class ConductivityParameters:
    """Fitted parameters of the σ25 and Ea model, with the temperature range they saw."""

    ln_sigma_unrelaxed: float
    relaxation_gain: float
    relaxation_energy_kj_per_mol: float
    relaxation_temperature_k: float
    anneal_efficiency: float
    coefficients: tuple[float, ...]
    ea_intercept_kj_per_mol: float
    ea_slope_kj_per_mol: float
    heating_range_degc: tuple[float, float]
    n_samples: int
    feature_names: tuple[str, ...] = field(default=FEATURE_NAMES)

    def as_dict(self) -> dict[str, float]:
        """Name [unit] → value, PyBaMM-style keys."""
        out = {
            "sigma_unrelaxed [S/cm]": math.exp(self.ln_sigma_unrelaxed),
            "relaxation gain Delta [ln S/cm]": self.relaxation_gain,
            "relaxation energy E_r [kJ/mol]": self.relaxation_energy_kj_per_mol,
            "relaxation temperature T_r [degC]": self.relaxation_temperature_k - ZERO_CELSIUS_K,
            "post-anneal efficiency eta [-]": self.anneal_efficiency,
            "Ea intercept a [kJ/mol]": self.ea_intercept_kj_per_mol,
            "Ea slope b [kJ/mol per ln(S/cm)]": self.ea_slope_kj_per_mol,
        }
        out |= {f"b {name} [ln S/cm]": value for name, value in zip(self.feature_names, self.coefficients, strict=True)}
        return out

    def to_json(self) -> dict[str, Any]:
        """Field name → value with tuples as lists: the ``conductivity`` entry of the shipped calibration."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConductivityParameters:
        """Inverse of :meth:`to_json`."""
        values = dict(data)
        for name in ("coefficients", "heating_range_degc", "feature_names"):
            values[name] = tuple(values[name])
        return cls(**values)


def relaxed_fraction(temperature_degc: float, energy_kj_per_mol: float, reference_k: float) -> float:
    """ξ(T) = 1 − exp(−exp[(E_r/R)(1/T_r − 1/T)]), the fraction relaxed by a fixed-time heating."""
    t_k = temperature_degc + ZERO_CELSIUS_K
    exponent = energy_kj_per_mol * 1e3 / GAS_CONSTANT * (1 / reference_k - 1 / t_k)
    return 1.0 - math.exp(-math.exp(min(exponent, 50.0)))


def effective_relaxation(
    deposition_temperature_degc: float, anneal_temperature_degc: float | None, p: ConductivityParameters
) -> float:
    """ξ_eff = ξ(T_dep) + η·(ξ(max(T_dep, T_anneal)) − ξ(T_dep))."""
    heated = max(deposition_temperature_degc, anneal_temperature_degc or deposition_temperature_degc)
    xi_dep = relaxed_fraction(deposition_temperature_degc, p.relaxation_energy_kj_per_mol, p.relaxation_temperature_k)
    xi_heat = relaxed_fraction(heated, p.relaxation_energy_kj_per_mol, p.relaxation_temperature_k)
    return xi_dep + p.anneal_efficiency * (xi_heat - xi_dep)


def ln_sigma25(condition: Condition, p: ConductivityParameters) -> float:
    """ln σ25 [S/cm] of a glassy film (before any glass-transition penalty)."""
    xi = effective_relaxation(condition.deposition_temperature_degc, condition.anneal_temperature_degc, p)
    family = sum(b * x for b, x in zip(p.coefficients, condition.features, strict=True))
    return p.ln_sigma_unrelaxed + p.relaxation_gain * xi + family


def activation_energy_kj_per_mol(ln_sigma25_value: float, p: ConductivityParameters) -> float:
    """Ea = a + b·ln σ25 (compensation line)."""
    return p.ea_intercept_kj_per_mol + p.ea_slope_kj_per_mol * ln_sigma25_value


def _unpack(x: np.ndarray, ea: tuple[float, float], heating: tuple[float, float], n: int) -> ConductivityParameters:
    return ConductivityParameters(
        float(x[0]), float(x[1]), float(x[2]), float(x[3]), float(x[4]), tuple(float(v) for v in x[5:]), *ea, heating, n
    )


def fit_parameters(samples: Sequence[PatentSample], start: tuple[float, ...] | None = None) -> ConductivityParameters:
    """Least-squares fit of the σ25 model (ridge on x_k) and of the compensation line.

    σ25 is fitted in ln space (the relative errors of the patent's two-digit values are
    about equal); Ea on the samples that report it, against their measured ln σ25.
    """
    import numpy as np
    from scipy.optimize import least_squares

    conditions = [condition_of(s) for s in samples]
    y = np.log([s.sigma25_s_per_cm for s in samples])
    n_features = len(FEATURE_NAMES)
    heating = (min(s.heating_temperature_degc for s in samples), max(s.heating_temperature_degc for s in samples))

    t_dep = np.array([c.deposition_temperature_degc for c in conditions]) + ZERO_CELSIUS_K
    t_heat = np.maximum(
        t_dep,
        np.array([c.anneal_temperature_degc or c.deposition_temperature_degc for c in conditions]) + ZERO_CELSIUS_K,
    )
    features = np.array([c.features for c in conditions])

    def residuals(x: np.ndarray) -> np.ndarray:
        # ln_sigma25 over every sample at once (numpy): the same equations, ~20× faster than a loop
        energy = x[2] * 1e3 / GAS_CONSTANT
        xi_dep = 1.0 - np.exp(-np.exp(np.minimum(energy * (1 / x[3] - 1 / t_dep), 50.0)))
        xi_heat = 1.0 - np.exp(-np.exp(np.minimum(energy * (1 / x[3] - 1 / t_heat), 50.0)))
        model = x[0] + x[1] * (xi_dep + x[4] * (xi_heat - xi_dep)) + features @ x[5:]
        return np.concatenate([model - y, RIDGE_PENALTY * x[5:]])

    x0 = np.array(start) if start is not None else np.r_[math.log(2e-4), 2.3, 30.0, 325.0, 0.9, np.zeros(n_features)]
    low = np.r_[-14.0, 0.0, 2.0, 280.0, 0.0, np.full(n_features, -np.inf)]
    high = np.r_[-4.0, 6.0, 200.0, 450.0, 1.0, np.full(n_features, np.inf)]
    scale = np.r_[1.0, 1.0, 10.0, 10.0, 0.1, np.ones(n_features)]
    fit = least_squares(residuals, np.clip(x0, low + 1e-9, high - 1e-9), bounds=(low, high), x_scale=scale)

    with_ea = [(math.log(s.sigma25_s_per_cm), s.ea_kj_per_mol) for s in samples if s.ea_kj_per_mol is not None]
    design = np.array([[1.0, ln_s] for ln_s, _ in with_ea])
    (intercept, slope), *_ = np.linalg.lstsq(design, np.array([ea for _, ea in with_ea]), rcond=None)
    return _unpack(fit.x, (float(intercept), float(slope)), heating, len(samples))


def parameter_vector(p: ConductivityParameters) -> tuple[float, ...]:
    head = (p.ln_sigma_unrelaxed, p.relaxation_gain, p.relaxation_energy_kj_per_mol, p.relaxation_temperature_k)
    return (*head, p.anneal_efficiency, *p.coefficients)


@cache
def fresh_parameters() -> ConductivityParameters:
    """Fit now (scipy) on every independent patent measurement (Tables 1–5 and Example 1)."""
    return fit_parameters(fit_samples())


@cache
def fitted_parameters() -> ConductivityParameters:
    """The parameters predictions use: the shipped fit (:mod:`anodeline.chemistry.shipped`) or, if stale, a new one."""
    data = shipped.calibration()
    if data is None:
        return fresh_parameters()
    p = ConductivityParameters.from_json(data["conductivity"])
    if p.feature_names != FEATURE_NAMES:
        shipped.warn_stale(f"{shipped.FILE_NAME} has features {p.feature_names}, the model {FEATURE_NAMES}")
        return fresh_parameters()
    return p


@dataclass(frozen=True)
class LooRow:
    """Leave-one-out prediction of one held-out sample."""

    id: str
    method: str
    target: str
    heating_temperature_degc: float
    sigma25_measured: float
    sigma25_predicted: float
    ea_measured: float | None
    ea_predicted: float
    ea_baseline: float

    @property
    def sigma25_rel_error(self) -> float:
        """(predicted − measured)/measured."""
        return self.sigma25_predicted / self.sigma25_measured - 1.0


@cache
def leave_one_out() -> tuple[LooRow, ...]:
    """Refit without each independent sample and predict it (σ25, Ea and the Ea-mean baseline)."""
    samples = fit_samples()
    start = parameter_vector(fresh_parameters())
    rows = []
    for i, held in enumerate(samples):
        train = samples[:i] + samples[i + 1 :]
        p = fit_parameters(train, start)
        ln_s = ln_sigma25(condition_of(held), p)
        baseline = sum(s.ea_kj_per_mol for s in train if s.ea_kj_per_mol is not None) / sum(
            1 for s in train if s.ea_kj_per_mol is not None
        )
        rows.append(
            LooRow(
                held.id,
                held.method,
                held.target,
                held.heating_temperature_degc,
                held.sigma25_s_per_cm,
                math.exp(ln_s),
                held.ea_kj_per_mol,
                activation_energy_kj_per_mol(ln_s, p),
                baseline,
            )
        )
    return tuple(rows)
