"""Film maps: the cosine law's closed forms, rotation, and invariants over geometries."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.errors import ModelInputError
from anodeline.physics.deposition.film_map import (
    SourceGeometry,
    film_map,
    relative_thickness,
    rotated_thickness,
)
from anodeline.physics.deposition.rates import uniformity


def test_a_cosine_source_gives_a_quarter_thickness_one_throw_distance_off_axis() -> None:
    geometry = SourceGeometry(throw_distance_m=0.2)
    assert relative_thickness(0.0, geometry) == 1.0
    assert relative_thickness(0.2, geometry) == pytest.approx(0.25)
    for x in (0.01, 0.05, 0.13):
        assert relative_thickness(x, geometry) == pytest.approx(uniformity(x / 0.2))


def test_an_isotropic_point_source_falls_as_the_three_halves_power() -> None:
    geometry = SourceGeometry(throw_distance_m=0.1, cosine_exponent=0.0)
    assert relative_thickness(0.1, geometry) == pytest.approx(2.0**-1.5)


def test_example_1_foil_at_the_reference_distance_is_within_eight_percent() -> None:
    mapped = film_map(1.0, 0.100, 0.050, SourceGeometry())
    corner = (1.0 + (0.05**2 + 0.025**2) / 0.2**2) ** -2
    assert mapped.max_um == pytest.approx(1.0)
    assert mapped.min_um == pytest.approx(corner)
    assert mapped.nonuniformity == pytest.approx((1 - corner) / (1 + corner))
    assert len(mapped.x_mm) == 41 and len(mapped.y_mm) == 21 and mapped.x_mm[20] == 0.0


def test_the_azimuthal_mean_matches_a_fine_quadrature() -> None:
    geometry = SourceGeometry(throw_distance_m=0.1, offset_m=0.08, rotating=True)
    fine = tuple(math.cos(2 * math.pi * k / 720) for k in range(720))
    for rho in (0.0, 0.02, 0.05, 0.1):
        assert rotated_thickness(rho, geometry) == pytest.approx(rotated_thickness(rho, geometry, fine), rel=1e-9)


def test_rotation_makes_an_offset_source_radially_symmetric_and_more_uniform() -> None:
    still = film_map(1.0, 0.1, 0.1, SourceGeometry(throw_distance_m=0.15, offset_m=0.05))
    turning = film_map(1.0, 0.1, 0.1, SourceGeometry(throw_distance_m=0.15, offset_m=0.05, rotating=True))
    rows = turning.thickness_um
    assert rows[0][0] == pytest.approx(rows[-1][-1]) == pytest.approx(rows[0][-1])
    assert turning.nonuniformity < still.nonuniformity


def test_area_resistance_and_conductance_follow_the_map() -> None:
    mapped = film_map(1.0, 0.1, 0.05, SourceGeometry())
    low, high = mapped.area_resistance_ohm_cm2(3e-4)
    assert high == pytest.approx(1e-4 / 3e-4) and low == pytest.approx(mapped.min_um * 1e-4 / 3e-4)
    uniform = 3e-4 * 50.0 / 1e-4  # σA/t for a flat 1 µm film
    assert uniform < mapped.conductance_s(3e-4, 50.0) < uniform / mapped.min_um


def test_a_bad_geometry_is_refused_with_a_hint() -> None:
    with pytest.raises(ModelInputError):
        SourceGeometry(throw_distance_m=0.0)
    with pytest.raises(ModelInputError, match="offset"):
        SourceGeometry(offset_m=-0.01)
    with pytest.raises(ModelInputError, match="cosine exponent"):
        SourceGeometry(cosine_exponent=80.0)


sizes = st.floats(0.005, 0.3)


@given(
    width=sizes, length=sizes, distance=st.floats(0.02, 1.0), offset=st.floats(0.0, 0.2),
    rotating=st.booleans(), exponent=st.floats(0.0, 12.0),
)  # fmt: skip
def test_the_map_is_positive_bounded_and_pinned_at_the_centre(
    width: float, length: float, distance: float, offset: float, rotating: bool, exponent: float
) -> None:
    geometry = SourceGeometry(distance, offset, rotating, exponent)
    mapped = film_map(2.0, width, length, geometry)
    assert 0.0 < mapped.min_um <= mapped.mean_um <= mapped.max_um
    assert 0.0 <= mapped.nonuniformity < 1.0
    assert mapped.min_um <= 2.0 * (1 + 1e-12) and mapped.max_um >= 2.0 * (1 - 1e-12)  # the centre is on the grid
    if offset == 0.0:
        assert mapped.max_um == pytest.approx(2.0)


@given(width=sizes, near=st.floats(0.05, 0.5), factor=st.floats(1.1, 4.0))
def test_a_farther_source_gives_a_more_uniform_film(width: float, near: float, factor: float) -> None:
    close = film_map(1.0, width, width / 2, SourceGeometry(throw_distance_m=near))
    far = film_map(1.0, width, width / 2, SourceGeometry(throw_distance_m=near * factor))
    assert far.nonuniformity <= close.nonuniformity


def test_a_source_so_far_off_that_no_flux_arrives_is_refused_not_divided_by_zero() -> None:
    """Adversary: a 1e200 m offset underflowed the centre's thickness to 0 (ZeroDivisionError)."""
    for geometry in (SourceGeometry(offset_m=1e200), SourceGeometry(offset_m=1e200, rotating=True)):
        with pytest.raises(ModelInputError, match="no flux reaches"):
            film_map(1.0, 0.1, 0.05, geometry)
