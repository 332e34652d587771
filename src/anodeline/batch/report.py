"""A batch record as plain data: what ``anodeline record`` shows and reports are made from."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from anodeline.records import Store
from anodeline.records.errors import RecordNotFoundError
from anodeline.records.values import GenealogyNode


def _tree(node: GenealogyNode) -> dict[str, Any]:
    item = node.item
    return {
        "item": item.item_id,
        "kind": item.kind,
        "lot": item.lot_id,
        "from": [_tree(branch) for branch in node.branches],
    }


def batch_record(store: Store, batch_id: str) -> dict[str, Any]:
    """Everything recorded about one batch, JSON-ready."""
    batch = store.get_batch(batch_id)
    steps = store.steps(batch_id)
    channels: dict[str, list[float]] = defaultdict(list)
    for sample in store.telemetry(batch_id):
        channels[sample.channel].append(sample.value)
    electrode_id = f"{batch_id}/electrode"
    genealogy: dict[str, Any] | None = None
    item_ids: set[str] = set()
    try:
        family = store.genealogy(electrode_id)
        genealogy = {"electrode": electrode_id, "ancestry": _tree(family.ancestry), "lots": sorted(family.lots())}
        item_ids = family.ancestry.ids()
    except RecordNotFoundError:
        pass
    exposure = [
        {
            "item": e.item_id, "space": e.space, "start_s": e.start_s, "end_s": e.end_s,
            "max_o2_ppm": e.max_o2_ppm, "max_h2o_ppm": e.max_h2o_ppm,
            "o2_dose_ppm_s": e.o2_dose_ppm_s, "h2o_dose_ppm_s": e.h2o_dose_ppm_s,
        }
        for item in sorted(item_ids)
        for e in store.exposures(item)
    ]  # fmt: skip
    chain = store.verify_chain()
    return {
        "batch": batch.batch_id,
        "recipe": batch.recipe_id,
        "route": batch.route,
        "status": batch.status,
        "verdict": batch.verdict,
        "seed": batch.seed,
        "reasons": list(batch.reasons),
        "started_at": batch.started_at.isoformat() if batch.started_at else None,
        "ended_at": batch.ended_at.isoformat() if batch.ended_at else None,
        "simulated_seconds": batch.ended_sim_s,
        "line": batch.line_data.get("line"),
        "steps": [
            {
                "index": s.index,
                "action": s.action,
                "manual": s.manual,
                "arguments": s.arguments_data,
                "started_s": s.started_sim_s,
                "ended_s": s.ended_sim_s,
                "outcome": s.outcome,
                "readings": s.readings_data,
            }
            for s in steps
        ],
        "readings": {
            channel: {"samples": len(values), "min": min(values), "max": max(values), "last": values[-1]}
            for channel, values in sorted(channels.items())
        },
        "alarms": [
            {
                "code": a.code,
                "message": a.message,
                "hold": a.hold,
                "raised_s": a.raised_sim_s,
                "cleared_s": a.cleared_sim_s,
            }
            for a in store.alarms(batch_id)
        ],
        "genealogy": genealogy,
        "exposure": exposure,
        "audit": {
            "ok": chain.ok,
            "entries": chain.entries,
            "head": chain.head.hash if chain.head else None,
            "first_bad": {"sequence": chain.first_bad.sequence, "reason": chain.first_bad.reason}
            if chain.first_bad
            else None,
        },
    }
