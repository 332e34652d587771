"""Greedy variance reduction: the informative film first, then one the first did not already teach."""

from __future__ import annotations

import pytest

from anodeline.doe.candidates import Candidate
from anodeline.doe.select import propose


def film(target: str, method: str, centres: tuple[float, ...], noise: float = 0.06) -> Candidate:
    return Candidate(target, target.split("-")[-1][2:], 60.0, method, 25.0, 1e-3, (5e-4, 2e-3), centres, noise)


def test_the_most_uncertain_family_comes_first_and_a_correlated_twin_loses_its_value() -> None:
    spread = (-1.0, 1.0, -1.0, 1.0)
    a = film("60Li2S-40SiS2", "sputtering", spread)
    a_twin = film("62Li2S-38SiS2", "sputtering", spread)  # moves with a: measuring a teaches it too
    b = film("60Li2S-40GeS2", "sputtering", (-0.5, -0.5, 0.5, 0.5))  # independent, smaller
    still = film("70Li2S-30P2S5", "sputtering", (0.0, 0.0, 0.0, 0.0))  # nothing to learn
    first, second, third = propose([still, b, a_twin, a], 3, base_noise_sd=0.06)
    assert first.candidate.target in ("60Li2S-40SiS2", "62Li2S-38SiS2")
    assert second.candidate.target == "60Li2S-40GeS2"  # not the twin of the first
    assert first.reduction > second.reduction > third.reduction >= 0.0
    assert 0.0 < first.share_of_total <= 1.0 and first.variance_before == pytest.approx(1.0)


def test_a_film_outside_the_data_carries_its_cells_domain_variance() -> None:
    flat = (0.0, 0.0)
    known = film("60Li2S-40SiS2", "sputtering", flat, noise=0.06)
    unknown = film("60Li2S-40SiS2", "laser-ablation", flat, noise=0.12)  # out of domain: widened noise
    (best,) = propose([known, unknown], 1, base_noise_sd=0.06)
    assert best.candidate.method == "laser-ablation"
    assert best.variance_before == pytest.approx(0.12**2 - 0.06**2)


def test_no_candidates_no_proposals() -> None:
    assert propose([], 3, 0.06) == []
