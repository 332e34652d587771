"""Pydantic field types for quantities with units, one per dimension.

Each type parses ``"10 um"`` through the package registry, refuses a missing or
wrong unit with a hint, and serialises back to text that parses to the same value.
"""

from __future__ import annotations

from typing import Annotated, Any

import pint
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from anodeline.units import EXAMPLES, format_quantity, parse_quantity


def _quantity_type(kind: str) -> Any:
    return Annotated[
        pint.Quantity,
        BeforeValidator(lambda value: parse_quantity(value, kind)),
        PlainSerializer(format_quantity, return_type=str),
        WithJsonSchema({"type": "string", "description": f"a {kind} with unit", "examples": [EXAMPLES[kind]]}),
    ]


Length = _quantity_type("length")
Temperature = _quantity_type("temperature")
Pressure = _quantity_type("pressure")
Duration = _quantity_type("time")
Fraction = _quantity_type("fraction")
Conductivity = _quantity_type("conductivity")
MolarEnergy = _quantity_type("molar_energy")
Power = _quantity_type("power")
