"""Frost/dew point ↔ water content (Murphy & Koop 2005), against references and psychrolib."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.physics.atmosphere import (
    AtmosphereError,
    NoFrostPointError,
    dew_point_to_ppmv,
    frost_point_to_ppmv,
    ice_vapour_pressure_pa,
    ppmv_to_dew_point,
    ppmv_to_frost_point,
    water_vapour_pressure_pa,
)

# shared/REFERENCES.md, "Atmosphere": frost point → ppmv at 101325 Pa.
REFERENCE_PPMV = [(-40.0, 126.8), (-50.0, 38.9), (-60.0, 10.7), (-70.0, 2.58)]


@pytest.mark.parametrize(("frost_point_degc", "ppmv"), REFERENCE_PPMV)
def test_frost_point_matches_reference_within_1_percent(frost_point_degc: float, ppmv: float) -> None:
    assert frost_point_to_ppmv(frost_point_degc) == pytest.approx(ppmv, rel=0.01)


@pytest.mark.parametrize(("frost_point_degc", "ppmv"), REFERENCE_PPMV)
def test_reference_ppmv_gives_back_its_frost_point(frost_point_degc: float, ppmv: float) -> None:
    assert ppmv_to_frost_point(ppmv) == pytest.approx(frost_point_degc, abs=0.15)


def test_ice_and_water_meet_at_the_triple_point() -> None:
    assert ice_vapour_pressure_pa(273.16) == pytest.approx(611.657, rel=1e-4)
    assert water_vapour_pressure_pa(273.16) == pytest.approx(611.657, rel=1e-4)


def test_dew_point_over_supercooled_water_means_more_water_than_frost_point() -> None:
    assert dew_point_to_ppmv(-40.0) > 1.4 * frost_point_to_ppmv(-40.0)


def _psychrolib_ppmv(temperature_degc: float, pressure_pa: float = 101325.0) -> float:
    import psychrolib

    psychrolib.SetUnitSystem(psychrolib.SI)
    vapour_pa = psychrolib.GetSatVapPres(temperature_degc)  # ASHRAE (Hyland–Wexler): ice below 0.01 °C
    return vapour_pa / (pressure_pa - vapour_pa) * 1e6


@pytest.mark.parametrize("frost_point_degc", [-80.0, -75.0, -70.0, -60.0, -50.0, -40.0, -30.0, -20.0, -10.0, 0.0])
def test_frost_point_agrees_with_psychrolib_over_ice(frost_point_degc: float) -> None:
    assert frost_point_to_ppmv(frost_point_degc) == pytest.approx(_psychrolib_ppmv(frost_point_degc), rel=0.005)


@pytest.mark.parametrize("dew_point_degc", [1.0, 10.0, 20.0, 30.0, 40.0, 50.0])
def test_dew_point_agrees_with_psychrolib_over_water(dew_point_degc: float) -> None:
    assert dew_point_to_ppmv(dew_point_degc) == pytest.approx(_psychrolib_ppmv(dew_point_degc), rel=0.005)


def test_lower_pressure_means_more_ppmv_for_the_same_frost_point() -> None:
    assert frost_point_to_ppmv(-60.0, pressure_pa=100.0) > 1000 * frost_point_to_ppmv(-60.0)


def test_wet_gas_has_no_frost_point() -> None:
    with pytest.raises(NoFrostPointError, match="no frost point"):
        ppmv_to_frost_point(20000.0)
    assert ppmv_to_dew_point(20000.0) == pytest.approx(17.39, abs=0.05)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan")])
def test_non_positive_water_content_is_refused(bad: float) -> None:
    with pytest.raises(AtmosphereError):
        ppmv_to_frost_point(bad)


def test_frost_point_above_triple_point_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        frost_point_to_ppmv(5.0)


@given(st.floats(min_value=-120.0, max_value=0.0), st.floats(min_value=1e3, max_value=2e5))
def test_frost_point_round_trips(frost_point_degc: float, pressure_pa: float) -> None:
    ppmv = frost_point_to_ppmv(frost_point_degc, pressure_pa)
    assert ppmv_to_frost_point(ppmv, pressure_pa) == pytest.approx(frost_point_degc, abs=1e-6)


@given(st.floats(min_value=-100.0, max_value=50.0))
def test_dew_point_round_trips(dew_point_degc: float) -> None:
    assert ppmv_to_dew_point(dew_point_to_ppmv(dew_point_degc)) == pytest.approx(dew_point_degc, abs=1e-6)


@given(st.floats(min_value=0.01, max_value=5000.0))
def test_ppmv_round_trips_through_frost_point(ppmv: float) -> None:
    assert frost_point_to_ppmv(ppmv_to_frost_point(ppmv)) == pytest.approx(ppmv, rel=1e-8)


def test_the_dry_air_limit_of_the_window_is_the_minus_50_frost_point() -> None:
    from anodeline import window

    assert (
        pytest.approx(frost_point_to_ppmv(window.DRY_AIR_DEW_POINT_MAX_DEGC), rel=1e-3) == window.DRY_AIR_H2O_MAX_PPMV
    )


def test_brent_root_is_bit_identical_to_scipy_brentq() -> None:
    """The pure-Python Brent inverse gives scipy's roots to the last bit (the golden batches depend on it)."""
    import math

    from scipy.optimize import brentq

    from anodeline.physics.atmosphere.humidity import (
        ICE_MIN_K,
        TRIPLE_POINT_K,
        brent_root,
        ice_vapour_pressure_pa,
        ppmv_to_vapour_pressure_pa,
    )

    checked = 0
    for exponent in range(-60, 40):
        ppmv = 10.0 ** (exponent / 10.0)
        vapour = ppmv_to_vapour_pressure_pa(ppmv, 101325.0)

        def f(t: float, vapour: float = vapour) -> float:
            return math.log(ice_vapour_pressure_pa(t) / vapour)

        if f(ICE_MIN_K) * f(TRIPLE_POINT_K) > 0:
            continue  # outside the ice formula's range: ppmv_to_frost_point refuses it before the root-find
        assert brent_root(f, ICE_MIN_K, TRIPLE_POINT_K, 1e-10) == brentq(f, ICE_MIN_K, TRIPLE_POINT_K, xtol=1e-10)
        checked += 1
    assert checked > 50
    for a, b, root in ((0.0, 3.0, 2.0), (-1.0, 5.0, 0.3), (1e-3, 10.0, math.pi)):

        def g(x: float, root: float = root) -> float:
            return x**3 - root**3

        assert brent_root(g, a, b, 1e-12) == brentq(g, a, b, xtol=1e-12)


def test_frost_point_inverse_is_bit_identical_to_brent_on_the_ice_formula() -> None:
    """ppmv_to_frost_point inlines the ice formula in its root function: the roots must not move by one bit."""
    from anodeline.physics.atmosphere.humidity import (
        ICE_MIN_K,
        TRIPLE_POINT_K,
        ZERO_DEGC_K,
        brent_root,
        ppmv_to_vapour_pressure_pa,
    )

    for ppmv in [0.01, 0.03, 0.1, 0.5, 1.0, 2.7, 10.0, 99.9, 1234.5, 4000.0]:
        for pressure_pa in (101325.0, 50000.0, 120000.0):
            vapour = ppmv_to_vapour_pressure_pa(ppmv, pressure_pa)
            root = brent_root(
                lambda t, v=vapour: math.log(ice_vapour_pressure_pa(t) / v), ICE_MIN_K, TRIPLE_POINT_K, 1e-10
            )
            assert ppmv_to_frost_point(ppmv, pressure_pa) == root - ZERO_DEGC_K
