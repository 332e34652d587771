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
import sys
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
    "voltage": "[length] ** 2 * [mass] / [current] / [time] ** 3",
    "current": "[current]",
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
    "voltage": "4.2 V",
    "current": "100 mA",
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


class Quantity:
    """A number and a unit of :mod:`anodeline.unit_table`, converted as pint converts, without pint.

    What the models hold for every quantity read (issue 9): ``.magnitude`` as written, ``.units``
    (pint's name, so :func:`format_quantity` writes what pint writes), ``.to(unit)`` and
    ``.m_as(unit)`` with pint's factors in pint's order (bit-identical magnitudes,
    tests/test_unit_table.py), ``.dimensionless``. Anything else — arithmetic, comparisons across
    units, ``f"{q:~P}"``, ``.dimensionality``, a unit outside the table — is handed to the pint
    quantity it stands for (:meth:`to_pint`), which imports pint then. A quantity of a unit the table
    does not have wraps its pint quantity (``units`` is then None inside) and delegates everything.
    """

    __slots__ = ("_magnitude", "_name", "_pint")

    def __init__(self, magnitude: Any, name: str | None, wrapped: Any = None) -> None:
        self._magnitude = magnitude if wrapped is None else wrapped.magnitude
        self._name = name
        self._pint = wrapped

    @property
    def magnitude(self) -> Any:
        return self._magnitude

    m = magnitude

    @property
    def units(self) -> Any:
        """pint's name of the unit (``micrometer``), or the wrapped quantity's pint unit."""
        return self._name if self._name is not None else self.to_pint().units

    @property
    def kind(self) -> str | None:
        """The dimension's name (``length``…) for a unit of the table, else None."""
        return None if self._name is None else _table().KINDS[self._name]

    @property
    def dimensionless(self) -> bool:
        return self.kind == "fraction" if self._name is not None else bool(self.to_pint().dimensionless)

    def to_pint(self) -> pint.Quantity:
        """The pint quantity this one stands for (builds the registry the first time; kept)."""
        if self._pint is None:
            self._pint = registry().Quantity(self._magnitude, self._name)
        return self._pint

    def to(self, unit: Any) -> Quantity:
        """This quantity in ``unit``: pint's arithmetic for a unit of the table, else pint's own ``to``."""
        name = _table().NAMES.get(unit) if isinstance(unit, str) else None
        src = self._name
        if src is None or name is None or _table().KINDS[name] != _table().KINDS[src]:
            return _wrap(self.to_pint().to(unit))
        return Quantity(_convert(self._magnitude, src, name), name)

    def m_as(self, unit: Any) -> Any:
        return self.to(unit).magnitude

    def to_base_units(self) -> Quantity:
        """In the base units of pint's registry (the SI base units)."""
        base = _BASE.get(self.kind or "")
        if base is None:
            return _wrap(self.to_pint().to_base_units())
        return self.to(base)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Quantity) and self._name is not None and self._name == other._name:
            return bool(self._magnitude == other._magnitude)
        return bool(self.to_pint() == _unwrap(other))

    def _compare(self, other: Any, operator: str) -> bool:
        """pint compares the magnitudes of quantities of one unit as they are; other cases go to pint."""
        if isinstance(other, Quantity) and self._name is not None and self._name == other._name:
            return bool(getattr(self._magnitude, operator)(other._magnitude))
        return bool(getattr(self.to_pint(), operator)(_unwrap(other)))

    def __lt__(self, other: Any) -> bool:
        return self._compare(other, "__lt__")

    def __le__(self, other: Any) -> bool:
        return self._compare(other, "__le__")

    def __gt__(self, other: Any) -> bool:
        return self._compare(other, "__gt__")

    def __ge__(self, other: Any) -> bool:
        return self._compare(other, "__ge__")

    def __hash__(self) -> int:
        return hash(self.to_pint())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.to_pint(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        if self._name is not None:
            return (Quantity, (self._magnitude, self._name))
        return (_wrap_text, (format_quantity(self),))

    def __format__(self, spec: str) -> str:
        return format(self.to_pint(), spec)

    def __str__(self) -> str:
        return str(self.to_pint())

    def __repr__(self) -> str:
        return repr(self.to_pint())

    def __float__(self) -> float:
        return float(self.to_pint())

    def __bool__(self) -> bool:
        return bool(self._magnitude)


def _delegate(operator: str) -> Any:
    def method(self: Quantity, *args: Any) -> Any:
        result = getattr(self.to_pint(), operator)(*(_unwrap(arg) for arg in args))
        return result if result is NotImplemented else _wrap(result)

    method.__name__ = operator
    return method


for _operator in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
                  "__rtruediv__", "__floordiv__", "__pow__", "__neg__", "__pos__", "__abs__", "__round__"):  # fmt: skip
    setattr(Quantity, _operator, _delegate(_operator))


def _unwrap(value: Any) -> Any:
    return value.to_pint() if isinstance(value, Quantity) else value


def _wrap(value: Any) -> Any:
    """A pint result as a :class:`Quantity` (of the table's unit when it is one), other values as they are."""
    pint_ = sys.modules.get("pint")
    if pint_ is None or not isinstance(value, pint_.Quantity):
        return value
    name = str(value.units)
    if name in _table().KINDS and isinstance(value.magnitude, int | float):
        return Quantity(value.magnitude, name)
    return Quantity(None, None, value)


