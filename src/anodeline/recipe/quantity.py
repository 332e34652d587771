"""Pydantic field types for quantities with units, one per dimension, each with its physical range.

Each type parses ``"10 um"`` with :func:`anodeline.units.parse_quantity` (without pint for the
units of :mod:`anodeline.unit_table`), refuses a missing or
wrong unit with a hint, and serialises back to text that parses to the same value.
Each also carries the range every value of its dimension must lie in (finite in SI
units, a temperature above absolute zero, a pressure above 0 Pa…): a value outside
raises :class:`~anodeline.errors.QuantityRangeError`, which the document readers report
as a located violation (``SCH006`` in recipes, ``LSC006`` in lines). A field narrows the
range further with :class:`Within` (``Annotated[Length, Within("m", 0, low_open=True)]``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

from anodeline import window
from anodeline.errors import QuantityRangeError
from anodeline.units import EXAMPLES, Quantity, format_quantity, parse_quantity, si_magnitude

if TYPE_CHECKING:  # pragma: no cover - a field may also be given a pint quantity (parse_quantity wraps it)
    _Q: TypeAlias = Any
else:
    _Q = Quantity

PHYSICS = "physics"


@dataclass(frozen=True)
class Within:
    """The range ``[low, high]`` (``low_open``: ``(low, high]``) a quantity must lie in, in ``unit``.

    An instance is a pydantic after-validator: it returns the quantity or raises
    :class:`QuantityRangeError` naming the range and its ``source``.
    """

    unit: str
    low: float = -math.inf
    high: float = math.inf
    source: str = PHYSICS
    low_open: bool = False
    what: str = ""  # words for the low end, e.g. "absolute zero"

    def text(self) -> str:
        if self.low == -math.inf:
            return f"at most {self.high:g} {self.unit}"
        low = f"{self.what} ({self.low:g} {self.unit})" if self.what else f"{self.low:g} {self.unit}"
        start = f"above {low}" if self.low_open else f"at least {low}"
        return start if self.high == math.inf else f"{start} and at most {self.high:g} {self.unit}"

    def contains(self, value: float) -> bool:
        above = self.low < value if self.low_open else self.low <= value
        return above and value <= self.high

    def __call__(self, quantity: Quantity) -> Quantity:
        value = float(quantity.to(self.unit).magnitude)
        if not self.contains(value):
            raise QuantityRangeError(
                f"{format_quantity(quantity)} is out of range: it must be {self.text()}",
                source=self.source,
                hint=f"give a value {self.text()}",
            )
        return quantity


def _finite(quantity: Quantity) -> Quantity:
    """Refuse NaN and infinity, also when they appear only in SI units (``1e308 h`` is inf s)."""
    if not math.isfinite(float(quantity.magnitude)) or not math.isfinite(float(si_magnitude(quantity))):
        raise QuantityRangeError(
            f"{quantity.magnitude!r} {quantity.units} is not a finite quantity",
            source="physics (a measured quantity is a finite number)",
            hint="write a finite number with its unit",
        )
    return quantity


def _parser(kind: str) -> Callable[[Any], Quantity]:
    def parse(value: Any) -> Quantity:
        return parse_quantity(value, kind)

    return parse


def _schema(kind: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "description": f"a {kind} with unit", "examples": [EXAMPLES[kind]]})


_TEXT = PlainSerializer(format_quantity, return_type=str)
_FINITE = AfterValidator(_finite)
_POSITIVE = "physics (it is a positive amount)"


def _non_negative(unit: str) -> AfterValidator:
    return AfterValidator(Within(unit, 0.0, source="physics (it is not a negative amount)"))


def _positive(unit: str) -> AfterValidator:
    return AfterValidator(Within(unit, 0.0, source=_POSITIVE, low_open=True))


#: Lengths are not negative (THK rules say which must be positive).
Length = Annotated[_Q, BeforeValidator(_parser("length")), _FINITE, _non_negative("m"), _TEXT, _schema("length")]
#: Temperatures are above absolute zero.
Temperature = Annotated[
    _Q,
    BeforeValidator(_parser("temperature")),
    _FINITE,
    AfterValidator(Within("K", 0.0, source="physics (third law: no temperature at or below 0 K)", low_open=True,
                          what="absolute zero")),
    _TEXT,
    _schema("temperature"),
]  # fmt: skip
#: Absolute pressures: above 0 Pa, at most 0.5 bar over an atmosphere.
Pressure = Annotated[
    _Q,
    BeforeValidator(_parser("pressure")),
    _FINITE,
    AfterValidator(Within("Pa", 0.0, window.GAS_PRESSURE_PA.high, window.GAS_PRESSURE_PA.source, low_open=True)),
    _TEXT,
    _schema("pressure"),
]
Duration = Annotated[_Q, BeforeValidator(_parser("time")), _FINITE, _non_negative("s"), _TEXT, _schema("time")]
#: Fractions (purities, ppm concentrations) lie in [0, 1] (0–1e6 ppm, 0–100 %).
Fraction = Annotated[
    _Q,
    BeforeValidator(_parser("fraction")),
    _FINITE,
    AfterValidator(Within("dimensionless", 0.0, 1.0, "physics (a mole fraction is 0–100 %, 0–1e6 ppm)")),
    _TEXT,
    _schema("fraction"),
]
Conductivity = Annotated[
    _Q, BeforeValidator(_parser("conductivity")), _FINITE, _positive("S/m"), _TEXT, _schema("conductivity")
]
MolarEnergy = Annotated[
    _Q, BeforeValidator(_parser("molar_energy")), _FINITE, _positive("J/mol"), _TEXT,
    _schema("molar_energy"),
]  # fmt: skip
#: A source's power: above 0, at most what a pilot-line gun's supply gives (the procedure files' bound too).
Power = Annotated[
    _Q, BeforeValidator(_parser("power")), _FINITE,
    AfterValidator(Within("W", 0.0, window.SOURCE_POWER_W.high, window.SOURCE_POWER_W.source, low_open=True)),
    _TEXT, _schema("power"),
]  # fmt: skip
Volume = Annotated[_Q, BeforeValidator(_parser("volume")), _FINITE, _positive("m^3"), _TEXT, _schema("volume")]
VolumetricFlow = Annotated[
    _Q, BeforeValidator(_parser("volumetric_flow")), _FINITE, _positive("m^3/s"), _TEXT,
    _schema("volumetric_flow"),
]  # fmt: skip

#: A purity: more than nothing, at most 100 %.
Purity = Annotated[Fraction, AfterValidator(Within("dimensionless", 0.0, 1.0, _POSITIVE, low_open=True))]
#: The length of one step (an anneal): at most 48 h.
StepDuration = Annotated[
    Duration, AfterValidator(Within("s", 0.0, window.STEP_DURATION_S.high, window.STEP_DURATION_S.source))
]
#: A cell voltage: above 0 V, at most 10 V (no lithium cell chemistry charges beyond ~5 V).
Voltage = Annotated[
    _Q, BeforeValidator(_parser("voltage")), _FINITE,
    AfterValidator(Within("V", 0.0, 10.0, "physics (a lithium cell lies between 0 and ~5 V vs Li)", low_open=True)),
    _TEXT, _schema("voltage"),
]  # fmt: skip
#: A test current: 0.1 mA to 100 A (est.: a cycler channel's range for a single assembled cell).
Current = Annotated[
    _Q, BeforeValidator(_parser("current")), _FINITE,
    AfterValidator(Within("A", 1e-4, 100.0, "est. (a cycler channel for a single assembled cell)")),
    _TEXT, _schema("current"),
]  # fmt: skip
