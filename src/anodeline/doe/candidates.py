"""Candidate films and what the model does not know about each.

For each candidate the film model (:func:`anodeline.chemistry.properties.predict_film`, at the
effective temperature of a sputtered film at the default 100 W, as ``predict`` will see the recipe)
gives ln σ25 as a mixture over its bootstrap refits (:mod:`anodeline.chemistry.uncertainty`):
centres ``c_b`` (parameter uncertainty — large where the data are thin, e.g. below 100 °C)
around which one film scatters with 1-σ ``s``. ``s`` is the in-domain film-to-film noise
``s0`` (the bootstrap residual), widened outside the patent's data (another former, method
or dopant) by the domain terms. Two parts of the variance can be shrunk by measuring films:

* the refits' spread, with its covariance across candidates (one measurement informs every
  candidate whose centres move with it);
* the domain part ``s² − s0²`` of a (former, method) cell, taken as shared by every
  candidate of that cell (est.: one film of a system by a method tells how that pair
  behaves) and independent between cells.

The in-domain noise ``s0`` cannot be shrunk: it is the next film's own scatter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from anodeline.chemistry.systems import SYSTEMS
from anodeline.physics.deposition.rates import METHODS

#: Substrate temperatures tried (°C): room temperature, the thin region below 100 °C, then heated.
TEMPERATURES_DEGC: tuple[float, ...] = (25.0, 50.0, 75.0, 100.0, 150.0)
#: Li2S shares tried per system: the low end, middle and high end of its glass-forming range (inset 2 mol %).
SHARES = 3


@dataclass(frozen=True)
class Candidate:
    target: str
    former: str
    li2s_mol_pct: float
    method: str
    substrate_degc: float
    sigma25_s_per_cm: float
    interval_s_per_cm: tuple[float, float]
    centres: tuple[float, ...]  # ln σ25 of each bootstrap refit
    noise_sd: float  # 1-σ of one film about a refit's centre (ln)

    @property
    def cell(self) -> tuple[str, str]:
        return self.former, self.method


def _shares(low: float, high: float) -> tuple[float, ...]:
    low, high = low + 2.0, high - 2.0
    return tuple(round(low + (high - low) * i / (SHARES - 1)) for i in range(SHARES))


def target_of(former: str, li2s_mol_pct: float) -> str:
    share = round(li2s_mol_pct)
    return f"{share}Li2S-{100 - share}{former}"


def candidates(formers: tuple[str, ...] | None = None, methods: tuple[str, ...] | None = None,
               temperatures: tuple[float, ...] = TEMPERATURES_DEGC,
               admissible: Callable[[Candidate], bool] | None = None) -> list[Candidate]:  # fmt: skip
    """Every supported film on the grid, predicted; a film no data or prior supports, or that
    ``admissible`` refuses (the process window of the recipe it would be made by), is left out."""
    from anodeline.chemistry.dataset import effective_degc_at_default_power
    from anodeline.chemistry.properties import predict_film
    from anodeline.errors import ModelDomainError

    found: list[Candidate] = []
    for former in formers or tuple(SYSTEMS):
        system = SYSTEMS[former]
        for share in _shares(*system.glass_forming_li2s_mol_pct):
            target = target_of(former, share)
            for method in methods or METHODS:
                for degc in temperatures:
                    try:
                        # the recipe states the setpoint; a sputtered film grows plasma-heated above it
                        film = predict_film(target, method, effective_degc_at_default_power(method, degc))
                    except ModelDomainError:
                        continue
                    dist = film.sigma25_distribution
                    candidate = Candidate(target, former, share, method, degc, film.sigma25_s_per_cm,
                                          film.sigma25_interval_90_s_per_cm, dist.centres, dist.sd)  # fmt: skip
                    if admissible is None or admissible(candidate):
                        found.append(candidate)
    return found
