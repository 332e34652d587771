"""Frozen value objects the store hands to callers — never live ORM objects.

JSON fields are kept as their canonical text (so the records stay hashable) and
parsed on demand by the ``*_data`` properties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from anodeline.records.canonical import parse_json

if TYPE_CHECKING:  # pragma: no cover - the ORM rows, for the ``of`` constructors (no SQLAlchemy at run time)
    from anodeline.records import models as m


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; they were written as UTC, so say so."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class BatchRecord:
    batch_id: str
    recipe_id: str
    route: str
    status: str
    verdict: str | None
    seed: int | None
    reasons: tuple[str, ...]
    recipe_snapshot: str
    line_snapshot: str
    created_sim_s: float
    started_sim_s: float | None
    ended_sim_s: float | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    procedure_snapshot: str | None = None
    electrode: str | None = None

    @property
    def electrode_data(self) -> Any:
        return None if self.electrode is None else parse_json(self.electrode)

    @property
    def procedure_data(self) -> Any:
        return None if self.procedure_snapshot is None else parse_json(self.procedure_snapshot)

    @property
    def recipe_data(self) -> Any:
        return parse_json(self.recipe_snapshot)

    @property
    def line_data(self) -> Any:
        return parse_json(self.line_snapshot)

    @classmethod
    def of(cls, row: m.Batch) -> BatchRecord:
        created = as_utc(row.created_at)
        assert created is not None
        return cls(
            row.id, row.recipe_id, row.route, row.status, row.verdict, row.seed, tuple(parse_json(row.reasons)),
            row.recipe_snapshot, row.line_snapshot, row.created_sim_s, row.started_sim_s, row.ended_sim_s,
            created, as_utc(row.started_at), as_utc(row.ended_at), row.procedure_snapshot, row.electrode,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class StepRecord:
    batch_id: str
    index: int
    action: str
    arguments: str
    manual: bool
    started_sim_s: float
    ended_sim_s: float
    outcome: str
    readings: str

    @property
    def arguments_data(self) -> Any:
        return parse_json(self.arguments)

    @property
    def readings_data(self) -> Any:
        return parse_json(self.readings)

    @classmethod
    def of(cls, row: m.Step) -> StepRecord:
        return cls(
            row.batch_id, row.index, row.action, row.arguments, row.manual,
            row.started_sim_s, row.ended_sim_s, row.outcome, row.readings,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class LotRecord:
    lot_id: str
    material: str
    supplier: str
    note: str

    @classmethod
    def of(cls, row: m.Lot) -> LotRecord:
        return cls(row.id, row.material, row.supplier, row.note)


@dataclass(frozen=True, slots=True)
class ItemRecord:
    item_id: str
    kind: str
    lot_id: str | None
    batch_id: str | None
    air_sensitive: bool
    created_sim_s: float

    @classmethod
    def of(cls, row: m.Item) -> ItemRecord:
        return cls(row.id, row.kind, row.lot_id, row.batch_id, row.air_sensitive, row.created_sim_s)


@dataclass(frozen=True, slots=True)
class GenealogyNode:
    """One item and, recursively, its parents (in an ancestry tree) or children (in a descent tree)."""

    item: ItemRecord
    branches: tuple[GenealogyNode, ...] = ()

    def ids(self) -> set[str]:
        """Every item id in this subtree, this one included."""
        out = {self.item.item_id}
        for b in self.branches:
            out |= b.ids()
        return out


@dataclass(frozen=True, slots=True)
class Genealogy:
    """An item's family both ways: ``ancestry`` branches are parents, ``descent`` branches are children."""

    ancestry: GenealogyNode
    descent: GenealogyNode

    @property
    def item(self) -> ItemRecord:
        return self.ancestry.item

    def lots(self) -> set[str]:
        """Every lot the item came from (its own and its ancestors')."""
        return {i for i in _lots(self.ancestry) if i is not None}


def _lots(node: GenealogyNode) -> list[str | None]:
    return [node.item.lot_id, *(lot for b in node.branches for lot in _lots(b))]


@dataclass(frozen=True, slots=True)
class ExposureRecord:
    item_id: str
    batch_id: str | None
    space: str
    start_s: float
    end_s: float
    max_o2_ppm: float
    max_h2o_ppm: float
    o2_dose_ppm_s: float
    h2o_dose_ppm_s: float

    @classmethod
    def of(cls, row: m.Exposure) -> ExposureRecord:
        return cls(
            row.item_id, row.batch_id, row.space, row.start_s, row.end_s,
            row.max_o2_ppm, row.max_h2o_ppm, row.o2_dose_ppm_s, row.h2o_dose_ppm_s,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class AlarmRecord:
    alarm_id: int
    batch_id: str
    raised_sim_s: float
    code: str
    message: str
    hold: bool
    cleared_sim_s: float | None

    @property
    def active(self) -> bool:
        return self.cleared_sim_s is None

    @classmethod
    def of(cls, row: m.Alarm) -> AlarmRecord:
        return cls(row.id, row.batch_id, row.raised_sim_s, row.code, row.message, row.hold, row.cleared_sim_s)
