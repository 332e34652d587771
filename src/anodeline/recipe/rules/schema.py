"""Structural rules reported by the loader (no check function: the loader finds them)."""

from __future__ import annotations

from anodeline.documents.violations import Severity
from anodeline.recipe.rules.base import register

E = Severity.ERROR

YAML_SYNTAX = register(
    "SCH001", E, "The file is not valid YAML",
    source="YAML 1.1 (read with yaml.safe_load)",
    hint="fix the syntax at the line shown: indentation, a missing ':' or an unclosed quote or bracket",
)  # fmt: skip
UNKNOWN_KEY = register(
    "SCH002", E, "Unknown key",
    source="recipe language (docs/recipes.md)",
    hint="remove the key or correct its spelling; docs/recipes.md lists every key",
)  # fmt: skip
MISSING_FIELD = register(
    "SCH003", E, "A required key is missing",
    source="recipe language (docs/recipes.md)",
    hint="add the key; docs/recipes.md shows an example",
)  # fmt: skip
BAD_VALUE = register(
    "SCH004", E, "A value has the wrong type, unit or choice",
    description="A value has the wrong type, a quantity lacks its unit or has the wrong dimension, "
    "or a choice is not one of the allowed words.",
    source="recipe language (docs/recipes.md)",
    hint="write the value as docs/recipes.md shows, with its unit (e.g. 10 um, 130 degC, 1.0e-4 Pa)",
)  # fmt: skip
DUPLICATE_KEY = register(
    "SCH005", E, "A key appears twice in the same mapping",
    source="YAML 1.2 (keys of a mapping are unique)",
    hint="keep one of the two entries; YAML would silently use the last one",
)  # fmt: skip
OUT_OF_RANGE = register(
    "SCH006", E, "A quantity is outside the range it can have",
    description="A quantity has the right unit but a value it cannot have: not finite (NaN, inf, or too large "
    "to hold in SI units), a temperature at or below absolute zero, a negative length or duration, a pressure "
    "not above 0 Pa or more than 0.5 bar over an atmosphere, a fraction outside 0–100 %, a conductivity, power "
    "or activation energy that is not positive, an anneal longer than 48 h. The violation names the bound's "
    "own source.",
    source="physics (absolute zero, positive amounts, finite values); Pressure Equipment Directive 2014/68/EU",
    hint="give a value inside the range the message states",
)  # fmt: skip
