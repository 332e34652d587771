"""The read plan: every bound value read, no unbound address asked for, as few requests as the limits allow."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from anodeline.equipment import BindingFile
from anodeline.equipment.modbus.blocks import MAX_COUNT, plan_reads
from anodeline.equipment.schema import ModbusRegister

TYPES = ["bool", "uint16", "float32", "float64"]


@st.composite
def registers(draw: st.DrawFn) -> tuple[int, ModbusRegister, int]:
    table = draw(st.sampled_from(["coil", "discrete", "input", "holding"]))
    kind = "bool" if table in ("coil", "discrete") else draw(st.sampled_from(TYPES[1:]))
    address = draw(st.integers(0, 400))
    return 0, ModbusRegister(table=table, address=address, type=kind), draw(st.sampled_from([1, 2]))


def test_the_shipped_glove_box_map_is_read_in_two_requests(glovebox: BindingFile) -> None:
    blocks = plan_reads((c.key, c.address, 1) for d in glovebox.devices for c in d.channels)  # type: ignore[misc]
    assert [(b.table, b.start, b.count, len(b.members)) for b in blocks] == [("discrete", 0, 8, 8), ("input", 0, 14, 8)]


@given(st.lists(registers(), min_size=1, max_size=60))
def test_a_plan_covers_every_value_reads_nothing_unbound_and_cannot_be_merged(
    found: list[tuple[int, ModbusRegister, int]],
) -> None:
    values = [(i, register, unit) for i, (_, register, unit) in enumerate(found)]
    blocks = plan_reads(values)
    covered = {key for block in blocks for key, _ in block.members}
    assert covered == set(range(len(values)))  # each value in exactly one read …
    assert sum(len(b.members) for b in blocks) == len(values)
    for block in blocks:
        assert 1 <= block.count <= MAX_COUNT[block.table]
        bound: set[int] = set()
        for key, register in block.members:  # … of its own unit and table, inside the read …
            assert (values[key][2], register.table) == (block.device_id, block.table)
            assert block.start <= register.address and register.address + register.count <= block.end
            bound.update(range(register.address, register.address + register.count))
        assert bound == set(range(block.start, block.end))  # … and no address nothing binds
    for first, second in itertools.pairwise(blocks):  # neighbours could not be one read
        if (first.device_id, first.table) == (second.device_id, second.table):
            assert second.start > first.end or second.end - first.start > MAX_COUNT[first.table]
