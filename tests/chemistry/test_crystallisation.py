"""JMAK crystallisation: continuous in temperature and time, system by system."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.chemistry.crystallisation import Hold, crystallised_fraction, mix
from anodeline.chemistry.systems import SYSTEMS

P = SYSTEMS["P2S5"].crystal
SI = SYSTEMS["SiS2"].crystal


def test_half_crystallises_in_one_hour_at_the_half_temperature() -> None:
    assert crystallised_fraction(P, [Hold(P.half_temperature_degc, 3600.0)]) == pytest.approx(0.5)


def test_the_patents_heating_leaves_the_silicon_sulfide_glass_untouched() -> None:
    assert crystallised_fraction(SI, [Hold(160.0, 3600.0), Hold(160.0, 3600.0)]) == 0.0


def test_holds_add_up() -> None:
    one = crystallised_fraction(P, [Hold(260.0, 7200.0)])
    two = crystallised_fraction(P, [Hold(260.0, 3600.0), Hold(260.0, 3600.0)])
    assert one == pytest.approx(two)


@given(st.floats(20.0, 500.0), st.floats(0.1, 30.0), st.floats(1.0, 1e5))
def test_fraction_rises_with_temperature_and_time(temperature: float, step: float, time_s: float) -> None:
    x = crystallised_fraction(P, [Hold(temperature, time_s)])
    assert 0.0 <= x <= 1.0
    assert crystallised_fraction(P, [Hold(temperature + step, time_s)]) >= x
    assert crystallised_fraction(P, [Hold(temperature, 2 * time_s)]) >= x


def test_mixing_goes_from_the_glass_to_the_crystal() -> None:
    def ea_of(ln_sigma: float) -> float:
        return 11.8 - 3.35 * ln_sigma

    glass, crystal = mix(P, 0.0, math.log(1e-4), ea_of), mix(P, 1.0, math.log(1e-4), ea_of)
    assert math.exp(glass.ln_sigma25) == pytest.approx(1e-4) and glass.amorphous
    assert math.exp(crystal.ln_sigma25) == pytest.approx(3.2e-3) and crystal.ea_kj_per_mol == 12.0
    assert not crystal.amorphous
    poorer = mix(SI, 1.0, math.log(1e-3), ea_of)
    assert math.exp(poorer.ln_sigma25) == pytest.approx(1e-4)  # factor 0.1 (est.)
