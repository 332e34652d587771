"""The substrate's thermal history: plasma heating lifts a sputtered film above its setpoint."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anodeline.errors import ModelInputError
from anodeline.physics.deposition.heating import DEFAULT_HEATING, steady_state_temperature_degc
from anodeline.physics.deposition.thermal_history import (
    linearised_time_constant_s,
    steady_degc,
    thermal_history,
    time_averaged_degc,
)


@settings(deadline=None)  # the first example imports scipy
@given(st.floats(0.0, 1000.0), st.floats(-20.0, 170.0))
def test_newton_steady_state_equals_brent(power_w: float, holder_degc: float) -> None:
    from dataclasses import replace

    params = replace(DEFAULT_HEATING, holder_temperature_degc=holder_degc)
    assert steady_degc(power_w, params) == pytest.approx(steady_state_temperature_degc(power_w, params), abs=1e-6)


def test_room_temperature_sputtering_at_100_w_grows_the_film_near_45_degc() -> None:
    history = thermal_history("sputtering", 25.0, 100.0, 7200.0)
    # flux 0.1·100 W / 50 cm² = 2 kW/m²; conduction alone would give 25 + 20 K, radiation takes a little
    assert 40.0 < history.effective_degc < 45.0
    assert history.plasma_heated
    assert history.effective_degc == pytest.approx(history.steady_state_degc, abs=0.01)  # τ ≈ 1.3 s ≪ 2 h
    assert history.plasma_rise_k == pytest.approx(history.effective_degc - 25.0)


def test_more_power_heats_more_and_other_methods_keep_the_setpoint() -> None:
    low, high = (thermal_history("sputtering", 25.0, p, 3600.0).effective_degc for p in (50.0, 200.0))
    assert low < high
    for method in ("vacuum-evaporation", "laser-ablation", "ion-plating"):
        history = thermal_history(method, 25.0, 100.0, 3600.0)
        assert history.effective_degc == 25.0 and not history.plasma_heated
        assert history.to_dict()["power_w"] is None


def test_a_short_deposition_averages_the_transient_from_the_setpoint() -> None:
    tau = linearised_time_constant_s(45.0, DEFAULT_HEATING)
    steady, start = 45.0, 25.0
    # over one τ the mean is T_ss − ΔT (1 − 1/e)
    assert time_averaged_degc(start, steady, tau, tau) == pytest.approx(steady - 20.0 * (1 - math.exp(-1)))
    assert time_averaged_degc(start, steady, tau, 0.0) == start
    short = thermal_history("sputtering", 25.0, 100.0, 1.0)
    assert 25.0 < short.effective_degc < short.steady_state_degc - 1.0


def test_impossible_inputs_explain() -> None:
    with pytest.raises(ModelInputError, match="deposition time"):
        thermal_history("sputtering", 25.0, 100.0, -1.0)
    with pytest.raises(ModelInputError, match="finite"):
        thermal_history("sputtering", math.nan, 100.0, 1.0)
