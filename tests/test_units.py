"""Quantities at the boundary: units required, dimensions checked, text round-trips."""

from __future__ import annotations

from pathlib import Path

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


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("72 L", "volume"),
        ("12 m^3/h", "volumetric_flow"),
        ("12 m**3/h", "volumetric_flow"),
        ("1e-4 Pa", "pressure"),
        ("1.0E-4 Pa", "pressure"),
        ("99.99 %", "fraction"),
        ("25 degC", "temperature"),
        ("-50 degC", "temperature"),
        ("+5 um", "length"),
        (".5 um", "length"),
        ("1e-4 S/cm", "conductivity"),
        ("100 L/s", "volumetric_flow"),
        ("10 Hz", "frequency"),
        ("2.5 1/h", "frequency"),
        ("2.5 1 / hour", "frequency"),
        ("1.5 meter ** 3 / hour", "volumetric_flow"),
        ("3 kg*m^2/s^3", "power"),
        ("0.9999", "fraction"),
        ("5 degree_Celsius", "temperature"),
    ],
)
def test_every_written_spelling_still_parses(text: str, kind: str) -> None:
    assert parse_quantity(text, kind).dimensionality == parse_quantity(_example(kind), kind).dimensionality


def _example(kind: str) -> str:
    from anodeline.units import EXAMPLES

    return EXAMPLES[kind]


@pytest.mark.parametrize(
    "text",
    [
        "9**9**9 um",
        "9**9**9**9 um",
        "(9**9)**9 um",
        "2**1000000 um",
        "1 um**99999999",
        "1 um^-99999",
        "1 um * 10**9",
        "1 + 1 um",
        "1e99999999 um",
        "1" * 5000 + " um",
        "1 um " + "* um " * 2000,
        "1 __import__",
        "1 um; 2 um",
        "nan um",
        "inf um",
        "1 um\x00",
    ],
)
def test_arithmetic_and_absurd_quantities_are_refused_fast(text: str) -> None:
    import time

    started = time.perf_counter()
    with pytest.raises(UnitError):
        parse_quantity(text, "length")
    assert time.perf_counter() - started < 30.0  # a hang guard only (9**9**9 hung forever before)


# --- the registry's disk cache (issue 9: no 0.4 s definition parse per process) ---

#: Units the recipes, lines and procedures use, each converted to SI by both registries.
_CACHE_PROBES = [
    ("10 um", "m"), ("130 degC", "K"), ("1e-6 torr", "Pa"), ("5 mbar", "Pa"), ("99.99 %", ""),
    ("10 ppm", ""), ("3 ppb", ""), ("1e-4 S/cm", "S/m"), ("35 kJ/mol", "J/mol"), ("2 h", "s"),
    ("72 L", "m^3"), ("12 m^3/h", "m^3/s"), ("100 W", "W"), ("10 Hz", "1/s"), ("-40 degF", "K"),
]  # fmt: skip


def _si(ureg: object, text: str, unit: str) -> tuple[float, str]:
    quantity = ureg.Quantity(text)  # type: ignore[attr-defined]
    converted = quantity.to(unit) if unit else quantity.to("dimensionless")
    return float(converted.magnitude), str(converted.units)


def test_cached_registry_converts_exactly_as_an_uncached_one(tmp_path: Path) -> None:
    from anodeline.units import build_registry

    plain = build_registry(None)
    first = build_registry(tmp_path)  # parses the definitions and writes the cache
    assert list(tmp_path.glob("*.pickle")), "pint wrote no cache file"
    second = build_registry(tmp_path)  # reads them back
    for text, unit in _CACHE_PROBES:
        assert _si(first, text, unit) == _si(plain, text, unit) == _si(second, text, unit), text


def test_registry_is_built_without_a_cache_it_cannot_write(tmp_path: Path) -> None:
    from anodeline.units import build_registry

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    ureg = build_registry(not_a_folder / "pint")
    assert _si(ureg, "10 um", "m") == _si(build_registry(None), "10 um", "m")


def test_registry_is_built_past_a_half_written_cache_file(tmp_path: Path) -> None:
    from anodeline.units import build_registry

    build_registry(tmp_path)
    for cached in tmp_path.glob("*.pickle"):
        cached.write_bytes(cached.read_bytes()[:100])  # a parallel process still writing it
    ureg = build_registry(tmp_path)
    assert _si(ureg, "130 degC", "K") == _si(build_registry(None), "130 degC", "K")


def test_cache_folder_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from anodeline.units import UNIT_CACHE_ENV, unit_cache_folder

    monkeypatch.delenv(UNIT_CACHE_ENV, raising=False)
    assert unit_cache_folder() == ":auto:"
    monkeypatch.setenv(UNIT_CACHE_ENV, "off")
    assert unit_cache_folder() is None
    monkeypatch.setenv(UNIT_CACHE_ENV, "/tmp/anodeline-units")
    assert unit_cache_folder() == "/tmp/anodeline-units"


#: Converts each quantity text to SI in a fresh interpreter: ``numpy`` imported first, so pint is
#: imported the ordinary way (with numpy and uncertainties), or through ``anodeline.units``.
_CONVERT = """
import json, sys
if sys.argv[1] == "plain":
    import numpy, pint
    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("ppm = 1e-6 = ppmv")
    ureg.define("ppb = 1e-9")
    assert pint.compat.HAS_NUMPY
    q = ureg.Quantity
else:
    from anodeline.units import registry
    q = registry().Quantity
    compat = sys.modules["pint.compat"]
    assert not compat.HAS_NUMPY and not compat.HAS_UNCERTAINTIES and "numpy" not in sys.modules
out = {}
for text in json.loads(sys.stdin.read()):
    number, _, unit = text.partition(" ")
    quantity = q(float(number), unit) if unit else q(float(number))
    out[text] = repr(float(quantity.to_base_units().magnitude))
print(json.dumps(out))
"""


def _is_unit(name: str) -> bool:
    from anodeline.units import registry

    try:
        registry().parse_units(name)
    except Exception:
        return False
    return name not in {"and", "as", "at", "of", "to", "with", "x", "C"}  # pint reads some words as units


def _quantity_texts() -> list[str]:
    """Every 'number unit' value written in the shipped recipes and lines."""
    import re

    from tests.conftest import EXAMPLES

    pattern = re.compile(r"(?<![\w.])([+-]?\d[\d.]*(?:[eE][+-]?\d+)?[ ][A-Za-z%°µ][A-Za-z0-9_/^*%°µ]*)")
    found = {
        m.group(1).replace("µ", "u") for path in EXAMPLES.rglob("*.yaml") for m in pattern.finditer(path.read_text())
    }
    found = {text for text in found if _is_unit(text.split(" ")[1])}  # not prose ("3 of", "2 forms")
    return sorted(found | {"1 torr", "1 mbar", "1 degC", "1 ppm", "1 ppb", "1 %", "1 slm", "1 L/min", "1 m^3/h"})


def test_pint_without_numpy_converts_every_shipped_unit_as_pint_with_numpy() -> None:
    import json
    import subprocess
    import sys

    texts = _quantity_texts()
    assert len(texts) > 20
    results = [
        json.loads(subprocess.run([sys.executable, "-c", _CONVERT, how], input=json.dumps(texts), capture_output=True,
                                  text=True, check=True, timeout=120).stdout)
        for how in ("plain", "anodeline")
    ]  # fmt: skip
    assert results[0] == results[1]
