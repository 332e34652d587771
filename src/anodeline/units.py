"""The one pint registry of anodeline and helpers to parse quantities at the boundary.

Every quantity that enters the package from a file or the command line goes through
:func:`parse_quantity`, which insists on a unit and on the expected dimension, so that
``10`` (no unit) or ``10 degC`` for a thickness is reported instead of guessed.
Inside the package, a bare float that must stay bare carries its unit in its name
(``thickness_um``).
"""

from __future__ import annotations

import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anodeline.errors import UnitError

if TYPE_CHECKING:  # pragma: no cover
    import pint

#: Dimensions by the names the recipe language and the docs use.
DIMENSIONS: dict[str, str] = {
    "length": "[length]",
    "temperature": "[temperature]",
    "pressure": "[pressure]",
    "time": "[time]",
    "fraction": "",
    "conductivity": "[current] ** 2 * [time] ** 3 / [length] ** 3 / [mass]",
    "molar_energy": "[length] ** 2 * [mass] / [substance] / [time] ** 2",
    "power": "[length] ** 2 * [mass] / [time] ** 3",
    "volume": "[length] ** 3",
    "volumetric_flow": "[length] ** 3 / [time]",
    "frequency": "1 / [time]",
}

#: An example written for each dimension, used in hints.
EXAMPLES: dict[str, str] = {
    "length": "10 um",
    "temperature": "130 degC",
    "pressure": "1.0e-4 Pa",
    "time": "1 h",
    "fraction": "99.99 %",
    "conductivity": "1e-4 S/cm",
    "molar_energy": "35 kJ/mol",
    "power": "100 W",
    "volume": "72 L",
    "volumetric_flow": "12 m^3/h",
    "frequency": "10 Hz",
}


#: Where pint keeps its parsed unit definitions between runs (``ANODELINE_UNIT_CACHE``): pint's
#: per-user cache folder by default (``:auto:``), another folder, or ``off``.
UNIT_CACHE_ENV = "ANODELINE_UNIT_CACHE"


def unit_cache_folder() -> str | None:
    """The pint cache folder the registry is built with, or None when caching is off."""
    setting = os.environ.get(UNIT_CACHE_ENV, ":auto:").strip()
    return None if setting.lower() in {"", "off", "0", "no", "none"} else setting


#: Optional libraries pint imports when they are installed, for arrays and error propagation that
#: anodeline never asks of it (its quantities hold plain floats): ~0.2 s of pint's ~0.35 s import.
PINT_EXTRAS = ("numpy", "uncertainties")


def import_pint() -> Any:
    """Import pint without numpy and uncertainties (the first time; later the module already loaded).

    pint probes for them at import (``pint.compat``) and, when found, imports numpy, uncertainties
    and ``uncertainties.unumpy``. While pint is imported here they are hidden (``sys.modules[name] =
    None`` makes their import fail, the way pint expects when they are absent), then restored, so
    pint is the same whatever else the process imported before: plain-float magnitudes, converted
    by the same Python arithmetic (tests/test_units.py compares the factors with a pint that has
    numpy; tests/test_golden.py keeps every result). numpy itself stays importable for the rest of
    the process. Not thread-safe while it runs: the CLI imports pint from its one thread.
    """
    import sys

    loaded = sys.modules.get("pint")
    if loaded is not None:
        return loaded
    saved = {name: sys.modules.get(name) for name in PINT_EXTRAS}
    try:
        for name in PINT_EXTRAS:
            sys.modules[name] = None  # type: ignore[assignment]
        import pint
    finally:
        for name, module in saved.items():
            if module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module
    return pint


def build_registry(cache_folder: str | Path | None) -> pint.UnitRegistry:
    """A fresh registry with the package's extra units, from pint's disk cache when it can be used.

    Parsing pint's definition file costs ~0.4 s; the cache (a pickle of the parsed definitions,
    keyed by a hash of the file) cuts that to ~0.05 s. The units are the same either way. A cache
    that cannot be used (a read-only or missing home, a file half-written by a parallel process, a
    pint upgrade) is skipped and the definitions are parsed as without it.
    """
    import pickle

    pint_ = import_pint()
    ureg: pint.UnitRegistry | None = None
    if cache_folder is not None:
        try:
            ureg = pint_.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=cache_folder)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError,
                KeyError, TypeError, ValueError):  # fmt: skip
            ureg = None
    if ureg is None:
        ureg = pint_.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("ppm = 1e-6 = ppmv")
    ureg.define("ppb = 1e-9")
    return ureg


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """Return the package's single unit registry (built on first use: pint is slow to import)."""
    return build_registry(unit_cache_folder())