def _wrap_text(text: str) -> Quantity:
    return _wrap(registry().Quantity(text))


def _convert(value: Any, src: str, dst: str) -> Any:
    """``value`` from unit ``src`` to ``dst`` (both of the table, of one dimension) as pint's registry does.

    pint returns the value itself for equal units; else it takes an offset unit (degC) to its
    reference (``value * scale + offset``), multiplies by the factor between the remaining units, and
    comes back from the destination's offset (``(value - offset) / scale``).
    """
    if src == dst:
        return value
    table = _table()
    offset = table.OFFSETS.get(src)
    if offset is not None:
        value = value * offset[0] + offset[1]
        src = offset[2]
    back = table.OFFSETS.get(dst)
    reference = dst if back is None else back[2]
    if src != reference:
        value = value * table.FACTORS[src, reference]
    elif offset is not None or back is not None:
        value = value * 1  # pint multiplies by the factor 1 between a reference and itself
    if back is not None:
        value = (value - back[1]) / back[0]
    return value


#: pint's base unit of each dimension of the table (what ``to_base_units`` gives).
_BASE = {"length": "meter", "temperature": "kelvin", "time": "second", "fraction": "dimensionless"}


@lru_cache(maxsize=1)
def _table() -> Any:
    from anodeline import unit_table

    return unit_table


def Q_(value: Any, unit: str | None = None) -> Any:
    """A :class:`Quantity`: of the table's unit without pint, else through the package registry.

    Typed ``Any``: it stands in for a pint quantity wherever one was expected.
    """
    name = _table().NAMES.get(unit) if isinstance(unit, str) else None
    if name is not None and isinstance(value, int | float) and not isinstance(value, bool):
        return Quantity(value, name)
    ureg = registry()
    return _wrap(ureg.Quantity(value) if unit is None else ureg.Quantity(value, unit))


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
def _parse_text(text: str) -> Quantity:
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
    name = _table().NAMES.get(units or "dimensionless")
    if name is not None:
        return Quantity(magnitude, name)
    pint = import_pint()
    ureg = registry()
    try:
        return _wrap(ureg.Quantity(magnitude, units) if units else ureg.Quantity(magnitude))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError) as exc:
        raise UnitError(f"unknown unit in {text!r} ({exc})") from None
    except (ValueError, TypeError, AttributeError, KeyError, SyntaxError) as exc:
        raise UnitError(f"cannot read {text!r} as a quantity ({exc})") from None


def parse_quantity(value: Any, kind: str) -> Quantity:
    """Parse ``value`` (``"10 um"``, a quantity) as a quantity of dimension ``kind``.

    Raises :class:`UnitError` with a hint when the unit is missing, unknown or of the
    wrong dimension. A bare number is accepted only for ``fraction`` (``0.9999``). A unit of
    :mod:`anodeline.unit_table` is read and checked without pint.
    """
    example = EXAMPLES.get(kind, "")
    if isinstance(value, Quantity):
        quantity = value
    elif isinstance(value, bool) or value is None:
        raise UnitError(f"expected a {kind} such as {example!r}, got {value!r}", hint=f"write e.g. {example}")
    elif isinstance(value, int | float):
        if kind == "fraction":
            quantity = Quantity(float(value), "dimensionless")
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
        if not isinstance(quantity, Quantity):  # pragma: no cover - pint returns numbers for '2'
            quantity = Q_(quantity)
    elif "pint" in sys.modules and isinstance(value, sys.modules["pint"].Quantity):
        quantity = _wrap(value)
    else:
        raise UnitError(
            f"expected a {kind} such as {example!r}, got a {type(value).__name__}",
            hint=f"write e.g. {example}",
        )
    if not isinstance(quantity.magnitude, int | float) or not math.isfinite(float(quantity.magnitude)):
        raise UnitError(f"{value!r} is not a finite number with a unit", hint=f"write e.g. {example}")
    if kind != "fraction" and quantity.dimensionless:
        raise UnitError(f"{value!r} has no unit; a {kind} needs one", hint=f"write the unit, e.g. {example}")
    if quantity.kind != kind and (quantity.kind is not None or quantity.dimensionality != dimensionality(kind)):
        raise UnitError(
            f"{value!r} is not a {kind} (its dimension is {quantity.dimensionality})",
            hint=f"use a {kind} unit, e.g. {example}",
        )
    return quantity


#: The coherent SI unit of each dimension of the table (its factor to pint's base units is 1).
_SI = {"length": "meter", "temperature": "kelvin", "pressure": "pascal", "time": "second",
       "fraction": "dimensionless", "conductivity": "siemens / meter", "molar_energy": "joule / mole",
       "power": "watt", "volume": "meter ** 3", "volumetric_flow": "meter ** 3 / second",
       "frequency": "hertz", "voltage": "volt", "current": "ampere"}  # fmt: skip


def si_magnitude(quantity: Any) -> Any:
    """The magnitude of ``quantity`` in SI units (coherent SI for the table's units, else pint's base units)."""
    if isinstance(quantity, Quantity) and quantity.kind is not None:
        return quantity.m_as(_SI[quantity.kind])
    return quantity.to_base_units().magnitude


def format_quantity(quantity: Any) -> str:
    """Write a quantity so that :func:`parse_quantity` reads it back exactly."""
    return f"{quantity.magnitude!r} {quantity.units}"
