"""The schema of a bindings file (docs/equipment.md): where each device and channel of a line lives.

Two kinds of file, told apart by ``protocol``: ``opcua`` (an endpoint and a node id per channel,
a node to write or a method to call per command) and ``modbus`` (a unit id, a register table,
an address, a data type, scale, offset and word order per channel). Units are pint strings,
checked against the engine's unit of each channel when the file is loaded
(:mod:`anodeline.equipment.check`). Everything here is a frozen pydantic model.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from anodeline.errors import UnitError

#: An OPC UA node id as text (OPC 10000-6 §5.3.1.10): ``[ns=N;|nsu=URI;](i=N|s=TEXT|g=GUID|b=BASE64)``.
NODE_ID: Final = re.compile(
    r"^(?:ns=\d{1,5};|nsu=[^;\s]+;)?(?:i=\d{1,10}|s=\S.*|g=[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"
    r"|b=[A-Za-z0-9+/]+=*)$"
)
OPCUA_ENDPOINT: Final = re.compile(r"^opc\.tcp://(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(?P<port>\d{1,5})(/\S*)?$")
MODBUS_ENDPOINT: Final = re.compile(
    r"^(?:modbus\+tcp://|tcp://)?(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(?P<port>\d{1,5})$"
)

#: Modbus data types and how many 16-bit registers each takes (``bool``: one coil or discrete input).
MODBUS_TYPES: Final[dict[str, int]] = {
    "bool": 1, "int16": 1, "uint16": 1, "int32": 2, "uint32": 2, "float32": 2, "int64": 4, "uint64": 4, "float64": 4,
}  # fmt: skip
DEFAULT_STALE_S: Final = 5.0
DEFAULT_ACK_S: Final = 5.0


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Stale(_Model):
    """A channel's own ``stale_after`` (seconds; ``never``: a value sent on change only); None: the file's."""

    stale_after: float | None = None

    @field_validator("stale_after", mode="before")
    @classmethod
    def _stale(cls, value: Any) -> Any:
        return None if value is None else seconds(value, never=True)


class _Device(_Model):
    """A bound device: its channels by name (each protocol's subclass types them) and its command."""

    @field_validator("channels", mode="before", check_fields=False)
    @classmethod
    def _on(cls, value: Any) -> Any:
        return _yaml11_on(value)


class _File(_Model):
    """What every bindings file has: the line, the protocol, the endpoint, staleness and acknowledgement limits.

    A protocol's subclass sets ``ENDPOINT`` (the pattern its endpoints match), ``ENDPOINT_FORM`` (how to
    write one) and ``DURATIONS`` (its fields written as durations).
    """

    ENDPOINT: ClassVar[re.Pattern[str]]
    ENDPOINT_FORM: ClassVar[str]

    line: str = Field(min_length=1)
    endpoint: str
    stale_after: float = DEFAULT_STALE_S
    ack_timeout: float = DEFAULT_ACK_S

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        if not cls.ENDPOINT.match(value):
            raise ValueError(f"{value!r} is not {cls.ENDPOINT_FORM}")
        return value

    @field_validator("stale_after", "ack_timeout", "publish_interval", "poll_interval", mode="before",
                     check_fields=False)  # fmt: skip
    @classmethod
    def _durations(cls, value: Any) -> float:
        return seconds(value)


def seconds(value: Any, *, never: bool = False) -> float:
    """A duration (``5 s``, ``200 ms``) in seconds; ``never`` (if allowed) is infinity."""
    from anodeline.units import parse_quantity

    if never and isinstance(value, str) and value.strip().lower() == "never":
        return math.inf
    seconds_ = float(parse_quantity(value, "time").to("s").magnitude)
    if not math.isfinite(seconds_) or seconds_ <= 0.0:
        raise UnitError(f"{value!r} is not a positive duration", hint="write e.g. 5 s or 200 ms")
    return seconds_


def _node(value: str) -> str:
    if not NODE_ID.match(value):
        raise ValueError(
            f"{value!r} is not an OPC UA node id (write e.g. s=chamber-4.o2, ns=2;s=Gauge4.Value or i=2258)"
        )
    return value


class OpcuaChannel(_Stale):
    """A channel read from one node (subscribed); its value is converted from ``unit`` to the engine's."""

    node: str
    unit: str | None = None  # required unless the engine unit is dimensionless (flags, counts, a door's position)

    @field_validator("node")
    @classmethod
    def _valid_node(cls, value: str) -> str:
        return _node(value)


class OpcuaCommand(_Model):
    """A command: a value written to a node (``write``), or a method ``call`` on the node ``object``.

    A switch writes a Boolean (or calls the method with one); a setpoint writes a Double in
    ``unit``; a deposition calls ``(layer, material, method, thickness_um)`` (an empty material
    switches the source off); an operator task calls with the step as JSON (docs/procedures.md).
    """

    write: str | None = None
    call: str | None = None
    object: str | None = None
    unit: str | None = None

    @field_validator("write", "call", "object")
    @classmethod
    def _nodes(cls, value: str | None) -> str | None:
        return None if value is None else _node(value)

    @model_validator(mode="after")
    def _one_way(self) -> OpcuaCommand:
        if (self.write is None) == (self.call is None):
            raise ValueError(
                "a command either writes a node (write: NODE) or calls a method (call: NODE, object: NODE)"
            )
        if self.call is not None and self.object is None:
            raise ValueError("a method call needs the object it belongs to (object: NODE)")
        return self


def _yaml11_on(value: Any) -> Any:
    """A channel written ``on:`` unquoted is read by YAML 1.1 as the key ``true``: it means the ``on`` channel."""
    if isinstance(value, dict) and True in value and "on" not in value:
        return {("on" if key is True else key): item for key, item in value.items()}
    return value


class OpcuaDevice(_Device):
    channels: dict[str, OpcuaChannel] = Field(default_factory=dict)
    command: OpcuaCommand | None = None


class OpcuaMethod(_Model):
    """A method ``call`` on the node ``object``."""

    call: str
    object: str

    @field_validator("call", "object")
    @classmethod
    def _nodes(cls, value: str) -> str:
        return _node(value)


class OpcuaBindings(_File):
    """A bindings file for one OPC UA server (a PLC, or ``anodeline twin serve``)."""

    ENDPOINT = OPCUA_ENDPOINT
    ENDPOINT_FORM = "an OPC UA endpoint (write opc.tcp://HOST:PORT[/PATH])"

    protocol: Literal["opcua"]
    namespace: str | None = None  # namespace URI of node ids written without ns=/nsu= (resolved on connect)
    publish_interval: float = 0.05  # seconds: the subscription's publishing and sampling interval
    #: A twin only (``anodeline twin serve``): called with (procedure JSON, seed) to load the batch's materials.
    prepare: OpcuaMethod | None = None
    #: Tells the equipment a person did the oldest glove task (a served twin's ``ConfirmTask`` with
    #: ``--no-operator``, a PLC's HMI-confirm method): a prompt confirmed with ``anodeline confirm``
    #: is passed on, so the equipment's operator counts it (docs/operations.md, prompts).
    confirm_task: OpcuaMethod | None = None
    devices: dict[str, OpcuaDevice]


class ModbusRegister(_Stale):
    """A value in a Modbus server: table, 0-based address, data type, and raw → ``unit`` by scale and offset.

    ``word_order``: ``big`` puts the most significant 16-bit word first (Modbus' own byte order
    extended, the usual PLC default), ``little`` the least significant; ``byte_order`` swaps
    the two bytes inside each register (a few gauges do). ``value = raw × scale + offset``.
    """

    table: Literal["coil", "discrete", "input", "holding"]
    address: int = Field(ge=0, le=65535)
    type: Literal["bool", "int16", "uint16", "int32", "uint32", "float32", "int64", "uint64", "float64"] = "uint16"
    word_order: Literal["big", "little"] = "big"
    byte_order: Literal["big", "little"] = "big"
    scale: float = 1.0
    offset: float = 0.0
    unit: str | None = None
    device_id: int | None = Field(default=None, ge=1, le=247)  # None: the file's

    @field_validator("scale", "offset")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("scale and offset must be finite numbers")
        return value

    @model_validator(mode="after")
    def _fits(self) -> ModbusRegister:
        bits = self.table in ("coil", "discrete")
        if bits != (self.type == "bool"):
            raise ValueError(
                f"a {self.table} holds {'one bit: type bool' if bits else 'registers: a numeric type, not bool'}"
            )
        if self.address + MODBUS_TYPES[self.type] - 1 > 65535:
            raise ValueError(f"a {self.type} at {self.address} runs past register 65535")
        return self

    @property
    def count(self) -> int:
        """How many coils or registers the value takes."""
        return MODBUS_TYPES[self.type]


class ModbusDevice(_Device):
    channels: dict[str, ModbusRegister] = Field(default_factory=dict)
    command: ModbusRegister | None = None


class ModbusBindings(_File):
    """A bindings file for one Modbus TCP server (a glove-box controller, a gauge controller)."""

    ENDPOINT = MODBUS_ENDPOINT
    ENDPOINT_FORM = "a Modbus TCP endpoint (write HOST:PORT or tcp://HOST:PORT)"

    protocol: Literal["modbus"]
    device_id: int = Field(default=1, ge=1, le=247)
    poll_interval: float = 0.2  # seconds between two reads of every register
    devices: dict[str, ModbusDevice]


Protocol = Literal["opcua", "modbus"]
FileModel = OpcuaBindings | ModbusBindings
MODELS: Final[dict[str, type[OpcuaBindings] | type[ModbusBindings]]] = {
    "opcua": OpcuaBindings, "modbus": ModbusBindings,
}  # fmt: skip


def host_port(endpoint: str) -> tuple[str, int]:
    """The host and TCP port of an OPC UA or Modbus endpoint (already validated)."""
    match = OPCUA_ENDPOINT.match(endpoint) or MODBUS_ENDPOINT.match(endpoint)
    if match is None:
        raise ValueError(f"{endpoint!r} is not an endpoint")
    return match["host"].strip("[]"), int(match["port"])
