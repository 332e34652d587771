"""Lots, items and their family tree: which lots and parts went into an electrode or a cell.

A link says a parent item went into a child item (substrate + lithium foil → electrode
via a target's film; electrode → cell). Lots hang off items, so ``genealogy(electrode)``
answers "which foil lot?" and ``genealogy(foil)`` answers "which electrodes are at risk?".
Every function runs in the caller's transaction (a :class:`~anodeline.records.bulk.Tx`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from anodeline.records.batches import append, get
from anodeline.records.bulk import Tx
from anodeline.records.canonical import check_time
from anodeline.records.chain import Tip
from anodeline.records.errors import RecordConflictError, RecordInputError, RecordNotFoundError, RecordRefusedError
from anodeline.records.exposure import ExposureInterval
from anodeline.records.values import ExposureRecord, Genealogy, GenealogyNode, ItemRecord, LotRecord


def find_lot(tx: Tx, lot_id: str) -> LotRecord | None:
    row = tx.one(tx.sql.lot_row, (lot_id,))
    return None if row is None else LotRecord(*row)


def find_item(tx: Tx, item_id: str) -> ItemRecord | None:
    row = tx.one(tx.sql.item_row, (item_id,))
    return None if row is None else _item(row)


def register_lot(tx: Tx, tip: Tip, lot_id: str, *, material: str, supplier: str, note: str, actor: str) -> LotRecord:
    """Store a supplier lot (``material`` e.g. ``lithium_foil``, ``cu_substrate``, ``li2s_sis2_target``)."""
    if not lot_id or not material:
        raise RecordInputError("a lot needs an id and a material")
    tx.run(tx.sql.lot_insert, (lot_id, material, supplier, note))
    payload = {"lot_id": lot_id, "material": material, "supplier": supplier, "note": note}
    append(tx, tip, actor, "lot.register", None, payload)
    return LotRecord(lot_id, material, supplier, note)


def register_item(
    tx: Tx,
    tip: Tip,
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
    record = ItemRecord(item_id, kind, lot_id, batch_id, bool(air_sensitive), check_time("item creation time", sim_s))
    tx.run(tx.sql.item_insert, (item_id, kind, lot_id, batch_id, record.air_sensitive, record.created_sim_s))
    payload = {
        "item_id": item_id,
        "kind": kind,
        "lot_id": lot_id,
        "air_sensitive": record.air_sensitive,
        "sim_s": record.created_sim_s,
    }
    append(tx, tip, actor, "item.register", batch_id, payload)
    return record


def link(tx: Tx, tip: Tip, parent_id: str, child_id: str, *, batch_id: str | None, actor: str) -> None:
    """Record that ``parent_id`` went into ``child_id``; refuses self-links and cycles."""
    for item_id in (parent_id, child_id):
        if find_item(tx, item_id) is None:
            raise RecordNotFoundError("item", item_id)
    if parent_id == child_id or parent_id in _reach(tx, child_id, down=True):
        raise RecordConflictError(
            f"linking {parent_id!r} → {child_id!r} would make {parent_id!r} its own ancestor",
            hint="a genealogy runs one way: lots → parts → electrode → cell",
        )
    check_input_electrode(tx, parent_id, into_batch=batch_id)  # an electrode goes on only once released
    tx.run(tx.sql.link_insert, (parent_id, child_id, batch_id))
    append(tx, tip, actor, "item.link", batch_id, {"parent_id": parent_id, "child_id": child_id})


def check_input_electrode(tx: Tx, item_id: str, *, into_batch: str | None) -> None:
    """Refuse an electrode as an input of another batch unless its batch was released (``LOT001``)
    and it has not gone into anything else yet (``LOT003``)."""
    item = find_item(tx, item_id)
    made_in = item.batch_id if item is not None and item.kind == "electrode" else None
    if made_in is None or made_in == into_batch:
        return
    if tx.one(tx.sql.released, (made_in,)) is None:
        try:
            batch = get(tx, made_in)
            state = f"{batch.status}, verdict {batch.verdict}"
        except RecordNotFoundError:
            state = "unknown"
        raise RecordRefusedError(
            f"electrode {item_id!r} of batch {made_in!r} ({state}) was not released: it cannot be an input lot",
            rule="LOT001",
            hint=f"a qa user releases it with 'anodeline sign {made_in} --meaning release --as USER' "
            "(a completed batch with a passing verdict)",
        )
    used = tx.one(tx.sql.used_as_parent, (item_id,))
    if used is not None:
        raise RecordRefusedError(f"electrode {item_id!r} already went into {used[0]!r}", rule="LOT003",
                                 hint="an electrode is one physical part: it goes into one thing")  # fmt: skip


def genealogy(tx: Tx, item_id: str) -> Genealogy:
    """The item's ancestry tree (parents, their parents…) and descent tree (children…)."""
    if find_item(tx, item_id) is None:
        raise RecordNotFoundError("item", item_id)
    up = _edges(tx, item_id, down=False)
    down = _edges(tx, item_id, down=True)
    items = _items(tx, {item_id} | _all(up) | _all(down))
    return Genealogy(_tree(item_id, up, items, ()), _tree(item_id, down, items, ()))


