"""Grouped cross-validation of the σ25 model and the coverage of its 90 % intervals.

Leave-one-out (:func:`anodeline.chemistry.conductivity.leave_one_out`) flatters a model when
films come in families: a held-out film's twin stays in the training set. Here whole groups
are held out, as a new recipe would meet them:

- ``family``: each composition family (sulfide former + dopant compound, e.g. Si + Li3PO4);
- ``method``: each deposition method (its method term is then unknown: 0 by the ridge);
- ``low-temperature``: the three films heated below 100 °C (Example 1, samples 1 and 4),
  which alone carry the low-temperature curve.

For each fold the model is refitted on the rest, with :data:`CV_REFITS` bootstrap refits,
its own noise 1-σ and its own domain (:class:`anodeline.chemistry.predictive.Calibration`),
and each held-out film is predicted exactly as ``predict`` would (clamping, out-of-domain
widening). ``coverage_90`` is the fraction of held-out films inside their 90 % interval,
pooled over every fold of every scheme and per group; the grouped errors are the median
|relative error| and RMS ln error of the point prediction.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from anodeline.chemistry.bootstrap import SEED, WIDENING, Bootstrap, noise_ln_sd, refit
from anodeline.chemistry.conductivity import fit_parameters, fresh_parameters, parameter_vector, target_family
from anodeline.chemistry.dataset import PatentSample, fit_samples
from anodeline.chemistry.predictive import LOW_TEMPERATURE_DEGC, Calibration, domain_of, predict_glass
from anodeline.chemistry.uncertainty import INTERVAL_LEVEL, LnSigmaDistribution

#: Bootstrap refits per fold (fewer than the 200 shipped: 16 folds; the 90 % quantiles move < 2 %).
CV_REFITS = 50


def family_of(sample: PatentSample) -> str:
    """The composition family: sulfide former(s) and dopant compound(s), e.g. ``Si + Li3PO4``."""
    family = target_family(sample.target)
    return f"{'/'.join(sorted(family.formers))} + {'+'.join(family.dopants) or 'undoped'}"


#: scheme → how it groups a film (``None``: not held out in that scheme).
SCHEMES: dict[str, Callable[[PatentSample], str | None]] = {
    "family": family_of,
    "method": lambda s: s.method,
    "low-temperature": lambda s: (
        f"heated < {LOW_TEMPERATURE_DEGC:g} °C" if s.heating_temperature_degc < LOW_TEMPERATURE_DEGC else None
    ),
}


@dataclass(frozen=True)
class HeldOut:
    """One film predicted by a model that never saw its group."""

    scheme: str
    group: str
    id: str
    sigma25_measured: float
    ln_sigma25_predicted: float
    centres: tuple[float, ...]
    sd: float  # noise 1-σ before the widening (out-of-domain factor included)
    in_domain: bool

    @property
    def sigma25_predicted(self) -> float:
        return math.exp(self.ln_sigma25_predicted)

    @property
    def ln_error(self) -> float:
        """ln(predicted/measured)."""
        return self.ln_sigma25_predicted - math.log(self.sigma25_measured)

    def distribution(self, widening: float) -> LnSigmaDistribution:
        return LnSigmaDistribution(self.centres, self.sd * widening)

    def inside(self, widening: float, level: float = INTERVAL_LEVEL) -> bool:
        """Whether the measured σ25 lies inside the central ``level`` interval."""
        tail = 0.5 * (1.0 - level)
        cdf = self.distribution(widening).cdf(math.log(self.sigma25_measured))
        return tail <= cdf <= 1.0 - tail


@dataclass(frozen=True)
class Score:
    """Coverage and errors of one group (or scheme, or all)."""

    name: str
    n: int
    coverage_90: float
    median_abs_rel_error: float
    rms_ln_error: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n": self.n,
            "coverage_90": self.coverage_90,
            "median_abs_rel_error": self.median_abs_rel_error,
            "rms_ln_error": self.rms_ln_error,
        }


def score(name: str, rows: Sequence[HeldOut], widening: float) -> Score:
    """Coverage of the 90 % intervals and point errors over ``rows``."""
    return Score(
        name,
        len(rows),
        sum(r.inside(widening) for r in rows) / len(rows),
        statistics.median(abs(math.exp(r.ln_error) - 1.0) for r in rows),
        math.sqrt(sum(r.ln_error**2 for r in rows) / len(rows)),
    )


@dataclass(frozen=True)
class CrossValidation:
    """Every held-out prediction of every scheme, scored at the shipped widening."""

    rows: tuple[HeldOut, ...]
    widening: float

    @property
    def coverage_90(self) -> float:
        """Pooled fraction of held-out films inside their 90 % interval."""
        return score("pooled", self.rows, self.widening).coverage_90

    def scores(self, key: Callable[[HeldOut], str]) -> tuple[Score, ...]:
        names = sorted({key(r) for r in self.rows})
        return tuple(score(n, [r for r in self.rows if key(r) == n], self.widening) for n in names)

    def as_dict(self) -> dict[str, Any]:
        """The ``cross_validation`` entry of ``calibrate --json``."""
        return {
            "coverage_90": self.coverage_90,
            "widening": self.widening,
            "coverage_90_unwidened": score("pooled", self.rows, 1.0).coverage_90,
            "refits_per_fold": CV_REFITS,
            "pooled": score("pooled", self.rows, self.widening).as_dict(),
            "schemes": [s.as_dict() for s in self.scores(lambda r: r.scheme)],
            "groups": [
                s.as_dict() | {"scheme": s.name.split(": ", 1)[0]}
                for s in self.scores(lambda r: f"{r.scheme}: {r.group}")
            ],
            "films": [
                {
                    "scheme": r.scheme,
                    "group": r.group,
                    "id": r.id,
                    "sigma25_measured_S_per_cm": r.sigma25_measured,
                    "sigma25_predicted_S_per_cm": r.sigma25_predicted,
                    "sigma25_interval_90_S_per_cm": list(r.distribution(self.widening).interval()),
                    "inside_90": r.inside(self.widening),
                    "in_domain": r.in_domain,
                }
                for r in self.rows
            ],
        }


def _fold(scheme: str, group: str, held: Sequence[PatentSample], train: Sequence[PatentSample]) -> list[HeldOut]:
    p = fit_parameters(train, parameter_vector(fresh_parameters()))
    bootstrap = Bootstrap(refit(train, CV_REFITS, SEED, p), noise_ln_sd(train, p), 1.0)
    calibration = Calibration(p, bootstrap, domain_of(train, p.heating_range_degc))
    rows = []
    for s in held:
        glass = predict_glass(s.target, s.method, s.deposition_temperature_degc, s.anneal_temperature_degc, calibration)
        rows.append(
            HeldOut(scheme, group, s.id, s.sigma25_s_per_cm, glass.ln_sigma25, glass.centres, glass.sd, glass.in_domain)
        )
    return rows


@cache
def grouped_cross_validation(widening: float = WIDENING) -> CrossValidation:
    """Hold out each group of each scheme, refit on the rest (with bootstrap) and predict it."""
    samples = fit_samples()
    rows: list[HeldOut] = []
    for scheme, key in SCHEMES.items():
        groups = sorted({g for s in samples if (g := key(s)) is not None})
        for group in groups:
            held = [s for s in samples if key(s) == group]
            rows += _fold(scheme, group, held, [s for s in samples if key(s) != group])
    return CrossValidation(tuple(rows), widening)


def widening_for(rows: Sequence[HeldOut], target: float = INTERVAL_LEVEL, step: float = 0.05) -> float:
    """The smallest widening (0.5, 0.55, …, 5) at which every scheme covers ``target``: how WIDENING was chosen."""
    schemes = sorted({r.scheme for r in rows})
    widening = 0.5
    while widening < 5.0 and any(
        score(k, [r for r in rows if r.scheme == k], widening).coverage_90 < target for k in schemes
    ):
        widening = round(widening + step, 10)
    return widening
