"""Errors of campaigns and sweeps."""

from __future__ import annotations

from anodeline.documents.violations import Violation
from anodeline.errors import AnodelineError


class CampaignError(AnodelineError, ValueError):
    """A campaign or sweep file that cannot be read, or is read and refused; carries its violations."""

    code = "CAMPAIGN"

    def __init__(self, message: str, *, violations: tuple[Violation, ...] = (), hint: str = "",
                 location: str = "") -> None:  # fmt: skip
        self.violations = violations
        super().__init__(message, hint=hint, location=location)
