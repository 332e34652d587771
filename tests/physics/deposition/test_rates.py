"""Deposition rates: REFERENCES.md figures reproduced, and the scaling laws as invariants."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.errors import AnodelineError, ModelInputError
from anodeline.physics.deposition.rates import (
    DEFAULT_PARAMS,
    MATERIAL_KINDS,
    METHODS,
    EvaporationParams,
    SputteringParams,
    deposition_rate_nm_per_s,
    deposition_time_s,
    lithium_evaporation_rate_nm_per_s,
    lithium_vapour_pressure_pa,
    sputtering_rate_nm_per_s,
    time_for_thickness_s,
    uniformity,
)

powers_w = st.floats(min_value=1.0, max_value=1000.0)
thicknesses_um = st.floats(min_value=0.01, max_value=20.0)


@pytest.mark.parametrize(("source_degc", "expected_nm_per_s"), [(500.0, 3.0), (600.0, 43.0)])
def test_lithium_evaporation_matches_reference_geometry(source_degc: float, expected_nm_per_s: float) -> None:
    rate = lithium_evaporation_rate_nm_per_s(EvaporationParams(source_temperature_degc=source_degc))
    assert rate == pytest.approx(expected_nm_per_s, rel=0.03)


def test_lithium_vapour_pressure_follows_the_stated_law() -> None:
    assert math.log10(lithium_vapour_pressure_pa(800.0)) == pytest.approx(10.061 - 8023.0 / 800.0)


def test_sulfide_sputtering_gives_about_a_micron_in_hours_at_50_w() -> None:
    rate = sputtering_rate_nm_per_s("solid-electrolyte", SputteringParams(power_w=50.0))
    hours = time_for_thickness_s(1.0, rate) / 3600.0
    assert 2.0 <= hours <= 8.0  # Seo & Martin 2011 style run (~1 µm film at 50 W RF)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kind", MATERIAL_KINDS)
def test_every_default_gives_a_sensible_time_for_a_patent_film(method: str, kind: str) -> None:
    thickness_um = 5.0 if kind == "lithium" else 1.0  # Example 4 Li film, Example 1 electrolyte
    minutes = deposition_time_s(method, kind, thickness_um) / 60.0
    assert 1.0 <= minutes <= 600.0


def test_laser_ablation_rate_is_per_pulse_times_rate() -> None:
    params = DEFAULT_PARAMS.override(pulse_rate_hz=5.0)
    assert deposition_rate_nm_per_s("laser-ablation", "solid-electrolyte", params) == pytest.approx(0.03 * 5.0)


def test_ion_plating_is_slower_than_plain_evaporation() -> None:
    for kind in MATERIAL_KINDS:
        plating = deposition_rate_nm_per_s("ion-plating", kind)
        assert 0.0 < plating < deposition_rate_nm_per_s("vacuum-evaporation", kind)


def test_override_source_temperature_reaches_ion_plating_too() -> None:
    params = DEFAULT_PARAMS.override(source_temperature_degc=600.0)
    assert params.ion_plating.evaporation.source_temperature_degc == 600.0


def test_uniformity_of_a_cosine_source() -> None:
    assert uniformity(0.0) == 1.0
    assert uniformity(1.0) == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: deposition_rate_nm_per_s("spray", "lithium"), "unknown deposition method"),
        (lambda: deposition_rate_nm_per_s("sputtering", "copper"), "unknown material kind"),
        (lambda: SputteringParams(power_w=-5.0), "power_w"),
        (lambda: time_for_thickness_s(1.0, 0.0), "rate_nm_per_s"),
        (lambda: time_for_thickness_s(-1.0, 1.0), "negative"),
        (lambda: EvaporationParams(evaporation_coefficient=1.5), "above 1"),
    ],
)
def test_impossible_input_is_a_model_input_error(call: object, message: str) -> None:
    with pytest.raises(ModelInputError, match=message) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, AnodelineError) and isinstance(info.value, ValueError)


@given(power_w=powers_w, factor=st.floats(min_value=1.0, max_value=10.0), kind=st.sampled_from(MATERIAL_KINDS))
def test_sputtering_rate_is_proportional_to_power(power_w: float, factor: float, kind: str) -> None:
    low = sputtering_rate_nm_per_s(kind, SputteringParams(power_w=power_w))
    high = sputtering_rate_nm_per_s(kind, SputteringParams(power_w=power_w * factor))
    assert high == pytest.approx(low * factor, rel=1e-9)


@given(thickness_um=thicknesses_um, factor=st.floats(min_value=1.0, max_value=10.0), method=st.sampled_from(METHODS))
def test_time_is_proportional_to_thickness(thickness_um: float, factor: float, method: str) -> None:
    once = deposition_time_s(method, "solid-electrolyte", thickness_um)
    scaled = deposition_time_s(method, "solid-electrolyte", thickness_um * factor)
    assert scaled == pytest.approx(once * factor, rel=1e-9)


@given(low_degc=st.floats(min_value=200.0, max_value=800.0), step_k=st.floats(min_value=0.1, max_value=200.0))
def test_hotter_lithium_source_evaporates_faster(low_degc: float, step_k: float) -> None:
    cold = EvaporationParams(source_temperature_degc=low_degc)
    hot = replace(cold, source_temperature_degc=low_degc + step_k)
    assert lithium_evaporation_rate_nm_per_s(hot) > lithium_evaporation_rate_nm_per_s(cold)


@given(x=st.floats(min_value=0.0, max_value=10.0), dx=st.floats(min_value=1e-3, max_value=10.0))
def test_uniformity_falls_off_axis_and_stays_in_unit_interval(x: float, dx: float) -> None:
    assert 0.0 < uniformity(x + dx) < uniformity(x) <= 1.0
