"""Degradation by water and oxygen: reference rate points, and never-decreasing damage."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.errors import ModelInputError
from anodeline.physics.degradation import (
    CLEAN_LITHIUM,
    DEFAULT_LITHIUM,
    YERSAK_DOSE_PPM_S,
    conductivity_retention,
    dense_film_factor,
    dose_from_partial_pressure_ppm_s,
    dose_ppm_s,
    h2s_released_cm3_per_g,
    lithium3n_risk,
    lithium_film_nm,
    lithium_rate_nm_per_h,
)

doses = st.floats(min_value=0.0, max_value=1e10)
increments = st.floats(min_value=1e-3, max_value=1e9)
regimes = st.sampled_from(["deal-grove", "linear"])


def test_lithium_in_room_air_grows_24_nm_per_minute() -> None:
    assert lithium_rate_nm_per_h(12_000.0) / 60.0 == pytest.approx(24.0)
    assert lithium_film_nm(dose_ppm_s(12_000.0, 60.0), params=CLEAN_LITHIUM, regime="linear") == pytest.approx(24.0)


@pytest.mark.parametrize(("h2o_ppm", "nm_per_h"), [(38.9, 4.0), (1.0, 0.1)])
def test_linear_upper_bound_at_dry_air_and_one_ppm(h2o_ppm: float, nm_per_h: float) -> None:
    # REFERENCES.md: −50 °C frost point (38.9 ppmv) ≈ 4 nm/h; 1 ppm ≈ 0.1 nm/h (rounded figures)
    assert lithium_rate_nm_per_h(h2o_ppm) == pytest.approx(nm_per_h, rel=0.25)


def test_deal_grove_is_linear_for_glove_box_doses_and_slower_in_air() -> None:
    day_at_1_ppm = dose_ppm_s(1.0, 86_400.0)
    clean = {"params": CLEAN_LITHIUM}
    assert lithium_film_nm(day_at_1_ppm, **clean) == pytest.approx(
        lithium_film_nm(day_at_1_ppm, regime="linear", **clean), rel=0.05
    )
    hour_in_air = dose_ppm_s(12_000.0, 3600.0)
    assert lithium_film_nm(hour_in_air, **clean) < 0.5 * lithium_film_nm(hour_in_air, regime="linear", **clean)


def test_oxygen_counts_far_less_than_water() -> None:
    grown = lithium_film_nm(0.0, o2_dose_ppm_s=1e6, params=CLEAN_LITHIUM)
    assert 0.0 < grown < 0.05 * lithium_film_nm(1e6, params=CLEAN_LITHIUM)


def test_dry_air_oxygen_no_longer_outweighs_its_water() -> None:
    """Issue 14 item 5: with r_O2 = 0.01 dry air's O2 counted ~54× its water (−50 °C dew point, 38.9 ppm)."""
    o2_ppm, h2o_ppm = 209_460.0, 38.9
    assert DEFAULT_LITHIUM.o2_water_equivalent * o2_ppm < 0.1 * h2o_ppm
    # dry O2 shows no visible reaction in a day (Markowitz & Boryta 1962): < 10 nm grown at 1 atm
    day_in_dry_o2 = lithium_film_nm(0.0, o2_dose_ppm_s=1e6 * 86_400.0, params=CLEAN_LITHIUM, regime="linear")
    assert day_in_dry_o2 < 10.0


def test_lithium_starts_from_its_native_film_and_grows_slower_on_it() -> None:
    """Issue 14 item 5: the surface used to start clean (0 nm); Seo et al. 2022 find a few tens of nm."""
    assert lithium_film_nm(0.0) == pytest.approx(DEFAULT_LITHIUM.native_film_nm) and lithium_film_nm(0.0) >= 10.0
    hour_at_10_ppm = dose_ppm_s(10.0, 3600.0)
    grown_on_native = lithium_film_nm(hour_at_10_ppm) - lithium_film_nm(0.0)
    assert 0.0 < grown_on_native < lithium_film_nm(hour_at_10_ppm, params=CLEAN_LITHIUM)


