"""The campaign language: which recipes, how many, by when, on which lines (docs/campaigns.md).

Structure only (types, keys, units); what needs the recipe and line files (a recipe the lines
cannot run, a due date before the start) is checked by :mod:`anodeline.campaign.load`.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from anodeline.recipe.quantity import Duration

if TYPE_CHECKING:  # pragma: no cover
    import pint

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Order(_Model):
    """``count`` batches of one recipe, optionally due by a date, with a priority (higher first)."""

    recipe: str = Field(min_length=1)
    count: int
    due: dt.datetime | None = None
    priority: int = 0


class Shifts(_Model):
    """When operators work: these days, from ``start`` to ``end`` o'clock (the campaign's time zone)."""

    days: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri")
    start: dt.time = dt.time(6, 0)
    end: dt.time = dt.time(22, 0)


class Uncertainty(_Model):
    """How far the real line strays from the plan, for ``campaign plan --replications``.

    Operator times are lognormal around the twin's medians (σ as the twin's operator); pump-down
    and purge times vary by a relative normal spread (est.: pumps, seals and wall water differ from
    day to day); a fault holds the batch for ``fault_hold`` with probability ``fault_rate`` per batch.
    """

    operator_sigma: float = Field(default=0.35, ge=0.0, le=2.0)
    pump_spread: float = Field(default=0.1, ge=0.0, le=1.0)
    fault_rate: float = Field(default=0.02, ge=0.0, le=1.0)
    fault_hold: Duration = Field(default_factory=lambda: _hours(2.0))

    @cached_property
    def fault_hold_s(self) -> float:
        return float(self.fault_hold.to("s").magnitude)


def _hours(value: float) -> pint.Quantity:
    from anodeline.units import Q_

    return Q_(value, "h")


class CampaignFile(_Model):
    """A campaign file as written."""

    campaign: str = Field(min_length=1)
    lines: tuple[str, ...] = Field(min_length=1)
    orders: tuple[Order, ...] = Field(min_length=1)
    operators: int = 1
    start: dt.datetime | None = None
    shifts: Shifts | None = None
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
