"""Glove box: leak ingress against the purifier (first-order, analytic)."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.physics.atmosphere import (
    ISO_CLASS_1_GLOVE_BOX,
    TYPICAL_GLOVE_BOX,
    Atmosphere,
    AtmosphereError,
    GloveBoxParams,
    evolve,
    inert,
    steady_state,
)

HOUR_S = 3600.0


def test_iso_class_1_box_gains_about_100_ppm_o2_per_hour_with_purifier_off() -> None:
    box = dataclasses.replace(ISO_CLASS_1_GLOVE_BOX, purifier_on=False)
    assert evolve(inert("Ar", 0.0, 0.0), HOUR_S, box).o2_ppm == pytest.approx(104.7, rel=0.01)


def test_typical_box_gains_1_to_3_ppm_o2_per_hour_with_purifier_off() -> None:
    box = dataclasses.replace(TYPICAL_GLOVE_BOX, purifier_on=False)
    assert 1.0 <= evolve(inert("Ar", 0.0, 0.0), HOUR_S, box).o2_ppm <= 3.0


def test_typical_purifier_holds_below_1_ppm(glove_box_gas: Atmosphere) -> None:
    settled = steady_state(glove_box_gas)
    assert settled.o2_ppm < 1.0 and settled.h2o_ppm < 1.0


def test_purifier_recovers_a_transfer_spike_within_the_hour() -> None:
    spike = inert("Ar", 5.0, 5.0)
    after = evolve(spike, HOUR_S)
    assert after.o2_ppm < 1.0 and after.h2o_ppm < 1.0


def test_recovery_follows_the_analytic_exponential() -> None:
    box = GloveBoxParams(leak_per_h=0.0, purifier_flow_m3_per_h=10.0, volume_m3=1.0, h2o_source_ppm_per_h=0.0)
    assert evolve(inert("Ar", 10.0, 10.0), HOUR_S, box).o2_ppm == pytest.approx(10.0 * math.exp(-10.0))


def test_purifier_does_not_remove_nitrogen() -> None:
    box = dataclasses.replace(TYPICAL_GLOVE_BOX, leak_per_h=0.0)
    assert evolve(Atmosphere("Ar", 101325.0, 1.0, 1.0, 50.0), 10 * HOUR_S, box).n2_ppm == 50.0


def test_evolve_keeps_gas_and_pressure(glove_box_gas: Atmosphere) -> None:
    after = evolve(glove_box_gas, 60.0)
    assert (after.gas, after.pressure_pa) == (glove_box_gas.gas, glove_box_gas.pressure_pa)


def test_negative_time_is_refused(glove_box_gas: Atmosphere) -> None:
    with pytest.raises(AtmosphereError):
        evolve(glove_box_gas, -1.0)


@given(st.floats(min_value=0.0, max_value=1e5), st.floats(min_value=0.0, max_value=1e5))
def test_evolving_in_two_steps_equals_one_step(a_s: float, b_s: float) -> None:
    start = inert("Ar", 3.0, 4.0)
    two = evolve(evolve(start, a_s, ISO_CLASS_1_GLOVE_BOX), b_s, ISO_CLASS_1_GLOVE_BOX)
    one = evolve(start, a_s + b_s, ISO_CLASS_1_GLOVE_BOX)
    assert (two.o2_ppm, two.h2o_ppm, two.n2_ppm) == pytest.approx((one.o2_ppm, one.h2o_ppm, one.n2_ppm), rel=1e-9)
