"""A batch record as plain data: what ``anodeline record`` shows and its exports are made from.

The record holds the electrode the batch made (kept with the batch when it finished), the
procedure as compiled and the steps as run, the readings with their units, alarms, genealogy,
the exposure ledger, the electronic signatures (each with whether the record still hashes as it
did when signed), and the audit status: the chain, every row against it, and the anchor log.
``commands`` are the ISA-88 commands sent to it (who, why, what the engine did) and ``prompts`` the
manual steps put to people (``run --operator manual``) with their answers: confirmed, refused (who,
why), timed out or withdrawn.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from anodeline.records import Store, prompts
from anodeline.records.errors import RecordNotFoundError
from anodeline.records.values import GenealogyNode

#: Unit of a sensor's reading by what it measures (the line file's ``sensors.*.measures``).
MEASURED_UNITS = {"o2": "ppm", "h2o": "ppm", "pressure": "Pa", "dew-point": "degC"}
#: Unit of a device channel by the end of its name (devices/sim: one convention for every backend).
SUFFIX_UNITS = (
    (".temperature", "degC"), (".setpoint", "degC"), (".thickness_um", "um"), (".rate_nm_per_s", "nm/s"),
    (".position", "1 (0 closed, 1 open)"), (".voltage_v", "V"),
)  # fmt: skip


def channel_unit(channel: str, sensors: dict[str, Any]) -> str:
    """The unit of a telemetry channel: a sensor's by what it measures, else by the channel's suffix;
    the remaining channels are on/off flags (``1`` true, ``0`` false)."""
    sensor = sensors.get(channel)
    if isinstance(sensor, dict) and sensor.get("measures") in MEASURED_UNITS:
        return MEASURED_UNITS[sensor["measures"]]
    for suffix, unit in SUFFIX_UNITS:
        if channel.endswith(suffix):
            return unit
    return "1 (flag)"


def _tree(node: GenealogyNode) -> dict[str, Any]:
    item = node.item
    return {
        "item": item.item_id,
        "kind": item.kind,
        "lot": item.lot_id,
        "from": [_tree(branch) for branch in node.branches],
    }


def batch_record(
    store: Store, batch_id: str, *, anchor_log: str | None = None, telemetry: bool = False
) -> dict[str, Any]:
    """Everything recorded about one batch, JSON-ready; ``telemetry`` adds every stored sample
    (``[channel, sim_s, value]``, for the exports)."""
    from anodeline.records.anchors import anchor_path, read_anchors, verify_key

    batch = store.get_batch(batch_id)
    steps = store.steps(batch_id)
    sensors = batch.line_data.get("sensors") or {}
    channels: dict[str, list[float]] = defaultdict(list)
    samples = store.telemetry(batch_id)
    for sample in samples:
        channels[sample.channel].append(sample.value)
    electrode_id = f"{batch_id}/electrode"
    genealogy: dict[str, Any] | None = None
    item_ids: set[str] = set()
    try:
        family = store.genealogy(electrode_id)
        genealogy = {"electrode": electrode_id, "ancestry": _tree(family.ancestry), "lots": sorted(family.lots())}
        item_ids = family.ancestry.ids()
        if store.item(f"{batch_id}/cell") is not None:  # claims 7, 23, 39: the cell it went into (batch/cell.py)
            cell = store.genealogy(f"{batch_id}/cell")
            genealogy["cell"] = {"id": f"{batch_id}/cell", "ancestry": _tree(cell.ancestry),
                                 "lots": sorted(cell.lots())}  # fmt: skip
            item_ids |= cell.ancestry.ids()
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
    path = anchor_path(store.url, anchor_log)
    anchors = read_anchors(path) if path is not None else []
    report = store.verify(anchors=anchors, anchor_log=str(path or ""), public_key=verify_key())
    content = store.content_sha256(batch_id)
    signatures = [{**s.to_dict(), "content_matches": s.content_sha256 == content} for s in store.signatures(batch_id)]
    data = {
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
        "electrode": batch.electrode_data,
        "procedure": batch.procedure_data,
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
            channel: {
                "unit": channel_unit(channel, sensors),
                "samples": len(values),
                "min": min(values),
                "max": max(values),
                "last": values[-1],
            }
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
        "signatures": signatures,
        "released": any(s["meaning"] == "release" for s in signatures),
        "content_sha256": content,
        "commands": [c.to_dict() for c in store.commands(batch_id)],
        "prompts": [p.to_dict() for p in store.read(lambda s: prompts.listed(s, batch_id))],
        "audit": {
            "ok": report.ok,
            "entries": report.entries,
            "head": report.head.hash if report.head else None,
            "head_sequence": report.head.sequence if report.head else None,
            "first_bad": {"sequence": report.chain.first_bad.sequence, "reason": report.chain.first_bad.reason}
            if report.chain.first_bad
            else None,
            "problems": [p.to_dict() for p in report.problems],
            "rows_checked": report.rows_checked,
            "anchor_log": str(path) if path is not None else None,
            "anchors_checked": report.anchors_checked,
        },
    }
    if telemetry:
        data["telemetry"] = [[x.channel, x.sim_s, x.value] for x in samples]
        data["sensors"] = sensors
        data["limits"] = _limits(batch.recipe_data)
    return data


def _limits(recipe: Any) -> dict[str, float]:
    """The recipe's exposure limits in ppm (for the plots), when the snapshot states them."""
    from anodeline.units import Q_

    found = {}
    atmosphere = recipe.get("atmosphere", {}) if isinstance(recipe, dict) else {}
    for key in ("max_o2", "max_h2o"):
        value = atmosphere.get(key)
        if value is not None:
            try:
                found[key] = float(Q_(value).to("ppm").magnitude)
            except Exception:  # a snapshot written by another version: no limit line, nothing else lost
                continue
    return found
