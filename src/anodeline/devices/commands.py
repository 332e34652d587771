"""Command values that are more than a number or a flag."""

from __future__ import annotations

from dataclasses import dataclass

from anodeline.line.actions import Deposit


@dataclass(frozen=True)
class SourceCommand:
    """Switch a deposition source on to grow ``deposit`` (its QCM is zeroed), or off (``deposit`` None)."""

    deposit: Deposit | None = None
