"""Input checks shared by the physics models: a model refuses impossible numbers with their name."""

from __future__ import annotations

import math

from anodeline.errors import ModelInputError


def require_positive(**values: float) -> None:
    """Raise :class:`ModelInputError` naming the first value that is not a positive finite number."""
    for name, value in values.items():
        if not (value > 0.0 and math.isfinite(value)):
            raise ModelInputError(f"{name} = {value:g} must be a positive finite number", location=name)


def require_non_negative(**values: float) -> None:
    """Raise :class:`ModelInputError` naming the first value that is negative or not finite."""
    for name, value in values.items():
        if not (value >= 0.0 and math.isfinite(value)):
            raise ModelInputError(f"{name} = {value:g} must be zero or positive and finite", location=name)