def items_from_lot(tx: Tx, lot_id: str) -> list[ItemRecord]:
    """Every item of a lot and everything made from them (the recall list)."""
    if find_lot(tx, lot_id) is None:
        raise RecordNotFoundError("lot", lot_id)
    roots = {r[0] for r in tx.all(tx.sql.lot_items, (lot_id,))}
    found = set(roots)
    for root in roots:
        found |= _reach(tx, root, down=True)
    records = _items(tx, found)
    return sorted(records.values(), key=lambda i: (i.created_sim_s, i.item_id))


def record_exposure(
    tx: Tx, tip: Tip, interval: ExposureInterval, *, batch_id: str | None, actor: str
) -> ExposureRecord:
    """Store one closed interval of an item's exposure ledger."""
    if find_item(tx, interval.item_id) is None:
        raise RecordNotFoundError("item", interval.item_id)
    start, end = check_time("exposure start", interval.start_s), check_time("exposure end", interval.end_s)
    if end < start:
        raise RecordInputError(f"exposure of {interval.item_id!r} ends ({end} s) before it starts ({start} s)")
    values = (interval.max_o2_ppm, interval.max_h2o_ppm, interval.o2_dose_ppm_s, interval.h2o_dose_ppm_s)
    for name, value in zip(("max O2", "max H2O", "O2 dose", "H2O dose"), values, strict=True):
        check_time(f"exposure {name}", value)  # finite and ≥ 0, like a time
    record = ExposureRecord(interval.item_id, batch_id, interval.space, start, end, *values)
    tx.run(tx.sql.exposure_insert, (record.item_id, batch_id, record.space, start, end, *values))
    payload = {
        "item_id": record.item_id, "space": record.space, "start_s": start, "end_s": end,
        "max_o2_ppm": values[0], "max_h2o_ppm": values[1], "o2_dose_ppm_s": values[2], "h2o_dose_ppm_s": values[3],
    }  # fmt: skip
    append(tx, tip, actor, "exposure", batch_id, payload)
    return record


def exposures(tx: Tx, item_id: str) -> list[ExposureRecord]:
    """An item's exposure intervals in time order."""
    rows = tx.all(tx.sql.exposures_of, (item_id,))
    return [ExposureRecord(*row) for row in rows]


def _item(row: tuple[Any, ...]) -> ItemRecord:
    item_id, kind, lot_id, batch_id, air_sensitive, created_sim_s = row
    return ItemRecord(item_id, kind, lot_id, batch_id, bool(air_sensitive), created_sim_s)


def _edges(tx: Tx, start: str, *, down: bool) -> dict[str, list[str]]:
    """Breadth-first adjacency from ``start``: item → its children (down) or parents (up)."""
    template = tx.sql.children if down else tx.sql.parents
    adjacency: dict[str, list[str]] = defaultdict(list)
    frontier, seen = {start}, {start}
    while frontier:
        batch = sorted(frontier)
        rows = tx.all(tx.sql.marks(template, len(batch)), batch)
        frontier = set()
        for a, b in sorted(rows, key=lambda r: r[1]):
            adjacency[a].append(b)
            if b not in seen:
                seen.add(b)
                frontier.add(b)
    return adjacency


def _reach(tx: Tx, start: str, *, down: bool) -> set[str]:
    return _all(_edges(tx, start, down=down))


def _all(adjacency: dict[str, list[str]]) -> set[str]:
    return {b for targets in adjacency.values() for b in targets}


def _items(tx: Tx, ids: set[str]) -> dict[str, ItemRecord]:
    if not ids:
        return {}
    wanted = sorted(ids)
    rows = tx.all(tx.sql.marks(tx.sql.items_in, len(wanted)), wanted)
    return {row[0]: _item(row) for row in rows}


def _tree(
    item_id: str, adjacency: dict[str, list[str]], items: dict[str, ItemRecord], path: tuple[str, ...]
) -> GenealogyNode:
    # Links are acyclic (link() refuses cycles); ``path`` guards against a hand-edited database anyway.
    branches = tuple(
        _tree(b, adjacency, items, (*path, item_id)) for b in adjacency.get(item_id, []) if b not in (*path, item_id)
    )
    return GenealogyNode(items[item_id], branches)
