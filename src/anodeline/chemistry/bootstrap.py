"""Parameter uncertainty of the σ25 model: bootstrap refits, fitted once and shipped.

Case bootstrap (Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993, ch. 9): draw
the 48 independent films with replacement, refit the σ25 model
(:func:`anodeline.chemistry.conductivity.fit_parameters`), repeat B times. Each refit b
predicts a centre c_b for any film; their spread is the parameter uncertainty *at that
film's inputs* — small on the 100–160 °C plateau the patent measured 40 times, large at
25 °C where one film (Example 1) carries the curve, and for a former measured once.

The film-to-film noise is the residual 1-σ of the full fit, ``noise_ln_sd`` =
sqrt(Σ r² / (n − k)) with k = 12 fitted σ25 parameters; ``widening`` multiplies it and is
chosen on the grouped cross-validation (:mod:`anodeline.chemistry.validation`) — see
docs/models/film-properties.md, where that choice and its optimism are stated.

Refits are stored as vectors (:func:`vector_of`), 200 of them, in the shipped
``calibrated.json`` (``bootstrap``); reading them needs no numpy or scipy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from anodeline.chemistry import shipped
from anodeline.chemistry.conductivity import (
    FEATURE_NAMES,
    ConductivityParameters,
    condition_of,
    fit_parameters,
    fresh_parameters,
    ln_sigma25,
    parameter_vector,
)
from anodeline.chemistry.dataset import PatentSample, fit_samples

#: Refits shipped with the package.
BOOTSTRAP_REFITS = 200
#: Seed of the resampling (numpy PCG64): the shipped refits are reproducible.
SEED = 14
#: Fitted σ25 parameters (5 relaxation + 7 family/method terms): the residual's degrees of freedom.
N_PARAMETERS = 12
#: Widening of the noise 1-σ: the smallest at which every scheme of the grouped cross-validation
#: covers 90 % (:func:`anodeline.chemistry.validation.widening_for`). Chosen on the same CV it is
#: scored on, so its coverage is optimistic (docs/models/film-properties.md); unwidened: 0.99. 0.9 before
#: the sputtered films moved to their plasma-heated temperatures (issue 14 item 4); 0.7 after.
WIDENING = 0.7


def vector_of(p: ConductivityParameters) -> list[float]:
    """The refit as a flat vector: the 12 σ25 parameters then the Ea line (a, b)."""
    return [*parameter_vector(p), p.ea_intercept_kj_per_mol, p.ea_slope_kj_per_mol]


def from_vector(values: Sequence[float], like: ConductivityParameters) -> ConductivityParameters:
    """Inverse of :func:`vector_of` (heating range and sample count from ``like``)."""
    v = [float(x) for x in values]
    return ConductivityParameters(
        v[0], v[1], v[2], v[3], v[4], tuple(v[5:-2]), v[-2], v[-1], like.heating_range_degc, like.n_samples
    )


def refit(
    samples: Sequence[PatentSample], n: int, seed: int = SEED, start: ConductivityParameters | None = None
) -> tuple[ConductivityParameters, ...]:
    """``n`` case-bootstrap refits of the σ25 model on ``samples`` (each started from ``start``)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    begin = parameter_vector(start or fit_parameters(samples))
    out = []
    for _ in range(n):
        drawn = rng.integers(0, len(samples), len(samples))
        out.append(fit_parameters([samples[int(i)] for i in drawn], begin))
    return tuple(out)


def noise_ln_sd(samples: Sequence[PatentSample], p: ConductivityParameters) -> float:
    """Residual 1-σ of ln σ25, sqrt(Σ r²/(n − k)): the film-to-film scatter around the model."""
    residuals = [ln_sigma25(condition_of(s), p) - math.log(s.sigma25_s_per_cm) for s in samples]
    return math.sqrt(sum(r * r for r in residuals) / max(len(samples) - N_PARAMETERS, 1))


@dataclass(frozen=True)
class Bootstrap:
    """What prediction takes from the bootstrap: the refits, the noise 1-σ and its widening."""

    refits: tuple[ConductivityParameters, ...]
    noise_ln_sd: float
    widening: float

    @property
    def sd(self) -> float:
        """The widened noise 1-σ used in predictions."""
        return self.noise_ln_sd * self.widening

    def to_json(self) -> dict[str, Any]:
        return {
            "method": "case bootstrap of the σ25 model (Efron & Tibshirani 1993)",
            "seed": SEED,
            "vector": [*(f"x{i}" for i in range(5)), *FEATURE_NAMES, "ea_intercept", "ea_slope"],
            "refits": [vector_of(p) for p in self.refits],
            "noise_ln_sd": self.noise_ln_sd,
            "widening": self.widening,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], like: ConductivityParameters) -> Bootstrap:
        refits = tuple(from_vector(v, like) for v in data["refits"])
        return cls(refits, float(data["noise_ln_sd"]), float(data["widening"]))


@cache
def fresh_bootstrap() -> Bootstrap:
    """Refit now (scipy): 200 bootstrap refits on every independent patent measurement."""
    samples = fit_samples()
    p = fresh_parameters()
    return Bootstrap(refit(samples, BOOTSTRAP_REFITS, SEED, p), noise_ln_sd(samples, p), WIDENING)


@cache
def shipped_bootstrap() -> Bootstrap:
    """The bootstrap predictions use: shipped, or (stale calibration) refitted now."""
    from anodeline.chemistry.conductivity import fitted_parameters

    data = shipped.calibration()
    if data is None:
        return fresh_bootstrap()
    return Bootstrap.from_json(data["bootstrap"], fitted_parameters())
