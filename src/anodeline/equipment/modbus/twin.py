"""The hooks the rest of anodeline calls: ``twin serve --modbus HOST:PORT`` and ``run --devices`` over Modbus.

:func:`serve_twin` serves the glove-box part of a running twin server (``anodeline twin serve``)
over Modbus TCP on that server's own event loop. Its register map is the line's Modbus template
(:func:`anodeline.equipment.template.modbus_template`), the generator the shipped
``examples/bindings/LINE.modbus.yaml`` files come from, so a client reading the shipped file and
this server agree by construction; a file can also be given. Readings the twin server freezes
(``FreezeChannel``) stop being refreshed here too, and are then refused (exception 0x0B).

:func:`connect_file` connects one Modbus bindings file for ``run --devices``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from anodeline.devices.protocols import Reading
from anodeline.equipment.bindings import BindingFile, validate_bindings_text
from anodeline.equipment.modbus.client import ModbusLink
from anodeline.equipment.modbus.devices import ModbusDevice, ModbusEquipment
from anodeline.equipment.modbus.errors import ModbusError
from anodeline.equipment.modbus.server import LOOPBACK, ModbusTwinServer
from anodeline.equipment.schema import MODBUS_ENDPOINT, host_port
from anodeline.equipment.template import dump, modbus_template
from anodeline.line.config import Line

log = logging.getLogger("anodeline.twin.modbus")


def connect_file(
    file: BindingFile, *, speed: float = 1.0, wait_s: float = 5.0
) -> tuple[ModbusLink, dict[str, ModbusDevice]]:
    """Connect a Modbus bindings file: its link (to close at the end) and its devices by name.

    ``speed`` N (a rehearsal against a twin at ``--speed N``) polls N times as often (at most every
    5 ms), for the same resolution in twin time; staleness and acknowledgement stay wall-clock limits.
    """
    equipment = ModbusEquipment(file, speed=speed).start(wait_s)
    return equipment.link, equipment.devices


def twin_bindings(line: Line, host: str = LOOPBACK, port: int = 5020) -> BindingFile:
    """The register map of ``line``'s glove-box part as the twin serves it (the line's Modbus template)."""
    text = dump(modbus_template(line, host=host, port=port))
    report = validate_bindings_text(text, line, f"<modbus map of {line.line}>")
    if not report.valid or report.model is None:  # pragma: no cover - the template binds its own line
        raise ModbusError(f"the Modbus template of line {line.line!r} does not bind it: {report.errors[0].message}")
    return BindingFile(report.file, report.model, report.devices)


class TwinServing(Protocol):
    """What :func:`serve_twin` uses of ``anodeline twin serve``'s server (``opcua.server.TwinServer``)."""

    line: Line
    twin: Any  # the twin it serves now (a Prepare replaces it): ``twin.devices`` by name
    frozen: set[str]  # readings FreezeChannel stopped

    def command(self, device: str) -> Callable[[Any], None]: ...


class ServedTwin:
    """A :class:`~anodeline.equipment.modbus.server.TwinAccess` over ``anodeline twin serve``'s twin server.

    Reads the twin it serves now (a ``Prepare`` replaces it), leaves out frozen channels, and
    commands through the server's own command path (as its OPC UA writes do). Everything runs
    on the twin server's event loop: no lock needed.
    """

    def __init__(self, server: TwinServing) -> None:
        self.server = server

    def read(self, device: str) -> Mapping[str, Reading]:
        readings: Mapping[str, Reading] = self.server.twin.devices[device].read()
        frozen = self.server.frozen
        return {key: value for key, value in readings.items() if key not in frozen} if frozen else readings

    def set(self, device: str, value: Any) -> None:
        self.server.command(device)(value)


@dataclass
class Serving:
    """A Modbus server running on the caller's loop; ``await stop()`` ends it."""

    server: ModbusTwinServer
    task: asyncio.Task[None]

    @property
    def endpoint(self) -> str:
        return self.server.endpoint

    async def stop(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


async def serve_twin(
    twin_server: TwinServing, endpoint: str, *, file: BindingFile | None = None, refresh_s: float = 0.01
) -> Serving:
    """Serve ``twin_server``'s glove-box part over Modbus TCP at ``endpoint`` (``HOST:PORT``) on the running loop.

    ``refresh_s``: how often (wall) every served reading is copied from the twin (the server's tick).
    """
    if not MODBUS_ENDPOINT.match(endpoint):
        raise ModbusError(f"--modbus {endpoint!r} is not HOST:PORT", hint="e.g. --modbus 127.0.0.1:5020")
    host, port = host_port(endpoint)
    if host not in (LOOPBACK, "localhost", "::1"):
        log.warning("Modbus has no security: serving the glove box on %s, reachable from the network", endpoint)
    bound = file or twin_bindings(twin_server.line, host, port)
    server = ModbusTwinServer(bound, ServedTwin(twin_server), host=host, port=port, refresh_s=refresh_s)
    listening = asyncio.Event()
    task = asyncio.create_task(server.serve(lambda _endpoint: listening.set()))
    ready = asyncio.create_task(listening.wait())
    await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
    if not listening.is_set():
        ready.cancel()
        error = task.exception() if task.done() else None
        raise ModbusError(f"cannot serve Modbus on {endpoint}: {error}", hint="is the port in use? pick another one")
    return Serving(server, task)