def Q_(value: Any, unit: str | None = None) -> pint.Quantity:
    """Build a quantity in the package registry."""
    ureg = registry()
    if unit is None:
        return ureg.Quantity(value)
    return ureg.Quantity(value, unit)


def dimensionality(kind: str) -> Any:
    """The pint dimensionality object of a named dimension."""
    return registry().get_dimensionality(DIMENSIONS[kind])


#: The longest quantity text read; a real one is a number and a few unit names.
MAX_QUANTITY_CHARS = 100
#: The largest unit exponent accepted (``m^3``): physics units need no more, and a big one is a DoS.
MAX_UNIT_EXPONENT = 4

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?"
_NAME = r"(?:%|[A-Za-z_°][A-Za-z0-9_°]*)"
_TERM = rf"{_NAME}(?:\s*(?:\^|\*\*)\s*[+-]?\d)?"
_UNITS = rf"(?:1\s*/\s*)?{_TERM}(?:\s*[*/]\s*{_TERM})*"
#: A quantity is a number times a unit expression of unit names, ``*``, ``/`` and small integer
#: powers: no brackets, no arithmetic on numbers (pint would evaluate ``9**9**9 um`` for ever).
_QUANTITY = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<units>{_UNITS})?")
_EXPONENT = re.compile(r"(?:\^|\*\*)\s*([+-]?\d+)")


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> pint.Quantity:
    pint = import_pint()

    match = _QUANTITY.fullmatch(text) if len(text) <= MAX_QUANTITY_CHARS else None
    if match is None:
        raise UnitError(
            f"cannot read {text[:40]!r}{'…' if len(text) > 40 else ''} as a quantity",
            hint="write a number and a unit, e.g. '10 um' or '12 m^3/h' (no arithmetic, no brackets)",
        )
    units = match["units"] or ""
    if any(abs(int(power)) > MAX_UNIT_EXPONENT for power in _EXPONENT.findall(units)):
        raise UnitError(f"a unit power in {text!r} is above {MAX_UNIT_EXPONENT}", hint="e.g. 'm^3'")
    number = match["number"]
    magnitude: float = float(number) if any(c in number for c in ".eE") else int(number)
    ureg = registry()
    try:
        return ureg.Quantity(magnitude, units) if units else ureg.Quantity(magnitude)
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError) as exc:
        raise UnitError(f"unknown unit in {text!r} ({exc})") from None
    except (ValueError, TypeError, AttributeError, KeyError, SyntaxError) as exc:
        raise UnitError(f"cannot read {text!r} as a quantity ({exc})") from None


def parse_quantity(value: Any, kind: str) -> pint.Quantity:
    """Parse ``value`` (``"10 um"``, a pint quantity) as a quantity of dimension ``kind``.

    Raises :class:`UnitError` with a hint when the unit is missing, unknown or of the
    wrong dimension. A bare number is accepted only for ``fraction`` (``0.9999``).
    """
    pint = import_pint()

    example = EXAMPLES.get(kind, "")
    if isinstance(value, pint.Quantity):
        quantity = value
    elif isinstance(value, bool) or value is None:
        raise UnitError(f"expected a {kind} such as {example!r}, got {value!r}", hint=f"write e.g. {example}")
    elif isinstance(value, int | float):
        if kind == "fraction":
            quantity = Q_(float(value), "dimensionless")
        else:
            raise UnitError(
                f"{value!r} has no unit; a {kind} needs one",
                hint=f"write the unit, e.g. {example}",
            )
    elif isinstance(value, str):
        text = value.strip().replace("µ", "u").replace("μ", "u")
        if not text:
            raise UnitError(f"empty {kind}", hint=f"write e.g. {example}")
        quantity = _parse_text(text)
        if not isinstance(quantity, pint.Quantity):  # pragma: no cover - pint returns numbers for '2'
            quantity = Q_(quantity)
    else:
        raise UnitError(
            f"expected a {kind} such as {example!r}, got a {type(value).__name__}",
            hint=f"write e.g. {example}",
        )
    if not isinstance(quantity.magnitude, int | float) or not math.isfinite(float(quantity.magnitude)):
        raise UnitError(f"{value!r} is not a finite number with a unit", hint=f"write e.g. {example}")
    if kind != "fraction" and quantity.dimensionless:
        raise UnitError(f"{value!r} has no unit; a {kind} needs one", hint=f"write the unit, e.g. {example}")
    if quantity.dimensionality != dimensionality(kind):
        raise UnitError(
            f"{value!r} is not a {kind} (its dimension is {quantity.dimensionality})",
            hint=f"use a {kind} unit, e.g. {example}",
        )
    return quantity


def format_quantity(quantity: pint.Quantity) -> str:
    """Write a quantity so that :func:`parse_quantity` reads it back exactly."""
    return f"{quantity.magnitude!r} {quantity.units}"
