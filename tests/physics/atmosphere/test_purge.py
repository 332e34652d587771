"""Evacuate/backfill purging: gas dilution for O2, slower wall-water removal for H2O."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.physics.atmosphere import (
    HARMFUL_SPLIT,
    Atmosphere,
    AtmosphereError,
    FillGas,
    backfill,
    cycles_needed,
    evacuate,
    purge,
    purge_cycle,
    room_air,
)

ONE_MBAR_PA = 100.0


@pytest.mark.parametrize(("cycles", "o2_ppm", "digits"), [(1, "207", 3), (2, "0.2", 1), (3, "0.0002", 1)])
def test_o2_from_air_at_1_mbar_matches_reference(
    air: Atmosphere, pure_argon: FillGas, cycles: int, o2_ppm: str, digits: int
) -> None:
    # shared/REFERENCES.md: 207, 0.2, 2e-4 ppm O2 after 1, 2, 3 cycles, given to the digits they are written with.
    assert f"{purge(air, pure_argon, ONE_MBAR_PA, cycles).o2_ppm:.{digits}g}" == o2_ppm


@pytest.mark.parametrize("cycles", [1, 2, 3])
def test_o2_follows_the_pressure_ratio_law(air: Atmosphere, pure_argon: FillGas, cycles: int) -> None:
    expected = 209460.0 * (ONE_MBAR_PA / 101325.0) ** cycles
    assert purge(air, pure_argon, ONE_MBAR_PA, cycles).o2_ppm == pytest.approx(expected, rel=1e-9)


def test_water_falls_slower_than_oxygen(air: Atmosphere, pure_argon: FillGas) -> None:
    after = purge(air, pure_argon, ONE_MBAR_PA, 3)
    assert after.h2o_ppm / air.h2o_ppm > 1000 * after.o2_ppm / air.o2_ppm


def test_without_wall_water_h2o_dilutes_like_o2(air: Atmosphere, pure_argon: FillGas) -> None:
    after = purge(air, pure_argon, ONE_MBAR_PA, 2, wall_water_share=0.0)
    assert after.h2o_ppm / air.h2o_ppm == pytest.approx(after.o2_ppm / air.o2_ppm)


def test_residuals_approach_the_fill_gas_own_impurities(air: Atmosphere, argon_4_0: FillGas) -> None:
    after = purge(air, argon_4_0, ONE_MBAR_PA, 8)
    assert (after.o2_ppm, after.h2o_ppm, after.n2_ppm) == pytest.approx((20.0, 20.0, 60.0), rel=1e-3)
    assert after.gas == "Ar"


def test_fill_gas_splits_its_impurity_budget() -> None:
    fill = FillGas.of("Ar", 0.9999)
    assert fill.o2_ppm + fill.h2o_ppm + fill.n2_ppm == pytest.approx(100.0)
    worst = FillGas.of("Ar", 0.9999, HARMFUL_SPLIT)
    assert worst.o2_ppm + worst.h2o_ppm == pytest.approx(100.0)


def test_fill_gas_cannot_carry_more_than_its_purity_allows() -> None:
    with pytest.raises(AtmosphereError, match="purity"):
        FillGas("Ar", 0.9999, o2_ppm=200.0)


def test_backfill_mixes_residual_and_fill_moles(pure_argon: FillGas) -> None:
    residual = Atmosphere("air", 50662.5, 200000.0, 0.0, 0.0)
    filled = backfill(residual, FillGas("Ar", 0.999, o2_ppm=1000.0), 101325.0)
    assert filled.o2_ppm == pytest.approx(100500.0)
    assert filled.gas == "Ar"  # the fill brings half the moles


def test_evacuate_cannot_raise_pressure(air: Atmosphere) -> None:
    with pytest.raises(AtmosphereError, match="backfill"):
        evacuate(air, 2e5)


def test_cycles_needed_from_air_with_argon_4_0(air: Atmosphere, argon_4_0: FillGas) -> None:
    assert cycles_needed(air, argon_4_0, ONE_MBAR_PA, o2_max_ppm=25.0, h2o_max_ppm=25.0) == 3


def test_cycles_needed_is_none_when_the_fill_itself_is_too_dirty(air: Atmosphere, argon_4_0: FillGas) -> None:
    assert cycles_needed(air, argon_4_0, ONE_MBAR_PA, o2_max_ppm=10.0, h2o_max_ppm=100.0) is None


def test_cycles_needed_is_zero_for_an_already_clean_chamber(pure_argon: FillGas) -> None:
    clean = Atmosphere("Ar", 101325.0, 0.1, 0.1)
    assert cycles_needed(clean, pure_argon, ONE_MBAR_PA, 1.0, 1.0) == 0


low_pressures = st.floats(min_value=0.0, max_value=5e4)
fills = st.builds(FillGas.of, st.just("Ar"), st.floats(min_value=0.999, max_value=1.0))


@given(low_pressures, st.integers(min_value=0, max_value=6), fills)
def test_residuals_never_rise_with_an_added_cycle(low_pa: float, cycles: int, fill: FillGas) -> None:
    start = room_air()
    before, after = purge(start, fill, low_pa, cycles), purge(start, fill, low_pa, cycles + 1)
    assert after.o2_ppm <= before.o2_ppm * (1 + 1e-12)
    assert after.h2o_ppm <= before.h2o_ppm * (1 + 1e-12)


@given(low_pressures, low_pressures, st.integers(min_value=1, max_value=5), fills)
def test_residuals_never_rise_with_a_lower_low_pressure(a_pa: float, b_pa: float, cycles: int, fill: FillGas) -> None:
    lower, higher = sorted((a_pa, b_pa))
    start = room_air()
    deep, shallow = purge(start, fill, lower, cycles), purge(start, fill, higher, cycles)
    assert deep.o2_ppm <= shallow.o2_ppm * (1 + 1e-12)
    assert deep.h2o_ppm <= shallow.h2o_ppm * (1 + 1e-12)


@given(st.floats(min_value=1.0, max_value=1e4), st.floats(min_value=0.0, max_value=0.5))
def test_a_cycle_strictly_lowers_o2_and_h2o_above_the_fill(low_pa: float, share: float) -> None:
    after = purge_cycle(room_air(), FillGas.pure("Ar"), low_pa, wall_water_share=share)
    assert after.o2_ppm < 209460.0 and after.h2o_ppm < room_air().h2o_ppm
