"""Trend lines as SVG polylines, drawn on the server (no chart library in the browser).

Concentrations and pressures span decades on a glove box (1e5 Pa to 1 Pa in a purge, 20 % O2 to
0.1 ppm), so the axis is logarithmic when every value is positive; a dew point is drawn linear.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sparkline:
    points: str
    low: float
    high: float
    last: float | None
    log: bool


def sparkline(samples: Sequence[tuple[float, float]], *, t0: float, t1: float, width: int = 240,
              height: int = 40) -> Sparkline:  # fmt: skip
    """The polyline of ``samples`` (time, value) over ``[t0, t1]`` in a ``width``×``height`` box, as steps."""
    values = [v for _, v in samples if math.isfinite(v)]
    if not values:
        return Sparkline("", 0.0, 0.0, None, False)
    log = min(values) > 0.0
    scale = [math.log10(v) if log else v for v in values]
    low, high = min(scale), max(scale)
    span = (high - low) or 1.0
    duration = (t1 - t0) or 1.0
    points: list[str] = []
    previous_y: float | None = None
    for (t, _), y_value in zip(((t, v) for t, v in samples if math.isfinite(v)), scale, strict=True):
        x = max(0.0, min(width, (t - t0) / duration * width))
        y = height - (y_value - low) / span * (height - 4) - 2
        if previous_y is not None:
            points.append(f"{x:.1f},{previous_y:.1f}")
        points.append(f"{x:.1f},{y:.1f}")
        previous_y = y
    if previous_y is not None:
        points.append(f"{width:.1f},{previous_y:.1f}")
    return Sparkline(" ".join(points), min(values), max(values), values[-1], log)
