"""One link to one Modbus TCP controller (one bindings file): a poller, a cache, a writer, supervision.

A background thread runs an asyncio loop with pymodbus' ``AsyncModbusTcpClient``. Every
``poll_interval`` it reads every bound value in as few requests as the map allows
(:func:`~anodeline.equipment.modbus.blocks.plan_reads`) into a cache of engine-unit readings
stamped with the wall time of the read; the engine's ``read()`` only looks at that cache, so it
never waits on the network. A read answered with a Modbus exception is retried value by value
(one analyser that stopped answering, exception 0x0B from its gateway, does not blind the others).

Writes are queued on the loop and counted as pending until the controller answers them; one
that is refused (an exception response) or unanswered after ``ack_timeout`` makes the
device's :meth:`ModbusLink.health` ``NO-ACK``. Modbus carries no timestamps: a value is
*fresh* while reads of it succeed, and ``STALE`` once its last good read is older than its
``stale_after``. A lost connection (refused, reset, or a request unanswered within
``timeout_s``) drops the queued writes — a command is never replayed after the engine went
blind — and every device of the file reports ``LINK`` ("connection lost") until the link is
back; the link reconnects by itself with a back-off (``reconnect_min_s`` … ``reconnect_max_s``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, NamedTuple

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.constants import ExcCodes
from pymodbus.exceptions import ConnectionException, ModbusIOException
from pymodbus.pdu import ModbusPDU

from anodeline.devices.protocols import Health, Reading
from anodeline.equipment.bindings import BindingFile, ChannelBinding, DeviceBinding
from anodeline.equipment.modbus.blocks import Block, plan_reads
from anodeline.equipment.modbus.codec import decode
from anodeline.equipment.modbus.errors import NO_SUCH_REGISTER, UNREACHABLE, ModbusError
from anodeline.equipment.modbus.threads import close_loop, stop_loop_thread
from anodeline.equipment.schema import ModbusBindings, ModbusRegister, host_port

MIN_POLL_S: Final = 0.005  # the fastest poll a rehearsal asks for (one link: about 400 polls/s on loopback)
SETTLE_MIN_S: Final = 0.02  # a controller's scan after a write (PLC scans are typically 5-20 ms; est.)
CONNECTION_LOST: Final = "connection lost"  # the reason the engine's supervision looks for (engine/supervision.py)
TABLE_NAMES: Final = {"coil": "coil", "discrete": "discrete input", "input": "input register",
                      "holding": "holding register"}  # fmt: skip
_LINK_ERRORS: Final = (ConnectionException, ModbusIOException, OSError, asyncio.TimeoutError)


def exception_text(code: int) -> str:
    """``exception 0x0B (gateway target failed to respond)`` from a Modbus exception code."""
    try:
        name = ExcCodes(code).name.lower().replace("_", " ")
    except ValueError:
        name = "unknown"
    return f"exception 0x{code:02X} ({name})"


class _Sample(NamedTuple):
    reading: Reading  # engine units, wall-clock time of the read
    monotonic: float


@dataclass
class _Pending:
    device: str
    text: str
    issued: float  # monotonic


@dataclass(frozen=True)
class _Write:
    id: int
    device: str
    register: ModbusRegister
    device_id: int
    payload: bool | list[int]
    text: str


class ModbusLink:
    """The connection to the controller of one bindings file, shared by that file's devices."""

    def __init__(
        self,
        file: BindingFile,
        *,
        timeout_s: float = 1.0,
        speed: float = 1.0,
        reconnect_min_s: float = 0.05,
        reconnect_max_s: float = 2.0,
    ) -> None:
        model = file.model
        if not isinstance(model, ModbusBindings):
            raise TypeError(f"{file.path} binds {model.protocol}, not modbus")
        self.file, self.model = file, model
        self.endpoint = file.endpoint
        self.host, self.port = host_port(file.endpoint)
        self.timeout_s, self.reconnect_min_s, self.reconnect_max_s = timeout_s, reconnect_min_s, reconnect_max_s
        #: Seconds between polls: the file's, or for a rehearsal against a twin at ``speed`` N the file's / N
        #: (the same twin-time resolution), never below MIN_POLL_S.
        self.poll_s = model.poll_interval if speed <= 1.0 else max(model.poll_interval / speed, MIN_POLL_S)
        #: A command's read-back counts from reads asked for this long after its acknowledgement (the
        #: controller's scan: its inputs follow an output a scan later).
        self.settle_s = max(2.0 * self.poll_s, SETTLE_MIN_S)
        self.channels: dict[str, ChannelBinding] = {c.key: c for d in file.devices for c in d.channels}
        self._paths = {c.key: f"devices.{d.name}.channels.{c.spec.name}" for d in file.devices for c in d.channels}
        self.blocks: tuple[Block[str], ...] = plan_reads(
            (c.key, c.address, self.unit(c.address))
            for c in self.channels.values()
            if isinstance(c.address, ModbusRegister)
        )
        self._cache: dict[str, _Sample] = {}
        self._errors: dict[str, str] = {}  # channel → why its last read failed (an exception response)
        self._pending: dict[int, _Pending] = {}
        self._refused: dict[str, str] = {}  # device → why the controller refused its last command
        self._marks: dict[str, float] = {}  # device → readings asked for before this (monotonic) predate its command
        self._lock = threading.Lock()
        self._ids = itertools.count()
        self._connected = False
        self._losses = 0  # connections lost so far
        self._losses_told: dict[str, int] = {}  # device → losses its health() has reported (a latch, see health)
        self._closing = False
        self._up_since = time.monotonic()
        self._last_error = "not connected yet"
        self._polled = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[_Write] | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self.polls = 0  # complete poll cycles (benchmarks)
        self.requests = 0  # read requests sent

    def unit(self, register: ModbusRegister) -> int:
        """The unit id (``device_id``) a register is read from."""
        return register.device_id if register.device_id is not None else self.model.device_id

    # --- life cycle ----------------------------------------------------------------------------
    def start(self, wait_s: float = 5.0) -> ModbusLink:
        """Start the loop; wait until every bound value was read once, or raise :class:`ModbusError`.

        Refuses an endpoint it cannot reach in ``wait_s`` and a binding to a register the
        controller does not have (exception 0x01/0x02), before any batch begins.
        """
        if self._thread is not None:
            return self
        ready = threading.Event()

        def main() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._queue = asyncio.Queue()
            self._task = loop.create_task(self._run())
            loop.call_soon(ready.set)
            try:
                with contextlib.suppress(asyncio.CancelledError):
                    loop.run_until_complete(self._task)
            finally:
                close_loop(loop)

        self._thread = threading.Thread(target=main, name=f"modbus {self.endpoint}", daemon=True)
        self._thread.start()
        ready.wait()
        if not self._polled.wait(wait_s):
            self.close()
            raise ModbusError(
                f"{UNREACHABLE} cannot read the Modbus controller at {self.endpoint} within {wait_s:g} s "
                f"({self._last_error})", location=self.file.path,
                hint="check the endpoint, the network and that the controller is on; Modbus TCP is usually port 502",
            )  # fmt: skip
        missing = {key: why for key, why in self._errors.items() if "0x01" in why or "0x02" in why}
        if missing:
            key, why = next(iter(missing.items()))
            self.close()
            register = self.channels[key].address
            assert isinstance(register, ModbusRegister)
            raise ModbusError(
                f"{NO_SUCH_REGISTER} {self._paths[key]}: {TABLE_NAMES[register.table]} {register.address} of unit "
                f"{self.unit(register)} is not on the controller at {self.endpoint} ({why})"
                + (f"; {len(missing) - 1} more" if len(missing) > 1 else ""), location=self._where(self._paths[key]),
                hint="check the register map in the controller's manual (addresses here are 0-based)",
            )  # fmt: skip
        return self

    def _where(self, path: str) -> str:
        """``file:line:column`` of a key of the bindings file (the file alone if it cannot be read again)."""
        from anodeline.documents.source import read_yaml

        try:
            text = Path(self.file.path).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return self.file.path
        line, column = read_yaml(text).source_map.locate(path)
        return f"{self.file.path}:{line}:{column}"

    def close(self) -> None:
        """Stop polling and close the connection (idempotent)."""
        self._closing = True
        stop_loop_thread(self._loop, self._task, self._thread)
        self._thread = None
        self._set_connected(False)

    def __enter__(self) -> ModbusLink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what the devices ask ------------------------------------------------------------------
    @property
    def sample_interval_s(self) -> float:
        """Wall seconds between two reads of a value (the poll interval)."""
        return self.poll_s

    @property
    def connected(self) -> bool:
        return self._connected

    def pending(self, device: str) -> int:
        """How many commands to ``device`` the controller has not answered yet."""
        with self._lock:
            return sum(1 for p in self._pending.values() if p.device == device)

    def mark(self, device: str) -> float:
        """Readings of ``device`` asked for before this monotonic time predate its last command (-inf: none)."""
        return self._marks.get(device, -math.inf)

    def sample(self, key: str) -> tuple[Reading, float] | None:
        """The last good reading of ``key`` and its monotonic time (None: never read)."""
        return self._cache.get(key)

    def write(self, device: str, register: ModbusRegister, payload: bool | list[int], text: str) -> None:
        """Queue a write (returns at once); dropped while the link is down (health says LINK)."""
        loop, queue = self._loop, self._queue
        if not self._connected or loop is None or queue is None:
            return
        item = _Write(next(self._ids), device, register, self.unit(register), payload, text)
        with self._lock:
            self._pending[item.id] = _Pending(device, text, time.monotonic())
            self._marks[device] = math.inf  # its readings from before the command are not its read-back
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the loop has closed meanwhile
            with self._lock:
                self._pending.pop(item.id, None)

    def refuse(self, device: str, why: str) -> None:
        """Record a command that could not be sent (NO-ACK until the device's next command is acknowledged)."""
        with self._lock:
            self._refused[device] = why

    def health(self, device: DeviceBinding) -> Health | None:
        """LINK while disconnected, and once after a loss the device has not reported yet (an outage shorter than
        the engine's poll still makes it re-read and make safe); NO-ACK for a refused or overdue command; STALE
        for a value not read in time."""
        if not self._connected:
            return Health(code="LINK", reason=CONNECTION_LOST)
        if self._losses_told.get(device.name, 0) != self._losses:
            self._losses_told[device.name] = self._losses
            return Health(code="LINK", reason=CONNECTION_LOST)
        now = time.monotonic()
        ack = self.model.ack_timeout
        with self._lock:
            refused = self._refused.get(device.name)
            overdue = [p for p in self._pending.values() if p.device == device.name and now - p.issued > ack]
        if refused is not None:
            return Health(code="NO-ACK", reason=refused)
        if overdue:
            return Health(code="NO-ACK", reason=f"command {overdue[0].text} not acknowledged within {ack:g} s")
        for channel in device.channels:  # a value is judged from its last read, or from the (re)connection
            sample = self._cache.get(channel.key)
            age = now - max(sample.monotonic if sample is not None else 0.0, self._up_since)
            if age > channel.stale_after_s:
                why = self._errors.get(channel.key)
                reason = f"{channel.key} has not updated for {age:.1f} s (limit {channel.stale_after_s:g} s)"
                return Health(code="STALE", reason=reason + (f": the controller answers {why}" if why else ""))
        return None

    # --- the loop ------------------------------------------------------------------------------
    def _set_connected(self, up: bool) -> None:
        if up and not self._connected:
            self._up_since = time.monotonic()
        if not up:
            if self._connected:
                self._losses += 1
            with self._lock:
                self._pending.clear()  # never replayed after a reconnection: the engine re-reads and makes safe
                self._marks.clear()
        self._connected = up

    async def _run(self) -> None:
        delay = self.reconnect_min_s
        while not self._closing:
            lost = asyncio.Event()  # set by pymodbus the moment the TCP connection closes

            def traced(up: bool, lost: asyncio.Event = lost) -> None:
                if not up:
                    lost.set()

            client = AsyncModbusTcpClient(self.host, port=self.port, timeout=self.timeout_s, retries=0,
                                          reconnect_delay=0, name="anodeline", trace_connect=traced)  # fmt: skip
            try:
                if not await client.connect():
                    raise ConnectionException(f"no answer from {self.endpoint}")
                delay = self.reconnect_min_s  # connected once the first poll is answered (_poll)
                await self._session(client, lost)
            except _LINK_ERRORS as exc:
                self._last_error = str(exc) or type(exc).__name__
            finally:
                self._set_connected(False)
                client.close()
            await asyncio.sleep(delay)
            delay = min(delay * 2.0, self.reconnect_max_s)

    async def _session(self, client: AsyncModbusTcpClient, lost: asyncio.Event) -> None:
        """Poll and write on one connection until it fails (the exception says why) or closes.

        A closed connection ends the session at once, request in flight or not: the link is
        reported lost now, not after that request's timeout.
        """
        closed = asyncio.create_task(lost.wait())
        tasks = [asyncio.create_task(self._poll(client)), asyncio.create_task(self._write(client)), closed]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not closed and (exc := task.exception()) is not None:
                    raise exc
            raise ConnectionException("connection closed by the controller")
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _poll(self, client: AsyncModbusTcpClient) -> None:
        loop = asyncio.get_running_loop()
        while not self._closing:
            started = loop.time()
            if not client.connected:
                raise ConnectionException("connection closed by the controller")
            for block in self.blocks:
                await self._read(client, block)
            if not self._connected:  # a TCP connection is not a controller answering: this is
                self._set_connected(True)
            self.polls += 1
            self._polled.set()
            await asyncio.sleep(max(self.poll_s - (loop.time() - started), 0.0))

    async def _read(self, client: AsyncModbusTcpClient, block: Block[str]) -> None:
        self.requests += 1
        sent = time.monotonic()  # a sample counts from when it was asked for (a command's read-back, staleness)
        response = await _READERS[block.table](client)(block.start, count=block.count, device_id=block.device_id)
        if response.isError():
            if len(block.members) > 1:  # one value the controller cannot give must not blind the others
                for key, register in block.members:
                    await self._read(client, Block(block.device_id, block.table, register.address, register.count,
                                                   ((key, register),)))  # fmt: skip
                return
            self._errors[block.members[0][0]] = exception_text(getattr(response, "exception_code", 0))
            return
        wall = time.time()
        for key, register in block.members:
            offset = register.address - block.start
            if block.table in ("coil", "discrete"):
                raw = 1.0 if response.bits[offset] else 0.0
            else:
                raw = decode(response.registers[offset : offset + register.count], register)
            self._cache[key] = _Sample(Reading(self.channels[key].conversion.to_engine(raw), wall), sent)
            self._errors.pop(key, None)

    async def _write(self, client: AsyncModbusTcpClient) -> None:
        assert self._queue is not None
        while True:
            item = await self._queue.get()
            response = await self._send(client, item)  # a link error ends the session (and the write is dropped)
            with self._lock:
                self._pending.pop(item.id, None)
                if response.isError():
                    code = getattr(response, "exception_code", 0)
                    self._refused[item.device] = (
                        f"command {item.text} refused by {self.endpoint}: {exception_text(code)}"
                    )
                    self._marks.pop(item.device, None)
                else:
                    self._refused.pop(item.device, None)
                    if not any(p.device == item.device for p in self._pending.values()):
                        self._marks[item.device] = time.monotonic() + self.settle_s

    async def _send(self, client: AsyncModbusTcpClient, item: _Write) -> ModbusPDU:
        register, unit = item.register, item.device_id
        if isinstance(item.payload, bool):
            return await client.write_coil(register.address, item.payload, device_id=unit)
        if len(item.payload) == 1:
            return await client.write_register(register.address, item.payload[0], device_id=unit)
        return await client.write_registers(register.address, item.payload, device_id=unit)


Reader = Callable[..., Awaitable[ModbusPDU]]
_READERS: Final[dict[str, Callable[[AsyncModbusTcpClient], Reader]]] = {
    "coil": lambda c: c.read_coils, "discrete": lambda c: c.read_discrete_inputs,
    "holding": lambda c: c.read_holding_registers, "input": lambda c: c.read_input_registers,
}  # fmt: skip
