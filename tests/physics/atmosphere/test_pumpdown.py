"""Pump-down at constant speed: V·dp/dt = Q − S·p."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.physics.atmosphere import (
    AtmosphereError,
    UnreachablePressureError,
    gas_load,
    pressure_at,
    pumpdown_time,
    ultimate_pressure,
)

M3_PER_H = 1 / 3600
MBAR = 100.0


def test_72_litre_antechamber_with_12_m3_per_h_takes_about_200_s() -> None:
    # shared/REFERENCES.md: 1013 → 0.1 mbar ≈ 200 s ideal.
    assert pumpdown_time(0.072, 12 * M3_PER_H, 1013 * MBAR, 0.1 * MBAR) == pytest.approx(200.0, rel=0.01)


def test_1_m3_chamber_with_60_m3_per_h_takes_about_550_s() -> None:
    assert pumpdown_time(1.0, 60 * M3_PER_H, 1013 * MBAR, 0.1 * MBAR) == pytest.approx(550.0, rel=0.01)


def test_gas_load_slows_the_pump_down() -> None:
    ideal = pumpdown_time(0.072, 12 * M3_PER_H, 101300.0, 10.0)
    loaded = pumpdown_time(0.072, 12 * M3_PER_H, 101300.0, 10.0, gas_load_pa_m3_per_s=0.02)
    assert loaded > ideal


def test_ultimate_pressure_is_load_over_speed() -> None:
    assert ultimate_pressure(0.01, 1e-4) == pytest.approx(0.01)


def test_target_at_or_below_ultimate_pressure_is_unreachable() -> None:
    with pytest.raises(UnreachablePressureError) as info:
        pumpdown_time(0.072, 12 * M3_PER_H, 101300.0, 0.01, gas_load_pa_m3_per_s=1e-4)
    assert isinstance(info.value, ValueError)
    assert info.value.ultimate_pa == pytest.approx(0.03)


def test_target_above_start_is_refused() -> None:
    with pytest.raises(AtmosphereError, match="above the start"):
        pumpdown_time(1.0, 0.01, 100.0, 1000.0)


def test_gas_load_adds_outgassing_and_leaks() -> None:
    assert gas_load(area_m2=2.0, outgassing_pa_m3_per_s_m2=1e-6, leak_pa_m3_per_s=1e-6) == pytest.approx(3e-6)


volumes = st.floats(min_value=1e-3, max_value=100.0)
speeds = st.floats(min_value=1e-4, max_value=10.0)


@given(volumes, speeds, st.floats(min_value=1.0, max_value=1e5), st.floats(min_value=0.0, max_value=1e-3))
def test_pressure_at_the_pump_down_time_is_the_target(volume_m3: float, speed: float, p_pa: float, q: float) -> None:
    p0_pa = 101325.0
    if p_pa <= q / speed:
        return
    seconds = pumpdown_time(volume_m3, speed, p0_pa, p_pa, q)
    assert pressure_at(seconds, volume_m3, speed, p0_pa, q) == pytest.approx(p_pa, rel=1e-6)


@given(volumes, volumes, speeds)
def test_pump_down_time_grows_with_volume(a_m3: float, b_m3: float, speed: float) -> None:
    small, large = sorted((a_m3, b_m3))
    assert pumpdown_time(small, speed, 101325.0, 10.0) <= pumpdown_time(large, speed, 101325.0, 10.0)


@given(volumes, speeds, speeds)
def test_pump_down_time_falls_with_speed(volume_m3: float, a: float, b: float) -> None:
    slow, fast = sorted((a, b))
    assert pumpdown_time(volume_m3, fast, 101325.0, 10.0) <= pumpdown_time(volume_m3, slow, 101325.0, 10.0)
