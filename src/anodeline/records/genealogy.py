"""Lots, items and their family tree: which lots and parts went into an electrode or a cell.

A link says a parent item went into a child item (substrate + lithium foil → electrode
via a target's film; electrode → cell). Lots hang off items, so ``genealogy(electrode)``
answers "which foil lot?" and ``genealogy(foil)`` answers "which electrodes are at risk?".
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from anodeline.records import audit
from anodeline.records.canonical import check_time
from anodeline.records.errors import RecordConflictError, RecordInputError, RecordNotFoundError
from anodeline.records.exposure import ExposureInterval
from anodeline.records.models import Exposure, Item, ItemLink, Lot
from anodeline.records.signatures import check_input_electrode
from anodeline.records.values import ExposureRecord, Genealogy, GenealogyNode, ItemRecord, LotRecord


def find_lot(session: Session, lot_id: str) -> LotRecord | None:
    row = session.get(Lot, lot_id)
    return None if row is None else LotRecord.of(row)


def find_item(session: Session, item_id: str) -> ItemRecord | None:
    row = session.get(Item, item_id)
    return None if row is None else ItemRecord.of(row)


def register_lot(session: Session, lot_id: str, *, material: str, supplier: str, note: str, actor: str) -> LotRecord:
    """Store a supplier lot (``material`` e.g. ``lithium_foil``, ``cu_substrate``, ``li2s_sis2_target``)."""
    if not lot_id or not material:
        raise RecordInputError("a lot needs an id and a material")
    row = Lot(id=lot_id, material=material, supplier=supplier, note=note)
    session.add(row)
    session.flush()
    payload = {"lot_id": lot_id, "material": material, "supplier": supplier, "note": note}
    audit.append(session, actor=actor, kind="lot.register", batch_id=None, payload=payload)
    return LotRecord.of(row)


def register_item(
    session: Session,
    item_id: str,
    *,
    kind: str,
    lot_id: str | None,
    batch_id: str | None,
    air_sensitive: bool,
    sim_s: float,
    actor: str,
) -> ItemRecord:
    """Store an item, optionally from a lot and/or made in a batch."""
    if not item_id or not kind:
        raise RecordInputError("an item needs an id and a kind (substrate, lithium_foil, target, electrode, cell)")
    row = Item(
        id=item_id,
        kind=kind,
        lot_id=lot_id,
        batch_id=batch_id,
        air_sensitive=bool(air_sensitive),
        created_sim_s=check_time("item creation time", sim_s),
    )
    session.add(row)
    session.flush()
    record = ItemRecord.of(row)
    payload = {
        "item_id": item_id,
        "kind": kind,
        "lot_id": lot_id,
        "air_sensitive": record.air_sensitive,
        "sim_s": record.created_sim_s,
    }
    audit.append(session, actor=actor, kind="item.register", batch_id=batch_id, payload=payload)
    return record


def link(session: Session, parent_id: str, child_id: str, *, batch_id: str | None, actor: str) -> None:
    """Record that ``parent_id`` went into ``child_id``; refuses self-links and cycles."""
    for item_id in (parent_id, child_id):
        if session.get(Item, item_id) is None:
            raise RecordNotFoundError("item", item_id)
    if parent_id == child_id or parent_id in _reach(session, child_id, down=True):
        raise RecordConflictError(
            f"linking {parent_id!r} → {child_id!r} would make {parent_id!r} its own ancestor",
            hint="a genealogy runs one way: lots → parts → electrode → cell",
        )
    check_input_electrode(session, parent_id, into_batch=batch_id)  # an electrode goes on only once released
    session.add(ItemLink(parent_id=parent_id, child_id=child_id, batch_id=batch_id))
    session.flush()
    payload = {"parent_id": parent_id, "child_id": child_id}
    audit.append(session, actor=actor, kind="item.link", batch_id=batch_id, payload=payload)


def genealogy(session: Session, item_id: str) -> Genealogy:
    """The item's ancestry tree (parents, their parents…) and descent tree (children…)."""
    if session.get(Item, item_id) is None:
        raise RecordNotFoundError("item", item_id)
    up = _edges(session, item_id, down=False)
    down = _edges(session, item_id, down=True)
    items = _items(session, {item_id} | _all(up) | _all(down))
    return Genealogy(_tree(item_id, up, items, ()), _tree(item_id, down, items, ()))


