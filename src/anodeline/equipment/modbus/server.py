"""The twin as a Modbus TCP controller: the register map generated from the same bindings file the client reads.

:class:`RegisterMap` lays every bound value of a Modbus bindings file into pymodbus' simulator
datastore (``SimDevice``/``SimData``, one device per unit id, the four tables apart; an address
nothing binds answers exception 0x02). :func:`serve_modbus` serves it:

* **readings** — a refresher copies each bound device's ``read()`` into its registers every
  ``refresh_s`` (engine value → raw by the binding's conversion → registers by the codec;
  integers saturate at their type's range, like a transmitter at the end of its span). A
  register value the twin has not refreshed for ``stale_after_s`` is not served: reading it
  answers exception 0x0B (gateway target failed to respond), what a controller answers for an
  analyser that stopped talking to it. Bits (flags) are the controller's own I/O and always served.
* **commands** — a client writing a command's coil or holding registers becomes the twin
  device's ``set(...)`` (a switch ``True``/``False``; a setpoint in engine units). A write to a
  register no command binds answers 0x02, a write covering part of a multi-register value 0x03,
  a command the twin refuses 0x04.

The twin is reached through a :class:`TwinAccess` (a device's ``read()`` and ``set()`` by name);
:class:`LockedDevices` gives one over a device map, serialised by a lock that whoever else
drives the twin (its clock, an in-process engine) takes too. Modbus has no security of its own:
the server binds loopback unless told otherwise (docs/equipment.md).
"""

from __future__ import annotations

import asyncio
import functools
import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from pymodbus.constants import ExcCodes
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from anodeline.devices.protocols import Device, Reading
from anodeline.equipment.bindings import BindingFile, ChannelBinding, CommandBinding, DeviceBinding
from anodeline.equipment.modbus.codec import INT_RANGES, RegisterValueError, decode, encode
from anodeline.equipment.modbus.threads import close_loop, stop_loop_thread
from anodeline.equipment.schema import ModbusBindings, ModbusRegister, host_port

LOOPBACK: Final = "127.0.0.1"
#: Function code → table (Modbus Application Protocol v1.1b3 §6).
FUNCTION_TABLES: Final[dict[int, str]] = {
    1: "coil", 5: "coil", 15: "coil", 2: "discrete", 3: "holding", 6: "holding", 16: "holding", 22: "holding",
    23: "holding", 4: "input",
}  # fmt: skip
_BLOCKS: Final = ("coil", "discrete", "holding", "input")  # SimDevice's order of the four tables


class TwinAccess(Protocol):
    """What the server needs of the twin: a device's readings and its command, by device name."""

    def read(self, device: str) -> Mapping[str, Reading]: ...

    def set(self, device: str, value: Any) -> None: ...


class LockedDevices:
    """A :class:`TwinAccess` over a device map, every call under ``lock`` (share it with the twin's other users)."""

    def __init__(self, devices: Mapping[str, Device], lock: threading.Lock | threading.RLock | None = None) -> None:
        self.devices = devices
        self.lock = lock or threading.RLock()

    def read(self, device: str) -> Mapping[str, Reading]:
        with self.lock:
            return self.devices[device].read()

    def set(self, device: str, value: Any) -> None:
        with self.lock:
            self.devices[device].set(value)


@dataclass(frozen=True)
class _Value:
    """One bound value in the server: where it is, and what it carries."""

    device: str
    register: ModbusRegister
    unit: int
    channel: ChannelBinding | None = None  # a reading the server fills
    command: CommandBinding | None = None  # a command the server turns into set()

    @property
    def addresses(self) -> range:
        return range(self.register.address, self.register.address + self.register.count)


