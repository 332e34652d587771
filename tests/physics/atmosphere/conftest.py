"""Tiny fixtures named after the gas spaces of the line."""

from __future__ import annotations

import pytest

from anodeline.physics.atmosphere import Atmosphere, FillGas, inert, room_air


@pytest.fixture
def air() -> Atmosphere:
    return room_air()


@pytest.fixture
def pure_argon() -> FillGas:
    return FillGas.pure("Ar")


@pytest.fixture
def argon_4_0() -> FillGas:
    """Argon of the patent's 99.99 % purity."""
    return FillGas.of("Ar", 0.9999)


@pytest.fixture
def glove_box_gas() -> Atmosphere:
    return inert("Ar", o2_ppm=0.5, h2o_ppm=0.5)
