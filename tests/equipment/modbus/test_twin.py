"""The hooks: ``twin serve --modbus`` serves the line's template map on the twin server's loop; ``run`` connects."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from anodeline.devices.sim.twin import Twin
from anodeline.equipment import load_bindings
from anodeline.equipment.modbus import ModbusError, ModbusLink, connect_file, serve_twin, twin_bindings
from anodeline.line.config import Line
from tests.equipment.modbus.conftest import BINDINGS, wait_for


class TwinServerLike:
    """What ``serve_twin`` uses of ``anodeline twin serve``'s server: its line, twin, frozen channels, command path."""

    def __init__(self, line: Line, twin: Twin) -> None:
        self.line, self.twin = line, twin
        self.frozen: set[str] = set()
        self.commanded: list[tuple[str, Any]] = []

    def command(self, device: str) -> Callable[[Any], None]:
        def apply(value: Any) -> None:
            self.commanded.append((device, value))
            self.twin.devices[device].set(bool(value))

        return apply


@pytest.fixture
def twin_server(fig1: Line, quiet_twin: Twin) -> Iterator[tuple[TwinServerLike, str]]:
    """The twin server's event loop on a thread, serving over Modbus on a free loopback port."""
    server = TwinServerLike(fig1, quiet_twin)
    started: dict[str, Any] = {}
    ready, stop = threading.Event(), threading.Event()

    async def main() -> None:
        serving = await serve_twin(server, "127.0.0.1:0")
        started["endpoint"] = serving.endpoint
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.01)
        await serving.stop()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10.0)
    yield server, started["endpoint"]
    stop.set()
    thread.join(10.0)


def test_the_served_map_is_the_shipped_glove_box_file(fig1: Line) -> None:
    shipped = next(f for f in load_bindings([BINDINGS / "fig1.deposition.opcua.yaml", BINDINGS / "fig1.modbus.yaml"],
                                            fig1).files if f.protocol == "modbus")  # fmt: skip
    served = twin_bindings(fig1)
    assert served.model.model_dump() == shipped.model.model_dump()
    assert served.endpoint == shipped.endpoint == "127.0.0.1:5020"


def test_the_shipped_file_reads_the_served_twin_and_a_frozen_channel_goes_stale(
    twin_server: tuple[TwinServerLike, str], fig1: Line, glovebox: Any
) -> None:
    server, endpoint = twin_server
    link, devices = connect_file(glovebox.with_endpoint(endpoint), speed=1000.0)
    assert isinstance(link, ModbusLink) and link.file.protocol == "modbus"
    try:
        assert devices["gauge-4"].read()["gauge-4"].value == pytest.approx(101325.0, rel=0.02)
        devices["purifier-5"].set(True)
        wait_for(lambda: server.commanded == [("purifier-5", True)])
        server.frozen.add("h2o-5")  # FreezeChannel
        health = wait_for(devices["h2o-5"].health)
        assert health.code == "STALE" and "h2o-5" in health.reason
    finally:
        link.close()


def test_a_bad_endpoint_is_refused(fig1: Line, quiet_twin: Twin) -> None:
    with pytest.raises(ModbusError, match="is not HOST:PORT"):
        asyncio.run(serve_twin(TwinServerLike(fig1, quiet_twin), "modbus:5020:x"))


def test_a_port_in_use_is_refused(twin_server: tuple[TwinServerLike, str], fig1: Line, quiet_twin: Twin) -> None:
    _, endpoint = twin_server
    with pytest.raises(ModbusError, match=f"cannot serve Modbus on {endpoint}"):
        asyncio.run(serve_twin(TwinServerLike(fig1, quiet_twin), endpoint))
