"""Substrate heating by the plasma: sensible magnitudes and monotone behaviour."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anodeline.errors import ModelInputError
from anodeline.physics.deposition.heating import (
    DEFAULT_HEATING,
    SubstrateHeatingParams,
    areal_heat_capacity_j_per_m2_k,
    heat_flux_w_per_m2,
    steady_state_temperature_degc,
    substrate_temperature_degc,
    time_constant_s,
)


def test_100_w_rf_on_a_cooled_holder_warms_the_foil_a_few_tens_of_kelvin() -> None:
    rise_k = steady_state_temperature_degc(100.0) - DEFAULT_HEATING.holder_temperature_degc
    assert 5.0 <= rise_k <= 50.0


def test_sputtering_at_100_w_stays_below_the_lithium_melting_point() -> None:
    assert steady_state_temperature_degc(100.0) < 179.0


def test_heat_flux_is_the_fraction_of_power_over_area() -> None:
    assert heat_flux_w_per_m2(100.0) == pytest.approx(0.10 * 100.0 / 50e-4)


def test_example_1_laminate_heat_capacity() -> None:
    # 10 µm Cu (3.45 J/cm³K) + 50 µm Li (1.91 J/cm³K) = 130 J/m²K
    assert areal_heat_capacity_j_per_m2_k(10.0, 50.0) == pytest.approx(130.1, rel=1e-3)


def test_transient_starts_at_holder_and_reaches_steady_state() -> None:
    assert substrate_temperature_degc(0.0, 100.0) == DEFAULT_HEATING.holder_temperature_degc
    steady = steady_state_temperature_degc(100.0)
    assert substrate_temperature_degc(10.0 * time_constant_s(), 100.0) == pytest.approx(steady, abs=0.01)
    assert substrate_temperature_degc(3600.0, 100.0) == pytest.approx(steady)


def test_transient_after_one_time_constant_is_near_63_percent() -> None:
    start = DEFAULT_HEATING.holder_temperature_degc
    rise = steady_state_temperature_degc(100.0) - start
    reached = (substrate_temperature_degc(time_constant_s(), 100.0) - start) / rise
    assert reached == pytest.approx(0.632, abs=0.03)


def test_a_hot_foil_cools_towards_steady_state() -> None:
    steady = steady_state_temperature_degc(100.0)
    assert steady < substrate_temperature_degc(1.0, 100.0, initial_temperature_degc=150.0) < 150.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: steady_state_temperature_degc(-1.0),
        lambda: substrate_temperature_degc(-1.0, 100.0),
        lambda: SubstrateHeatingParams(power_fraction_to_substrate=1.5),
        lambda: SubstrateHeatingParams(contact_conductance_w_per_m2_k=0.0),
    ],
)
def test_impossible_input_is_refused(call: object) -> None:
    with pytest.raises(ModelInputError):
        call()  # type: ignore[operator]


@settings(deadline=None)
@given(power_w=st.floats(min_value=0.0, max_value=500.0), extra_w=st.floats(min_value=1.0, max_value=500.0))
def test_more_power_means_a_hotter_substrate(power_w: float, extra_w: float) -> None:
    assert steady_state_temperature_degc(power_w + extra_w) > steady_state_temperature_degc(power_w)


@settings(max_examples=25, deadline=None)
@given(t_s=st.floats(min_value=0.0, max_value=10.0), dt_s=st.floats(min_value=0.01, max_value=10.0))
def test_heating_from_the_holder_never_overshoots(t_s: float, dt_s: float) -> None:
    early = substrate_temperature_degc(t_s, 100.0)
    late = substrate_temperature_degc(t_s + dt_s, 100.0)
    assert early <= late + 1e-6
    assert late <= steady_state_temperature_degc(100.0) + 1e-6


@settings(deadline=None)
@given(conductance=st.floats(min_value=10.0, max_value=1000.0))
def test_better_contact_means_a_cooler_substrate(conductance: float) -> None:
    better = replace(DEFAULT_HEATING, contact_conductance_w_per_m2_k=conductance * 2.0)
    worse = replace(DEFAULT_HEATING, contact_conductance_w_per_m2_k=conductance)
    assert steady_state_temperature_degc(100.0, better) < steady_state_temperature_degc(100.0, worse)
