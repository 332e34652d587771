"""Sputter targets and evaporation charges in the records database, and what each batch used of them.

A target (or charge) has an identity, the source device it is mounted on (``system-1/sputter-gun``,
:mod:`anodeline.devices.naming`), its kind (``sputter-target`` in kWh, ``evaporation-charge`` in g:
:mod:`anodeline.physics.deposition.erosion`), its material and its life. Installing one on a source
removes the one mounted there before (both in the audit chain: ``target.install``, ``target.remove``).
Each batch adds a usage row per deposition (``target.use``: kWh of target power or grams of charge
and the seconds it ran); what a target has used is the sum of its rows, so a hand-edited usage row
or target row is named by the cross-check (:mod:`anodeline.records.crosscheck`). Tables of revision 0006.

The functions run on a driver transaction (:class:`~anodeline.records.bulk.Tx`, the statements of
:mod:`anodeline.records.bulk`), like the rest of a batch's write path, so both stores share them and
``anodeline run`` reads and books its targets without SQLAlchemy: call them through the store's
methods (:meth:`anodeline.records.core.StoreCore.install_target`, ``targets``, ``mounted_targets``,
``record_target_use``, ``target_usage``, ``booked_layers``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from anodeline.errors import ModelInputError
from anodeline.physics.deposition.erosion import CHARGE_KINDS, MAX_CAPACITY, UNITS, Charge
from anodeline.records.batches import append
from anodeline.records.bulk import Tx
from anodeline.records.chain import Tip
from anodeline.records.errors import RecordInputError, RecordNotFoundError
from anodeline.records.lengths import check_lengths


@dataclass(frozen=True)
class TargetRecord:
    """A target or charge as the records hold it, with what it has used so far."""

    target_id: str
    source: str
    kind: str
    material: str
    capacity: float
    unit: str
    installed_at: str
    removed_at: str | None
    note: str
    used: float

    @property
    def mounted(self) -> bool:
        return self.removed_at is None

    @property
    def remaining(self) -> float:
        return max(self.capacity - self.used, 0.0)

    @property
    def remaining_share(self) -> float:
        return self.remaining / self.capacity

    def charge(self) -> Charge:
        """The physics' view of it (:class:`~anodeline.physics.deposition.erosion.Charge`).

        A row edited behind the store's back (a negative use, a life of 1e300 kWh) is refused here
        with the way to find it, not used to plan a batch.
        """
        try:
            return Charge(self.kind, self.capacity, self.used)  # type: ignore[arg-type]
        except ModelInputError as exc:
            raise RecordInputError(
                f"target {self.target_id!r} on {self.source} is recorded with a life of {self.capacity:g} "
                f"{self.unit} and a use of {self.used:g} {self.unit}: {exc.message}",
                hint="a target or usage row was edited: 'anodeline audit verify' names it",
            ) from None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.target_id, "source": self.source, "kind": self.kind, "material": self.material,
            "capacity": self.capacity, "unit": self.unit, "used": self.used, "remaining": self.remaining,
            "remaining_share": self.remaining_share, "installed_at": self.installed_at,
            "removed_at": self.removed_at, "mounted": self.mounted, "note": self.note,
        }  # fmt: skip


@dataclass(frozen=True)
class UsageRecord:
    usage_id: int
    target_id: str
    batch_id: str
    layer: str
    amount: float
    seconds: float


def _iso(moment: datetime | None) -> str:
    return (moment or datetime.now(UTC)).isoformat(timespec="microseconds")


def _used(tx: Tx) -> dict[str, float]:
    return {target_id: float(total or 0.0) for target_id, total in tx.all(tx.sql.target_used)}


def _record(row: tuple[Any, ...], used: float) -> TargetRecord:
    target_id, source, kind, material, capacity, unit, installed_at, removed_at, note = row
    return TargetRecord(target_id, source, kind, material, float(capacity), unit, installed_at, removed_at,
                        note or "", used)  # fmt: skip


def check_capacity(kind: str, capacity: float) -> None:
    """Refuse a life that is not a positive finite number of kWh (targets) or grams (charges), or absurd."""
    if kind not in CHARGE_KINDS:
        raise RecordInputError(f"unknown target kind {kind!r}", hint=f"use one of {', '.join(CHARGE_KINDS)}")
    unit = UNITS[kind]
    if not (math.isfinite(capacity) and 0.0 < capacity <= MAX_CAPACITY[kind]):
        raise RecordInputError(
            f"the life of a {kind} must be in (0, {MAX_CAPACITY[kind]:g}] {unit}, got {capacity:g} {unit}",
            hint="a 2-inch sputter target lasts ~5 kWh, a lithium crucible charge is ~5 g",
        )


def install(
    tx: Tx,
    tip: Tip,
    target_id: str,
    *,
    source: str,
    kind: str,
    material: str,
    capacity: float,
    note: str = "",
    actor: str,
    now: datetime | None = None,
) -> TargetRecord:
    """Mount a new target on ``source``; the one mounted there before is removed (both audited)."""
    if not target_id.strip() or not source.strip() or not material.strip():
        raise RecordInputError("a target needs an id, a source and a material")
    check_lengths("targets", id=target_id, source=source, material=material)
    check_capacity(kind, capacity)
    if tx.one(tx.sql.target_row, (target_id,)) is not None:
        raise RecordInputError(
            f"target {target_id!r} is already in the records", hint="give the new target its own id (its serial)"
        )
    moment = _iso(now)
    for (old,) in tx.all(tx.sql.targets_on_source, (source,)):
        tx.run(tx.sql.target_remove, (moment, old))
        append(tx, tip, actor, "target.remove", None, {"target_id": old, "removed_at": moment})
    record = TargetRecord(target_id, source, kind, material, float(capacity), UNITS[kind], moment, None, note, 0.0)
    tx.run(tx.sql.target_insert, (target_id, source, kind, material, record.capacity, record.unit, moment, note))
    payload = {
        "target_id": target_id, "source": source, "kind": kind, "material": material, "capacity": record.capacity,
        "unit": record.unit, "installed_at": moment, "note": note,
    }  # fmt: skip
    append(tx, tip, actor, "target.install", None, payload)
    return record


def listed(tx: Tx, *, mounted_only: bool = False) -> list[TargetRecord]:
    """Every target (or only the mounted ones), by source then installation time."""
    used = _used(tx)
    rows = tx.all(tx.sql.targets_mounted if mounted_only else tx.sql.targets_all)
    return [_record(row, used.get(row[0], 0.0)) for row in rows]


def mounted(tx: Tx) -> dict[str, TargetRecord]:
    """Source device → the target mounted on it."""
    return {record.source: record for record in listed(tx, mounted_only=True)}


def record_use(
    tx: Tx, tip: Tip, batch_id: str, target_id: str, *, layer: str, amount: float, seconds: float, actor: str
) -> UsageRecord:
    """What ``batch_id``'s deposition of ``layer`` took from ``target_id`` (kWh or g, over ``seconds``)."""
    if tx.one(tx.sql.target_row, (target_id,)) is None:
        raise RecordNotFoundError("target", target_id)
    for name, value in (("amount", amount), ("seconds", seconds)):
        if not (math.isfinite(value) and value >= 0.0):
            raise RecordInputError(f"a target's use {name} must be zero or positive and finite, got {value!r}")
    check_lengths("target_usage", layer=layer)
    usage_id = tx.insert_id(tx.sql.target_usage_insert, (target_id, batch_id, layer, float(amount), float(seconds)))
    payload = {"usage_id": usage_id, "target_id": target_id, "layer": layer, "amount": float(amount),
               "seconds": float(seconds)}  # fmt: skip
    append(tx, tip, actor, "target.use", batch_id, payload)
    return UsageRecord(usage_id, target_id, batch_id, layer, float(amount), float(seconds))


def usage(tx: Tx, target_id: str) -> list[UsageRecord]:
    return [UsageRecord(*row) for row in tx.all(tx.sql.target_usage_of, (target_id,))]


def booked_layers(tx: Tx, batch_id: str) -> set[str]:
    """The layers of ``batch_id`` whose use is recorded already (a resumed batch books the rest)."""
    return {layer for (layer,) in tx.all(tx.sql.target_layers_of, (batch_id,))}
