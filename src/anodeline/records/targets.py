"""Sputter targets and evaporation charges in the records database, and what each batch used of them.

A target (or charge) has an identity, the source device it is mounted on (``system-1/sputter-gun``,
:mod:`anodeline.devices.naming`), its kind (``sputter-target`` in kWh, ``evaporation-charge`` in g:
:mod:`anodeline.physics.deposition.erosion`), its material and its life. Installing one on a source
removes the one mounted there before (both in the audit chain: ``target.install``, ``target.remove``).
Each batch adds a usage row per deposition (``target.use``: kWh of target power or grams of charge
and the seconds it ran); what a target has used is the sum of its rows, so a hand-edited usage row
or target row is named by the cross-check (:mod:`anodeline.records.crosscheck`). Tables of revision 0006.

Used through :meth:`anodeline.records.Store.write` / ``read`` (no store methods: the store's internals
stay its own): ``store.write(lambda s: targets.install(s, ...))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from anodeline.errors import ModelInputError
from anodeline.physics.deposition.erosion import CHARGE_KINDS, MAX_CAPACITY, UNITS, Charge
from anodeline.records import audit
from anodeline.records.errors import RecordInputError, RecordNotFoundError
from anodeline.records.lengths import check_lengths
from anodeline.records.models import Target, TargetUsage


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


def _used(session: Session) -> dict[str, float]:
    rows = session.execute(select(TargetUsage.target_id, func.sum(TargetUsage.amount)).group_by(TargetUsage.target_id))
    return {target_id: float(total or 0.0) for target_id, total in rows}


def _record(row: Target, used: float) -> TargetRecord:
    return TargetRecord(
        row.id, row.source, row.kind, row.material, row.capacity, row.unit, row.installed_at, row.removed_at,
        row.note, used,
    )  # fmt: skip


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
    session: Session,
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
    check_lengths(Target, id=target_id, source=source, material=material)
    check_capacity(kind, capacity)
    if session.get(Target, target_id) is not None:
        raise RecordInputError(
            f"target {target_id!r} is already in the records", hint="give the new target its own id (its serial)"
        )
    moment = _iso(now)
    for old in session.execute(select(Target).where(Target.source == source, Target.removed_at.is_(None))).scalars():
        old.removed_at = moment
        audit.append(session, actor=actor, kind="target.remove", batch_id=None,
                     payload={"target_id": old.id, "removed_at": moment})  # fmt: skip
    row = Target(
        id=target_id, source=source, kind=kind, material=material, capacity=float(capacity), unit=UNITS[kind],
        installed_at=moment, removed_at=None, note=note,
    )  # fmt: skip
    session.add(row)
    session.flush()
    payload = {
        "target_id": target_id, "source": source, "kind": kind, "material": material, "capacity": row.capacity,
        "unit": row.unit, "installed_at": moment, "note": note,
    }  # fmt: skip
    audit.append(session, actor=actor, kind="target.install", batch_id=None, payload=payload)
    return _record(row, 0.0)


def listed(session: Session, *, mounted_only: bool = False) -> list[TargetRecord]:
    """Every target (or only the mounted ones), by source then installation time."""
    used = _used(session)
    query = select(Target).order_by(Target.source, Target.installed_at)
    if mounted_only:
        query = query.where(Target.removed_at.is_(None))
    return [_record(row, used.get(row.id, 0.0)) for row in session.execute(query).scalars()]


def mounted(session: Session) -> dict[str, TargetRecord]:
    """Source device → the target mounted on it."""
    return {record.source: record for record in listed(session, mounted_only=True)}


def record_use(
    session: Session, batch_id: str, target_id: str, *, layer: str, amount: float, seconds: float, actor: str
) -> UsageRecord:
    """What ``batch_id``'s deposition of ``layer`` took from ``target_id`` (kWh or g, over ``seconds``)."""
    if session.get(Target, target_id) is None:
        raise RecordNotFoundError("target", target_id)
    for name, value in (("amount", amount), ("seconds", seconds)):
        if not (math.isfinite(value) and value >= 0.0):
            raise RecordInputError(f"a target's use {name} must be zero or positive and finite, got {value!r}")
    check_lengths(TargetUsage, layer=layer)
    row = TargetUsage(target_id=target_id, batch_id=batch_id, layer=layer, amount=float(amount), seconds=float(seconds))
    session.add(row)
    session.flush()
    payload = {"usage_id": row.id, "target_id": target_id, "layer": layer, "amount": row.amount, "seconds": row.seconds}
    audit.append(session, actor=actor, kind="target.use", batch_id=batch_id, payload=payload)
    return UsageRecord(row.id, target_id, batch_id, layer, row.amount, row.seconds)


def usage(session: Session, target_id: str) -> list[UsageRecord]:
    rows = session.execute(select(TargetUsage).where(TargetUsage.target_id == target_id).order_by(TargetUsage.id))
    return [UsageRecord(r.id, r.target_id, r.batch_id, r.layer, r.amount, r.seconds) for r in rows.scalars()]


def booked_layers(session: Session, batch_id: str) -> set[str]:
    """The layers of ``batch_id`` whose use is recorded already (a resumed batch books the rest)."""
    rows = session.execute(select(TargetUsage.layer).where(TargetUsage.batch_id == batch_id))
    return {layer for (layer,) in rows}
