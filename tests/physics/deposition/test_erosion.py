"""Source wear (issue 14 item 7): the rate falls as a target erodes or a charge empties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anodeline.errors import ModelInputError
from anodeline.physics.deposition.erosion import (
    SPUTTER_RATE_LOSS_AT_END,
    Charge,
    default_capacity,
    film_nm,
    kind_for,
    planned_use,
    use_rate_per_s,
)
from anodeline.physics.deposition.rates import deposition_rate_nm_per_s

SPUTTER = deposition_rate_nm_per_s("sputtering", "solid-electrolyte")  # 0.139 nm/s at 100 W
LI_EVAP = deposition_rate_nm_per_s("vacuum-evaporation", "lithium")  # 12.3 nm/s at 550 °C


def test_a_sputter_target_loses_a_fifth_of_its_rate_linearly_over_its_life() -> None:
    target = Charge("sputter-target", 5.0)
    assert target.rate_factor() == 1.0
    assert target.rate_factor(2.5) == pytest.approx(1.0 - SPUTTER_RATE_LOSS_AT_END / 2)
    assert target.rate_factor(5.0) == pytest.approx(0.8)
    assert target.rate_factor(50.0) == pytest.approx(0.8)  # floored past the end
    assert target.unit == "kWh" and kind_for("sputtering") == "sputter-target"


def test_an_emptying_crucible_follows_the_inverse_square_of_the_melt_depth() -> None:
    charge = Charge("evaporation-charge", 5.0)  # 20 cm throw, 1 cm fill depth
    assert charge.rate_factor(5.0) == pytest.approx((20.0 / 21.0) ** 2)
    assert charge.unit == "g" and kind_for("ion-plating") == "evaporation-charge" and kind_for("laser-ablation") is None


def test_example_1_on_a_fresh_target_uses_0_2_kwh_and_drifts_0_8_percent() -> None:
    plan = planned_use(Charge("sputter-target", 5.0), "solid-electrolyte", 1.0, SPUTTER, 100.0)
    assert plan.use == pytest.approx(0.2008, rel=1e-3)  # 100 W × 2.008 h
    assert plan.drift == pytest.approx(-0.00803, rel=1e-2)
    assert not plan.exceeds
    worn = planned_use(Charge("sputter-target", 5.0, 4.0), "solid-electrolyte", 1.0, SPUTTER, 100.0)
    assert worn.seconds > plan.seconds * 1.18  # 16 % slower: the loop deposits longer, not thinner


def test_lithium_evaporation_takes_a_third_of_a_gram_for_5_um() -> None:
    charge = Charge("evaporation-charge", 5.0)
    use = use_rate_per_s(charge, "lithium", 0.0, LI_EVAP)
    assert use == pytest.approx(LI_EVAP * 1e-7 * 0.534 * math.pi * 400.0)
    plan = planned_use(charge, "lithium", 5.0, LI_EVAP, 0.0)
    assert plan.use == pytest.approx(0.3367, rel=1e-3)


def test_a_deposition_beyond_the_remaining_life_is_flagged() -> None:
    plan = planned_use(Charge("sputter-target", 5.0, 4.9), "solid-electrolyte", 1.0, SPUTTER, 100.0)
    assert plan.exceeds and plan.use > 0.1


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["sputter-target", "evaporation-charge"]),
    used=st.floats(0.0, 6.0),
    t1=st.floats(0.0, 5e4),
    t2=st.floats(0.0, 5e4),
)
def test_the_film_of_two_spans_is_the_film_of_their_sum(kind: str, used: float, t1: float, t2: float) -> None:
    """Whatever the poll spacing, the twin grows the same film (the wear is integrated exactly)."""
    charge = Charge(kind, 5.0, used)  # type: ignore[arg-type]
    rate = SPUTTER if kind == "sputter-target" else LI_EVAP
    use = use_rate_per_s(charge, "lithium", 100.0, rate)
    whole = film_nm(charge, rate, use, t1 + t2)
    split = film_nm(charge, rate, use, t1) + film_nm(charge.after(use * t1), rate, use, t2)
    assert split == pytest.approx(whole, rel=1e-9, abs=1e-9)
    assert whole <= rate * (t1 + t2) * charge.rate_factor() + 1e-9  # the rate only falls


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"capacity": -5.0}, "capacity"),
        ({"capacity": float("nan")}, "capacity"),
        ({"capacity": 1e300}, "above"),
        ({"capacity": 5.0, "used": -1.0}, "used"),
        ({"capacity": 5.0, "used": float("inf")}, "used"),
    ],
)
def test_hostile_charges_are_refused_with_their_name(kwargs: dict[str, float], word: str) -> None:
    with pytest.raises(ModelInputError, match=word):
        Charge("sputter-target", **kwargs)


def test_default_capacities_are_the_stated_estimates() -> None:
    assert default_capacity("sputter-target") == 5.0
    assert default_capacity("evaporation-charge", "lithium") == 5.0
    assert default_capacity("evaporation-charge", "solid-electrolyte") == 10.0
