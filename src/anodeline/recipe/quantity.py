"""Pydantic field types for quantities with units, one per dimension.

Each type parses ``"10 um"`` through the package registry, refuses a missing or
wrong unit with a hint, and serialises back to text that parses to the same value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import pint
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from anodeline.units import EXAMPLES, format_quantity, parse_quantity


def _parser(kind: str) -> Callable[[Any], pint.Quantity]:
    def parse(value: Any) -> pint.Quantity:
        return parse_quantity(value, kind)

    return parse


def _schema(kind: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "description": f"a {kind} with unit", "examples": [EXAMPLES[kind]]})


_TEXT = PlainSerializer(format_quantity, return_type=str)

Length = Annotated[pint.Quantity, BeforeValidator(_parser("length")), _TEXT, _schema("length")]
Temperature = Annotated[pint.Quantity, BeforeValidator(_parser("temperature")), _TEXT, _schema("temperature")]
Pressure = Annotated[pint.Quantity, BeforeValidator(_parser("pressure")), _TEXT, _schema("pressure")]
Duration = Annotated[pint.Quantity, BeforeValidator(_parser("time")), _TEXT, _schema("time")]
Fraction = Annotated[pint.Quantity, BeforeValidator(_parser("fraction")), _TEXT, _schema("fraction")]
Conductivity = Annotated[pint.Quantity, BeforeValidator(_parser("conductivity")), _TEXT, _schema("conductivity")]
MolarEnergy = Annotated[pint.Quantity, BeforeValidator(_parser("molar_energy")), _TEXT, _schema("molar_energy")]
Power = Annotated[pint.Quantity, BeforeValidator(_parser("power")), _TEXT, _schema("power")]
Volume = Annotated[pint.Quantity, BeforeValidator(_parser("volume")), _TEXT, _schema("volume")]
VolumetricFlow = Annotated[
    pint.Quantity, BeforeValidator(_parser("volumetric_flow")), _TEXT, _schema("volumetric_flow")
]
