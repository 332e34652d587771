"""Values to and from registers: known layouts, and every value of every type survives the round trip."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.equipment.bindings import conversion
from anodeline.equipment.modbus.codec import INT_RANGES, RegisterValueError, decode, encode, resolution
from anodeline.equipment.schema import ModbusRegister

ORDERS = st.sampled_from(["big", "little"])


def reg(kind: str, word_order: str = "big", byte_order: str = "big", **kw: object) -> ModbusRegister:
    return ModbusRegister(table="input", address=0, type=kind, word_order=word_order, byte_order=byte_order, **kw)


@pytest.mark.parametrize(
    ("kind", "words", "bytes_", "value", "registers"),
    [
        ("float32", "big", "big", 1.0, [0x3F80, 0x0000]),  # ABCD
        ("float32", "little", "big", 1.0, [0x0000, 0x3F80]),  # CDAB (word swap)
        ("float32", "big", "little", 1.0, [0x803F, 0x0000]),  # BADC (byte swap)
        ("float32", "little", "little", 1.0, [0x0000, 0x803F]),  # DCBA
        ("int32", "big", "big", -2.0, [0xFFFF, 0xFFFE]),
        ("uint32", "little", "big", 0x12345678, [0x5678, 0x1234]),
        ("int16", "big", "big", -1.0, [0xFFFF]),
        ("uint16", "big", "little", 0x1234, [0x3412]),
        ("uint64", "big", "big", 0x0102030405060708, [0x0102, 0x0304, 0x0506, 0x0708]),
        ("float64", "little", "big", 1.0, [0, 0, 0, 0x3FF0]),
    ],
)
def test_known_layouts(kind: str, words: str, bytes_: str, value: float, registers: list[int]) -> None:
    register = reg(kind, words, bytes_)
    assert encode(value, register) == registers
    assert decode(registers, register) == float(value)  # a float: 64-bit integers keep 53 bits


def _values(kind: str) -> st.SearchStrategy[float]:
    if kind in INT_RANGES:
        low, high = INT_RANGES[kind]
        return st.integers(low, high).map(float).filter(lambda v: low <= v <= high)  # 2**64 - 1 → 2.0**64: out
    if kind == "float32":
        return st.floats(width=32, allow_nan=False)
    return st.floats(allow_nan=False)


@given(data=st.data(), kind=st.sampled_from(["int16", "uint16", "int32", "uint32", "int64", "uint64", "float32",
                                             "float64"]), words=ORDERS, bytes_=ORDERS)  # fmt: skip
def test_every_value_survives_encode_then_decode(data: st.DataObject, kind: str, words: str, bytes_: str) -> None:
    register = reg(kind, words, bytes_)
    value = data.draw(_values(kind))
    registers = encode(value, register)
    assert len(registers) == register.count and all(0 <= r <= 0xFFFF for r in registers)
    back = decode(registers, register)
    if kind in ("int64", "uint64"):  # a float carries 53 bits: compare as the integer the float held
        assert back == float(round(value))
    else:
        assert back == value


@given(value=st.floats(-1e30, 1e30, allow_nan=False), words=ORDERS, bytes_=ORDERS)
def test_a_float32_rounds_to_the_nearest_float32(value: float, words: str, bytes_: str) -> None:
    register = reg("float32", words, bytes_)
    assert decode(encode(value, register), register) == struct.unpack(">f", struct.pack(">f", value))[0]


def test_nan_is_a_float_and_not_an_integer() -> None:
    assert math.isnan(decode(encode(math.nan, reg("float32")), reg("float32")))
    with pytest.raises(RegisterValueError, match="cannot be written to a int16"):
        encode(math.nan, reg("int16"))


@pytest.mark.parametrize(("kind", "value"), [("uint16", -1.0), ("uint16", 65536.0), ("int16", 40000.0),
                                             ("float32", 1e39), ("uint32", 2.0**32)])  # fmt: skip
def test_a_value_out_of_its_type_is_refused(kind: str, value: float) -> None:
    with pytest.raises(RegisterValueError):
        encode(value, reg(kind))


def test_a_register_count_that_does_not_match_the_type_is_an_error() -> None:
    with pytest.raises(ValueError, match="takes 2 registers"):
        decode([1], reg("float32"))


@given(
    pa=st.floats(0.0, 2e5),
    kind=st.sampled_from(["float32", "uint16", "int32"]),
    words=ORDERS,
)
def test_an_engine_value_comes_back_within_the_register_resolution(pa: float, kind: str, words: str) -> None:
    """A gauge in mbar (× scale): Pa → raw register → Pa differs by at most one step of the register."""
    scale = 1.0 if kind == "float32" else 10.0  # integers: 10 mbar per count keeps 2e5 Pa inside uint16
    register = reg(kind, words, unit="mbar", scale=scale)
    conv = conversion("mbar", "Pa", scale)
    raw = conv.to_device(pa)
    back = conv.to_engine(decode(encode(raw, register), register))
    assert abs(back - pa) <= resolution(register, conv.gain, raw) / 2 + 1e-9 * max(pa, 1.0)
