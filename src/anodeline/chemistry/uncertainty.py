"""The predictive distribution of ln σ25: a mixture of normals, one per bootstrap refit.

Each refit b of the σ25 model (:mod:`anodeline.chemistry.bootstrap`) predicts a centre c_b
for the film asked about; the film itself scatters around its model value with the
residual 1-σ s (film-to-film noise, widened where the query leaves the data). So

    P(ln σ25 ≤ y) = (1/B) Σ_b Φ((y − c_b)/s)

which carries the parameter uncertainty (the spread of the c_b, large where the data are
thin, e.g. below 100 °C) and the noise, conditional on the inputs. Quantiles come from
bisection on that CDF; Φ from :func:`math.erf` (no scipy at predict time).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Two-sided level of the reported interval.
INTERVAL_LEVEL = 0.90


def normal_cdf(z: float) -> float:
    """Φ(z), the standard normal CDF."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


@dataclass(frozen=True)
class LnSigmaDistribution:
    """Mixture of normals in ln σ25 [ln S/cm]: equal-weight centres, common 1-σ ``sd``."""

    centres: tuple[float, ...]
    sd: float

    def __post_init__(self) -> None:
        if not self.centres or not (self.sd > 0 and math.isfinite(self.sd)):
            raise ValueError(f"a distribution needs centres and a positive sd, got {len(self.centres)} and {self.sd}")

    def cdf(self, ln_sigma: float) -> float:
        """P(ln σ25 ≤ ln_sigma)."""
        return sum(normal_cdf((ln_sigma - c) / self.sd) for c in self.centres) / len(self.centres)

    def p_at_least(self, sigma_s_per_cm: float) -> float:
        """P(σ25 ≥ sigma_s_per_cm)."""
        if sigma_s_per_cm <= 0:
            return 1.0
        return 1.0 - self.cdf(math.log(sigma_s_per_cm))

    def quantile(self, q: float) -> float:
        """ln σ25 at which the CDF is ``q`` (bisection to 1e-10)."""
        if not 0.0 < q < 1.0:
            raise ValueError(f"quantile needs 0 < q < 1, got {q}")
        low = min(self.centres) - 10.0 * self.sd
        high = max(self.centres) + 10.0 * self.sd
        while high - low > 1e-10:
            middle = 0.5 * (low + high)
            if self.cdf(middle) < q:
                low = middle
            else:
                high = middle
        return 0.5 * (low + high)

    def interval(self, level: float = INTERVAL_LEVEL) -> tuple[float, float]:
        """The central ``level`` interval of σ25, S/cm."""
        tail = 0.5 * (1.0 - level)
        return math.exp(self.quantile(tail)), math.exp(self.quantile(1.0 - tail))

    def shifted(self, ln_factor: float) -> LnSigmaDistribution:
        """The distribution of σ25·exp(ln_factor) (e.g. a retention after exposure)."""
        return LnSigmaDistribution(tuple(c + ln_factor for c in self.centres), self.sd)

    def to_json(self) -> dict[str, Any]:
        return {"centres": list(self.centres), "sd": self.sd}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LnSigmaDistribution:
        return cls(tuple(float(c) for c in data["centres"]), float(data["sd"]))