@dataclass
class RegisterMap:
    """Every bound value of a Modbus bindings file, by unit id, table and address."""

    file: BindingFile
    readings: tuple[_Value, ...] = ()
    commands: dict[tuple[int, str, int], _Value] = field(default_factory=dict)  # first address of each command
    owners: dict[tuple[int, str, int], _Value] = field(default_factory=dict)  # every address of every value

    @classmethod
    def of(cls, file: BindingFile) -> RegisterMap:
        model = file.model
        if not isinstance(model, ModbusBindings):
            raise TypeError(f"{file.path} binds {model.protocol}, not modbus")
        found = cls(file)
        readings: list[_Value] = []

        def unit(register: ModbusRegister) -> int:
            return register.device_id if register.device_id is not None else model.device_id

        for device in file.devices:
            for channel in device.channels:
                register = channel.address
                assert isinstance(register, ModbusRegister)
                readings.append(found._own(_Value(device.name, register, unit(register), channel=channel)))
            if device.command is not None:
                target = device.command.address
                assert isinstance(target, ModbusRegister)
                value = found._own(_Value(device.name, target, unit(target), command=device.command))
                found.commands[(value.unit, target.table, target.address)] = value
        found.readings = tuple(readings)
        return found

    def _own(self, value: _Value) -> _Value:
        for address in value.addresses:
            self.owners.setdefault((value.unit, value.register.table, address), value)
        return value

    @property
    def units(self) -> tuple[int, ...]:
        return tuple(sorted({unit for unit, _, _ in self.owners}))

    def devices(self) -> dict[str, DeviceBinding]:
        return {d.name: d for d in self.file.devices}

    def sim_device(self, unit: int, action: Any) -> SimDevice:
        """pymodbus' simulator device for ``unit``: the four tables apart, each address bound here and no other."""
        tables: list[list[SimData]] = []
        for table in _BLOCKS:
            addresses = sorted(a for u, t, a in self.owners if u == unit and t == table)
            bits = table in ("coil", "discrete")
            blocks = [
                SimData(start, count=count, values=False, datatype=DataType.BITS)
                if bits
                else SimData(start, count=count, values=0, datatype=DataType.REGISTERS)
                for start, count in _runs(addresses)
            ]
            if not blocks:  # pymodbus needs a block per table: one that answers nothing (checked in the action)
                blocks = [SimData(0, values=False, datatype=DataType.BITS) if bits else SimData(0)]
            tables.append(blocks)
        return SimDevice(unit, simdata=(tables[0], tables[1], tables[2], tables[3]), action=action)


def _runs(addresses: list[int]) -> Iterator[tuple[int, int]]:
    """Maximal runs of consecutive addresses as (start, count)."""
    start = previous = None
    for address in addresses:
        if start is None or previous is None:
            start = previous = address
        elif address == previous + 1:
            previous = address
        else:
            yield start, previous - start + 1
            start = previous = address
    if start is not None and previous is not None:
        yield start, previous - start + 1


def _raw(value: float, register: ModbusRegister) -> float:
    """A raw value the register can hold: integers saturate at their type's range."""
    bounds = INT_RANGES.get(register.type)
    if bounds is None or not math.isfinite(value):
        return value
    return min(max(value, bounds[0]), bounds[1])


