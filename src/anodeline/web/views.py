"""Batch records as the web app shows them: the CLI's record plus the downstream genealogy, and plots.

The record is :func:`anodeline.batch.report.batch_record` (the same data ``anodeline record --json``
prints); the plots and exports are :mod:`anodeline.batch.export`'s. Matplotlib's pyplot is not
thread-safe, and routes run in a thread pool: plots are drawn one at a time.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from anodeline.records import Store
from anodeline.records.errors import RecordNotFoundError
from anodeline.records.values import GenealogyNode

_PLOT_LOCK = threading.Lock()


def _tree(node: GenealogyNode) -> dict[str, Any]:
    item = node.item
    return {"item": item.item_id, "kind": item.kind, "lot": item.lot_id, "batch": item.batch_id,
            "to": [_tree(branch) for branch in node.branches]}  # fmt: skip


def record(store: Store, batch_id: str, *, anchor_log: str | None = None, telemetry: bool = False) -> dict[str, Any]:
    """The batch record with ``downstream``: what the electrode went into (cells, later batches).

    Read once per change of the records (cached on the change mark): the page, its plots and its
    exports ask for the same record in a row. The dict is shared: callers copy before changing it.
    """
    data = dict(_record(store, batch_id, anchor_log, telemetry, _mark(store, anchor_log)))
    data["status"] = store.shown_status(store.get_batch(batch_id))  # a lease expires without a write
    return data


def _mark(store: Store, anchor_log: str | None) -> tuple[int, ...]:
    """What a cached record depends on: the records' change mark and the anchor log's size."""
    from anodeline.records.anchors import anchor_path
    from anodeline.records.live import change_mark

    path = anchor_path(store.url, anchor_log)
    size = path.stat().st_size if path is not None and path.is_file() else -1
    return (*change_mark(store), size)


@lru_cache(maxsize=16)
def _record(
    store: Store, batch_id: str, anchor_log: str | None, telemetry: bool, mark: tuple[int, ...]
) -> dict[str, Any]:
    from anodeline.batch.report import batch_record

    data = batch_record(store, batch_id, anchor_log=anchor_log, telemetry=telemetry)
    try:
        data["downstream"] = _tree(store.genealogy(f"{batch_id}/electrode").descent)
    except RecordNotFoundError:
        data["downstream"] = None
    return data


def plot_names(data: dict[str, Any]) -> list[str]:
    """Names of a record's plots: each space with a sensor that has readings, then ``exposure``."""
    sensors = data.get("sensors") or {}
    readings = data.get("readings") or {}
    spaces = sorted({str(s.get("space")) for n, s in sensors.items() if isinstance(s, dict) and n in readings})
    return spaces + (["exposure"] if data.get("exposure") else [])


def _sensors(store: Store, batch_id: str) -> dict[str, Any]:
    sensors: dict[str, Any] = store.get_batch(batch_id).line_data.get("sensors") or {}
    return sensors


def plot_list(store: Store, batch_id: str, *, anchor_log: str | None = None) -> list[str]:
    """The names :func:`plot` draws for ``batch_id``."""
    data = record(store, batch_id, anchor_log=anchor_log)
    return plot_names({**data, "sensors": _sensors(store, batch_id)})


@lru_cache(maxsize=32)
def _drawn(store: Store, batch_id: str, name: str, mark: tuple[int, ...], anchor_log: str | None) -> bytes | None:
    from anodeline.batch.export import atmosphere_plots, exposure_plot

    data = record(store, batch_id, anchor_log=anchor_log, telemetry=True)
    if name not in plot_names(data):
        return None
    with _PLOT_LOCK:
        if name == "exposure":
            return exposure_plot(data)
        one_space = {n: s for n, s in data["sensors"].items() if isinstance(s, dict) and s.get("space") == name}
        figures = atmosphere_plots({**data, "sensors": one_space})
    return figures[0] if figures else None


def plot(store: Store, batch_id: str, name: str, *, anchor_log: str | None = None) -> bytes | None:
    """One plot as PNG (a space's O2, H2O and pressure, or the items' exposure); None if it has none.
    Drawn once per change of that batch's records (cached: other batches running do not redraw it)."""
    from anodeline.records.live import batch_mark

    store.get_batch(batch_id)
    return _drawn(store, batch_id, name, (batch_mark(store, batch_id),), anchor_log)


def export(store: Store, batch_id: str, fmt: str, *, anchor_log: str | None = None) -> str:
    """The HTML report or the telemetry CSV, as ``anodeline record --export`` writes them."""
    from anodeline.batch.export import html_report, telemetry_csv

    data = record(store, batch_id, anchor_log=anchor_log, telemetry=True)
    if fmt == "csv":
        return telemetry_csv(data)
    with _PLOT_LOCK:
        return html_report(data)
