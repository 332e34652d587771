"""Values to and from Modbus registers: data type, word order, byte order (pymodbus' converters).

A value of ``n`` 16-bit registers (:data:`~anodeline.equipment.schema.MODBUS_TYPES`) is the
big-endian bytes of its type, cut into words. ``word_order: little`` puts the least
significant word first (pymodbus' ``word_order``, which reverses the words of each value);
``byte_order: little`` swaps the two bytes inside every register (applied last on encoding,
first on decoding, so the two orders compose: ``little``/``little`` is a little-endian value).
Scale, offset and units are not here: the binding's :class:`~anodeline.equipment.bindings.Conversion`
does them (``engine = gain × raw + bias``).

Integers are rounded to the nearest on encoding and refused out of their type's range
(:class:`RegisterValueError`); a float32 that overflows is refused, NaN passes (a gauge's
"no reading" is a device's business, and decodes back to NaN).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

from pymodbus.client.mixin import ModbusClientMixin

from anodeline.equipment.modbus.errors import ModbusError
from anodeline.equipment.schema import MODBUS_TYPES, ModbusRegister

_TYPES: Final[dict[str, ModbusClientMixin.DATATYPE]] = {
    name: ModbusClientMixin.DATATYPE[name.upper()] for name in MODBUS_TYPES if name != "bool"
}
#: The range of each integer type (inclusive).
INT_RANGES: Final[dict[str, tuple[int, int]]] = {
    "int16": (-(2**15), 2**15 - 1), "uint16": (0, 2**16 - 1), "int32": (-(2**31), 2**31 - 1),
    "uint32": (0, 2**32 - 1), "int64": (-(2**63), 2**63 - 1), "uint64": (0, 2**64 - 1),
}  # fmt: skip
FLOAT32_MAX: Final = 3.4028234663852886e38


class RegisterValueError(ModbusError):
    """A value that its register's data type cannot hold (out of range, or not a number)."""

    code = "MODBUS_VALUE"


def _swap_bytes(registers: Sequence[int]) -> list[int]:
    return [((r & 0xFF) << 8) | (r >> 8) for r in registers]


def decode(registers: Sequence[int], register: ModbusRegister) -> float:
    """The raw value held in ``registers`` (exactly ``register.count`` of them) as ``register`` types it."""
    if len(registers) != register.count:
        raise ValueError(f"a {register.type} takes {register.count} registers, got {len(registers)}")
    words = _swap_bytes(registers) if register.byte_order == "little" else list(registers)
    value = ModbusClientMixin.convert_from_registers(words, _TYPES[register.type], word_order=register.word_order)
    assert isinstance(value, int | float)
    return float(value)


def encode(raw: float, register: ModbusRegister) -> list[int]:
    """The registers that hold the raw value ``raw`` as ``register`` types it; refuses what does not fit."""
    kind = register.type
    value: int | float
    if kind in INT_RANGES:
        if not math.isfinite(raw):
            raise RegisterValueError(f"{raw!r} cannot be written to a {kind} register", hint="write a finite number")
        value = round(raw)
        low, high = INT_RANGES[kind]
        if not low <= value <= high:
            raise RegisterValueError(
                f"{raw:g} is outside the range of a {kind} register ({low} … {high})",
                hint="check the binding's scale and offset, or use a wider type",
            )
    else:
        value = float(raw)
        if kind == "float32" and math.isfinite(value) and abs(value) > FLOAT32_MAX:
            raise RegisterValueError(f"{raw:g} overflows a float32 register", hint="use float64, or scale the value")
    words = ModbusClientMixin.convert_to_registers(value, _TYPES[kind], word_order=register.word_order)
    return _swap_bytes(words) if register.byte_order == "little" else words


def resolution(register: ModbusRegister, gain: float, raw: float) -> float:
    """The step between two values the register can hold near ``raw``, in engine units (``gain`` per raw unit)."""
    if register.type in INT_RANGES:
        return abs(gain)
    ulp = math.ulp(raw) * (2.0**29 if register.type == "float32" else 1.0)  # float32: 23 fraction bits, not 52
    return abs(gain) * ulp
