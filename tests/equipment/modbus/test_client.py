"""The client against the twin served over Modbus TCP on a loopback port (real protocol, nothing mocked).

Readings match the twin's within a register's resolution, commands reach the twin, and the link
supervises itself: a value the server stops refreshing goes STALE, a refused or slow command
NO-ACK, a killed server LINK ("connection lost") until it is back.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from anodeline.devices.protocols import Device, Health, Supervised
from anodeline.devices.sim.twin import Twin
from anodeline.engine.clock import SimClock
from anodeline.equipment import BindingFile
from anodeline.equipment.modbus import CONNECTION_LOST, ModbusError, ModbusTwinServer, ServerThread, connect_modbus
from anodeline.equipment.modbus.codec import resolution
from anodeline.equipment.schema import ModbusRegister
from anodeline.line.config import Line
from tests.equipment.modbus.conftest import Switchable, modbus_file, value, wait_for, write_bindings

Served = tuple[ServerThread, Switchable, BindingFile]


def test_every_reading_matches_the_twin_within_the_register_resolution(served: Served, quiet_twin: Twin) -> None:
    _, _, file = served
    with connect_modbus(file) as equipment:
        for name, device in equipment.devices.items():
            assert isinstance(device, Device) and isinstance(device, Supervised) and device.health() is None
            binding = equipment.link.channels
            got, want = device.read(), quiet_twin.devices[name].read()
            assert got.keys() == want.keys()
            for key, reading in got.items():
                register = binding[key].address
                assert isinstance(register, ModbusRegister)
                gain = binding[key].conversion.gain
                step = resolution(register, gain, binding[key].conversion.to_device(want[key].value))
                assert abs(reading.value - want[key].value) <= step, (key, reading.value, want[key].value, step)
        assert equipment.devices["gauge-4"].read()["gauge-4"].value == pytest.approx(101325.0, rel=0.02)  # Pa, via mbar


def test_commands_reach_the_twin_and_are_read_back(served: Served, quiet_twin: Twin, twin_clock: SimClock) -> None:
    _, access, file = served
    with connect_modbus(file) as equipment:
        pump, port = equipment.devices["rotary-4"], equipment.devices["port-4"]
        pump.set(True)
        seen: list[float | None] = []
        wait_for(lambda: seen.append(value(pump, "rotary-4.running")) or seen[-1] == 1.0)
        assert 0.0 not in seen  # the state before the command is never passed off as its outcome
        assert ("rotary-4", True) in access.sets and quiet_twin.devices["rotary-4"].read()[
            "rotary-4.running"
        ].value == 1.0
        port.set(True)  # the load port opens over its travel time on the twin's clock
        wait_for(lambda: ("port-4", True) in access.sets)
        with access.inner.lock:
            twin_clock.run_for(60.0)
        wait_for(lambda: value(port, "port-4.position") == 1.0)
        pump.stop()  # make safe: the pump isolates
        wait_for(lambda: value(pump, "rotary-4.running") == 0.0)
        assert access.sets[-1] == ("rotary-4", False) and pump.health() is None


def test_a_setpoint_goes_to_holding_registers_in_little_word_order(
    tmp_path: Path, fig1: Line, quiet_twin: Twin
) -> None:
    """The heater moved onto the Modbus controller: setpoint float32 CDAB in °F, temperatures int16 in 0.1 °C."""

    def heater_on_modbus(opcua: dict[str, Any], modbus: dict[str, Any]) -> None:
        name = "system-1/heater"
        del opcua["devices"][name]
        modbus["devices"][name] = {
            "channels": {
                "temperature": {"table": "input", "address": 20, "type": "int16", "scale": 0.1, "unit": "degC"},
                "setpoint": {"table": "input", "address": 21, "type": "int16", "scale": 0.1, "unit": "degC"},
            },
            "command": {"table": "holding", "address": 100, "type": "float32", "word_order": "little", "unit": "degF"},
        }

    file = modbus_file(write_bindings(tmp_path, heater_on_modbus), fig1)
    access = Switchable(quiet_twin.devices)
    with (
        ServerThread(ModbusTwinServer(file, access, port=0, refresh_s=0.02)) as server,
        connect_modbus(file.with_endpoint(server.endpoint)) as equipment,
    ):
        heater = equipment.devices["system-1/heater"]
        heater.set(150.0)  # °C, written as 302 °F
        wait_for(lambda: access.sets)
        device, sent = access.sets[0]
        assert device == "system-1/heater" and sent == pytest.approx(150.0, abs=1e-4)
        wait_for(lambda: value(heater, "system-1/heater.setpoint") == pytest.approx(150.0, abs=0.05))
        heater.set(1e40)  # a setpoint no float32 holds: refused at once, never sent
        health = wait_for(heater.health)
        assert health.code == "NO-ACK" and "overflows a float32" in health.reason
        heater.stop()  # make safe: ambient; acknowledged, so the device is trusted again
        wait_for(lambda: heater.health() is None)
        assert access.sets[-1][1] == pytest.approx(25.0, abs=1e-4)


def test_a_value_the_server_stops_refreshing_goes_stale_and_the_others_stay_fresh(served: Served) -> None:
    _, access, file = served
    with connect_modbus(file) as equipment:
        o2, h2o = equipment.devices["o2-4"], equipment.devices["h2o-4"]
        access.withheld.add("o2-4")  # the analyser stops answering its controller (served as exception 0x0B)
        health = wait_for(o2.health)
        assert health.code == "STALE"
        assert (
            "o2-4 has not updated for" in health.reason and "(limit 0.5 s)" in health.reason and "0x0B" in health.reason
        )
        assert "o2-4" not in o2.read()  # never passed on as if current
        assert h2o.health() is None and "h2o-4" in h2o.read()
        access.withheld.clear()
        wait_for(lambda: o2.health() is None)
        assert "o2-4" in o2.read()


def test_a_refused_command_is_no_ack_until_one_is_acknowledged(served: Served) -> None:
    _, access, file = served
    refuse = {"on": True}
    original = access.inner.set

    def picky(device: str, value: Any) -> None:
        if refuse["on"]:
            raise RuntimeError("interlock: purifier blower tripped")
        original(device, value)

    access.inner.set = picky  # type: ignore[method-assign]
    with connect_modbus(file) as equipment:
        purifier = equipment.devices["purifier-4"]
        purifier.set(True)
        health = wait_for(purifier.health)
        assert health == Health("NO-ACK", f"command purifier-4 ← True refused by {file.endpoint}: exception 0x04 "
                                "(device failure)")  # fmt: skip
        refuse["on"] = False
        purifier.set(True)
        wait_for(lambda: purifier.health() is None)


def test_a_command_unanswered_past_ack_timeout_is_no_ack(tmp_path: Path, fig1: Line, quiet_twin: Twin) -> None:
    file = modbus_file(write_bindings(tmp_path, stale_after="10 s"), fig1)  # the blocked controller reads nothing
    access = Switchable(quiet_twin.devices)
    release = threading.Event()
    original = access.inner.set

    def slow(device: str, value: Any) -> None:
        release.wait(10.0)  # the controller sits on the write (its loop blocked)
        original(device, value)

    access.inner.set = slow  # type: ignore[method-assign]
    with (
        ServerThread(ModbusTwinServer(file, access, port=0, refresh_s=0.02)) as server,
        connect_modbus(file.with_endpoint(server.endpoint), timeout_s=10.0) as equipment,
    ):
        valve = equipment.devices["chamber-4/argon"]
        valve.set(True)
        health = wait_for(valve.health)
        assert health == Health("NO-ACK", "command chamber-4/argon ← True not acknowledged within 0.5 s")
        release.set()
        wait_for(lambda: valve.health() is None and value(valve, "chamber-4/argon.open") == 1.0)


def test_a_killed_server_is_a_lost_link_until_it_is_back(served: Served, glovebox: BindingFile) -> None:
    server, access, file = served
    with connect_modbus(file) as equipment:
        server.stop()
        for device in equipment.devices.values():
            assert wait_for(device.health) == Health("LINK", CONNECTION_LOST)
        equipment.devices["rotary-4"].set(True)  # while blind: dropped, never replayed after the reconnection
        port = int(file.endpoint.rsplit(":", 1)[1])
        with ServerThread(ModbusTwinServer(glovebox, access, port=port, refresh_s=0.02)):
            wait_for(lambda: all(d.health() is None for d in equipment.devices.values()))
            assert all(d.read() for d in equipment.devices.values())
        assert ("rotary-4", True) not in access.sets


def test_an_unreachable_controller_is_refused_before_anything_runs(glovebox: BindingFile) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        endpoint = f"127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(ModbusError, match=f"MBS001 cannot read the Modbus controller at {endpoint}") as error:
        connect_modbus(glovebox.with_endpoint(endpoint), wait_s=0.5)
    assert error.value.location == glovebox.path


def test_a_binding_to_a_register_the_controller_lacks_is_refused(served: Served, tmp_path: Path, fig1: Line) -> None:
    def moved(_opcua: dict[str, Any], modbus: dict[str, Any]) -> None:
        modbus["devices"]["o2-4"]["channels"]["value"]["address"] = 300

    _, _, file = served
    (tmp_path / "wrong").mkdir()
    wrong = modbus_file(write_bindings(tmp_path / "wrong", moved), fig1, file.endpoint)
    with pytest.raises(ModbusError, match=r"MBS002 devices\.o2-4\.channels\.value: input register 300 of unit 1 is "
                       r"not on the controller at .* \(exception 0x02 \(illegal address\)\)") as error:  # fmt: skip
        connect_modbus(wrong)
    text = Path(wrong.path).read_text(encoding="utf-8").splitlines()
    line, column = map(int, error.value.location.rsplit(":", 2)[1:])
    assert error.value.location.startswith(wrong.path) and text[line - 1][column - 1 :].startswith("value:")
