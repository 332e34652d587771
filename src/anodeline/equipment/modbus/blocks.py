"""Which reads cover a file's bound registers: as few requests as possible, never reading an unbound address.

Per unit id (``device_id``) and table, the bound values are sorted by address and merged while
they touch or overlap, up to Modbus' limits per request (125 registers, 2000 coils or discrete
inputs; Modbus Application Protocol v1.1b3 §6.1–6.4). A gap starts a new read: a controller
is free to answer an address it does not hold with exception 0x02, which would fail the whole read.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from anodeline.equipment.schema import ModbusRegister

#: The most values one read may ask for, by table (Modbus Application Protocol v1.1b3).
MAX_COUNT: Final[dict[str, int]] = {"coil": 2000, "discrete": 2000, "holding": 125, "input": 125}

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Block(Generic[K]):
    """One read request: unit id, table, first address, how many, and the values it carries (key, register)."""

    device_id: int
    table: str
    start: int
    count: int
    members: tuple[tuple[K, ModbusRegister], ...]

    @property
    def end(self) -> int:
        """One past the last address read."""
        return self.start + self.count


def plan_reads(values: Iterable[tuple[K, ModbusRegister, int]]) -> tuple[Block[K], ...]:
    """The reads covering every ``(key, register, device_id)``: contiguous, within the per-request limits."""
    grouped: dict[tuple[int, str], list[tuple[K, ModbusRegister]]] = {}
    for key, register, device_id in values:
        grouped.setdefault((device_id, register.table), []).append((key, register))
    blocks: list[Block[K]] = []
    for (device_id, table), members in sorted(grouped.items(), key=lambda kv: kv[0]):
        limit = MAX_COUNT[table]
        members.sort(key=lambda m: (m[1].address, m[1].count))
        current: list[tuple[K, ModbusRegister]] = []
        start = end = members[0][1].address
        for key, register in members:
            new_end = max(end, register.address + register.count)
            if current and (register.address > end or new_end - start > limit):
                blocks.append(Block(device_id, table, start, end - start, tuple(current)))
                start, new_end, current = register.address, register.address + register.count, []
            current.append((key, register))
            end = new_end
        blocks.append(Block(device_id, table, start, end - start, tuple(current)))
    return tuple(blocks)
