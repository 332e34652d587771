"""The live line state of a batch, as the mimic and the API show it; and the last hour's trends.

Built from the records only (so it is the same whether the batch runs on the twin, the twin
server or equipment): the newest reading of each sensor by space, door positions (``DOOR.position``
1 open), pumps (``PUMP.running``, ``PUMP.fault``), the step in hand from the step journal, where the
containers and items are (replaying the executed ``load``/``unload``/``move`` steps over the
procedure's materials), the active alarms and whether the batch is held.
"""

from __future__ import annotations

from typing import Any, Final

from anodeline.records import Store
from anodeline.records.live import change_mark, latest_readings, newest_batch, series, step_in_hand

#: Trend window: the last hour of the batch's clock.
TREND_S: Final = 3600.0
#: Held statuses, for the banner.
HOLDING: Final = frozenset({"held", "holding"})


def describe_step(action: dict[str, Any]) -> str:
    """One line for an action: ``evacuate chamber-4 to 10 Pa``, ``move base to apparatus-1``."""
    kind = str(action.get("action", "?"))
    parts = [kind]
    for key in ("item", "container", "door", "space", "layer", "onto"):
        if key in action:
            parts.append(str(action[key]))
    if "to" in action:
        parts.append(f"to {action['to']}")
    if "pressure_pa" in action:
        parts.append(f"to {action['pressure_pa']:g} Pa")
    return " ".join(parts)


def item_places(procedure: Any, steps: list[dict[str, Any]], room: str | None) -> dict[str, list[str]]:
    """Space → what is in it (``container [item, …]`` or ``item``), after the executed ``steps``."""
    if not isinstance(procedure, dict):
        return {}
    contents: dict[str, list[str]] = {}
    place: dict[str, str] = {}  # container or item → space or container
    for container in procedure.get("materials") or []:
        name = str(container.get("name"))
        contents[name] = [str(i.get("name")) for i in container.get("items") or []]
        place[name] = room or "outside"
        for item in contents[name]:
            place[item] = name
    for step in steps:
        action, args = step.get("action"), step.get("arguments") or {}
        if action == "load" and "container" in args:
            place[str(args["container"])] = str(args.get("space"))
        elif action == "unload" and "container" in args:
            place[str(args["container"])] = room or "outside"
        elif action == "move" and "item" in args:
            place[str(args["item"])] = str(args.get("to"))
    shown: dict[str, list[str]] = {}
    for thing, where in place.items():
        if thing in contents:
            inside = [i for i, w in place.items() if w == thing]
            shown.setdefault(where, []).append(f"{thing} [{', '.join(inside)}]" if inside else thing)
        elif where not in contents:
            shown.setdefault(where, []).append(thing)
    return {space: sorted(things) for space, things in shown.items()}


def _flag(value: float | None) -> bool | None:
    return None if value is None else value >= 0.5


def line_state(store: Store, batch_id: str | None = None) -> dict[str, Any]:
    """Everything the live view shows of ``batch_id`` (default: the newest batch); ``batch`` None if none."""
    mark = change_mark(store)
    batch_id = batch_id or newest_batch(store)
    if batch_id is None:
        return {"batch": None, "mark": list(mark)}
    batch = store.get_batch(batch_id)
    status = store.shown_status(batch)
    line = batch.line_data
    readings = latest_readings(store, batch_id)
    sensors: dict[str, Any] = line.get("sensors") or {}
    spaces: dict[str, dict[str, float]] = {s: {} for s in line.get("spaces") or {}}
    for name, sensor in sensors.items():
        if isinstance(sensor, dict) and name in readings and sensor.get("space") in spaces:
            spaces[sensor["space"]][str(sensor.get("measures"))] = readings[name].value
    doors = {}
    for door in line.get("doors") or {}:
        position = readings.get(f"{door}.position")
        doors[door] = "unknown" if position is None else ("open" if position.value >= 0.5 else "closed")
    pumps = {}
    for pump in line.get("pumps") or {}:
        running = _flag(getattr(readings.get(f"{pump}.running"), "value", None))
        fault = _flag(getattr(readings.get(f"{pump}.fault"), "value", None))
        pumps[pump] = "fault" if fault else ("running" if running else ("stopped" if running is False else "unknown"))
    step = step_in_hand(store, batch_id)
    steps = [{"action": s.action, "arguments": s.arguments_data} for s in store.steps(batch_id)]
    room = next((s for s, d in (line.get("spaces") or {}).items() if isinstance(d, dict) and d.get("kind") == "room"),
                None)  # fmt: skip
    alarms = [{"code": a.code, "message": a.message, "hold": a.hold, "raised_s": a.raised_sim_s}
              for a in store.alarms(batch_id) if a.cleared_sim_s is None]  # fmt: skip
    sim_s = max([r.sim_s for r in readings.values()] + [step.sim_s if step else 0.0])
    return {
        "batch": batch_id, "recipe": batch.recipe_id, "line": line.get("line"), "status": status,
        "verdict": batch.verdict, "mark": list(mark), "sim_s": sim_s,
        "step": None if step is None else {
            "index": step.index, "action": step.action.get("action"), "text": describe_step(step.action),
            "done": step.done, "manual": bool(step.action.get("manual")),
        },
        "spaces": spaces, "doors": doors, "pumps": pumps,
        "items": item_places(batch.procedure_data, steps, room),
        "alarms": alarms, "held": status in HOLDING or any(a["hold"] for a in alarms),
    }  # fmt: skip


def trends(store: Store, batch_id: str) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """Space → measure → samples ``(sim_s, value)`` of the last :data:`TREND_S` of the batch's clock."""
    batch = store.get_batch(batch_id)
    sensors: dict[str, Any] = batch.line_data.get("sensors") or {}
    readings = latest_readings(store, batch_id)
    now = max((r.sim_s for r in readings.values()), default=0.0)
    wanted = {n: s for n, s in sensors.items() if isinstance(s, dict) and n in readings}
    data = series(store, batch_id, sorted(wanted), now - TREND_S)
    out: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for name, sensor in wanted.items():
        out.setdefault(str(sensor.get("space")), {})[str(sensor.get("measures"))] = data[name]
    return out
