"""The unit table read without pint gives pint's numbers to the last bit (issue 9: no pint at load)."""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline import unit_table
from anodeline.units import Q_, Quantity, format_quantity, parse_quantity, registry, si_magnitude

_PAIRS = [(text, target) for kind, texts in unit_table.TEXTS.items() for text in texts for target in texts]
_MAGNITUDES = [0, 1, 10, -40, 3, 25.0, 130.0, -273.15, 1e-4, 0.9999, 72.0, 101325.0, 1.33e-4, 1e300, 12.5]


def test_the_shipped_table_is_what_the_installed_pint_gives() -> None:
    assert unit_table.render(unit_table.build(registry())) == unit_table.render(
        {key: getattr(unit_table, key) for key in ("NAMES", "KINDS", "OFFSETS", "FACTORS")}
    )


@pytest.mark.parametrize(("text", "target"), _PAIRS)
def test_every_conversion_of_the_table_equals_pints_bit_for_bit(text: str, target: str) -> None:
    kind = unit_table.KINDS[unit_table.NAMES[text]]
    for magnitude in _MAGNITUDES:
        ours = parse_quantity(f"{magnitude!r} {text}", kind)
        theirs = registry().Quantity(magnitude, text)
        assert isinstance(ours, Quantity) and ours.kind == kind
        assert format_quantity(ours) == f"{theirs.magnitude!r} {theirs.units}"
        converted, expected = ours.to(target).magnitude, theirs.to(target).magnitude
        if math.isnan(expected):
            assert math.isnan(converted)
        else:
            assert (converted, type(converted)) == (expected, type(expected)), (magnitude, text, target)
        assert ours.m_as(target) == converted or math.isnan(expected)


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(_PAIRS))
def test_any_finite_magnitude_converts_as_pint_does(magnitude: float, pair: tuple[str, str]) -> None:
    text, target = pair
    ours = Q_(magnitude, text).to(target).magnitude
    theirs = registry().Quantity(magnitude, text).to(target).magnitude
    assert ours == theirs or (math.isnan(ours) and math.isnan(theirs))


@pytest.mark.parametrize("text", sorted(unit_table.NAMES))
def test_si_magnitude_is_pints_base_units_magnitude(text: str) -> None:
    expected = registry().Quantity(12.5, text).to_base_units().magnitude
    assert si_magnitude(Q_(12.5, text)) == pytest.approx(expected, rel=1e-15)


def test_anything_else_is_pints() -> None:
    length = Q_(10, "um")
    assert f"{length:~P}" == f"{registry().Quantity(10, 'um'):~P}"
    assert (length * 2).to("um").magnitude == 20
    assert length < Q_(1, "mm") and length == Q_(0.01, "mm") and length != Q_(11, "um")
    assert str(length.dimensionality) == "[length]"
    assert hash(length) == hash(registry().Quantity(10, "um"))
    odd = parse_quantity("3 kg*m^2/s^3", "power")
    assert odd.kind is None and odd.to("W").magnitude == 3
    assert pickle.loads(pickle.dumps(length)) == length and pickle.loads(pickle.dumps(odd)) == odd
    assert Q_(registry().Quantity(5, "degC")).to("degC").magnitude == 5
    read = parse_quantity("7 kPa", "pressure")
    assert read.to_pint() is read.to_pint() and read.kind == "pressure" and read.units == "kilopascal"
    assert parse_quantity("7 kPa", "pressure") <= Q_(7, "kPa") and read.to("Pa").magnitude == 7000