def test_a_dense_film_is_less_sensitive_than_the_powder_by_its_surface_per_gram() -> None:
    """Issue 14 item 5: the powder calibration used to be applied to a dense film unchanged."""
    assert dense_film_factor(None) == 1.0
    assert dense_film_factor(1.0) == pytest.approx(1.0 / (1.9 * 1.0) / 2.0)  # 0.53 m²/g over 2 m²/g
    assert dense_film_factor(0.1) == 1.0  # thinner than the powder's grains: as exposed as the powder
    powder, film = (
        conductivity_retention(YERSAK_DOSE_PPM_S),
        conductivity_retention(YERSAK_DOSE_PPM_S, 0.0, film_thickness_um=1.0),
    )
    assert powder < 0.5 < film < 1.0
    assert h2s_released_cm3_per_g(YERSAK_DOSE_PPM_S, film_thickness_um=1.0) < 0.3 * h2s_released_cm3_per_g(
        YERSAK_DOSE_PPM_S
    )


def test_yersak_point_gives_0_1_cm3_per_g_h2s_and_over_half_conductivity_lost() -> None:
    assert pytest.approx(126.8 * 1800.0) == YERSAK_DOSE_PPM_S
    assert h2s_released_cm3_per_g(YERSAK_DOSE_PPM_S) == pytest.approx(0.1, rel=0.01)
    assert conductivity_retention(YERSAK_DOSE_PPM_S) < 0.5


def test_h2s_release_is_capped_by_the_sulfur_content() -> None:
    assert h2s_released_cm3_per_g(1e15) == pytest.approx(4 * 22_414.0 / 215.3)


def test_dose_from_vacuum_partial_pressure() -> None:
    # 1e-4 Pa of water for an hour ≈ 1 ppb of 1 atm for an hour
    assert dose_from_partial_pressure_ppm_s(1e-4, 3600.0) == pytest.approx(1e-4 / 101_325.0 * 1e6 * 3600.0)


@pytest.mark.parametrize(
    ("gas", "temperature_degc", "warns"),
    [
        ("N2", 25.0, False),
        ("Ar", 150.0, False),
        ("N2", 130.0, True),
        ("Ar+N2", 60.0, True),
        ("dry-air", 100.0, True),
        ("nitrogen", 200.0, True),
        ("He", 25.0, False),
    ],
)
def test_li3n_warning_when_lithium_is_heated_in_nitrogen(gas: str, temperature_degc: float, warns: bool) -> None:
    warning = lithium3n_risk(gas, temperature_degc)
    assert (warning is not None) == warns
    if warning:
        assert "Li3N" in warning


def test_molten_lithium_warning_says_rapid() -> None:
    assert "rapidly" in (lithium3n_risk("N2", 190.0) or "")


@pytest.mark.parametrize(
    "call",
    [
        lambda: lithium_film_nm(-1.0),
        lambda: conductivity_retention(float("nan")),
        lambda: h2s_released_cm3_per_g(1.0, o2_dose_ppm_s=-1.0),
        lambda: lithium_film_nm(1.0, regime="cubic"),  # type: ignore[arg-type]
        lambda: dose_ppm_s(-1.0, 10.0),
    ],
)
def test_impossible_doses_are_refused(call: object) -> None:
    with pytest.raises(ModelInputError):
        call()  # type: ignore[operator]


@given(dose=doses, extra=increments, o2=doses, regime=regimes)
def test_lithium_film_never_shrinks_with_dose(dose: float, extra: float, o2: float, regime: str) -> None:
    before = lithium_film_nm(dose, o2, regime=regime)  # type: ignore[arg-type]
    after = lithium_film_nm(dose + extra, o2, regime=regime)  # type: ignore[arg-type]
    assert 0.0 <= before <= after


@given(dose=doses)
def test_deal_grove_never_exceeds_the_linear_bound(dose: float) -> None:
    assert lithium_film_nm(dose) <= lithium_film_nm(dose, regime="linear") * (1 + 1e-12)


@given(dose=doses, extra=increments)
def test_h2s_never_decreases_with_dose(dose: float, extra: float) -> None:
    assert 0.0 <= h2s_released_cm3_per_g(dose) <= h2s_released_cm3_per_g(dose + extra)


@given(dose=doses, extra=increments)
def test_conductivity_retention_is_in_unit_interval_and_never_recovers(dose: float, extra: float) -> None:
    before = conductivity_retention(dose)
    after = conductivity_retention(dose + extra)
    assert 0.0 <= after <= before <= 1.0
