"""Pump-down at constant speed: V·dp/dt = Q − S·p; and the two-stage PumpSet (turbo + backing pump)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.physics.atmosphere import (
    AtmosphereError,
    PumpSet,
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


# --- the pump set: a rough pump alone, or a turbo with a backing pump ---------------------------
ATM = 101325.0
#: The deposition apparatus of examples/lines/fig1.yaml: 150 L, 300 L/s turbo, 1e-6 Pa, 10 m³/h scroll.
APPARATUS = PumpSet(0.150, 0.300, 1e-6, backing_speed_m3_per_s=10 * M3_PER_H)


def test_a_rough_pump_set_keeps_the_single_stage_references() -> None:
    assert PumpSet(0.072, 12 * M3_PER_H, 0.0).time_to(1013 * MBAR, 0.1 * MBAR) == pytest.approx(200.0, rel=0.01)
    assert PumpSet(1.0, 60 * M3_PER_H, 0.0).time_to(1013 * MBAR, 0.1 * MBAR) == pytest.approx(550.0, rel=0.01)


def test_a_rough_pump_set_is_the_single_stage_law_with_its_ultimate_as_gas_load() -> None:
    chamber = PumpSet(0.4, 12 * M3_PER_H, 1.0)  # the glove chambers of fig1
    load = chamber.speed_m3_per_s * 1.0 + 1e-4
    assert chamber.time_to(ATM, 9.0, 1e-4) == pumpdown_time(0.4, 12 * M3_PER_H, ATM, 9.0, load)
    p, elapsed = chamber.pressure_after(ATM, 600.0, 0.0, 1e-4)
    assert (p, elapsed) == (pressure_at(600.0, 0.4, 12 * M3_PER_H, ATM, load), 0.0)


def test_the_apparatus_reaches_1e_4_pa_in_about_half_an_hour() -> None:
    # 8.4 min roughing to the 10 Pa crossover, then the turbo against outgassing that falls as 1/t:
    # 34.2 min in all (real unbaked chambers: ~20 min to hours), where one-stage pumping said 11 s.
    seconds = APPARATUS.time_to(ATM, 1e-4)
    assert APPARATUS.time_to(ATM, APPARATUS.crossover_pa) == pytest.approx(503.8, rel=1e-3)
    assert seconds == pytest.approx(2053.0, rel=0.01)
    assert 600.0 < seconds < 7200.0


def test_pressure_after_is_continuous_across_the_crossover() -> None:
    rough_s = APPARATUS.time_to(ATM, APPARATUS.crossover_pa)
    before, _ = APPARATUS.pressure_after(ATM, rough_s * (1 - 1e-9))
    at, elapsed = APPARATUS.pressure_after(ATM, rough_s)
    after, _ = APPARATUS.pressure_after(ATM, rough_s * (1 + 1e-9))
    assert before == pytest.approx(APPARATUS.crossover_pa, rel=1e-6)
    assert at == pytest.approx(APPARATUS.crossover_pa, rel=1e-6)
    assert after == pytest.approx(APPARATUS.crossover_pa, rel=1e-5)
    assert elapsed == pytest.approx(0.0, abs=1e-6)


def test_the_high_vacuum_stage_follows_the_ode_within_a_tenth_of_a_percent() -> None:
    from scipy.integrate import solve_ivp

    v, s, area, t_w = 0.150, 0.300, APPARATUS.area_m2, APPARATUS.wall_age_at_crossover_s

    def rhs(t: float, y: list[float]) -> list[float]:
        return [(area * 1e-5 * 3600.0 / (t_w + t) + s * 1e-6 - s * y[0]) / v]

    sol = solve_ivp(rhs, (0.0, 5000.0), [10.0], method="LSODA", rtol=1e-10, atol=1e-15, dense_output=True)
    for tau in (0.1, 1.0, 5.0, 60.0, 600.0, 5000.0):
        assert APPARATUS.pressure_after(10.0, tau)[0] == pytest.approx(float(sol.sol(tau)[0]), rel=1e-3)


def test_splitting_the_pump_down_gives_the_same_answer() -> None:
    p, elapsed = ATM, 0.0
    for _ in range(300):
        p, elapsed = APPARATUS.pressure_after(p, 10.0, elapsed)
    whole = APPARATUS.pressure_after(ATM, 3000.0)
    assert p == pytest.approx(whole[0], rel=1e-9)
    assert elapsed == pytest.approx(whole[1], rel=1e-9)


def test_a_restart_in_vacuum_does_not_raise_the_pressure() -> None:
    # pumped down, pump stopped (stage clock reset), restarted: the walls keep their age
    p, _ = APPARATUS.pressure_after(ATM, 7200.0)
    again, elapsed = APPARATUS.pressure_after(p, 60.0, 0.0)
    assert again <= p
    assert elapsed > 7200.0 - APPARATUS.wall_age_at_crossover_s


def test_the_apparatus_cannot_go_below_its_ultimate_pressure() -> None:
    with pytest.raises(UnreachablePressureError) as info:
        APPARATUS.time_to(ATM, 1e-6)
    assert info.value.ultimate_pa == pytest.approx(1e-6)
    with pytest.raises(UnreachablePressureError):
        APPARATUS.time_to(ATM, 1e-4, leak_pa_m3_per_s=0.3 * 1e-4)
    with pytest.raises(UnreachablePressureError):  # the leak beats the backing pump before the crossover
        APPARATUS.time_to(ATM, 1.0, leak_pa_m3_per_s=0.1)


def test_a_backing_pump_that_cannot_reach_the_crossover_is_refused() -> None:
    with pytest.raises(AtmosphereError, match="crossover"):
        PumpSet(0.15, 0.3, 1e-6, backing_speed_m3_per_s=1e-3, backing_ultimate_pa=20.0)


def test_the_default_wall_area_is_a_cube_of_the_volume() -> None:
    assert PumpSet(1.0, 0.3, 1e-6, backing_speed_m3_per_s=1e-3).area_m2 == pytest.approx(6.0)
    assert PumpSet(1.0, 0.3, 1e-6, backing_speed_m3_per_s=1e-3, wall_area_m2=2.5).area_m2 == 2.5


targets = st.floats(min_value=2e-6, max_value=5e4)
starts = st.floats(min_value=1e-5, max_value=2e5)


@given(starts, st.floats(min_value=0.0, max_value=1e5), st.floats(min_value=0.0, max_value=1e5))
def test_pumping_without_a_leak_never_raises_the_pressure(p0_pa: float, a_s: float, b_s: float) -> None:
    first, elapsed = APPARATUS.pressure_after(p0_pa, min(a_s, b_s))
    second, _ = APPARATUS.pressure_after(first, abs(a_s - b_s), elapsed)
    assert first <= p0_pa * (1 + 1e-12)
    assert second <= first * (1 + 1e-12)


@given(targets, targets)
def test_time_to_grows_as_the_target_falls(a_pa: float, b_pa: float) -> None:
    low, high = sorted((a_pa, b_pa))
    assert APPARATUS.time_to(ATM, low) >= APPARATUS.time_to(ATM, high)


@given(starts, targets)
def test_pressure_after_time_to_is_the_target(p0_pa: float, target_pa: float) -> None:
    if target_pa > p0_pa:
        return
    seconds = APPARATUS.time_to(p0_pa, target_pa)
    assert APPARATUS.pressure_after(p0_pa, seconds)[0] == pytest.approx(target_pa, rel=1e-6)
