"""The Atmosphere value object and its constructors."""

from __future__ import annotations

import dataclasses

import pytest

from anodeline.physics.atmosphere import Atmosphere, AtmosphereError, inert, room_air


def test_room_air_has_dry_air_oxygen_and_nitrogen(air: Atmosphere) -> None:
    assert (air.gas, air.pressure_pa, air.o2_ppm, air.n2_ppm) == ("air", 101325.0, 209460.0, 780840.0)


def test_room_air_water_comes_from_relative_humidity_over_water() -> None:
    # 20 °C: e_w = 2339 Pa (Murphy & Koop 2005); half of it over 101325 Pa.
    assert room_air(20.0, 0.5).h2o_ppm == pytest.approx(0.5 * 2339.4 / 101325 * 1e6, rel=1e-3)
    assert room_air(20.0, 0.0).h2o_ppm == 0.0


def test_inert_gas_has_no_nitrogen_impurity() -> None:
    assert inert("Ar", 1.0, 2.0) == Atmosphere("Ar", 101325.0, 1.0, 2.0, 0.0)


def test_atmosphere_is_frozen_and_hashable(air: Atmosphere) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        air.o2_ppm = 0.0  # type: ignore[misc]
    assert hash(air) == hash(room_air())


def test_atmosphere_round_trips_through_dict(air: Atmosphere) -> None:
    assert Atmosphere.from_dict(air.to_dict()) == air


def test_with_pressure_keeps_the_composition(air: Atmosphere) -> None:
    low = air.with_pressure(100.0)
    assert (low.pressure_pa, low.o2_ppm, low.h2o_ppm) == (100.0, air.o2_ppm, air.h2o_ppm)


@pytest.mark.parametrize(
    "kwargs",
    [{"pressure_pa": -1.0}, {"o2_ppm": -0.1}, {"h2o_ppm": 2e6}, {"n2_ppm": float("nan")}],
)
def test_invalid_atmosphere_is_refused(kwargs: dict[str, float]) -> None:
    values = {"gas": "Ar", "pressure_pa": 101325.0, "o2_ppm": 1.0, "h2o_ppm": 1.0} | kwargs
    with pytest.raises(AtmosphereError):
        Atmosphere(**values)  # type: ignore[arg-type]


def test_relative_humidity_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match="relative humidity"):
        room_air(relative_humidity=50.0)