def items_from_lot(session: Session, lot_id: str) -> list[ItemRecord]:
    """Every item of a lot and everything made from them (the recall list)."""
    if session.get(Lot, lot_id) is None:
        raise RecordNotFoundError("lot", lot_id)
    roots = set(session.execute(select(Item.id).where(Item.lot_id == lot_id)).scalars())
    found = set(roots)
    for root in roots:
        found |= _reach(session, root, down=True)
    records = _items(session, found)
    return sorted(records.values(), key=lambda i: (i.created_sim_s, i.item_id))


def record_exposure(
    session: Session, interval: ExposureInterval, *, batch_id: str | None, actor: str
) -> ExposureRecord:
    """Store one closed interval of an item's exposure ledger."""
    if session.get(Item, interval.item_id) is None:
        raise RecordNotFoundError("item", interval.item_id)
    start, end = check_time("exposure start", interval.start_s), check_time("exposure end", interval.end_s)
    if end < start:
        raise RecordInputError(f"exposure of {interval.item_id!r} ends ({end} s) before it starts ({start} s)")
    values = (interval.max_o2_ppm, interval.max_h2o_ppm, interval.o2_dose_ppm_s, interval.h2o_dose_ppm_s)
    for name, value in zip(("max O2", "max H2O", "O2 dose", "H2O dose"), values, strict=True):
        check_time(f"exposure {name}", value)  # finite and ≥ 0, like a time
    row = Exposure(
        item_id=interval.item_id, batch_id=batch_id, space=interval.space, start_s=start, end_s=end,
        max_o2_ppm=values[0], max_h2o_ppm=values[1], o2_dose_ppm_s=values[2], h2o_dose_ppm_s=values[3],
    )  # fmt: skip
    session.add(row)
    session.flush()
    record = ExposureRecord.of(row)
    payload = {
        "item_id": record.item_id, "space": record.space, "start_s": start, "end_s": end,
        "max_o2_ppm": values[0], "max_h2o_ppm": values[1], "o2_dose_ppm_s": values[2], "h2o_dose_ppm_s": values[3],
    }  # fmt: skip
    audit.append(session, actor=actor, kind="exposure", batch_id=batch_id, payload=payload)
    return record


def exposures(session: Session, item_id: str) -> list[ExposureRecord]:
    """An item's exposure intervals in time order."""
    stmt = select(Exposure).where(Exposure.item_id == item_id).order_by(Exposure.start_s, Exposure.id)
    return [ExposureRecord.of(r) for r in session.execute(stmt).scalars()]


def _edges(session: Session, start: str, *, down: bool) -> dict[str, list[str]]:
    """Breadth-first adjacency from ``start``: item → its children (down) or parents (up)."""
    src, dst = (ItemLink.parent_id, ItemLink.child_id) if down else (ItemLink.child_id, ItemLink.parent_id)
    adjacency: dict[str, list[str]] = defaultdict(list)
    frontier, seen = {start}, {start}
    while frontier:
        pairs = session.execute(select(src, dst).where(src.in_(frontier)).order_by(dst)).all()
        frontier = set()
        for a, b in pairs:
            adjacency[a].append(b)
            if b not in seen:
                seen.add(b)
                frontier.add(b)
    return adjacency


def _reach(session: Session, start: str, *, down: bool) -> set[str]:
    return _all(_edges(session, start, down=down))


def _all(adjacency: dict[str, list[str]]) -> set[str]:
    return {b for targets in adjacency.values() for b in targets}


def _items(session: Session, ids: set[str]) -> dict[str, ItemRecord]:
    if not ids:
        return {}
    return {r.id: ItemRecord.of(r) for r in session.execute(select(Item).where(Item.id.in_(ids))).scalars()}


def _tree(
    item_id: str, adjacency: dict[str, list[str]], items: dict[str, ItemRecord], path: tuple[str, ...]
) -> GenealogyNode:
    # Links are acyclic (link() refuses cycles); ``path`` guards against a hand-edited database anyway.
    branches = tuple(
        _tree(b, adjacency, items, (*path, item_id)) for b in adjacency.get(item_id, []) if b not in (*path, item_id)
    )
    return GenealogyNode(items[item_id], branches)
