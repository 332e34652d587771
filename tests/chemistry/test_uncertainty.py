"""The predictive distribution of ln σ25: quantiles, P(σ25 ≥ spec), round trip."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.chemistry.uncertainty import LnSigmaDistribution


def test_one_centre_is_a_lognormal() -> None:
    d = LnSigmaDistribution((math.log(1e-3),), 0.1)
    low, high = d.interval(0.9)
    assert low == pytest.approx(1e-3 * math.exp(-1.6448536 * 0.1), rel=1e-6)
    assert high == pytest.approx(1e-3 * math.exp(1.6448536 * 0.1), rel=1e-6)
    assert d.p_at_least(1e-3) == pytest.approx(0.5)


def test_spread_centres_widen_the_interval() -> None:
    narrow = LnSigmaDistribution((0.0,), 0.1).interval()
    wide = LnSigmaDistribution((-0.5, 0.0, 0.5), 0.1).interval()
    assert wide[0] < narrow[0] and wide[1] > narrow[1]


@given(st.lists(st.floats(-10, -5), min_size=1, max_size=20), st.floats(0.01, 2.0), st.floats(0.01, 0.99))
def test_quantile_inverts_the_cdf(centres: list[float], sd: float, q: float) -> None:
    d = LnSigmaDistribution(tuple(centres), sd)
    assert d.cdf(d.quantile(q)) == pytest.approx(q, abs=1e-6)


def test_shift_and_round_trip() -> None:
    d = LnSigmaDistribution((-8.0, -7.5), 0.2)
    assert d.shifted(math.log(0.5)).p_at_least(1e-4) < d.p_at_least(1e-4)
    assert LnSigmaDistribution.from_json(d.to_json()) == d
    with pytest.raises(ValueError):
        LnSigmaDistribution((), 0.1)