class ModbusTwinServer:
    """Serves the values of one Modbus bindings file from a twin over Modbus TCP (see the module)."""

    def __init__(
        self,
        file: BindingFile,
        access: TwinAccess,
        *,
        host: str = LOOPBACK,
        port: int | None = None,
        refresh_s: float = 0.1,
        stale_after_s: float = 1.0,
    ) -> None:
        self.map = RegisterMap.of(file)
        self.access = access
        self.host = host
        self.port = host_port(file.endpoint)[1] if port is None else port
        self.refresh_s, self.stale_after_s = refresh_s, stale_after_s
        self._words: dict[tuple[int, str, int], int | bool] = {}  # (unit, table, address) → register or bit
        self._updated: dict[tuple[int, str, int], float] = {}  # first address of a reading → monotonic time
        self._server: ModbusTcpServer | None = None
        self.commands = 0  # writes turned into set() (benchmarks, tests)
        self.errors: list[str] = []  # twin reads or commands that failed (kept for whoever serves)

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.port}"

    # --- the twin side -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Copy every bound reading from the twin into the registers (one ``read()`` per device)."""
        now = time.monotonic()
        by_device: dict[str, Mapping[str, Reading]] = {}
        for value in self.map.readings:
            readings = by_device.get(value.device)
            if readings is None:
                try:
                    readings = by_device[value.device] = self.access.read(value.device)
                except Exception as exc:  # a twin device that fails is a value not refreshed (served 0x0B)
                    self.errors.append(f"read {value.device}: {exc}")
                    readings = by_device[value.device] = {}
            assert value.channel is not None
            reading = readings.get(value.channel.key)
            if reading is None:
                continue
            register = value.register
            key = (value.unit, register.table, register.address)
            if register.table in ("coil", "discrete"):
                self._words[key] = reading.value >= 0.5
            else:
                try:
                    words = encode(_raw(value.channel.conversion.to_device(reading.value), register), register)
                except RegisterValueError as exc:
                    self.errors.append(f"{value.channel.key}: {exc}")
                    continue
                for offset, word in enumerate(words):
                    self._words[(value.unit, register.table, register.address + offset)] = word
            self._updated[key] = now

    async def _action(
        self,
        unit: int,
        function_code: int,
        start_address: int,
        address: int,
        count: int,
        registers: list[int],
        set_values: list[int] | list[bool] | None,
    ) -> ExcCodes | None:
        """pymodbus' hook before every access: fill what is read, turn what is written into commands."""
        table = FUNCTION_TABLES.get(function_code)
        if table is None:
            return ExcCodes.ILLEGAL_FUNCTION
        if set_values is None:
            return self._fill(unit, table, start_address, address, count, registers)
        return self._command(unit, table, address, set_values)

    def _fill(
        self, unit: int, table: str, start: int, address: int, count: int, registers: list[int]
    ) -> ExcCodes | None:
        owners, words = self.map.owners, self._words
        if (unit, table, address) not in owners:
            return ExcCodes.ILLEGAL_ADDRESS
        if table in ("coil", "discrete"):  # ``count`` is in 16-bit words here: fill every bound bit of them
            first = (address // 16) * 16
            for bit in range(first, first + 16 * count):
                state = words.get((unit, table, bit))
                if state is not None:
                    index, mask = bit // 16 - start, 1 << (bit % 16)
                    registers[index] = (registers[index] | mask) if state else (registers[index] & ~mask)
            return None
        now = time.monotonic()
        for offset in range(address, address + count):
            owner = owners.get((unit, table, offset))
            if owner is None:
                return ExcCodes.ILLEGAL_ADDRESS
            if owner.channel is not None:
                updated = self._updated.get((unit, table, owner.register.address))
                if updated is None or now - updated > self.stale_after_s:
                    return ExcCodes.GATEWAY_NO_RESPONSE
            word = words.get((unit, table, offset))
            if word is not None:
                registers[offset - start] = int(word)
        return None

    def _command(self, unit: int, table: str, address: int, values: list[int] | list[bool]) -> ExcCodes | None:
        commands, found = self.map.commands, []
        offset = 0
        while offset < len(values):
            value = commands.get((unit, table, address + offset))
            if value is None:
                owner = self.map.owners.get((unit, table, address + offset))
                return (
                    ExcCodes.ILLEGAL_VALUE
                    if owner is not None and owner.command is not None
                    else ExcCodes.ILLEGAL_ADDRESS
                )
            count = value.register.count
            if offset + count > len(values):
                return ExcCodes.ILLEGAL_VALUE  # part of a multi-register value
            found.append((value, values[offset : offset + count]))
            offset += count
        for value, raw in found:
            command = value.command
            assert command is not None
            if table == "coil":
                engine: Any = bool(raw[0])
            else:
                number = command.conversion.to_engine(decode([int(r) for r in raw], value.register))
                engine = number != 0.0 if command.kind == "switch" else number
            try:
                self.access.set(value.device, engine)
            except Exception as exc:  # the twin refused: the client is told, as a controller would
                self.errors.append(f"set {value.device} {engine!r}: {exc}")
                return ExcCodes.DEVICE_FAILURE
            self.commands += 1
        return None

    # --- serving -------------------------------------------------------------------------------
    async def serve(self, ready: Callable[[str], None] | None = None) -> None:
        """Listen, refresh every ``refresh_s`` and answer until cancelled; ``ready(endpoint)`` once listening."""
        self.refresh()
        devices = [self.map.sim_device(unit, functools.partial(self._action, unit)) for unit in self.map.units]
        server = ModbusTcpServer(devices, address=(self.host, self.port))
        self._server = server
        await server.serve_forever(background=True)
        listener = server.transport
        sockets = getattr(listener, "sockets", None)
        if sockets:
            self.port = int(sockets[0].getsockname()[1])  # port 0: the one the system gave
        if ready is not None:
            ready(self.endpoint)
        try:
            while True:
                await asyncio.sleep(self.refresh_s)
                self.refresh()
        finally:  # synchronous: a second cancellation cannot leave clients connected to a dead server
            if not server.serving.done():
                server.serving.set_result(True)
            server.close()
            self._server = None


async def serve_modbus(
    file: BindingFile,
    access: TwinAccess,
    *,
    host: str = LOOPBACK,
    port: int | None = None,
    refresh_s: float = 0.1,
    stale_after_s: float = 1.0,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the twin's devices bound in ``file`` over Modbus TCP until cancelled (loopback unless ``host``)."""
    server = ModbusTwinServer(file, access, host=host, port=port, refresh_s=refresh_s, stale_after_s=stale_after_s)
    await server.serve(ready)


class ServerThread:
    """A :class:`ModbusTwinServer` on its own thread and loop (tests, benchmarks, a synchronous caller)."""

    def __init__(self, server: ModbusTwinServer) -> None:
        self.server = server
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def endpoint(self) -> str:
        return self.server.endpoint

    def start(self, timeout_s: float = 5.0) -> ServerThread:
        listening = threading.Event()

        def main() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._task = loop.create_task(self.server.serve(lambda _endpoint: listening.set()))
            try:
                loop.run_until_complete(self._task)
            except asyncio.CancelledError:
                pass
            except BaseException as exc:  # reported by start()
                self._error = exc
                listening.set()
            finally:
                close_loop(loop)

        self._thread = threading.Thread(target=main, name=f"modbus server :{self.server.port}", daemon=True)
        self._thread.start()
        if not listening.wait(timeout_s) or self._error is not None:
            raise RuntimeError(f"the Modbus server on {self.server.endpoint} did not start: {self._error}")
        return self

    def stop(self) -> None:
        stop_loop_thread(self._loop, self._task, self._thread)
        self._thread = None

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
