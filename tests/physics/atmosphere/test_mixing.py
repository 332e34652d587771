"""Opening a door between two gas spaces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.physics.atmosphere import Atmosphere, AtmosphereError, inert, mix, room_air


def test_equal_spaces_average_pressure_and_impurities() -> None:
    a, b = inert("Ar", 10.0, 2.0, 100000.0), inert("Ar", 0.0, 0.0, 100000.0)
    assert mix(a, 1.0, b, 1.0) == Atmosphere("Ar", 100000.0, 5.0, 1.0, 0.0)


def test_an_evacuated_space_takes_no_impurity_share() -> None:
    box = inert("Ar", 1.0, 1.0)
    lock = room_air().with_pressure(0.0)
    mixed = mix(box, 1.0, lock, 0.1)
    assert (mixed.o2_ppm, mixed.h2o_ppm) == (1.0, 1.0)
    assert mixed.pressure_pa == pytest.approx(101325.0 / 1.1)


def test_matrix_gas_comes_from_the_larger_share() -> None:
    box, lock = inert("Ar", 1.0, 1.0), inert("N2", 1.0, 1.0)
    assert mix(box, 1.0, lock, 0.072).gas == "Ar"
    assert mix(box, 0.05, lock, 0.072).gas == "N2"


def test_two_empty_volumes_are_refused() -> None:
    with pytest.raises(AtmosphereError):
        mix(inert("Ar", 0, 0), 0.0, inert("Ar", 0, 0), 0.0)


ppms = st.floats(min_value=0.0, max_value=3e5)
atmospheres = st.builds(
    Atmosphere, st.sampled_from(["Ar", "N2", "air"]), st.floats(min_value=0.0, max_value=2e5), ppms, ppms, ppms
)
volumes = st.floats(min_value=1e-3, max_value=10.0)


@given(atmospheres, volumes, atmospheres, volumes)
def test_mixing_conserves_moles_of_every_species(a: Atmosphere, va: float, b: Atmosphere, vb: float) -> None:
    mixed = mix(a, va, b, vb)
    volume = va + vb
    assert mixed.pressure_pa * volume == pytest.approx(a.pressure_pa * va + b.pressure_pa * vb, rel=1e-9)
    for name in ("o2_ppm", "h2o_ppm", "n2_ppm"):
        before = getattr(a, name) * a.pressure_pa * va + getattr(b, name) * b.pressure_pa * vb
        after = getattr(mixed, name) * mixed.pressure_pa * volume
        assert after == pytest.approx(before, rel=1e-9, abs=1e-9)
