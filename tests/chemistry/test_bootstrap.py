"""Bootstrap refits of the σ25 model: reproducible, spread where the data are thin."""

from __future__ import annotations

import math

import pytest

from anodeline.chemistry.bootstrap import (
    BOOTSTRAP_REFITS,
    from_vector,
    noise_ln_sd,
    refit,
    shipped_bootstrap,
    vector_of,
)
from anodeline.chemistry.conductivity import fitted_parameters
from anodeline.chemistry.dataset import fit_samples
from anodeline.chemistry.properties import FilmPrediction, predict_film

TABLE_1 = "57Li2S-38SiS2-5(Li2O-P2O5)"


def test_the_shipped_bootstrap_has_its_refits_and_a_noise_like_the_residuals() -> None:
    b = shipped_bootstrap()
    assert len(b.refits) == BOOTSTRAP_REFITS
    assert 0.03 < b.noise_ln_sd < 0.15  # the patent's repeat films differ by ~10 %
    assert b.noise_ln_sd == pytest.approx(noise_ln_sd(fit_samples(), fitted_parameters()), rel=1e-6)


def test_a_refit_round_trips_through_its_vector() -> None:
    p = shipped_bootstrap().refits[0]
    assert from_vector(vector_of(p), p) == p


def test_refits_are_reproducible_from_the_seed() -> None:
    samples = fit_samples()
    assert refit(samples, 2, seed=3, start=fitted_parameters()) == refit(samples, 2, seed=3, start=fitted_parameters())


def test_the_interval_is_wide_where_one_film_carries_the_curve_and_narrow_on_the_plateau() -> None:
    def width(film: FilmPrediction) -> float:
        low, high = film.sigma25_interval_90_s_per_cm
        return math.log(high / low)

    cold = predict_film(TABLE_1, "sputtering", 25.0)  # only Example 1 below 50 °C
    plateau = predict_film(TABLE_1, "sputtering", 130.0)  # 40 films at 100-160 °C
    assert width(cold) > 3 * width(plateau)
    assert plateau.sigma25_interval_90_s_per_cm[0] < 1.7e-3 < plateau.sigma25_interval_90_s_per_cm[1]


def test_colder_than_the_data_moves_down_and_widens_instead_of_clamping() -> None:
    at_25 = predict_film(TABLE_1, "sputtering", 25.0)
    at_0 = predict_film(TABLE_1, "sputtering", 0.0)
    assert at_0.sigma25_s_per_cm < at_25.sigma25_s_per_cm
    assert at_0.sigma25_interval_90_s_per_cm[0] < at_25.sigma25_interval_90_s_per_cm[0]
    assert not at_0.in_domain
