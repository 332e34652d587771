"""The twin as a Modbus controller, probed with a plain pymodbus client: the map is the bindings file's, no more."""

from __future__ import annotations

import pytest
from pymodbus.client import ModbusTcpClient

from anodeline.devices.sim.twin import Twin
from anodeline.equipment import BindingFile
from anodeline.equipment.modbus import ModbusTwinServer, ServerThread
from anodeline.equipment.modbus.codec import decode, encode
from anodeline.equipment.modbus.server import LOOPBACK, RegisterMap
from anodeline.equipment.schema import ModbusRegister
from tests.equipment.modbus.conftest import Switchable, wait_for

Served = tuple[ServerThread, Switchable, BindingFile]


@pytest.fixture
def client(served: Served) -> ModbusTcpClient:
    host, port = served[2].endpoint.rsplit(":", 1)
    plain = ModbusTcpClient(host, port=int(port), timeout=2, retries=0)
    assert plain.connect()
    yield plain
    plain.close()


def test_the_register_map_is_the_bindings_file(glovebox: BindingFile) -> None:
    found = RegisterMap.of(glovebox)
    assert found.units == (1,)
    assert {(t, a) for _, t, a in found.commands} == {("coil", a) for a in range(8)}
    owners = {(t, a): v.device for (_, t, a), v in found.owners.items()}
    assert owners[("input", 0)] == owners[("input", 1)] == "o2-4"  # a float32 owns two registers
    assert owners[("discrete", 1)] == "rotary-4" and owners[("coil", 6)] == "port-4"
    assert len(owners) == 8 + 8 + 6 * 2 + 2


def test_it_binds_loopback_unless_told(glovebox: BindingFile, quiet_twin: Twin) -> None:
    assert ModbusTwinServer(glovebox, Switchable(quiet_twin.devices)).host == LOOPBACK == "127.0.0.1"


def test_inputs_carry_the_twins_readings_in_the_files_encoding(client: ModbusTcpClient, quiet_twin: Twin) -> None:
    registers = client.read_input_registers(0, count=14, device_id=1).registers
    gauge = ModbusRegister(table="input", address=4, type="float32", unit="mbar")
    pa = quiet_twin.devices["gauge-4"].read()["gauge-4"].value
    assert decode(registers[4:6], gauge) == pytest.approx(pa / 100.0, rel=1e-6)  # mbar, big-endian words
    assert registers[12:14] == [0, 0]  # the load ports closed: 0 per mille
    bits = client.read_discrete_inputs(0, count=8, device_id=1).bits[:8]
    assert bits == [False] * 8


def test_a_written_coil_is_a_command_to_the_twin(client: ModbusTcpClient, served: Served, quiet_twin: Twin) -> None:
    _, access, _ = served
    assert not client.write_coil(2, True, device_id=1).isError()  # chamber-4/argon
    assert access.sets == [("chamber-4/argon", True)]
    assert quiet_twin.devices["chamber-4/argon"].read()["chamber-4/argon.open"].value == 1.0
    wait_for(lambda: client.read_discrete_inputs(3, count=1, device_id=1).bits[0])
    assert client.read_coils(2, count=1, device_id=1).bits[0]  # the coil keeps what was written
    assert not client.write_coils(6, [True, True], device_id=1).isError()  # both load ports in one request
    assert access.sets[-2:] == [("port-4", True), ("port-5", True)]


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (lambda c: c.read_input_registers(40, count=2, device_id=1), 0x02),  # nothing bound there
        (lambda c: c.read_input_registers(12, count=3, device_id=1), 0x02),  # runs past the last bound register
        (lambda c: c.read_holding_registers(0, count=1, device_id=1), 0x02),  # no holding register in this file
        (lambda c: c.write_coil(9, True, device_id=1), 0x02),  # a coil nothing binds
        (lambda c: c.write_register(0, 1, device_id=1), 0x02),
    ],
)
def test_an_address_the_file_does_not_bind_answers_illegal_address(
    client: ModbusTcpClient, request_, code: int
) -> None:  # type: ignore[no-untyped-def]
    response = request_(client)
    assert response.isError() and response.exception_code == code


def test_a_partial_write_of_a_two_register_setpoint_is_an_illegal_value(tmp_path, fig1, quiet_twin) -> None:  # type: ignore[no-untyped-def]
    from tests.equipment.modbus.conftest import modbus_file, write_bindings

    def heater(opcua, modbus):  # type: ignore[no-untyped-def]
        del opcua["devices"]["system-1/heater"]
        modbus["devices"]["system-1/heater"] = {
            "channels": {c: {"table": "input", "address": 30 + 2 * i, "type": "float32", "unit": "degC"}
                         for i, c in enumerate(("temperature", "setpoint"))},
            "command": {"table": "holding", "address": 10, "type": "float32", "unit": "degC"},
        }  # fmt: skip

    file = modbus_file(write_bindings(tmp_path, heater), fig1)
    access = Switchable(quiet_twin.devices)
    with ServerThread(ModbusTwinServer(file, access, port=0)) as server:
        plain = ModbusTcpClient("127.0.0.1", port=int(server.endpoint.rsplit(":", 1)[1]), timeout=2, retries=0)
        assert plain.connect()
        try:
            half = plain.write_register(10, 0x4316, device_id=1)
            assert half.isError() and half.exception_code == 0x03 and not access.sets
            whole = encode(150.0, ModbusRegister(table="holding", address=10, type="float32"))
            assert not plain.write_registers(10, whole, device_id=1).isError()
            assert access.sets == [("system-1/heater", 150.0)]
        finally:
            plain.close()
