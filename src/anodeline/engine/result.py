"""What a run returns: status, times, steps, reasons, the final state, films and exposures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from anodeline.line.state import LineState


@dataclass(frozen=True)
class ExposureSummary:
    """What one sensitive item met while unsealed (atmosphere-equivalent ppm; doses in ppm·s)."""

    item: str
    max_o2_ppm: float
    max_h2o_ppm: float
    o2_dose_ppm_s: float
    h2o_dose_ppm_s: float


@dataclass(frozen=True)
class RunResult:
    """The outcome of one batch. ``wall_seconds`` is left out of equality (same seed → equal results)."""

    status: str  # complete | held | aborted | stopped
    simulated_seconds: float
    steps_executed: int
    reasons: tuple[str, ...]
    final_state: LineState
    thickness_um: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    exposure: Mapping[str, ExposureSummary] = field(default_factory=lambda: MappingProxyType({}))
    wall_seconds: float = field(default=0.0, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "complete"
