"""The mimic of a line drawn from its line file: spaces in a row, doors, pumps, and where the items are.

The inner spaces are laid left to right in the order a walk through the doors meets them, starting
at a load port (so Fig. 1 reads chamber 4 → apparatus 1 → chamber 5, as the patent draws it); the
room is a band below, with the load ports on it. Coordinates are SVG user units; the template
draws them and the live stream fills in the values (element ``data-*`` attributes name what).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Final

BOX_W: Final = 210
BOX_H: Final = 190
GAP: Final = 70
TOP: Final = 20
ROOM_Y: Final = TOP + BOX_H + 60


@dataclass(frozen=True)
class Box:
    space: str
    kind: str
    x: int
    y: int
    w: int
    h: int
    measures: tuple[str, ...]


@dataclass(frozen=True)
class DoorMark:
    door: str
    x: int
    y: int
    w: int
    h: int
    between: tuple[str, str]


@dataclass(frozen=True)
class PumpMark:
    pump: str
    space: str
    cx: int
    cy: int


@dataclass(frozen=True)
class Mimic:
    line: str
    title: str
    width: int
    height: int
    room: str | None
    boxes: tuple[Box, ...]
    doors: tuple[DoorMark, ...]
    pumps: tuple[PumpMark, ...]


def _order(spaces: dict[str, Any], doors: dict[str, Any], room: str | None) -> list[str]:
    inner = [s for s in spaces if s != room]
    neighbours: dict[str, list[str]] = {s: [] for s in spaces}
    for door in sorted(doors):
        a, b = doors[door].get("between", [None, None])
        if a in neighbours and b in neighbours:
            neighbours[a].append(b)
            neighbours[b].append(a)
    starts = [s for s in sorted(inner) if room in neighbours[s]] + sorted(inner)
    seen: list[str] = []
    for start in starts:
        if start in seen:
            continue
        queue = deque([start])
        while queue:
            space = queue.popleft()
            if space in seen or space == room:
                continue
            seen.append(space)
            queue.extend(n for n in neighbours[space] if n not in seen and n != room)
    return seen


def layout(line: dict[str, Any]) -> Mimic:
    """The mimic of ``line`` (a batch's line snapshot, or a line file read as data)."""
    spaces: dict[str, Any] = line.get("spaces") or {}
    doors: dict[str, Any] = line.get("doors") or {}
    sensors: dict[str, Any] = line.get("sensors") or {}
    room = next((s for s, d in spaces.items() if isinstance(d, dict) and d.get("kind") == "room"), None)
    order = _order(spaces, doors, room)
    measured: dict[str, list[str]] = {s: [] for s in spaces}
    for sensor in sensors.values():
        if isinstance(sensor, dict) and sensor.get("space") in measured:
            what = str(sensor.get("measures"))
            if what not in measured[sensor["space"]]:
                measured[sensor["space"]].append(what)
    boxes = [
        Box(space, str(spaces[space].get("kind", "")), GAP // 2 + i * (BOX_W + GAP), TOP, BOX_W, BOX_H,
            tuple(m for m in ("o2", "h2o", "dew-point", "pressure") if m in measured[space]))
        for i, space in enumerate(order)
    ]  # fmt: skip
    width = max(len(boxes), 1) * (BOX_W + GAP)
    where = {b.space: b for b in boxes}
    marks = []
    for door in sorted(doors):
        a, b = (doors[door].get("between") or [None, None])[:2]
        if a in where and b in where:
            left, right = sorted((where[a], where[b]), key=lambda box: box.x)
            if right.x - left.x == BOX_W + GAP:  # neighbours in the row: the door sits in the gap
                marks.append(DoorMark(door, left.x + BOX_W, TOP + BOX_H // 2 - 30, GAP, 60, (a, b)))
            else:  # not neighbours: a door drawn at the top edge of the left one
                marks.append(DoorMark(door, left.x + BOX_W - 50, TOP - 14, 40, 14, (a, b)))
        elif a in where or b in where:  # to the room (or outside the drawing): a port at the bottom edge
            box = where[a] if a in where else where[b]
            taken = sum(1 for m in marks if m.y == TOP + BOX_H and box.x <= m.x < box.x + BOX_W)
            marks.append(DoorMark(door, box.x + 20 + 60 * taken, TOP + BOX_H, 50, 60 - 14, (a or "", b or "")))
    pumps = []
    for box in boxes:
        pump = spaces[box.space].get("pump")
        if pump:
            pumps.append(PumpMark(str(pump), box.space, box.x + BOX_W - 24, TOP + BOX_H - 24))
    title = str(line.get("title") or line.get("line") or "line")
    return Mimic(str(line.get("line") or ""), title, width, ROOM_Y + 60, room, tuple(boxes), tuple(marks),
                 tuple(pumps))  # fmt: skip
