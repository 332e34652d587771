"""Batch records as the web app shows them: the CLI's record plus the downstream genealogy, and plots.

The record is :func:`anodeline.batch.report.batch_record` (the same data ``anodeline record --json``
prints); the plots and exports are :mod:`anodeline.batch.export`'s. Matplotlib's pyplot is not
thread-safe, and routes run in a thread pool: plots are drawn one at a time.
"""

from __future__ import annotations

import threading
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
    """The batch record with ``downstream``: what the electrode went into (cells, later batches)."""
    from anodeline.batch.report import batch_record

    data = batch_record(store, batch_id, anchor_log=anchor_log, telemetry=telemetry)
    try:
        data["downstream"] = _tree(store.genealogy(f"{batch_id}/electrode").descent)
    except RecordNotFoundError:
        data["downstream"] = None
    data["status"] = store.shown_status(store.get_batch(batch_id))
    return data


def plots(store: Store, batch_id: str, *, anchor_log: str | None = None) -> list[tuple[str, bytes]]:
    """The record's plots as (name, PNG): each space's atmosphere, then the exposure of each item."""
    from anodeline.batch.export import atmosphere_plots, exposure_plot

    data = record(store, batch_id, anchor_log=anchor_log, telemetry=True)
    sensors = data.get("sensors") or {}
    spaces = sorted({s.get("space", "?") for s in sensors.values() if isinstance(s, dict)})
    with _PLOT_LOCK:
        figures = atmosphere_plots(data)
        exposure = exposure_plot(data)
    named = list(zip(spaces, figures, strict=False)) if len(spaces) == len(figures) else [
        (f"atmosphere-{i}", png) for i, png in enumerate(figures)
    ]  # fmt: skip
    return named + ([("exposure", exposure)] if exposure is not None else [])


def export(store: Store, batch_id: str, fmt: str, *, anchor_log: str | None = None) -> str:
    """The HTML report or the telemetry CSV, as ``anodeline record --export`` writes them."""
    from anodeline.batch.export import html_report, telemetry_csv

    data = record(store, batch_id, anchor_log=anchor_log, telemetry=True)
    if fmt == "csv":
        return telemetry_csv(data)
    with _PLOT_LOCK:
        return html_report(data)
