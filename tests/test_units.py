"""Quantities at the boundary: units required, dimensions checked, text round-trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.errors import UnitError
from anodeline.units import format_quantity, parse_quantity


@pytest.mark.parametrize(
    ("text", "kind", "unit", "value"),
    [
        ("10 um", "length", "um", 10.0),
        ("10 µm", "length", "um", 10.0),
        ("130 degC", "temperature", "K", 403.15),
        ("1.33e-4 Pa", "pressure", "Pa", 1.33e-4),
        ("1e-6 torr", "pressure", "Pa", 1.33322e-4),
        ("99.99 %", "fraction", "", 0.9999),
        ("10 ppm", "fraction", "", 1e-5),
        ("1e-4 S/cm", "conductivity", "S/m", 1e-2),
        ("35 kJ/mol", "molar_energy", "J/mol", 35e3),
        ("1 h", "time", "s", 3600.0),
    ],
)
def test_parses_quantities_with_units(text: str, kind: str, unit: str, value: float) -> None:
    assert parse_quantity(text, kind).to(unit).magnitude == pytest.approx(value, rel=1e-5)


@pytest.mark.parametrize(
    ("value", "kind", "fragment"),
    [
        (10, "length", "no unit"),
        ("10", "length", "no unit"),
        ("10 degC", "length", "not a length"),
        ("10 furlongz", "length", "unknown unit"),
        ("", "length", "empty"),
        (None, "pressure", "expected a pressure"),
        ([1], "pressure", "expected a pressure"),
        ("1e-4 (Pa", "pressure", "cannot read"),
    ],
)
def test_refuses_missing_unknown_or_wrong_units(value: object, kind: str, fragment: str) -> None:
    with pytest.raises(UnitError, match=fragment) as info:
        parse_quantity(value, kind)
    assert isinstance(info.value, ValueError)


def test_a_bare_number_is_a_fraction() -> None:
    assert parse_quantity(0.9999, "fraction").magnitude == pytest.approx(0.9999)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from(["um", "degC", "Pa", "h", "percent", "ppm"]))
def test_formatted_quantities_parse_back_exactly(value: float, unit: str) -> None:
    kind = {"um": "length", "degC": "temperature", "Pa": "pressure", "h": "time"}.get(unit, "fraction")
    quantity = parse_quantity(f"{value!r} {unit}", kind)
    assert parse_quantity(format_quantity(quantity), kind) == quantity
