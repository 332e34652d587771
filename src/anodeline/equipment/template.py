"""Bindings files generated from a line: the address space ``anodeline twin serve`` publishes.

The twin server and these templates share one naming convention, so the generated file binds
the served twin exactly; for a real PLC it is the starting point of commissioning (replace
each node id by the PLC's tag, each unit by the unit the PLC reports in).

OPC UA (namespace ``urn:anodeline:twin:LINE``): a channel is the variable ``s=DEVICE.CHANNEL``
(a sensor's ``s=SENSOR.value``); a switch or setpoint is written to ``s=DEVICE.command``; a
source's deposition is the method ``s=SOURCE.Deposit`` and the operator's glove work the
method ``s=operator.Assign``, both on the device object ``s=DEVICE``.

Modbus (the glove-box controller: each glove chamber's analysers, gauge, pump, gas valves,
purifier and load port): flags are discrete inputs, switches coils, numbers input registers
(float32, big-endian words; a gauge in mbar, a door's position in per mille as uint16).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import yaml

from anodeline.equipment.catalogue import DeviceSpec, expected_devices
from anodeline.line.config import Line

OPCUA_PORT = 4840
MODBUS_PORT = 5020


def namespace_uri(line: str) -> str:
    return f"urn:anodeline:twin:{line}"


def opcua_node(device: str, channel: str) -> str:
    """The twin's node id (without namespace) of a device's channel, command or method."""
    return f"s={device}.{channel}"


def opcua_object(device: str) -> str:
    return f"s={device}"


#: The method of each structured command kind.
METHODS = {"deposit": "Deposit", "task": "Assign"}
#: The unit a template binds each engine unit in over OPC UA (the twin publishes engine units).
_OPCUA_UNITS = {"": None, "ppm": "ppm", "Pa": "Pa", "degC": "degC", "um": "um", "nm/s": "nm/s"}


def glovebox_devices(line: Line) -> set[str]:
    """The devices a glove-box controller runs: each glove chamber's analysers, gauge, pump, valves, purifier, port."""
    found: set[str] = set()
    for name, space in line.spaces.items():
        if space.kind != "glove-chamber":
            continue
        found.update(n for n, s in line.sensors.items() if s.space == name)
        found.update(x for x in (space.pump, space.purifier, line.load_port(name)) if x)
        found.update(f"{name}/{supply}" for supply in space.supplies)
    return found


def _opcua_device(spec: DeviceSpec) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    for channel in spec.channels:
        entry: dict[str, Any] = {"node": opcua_node(spec.name, channel.name)}
        unit = _OPCUA_UNITS.get(channel.unit, channel.unit)
        if unit is not None:
            entry["unit"] = unit
        channels[channel.name] = entry
    data: dict[str, Any] = {"channels": channels}
    if spec.command in ("switch", "setpoint"):
        data["command"] = {"write": opcua_node(spec.name, "command")}
        if spec.command == "setpoint":
            data["command"]["unit"] = "degC"
    elif spec.command is not None:
        data["command"] = {"call": opcua_node(spec.name, METHODS[spec.command]), "object": opcua_object(spec.name)}
    return data


def opcua_template(
    line: Line, *, host: str = "127.0.0.1", port: int = OPCUA_PORT, exclude: Collection[str] = ()
) -> dict[str, Any]:
    """A bindings document for the twin of ``line`` served over OPC UA (every device not in ``exclude``)."""
    devices = {n: _opcua_device(s) for n, s in expected_devices(line).items() if n not in exclude}
    return {
        "line": line.line, "protocol": "opcua", "endpoint": f"opc.tcp://{host}:{port}/anodeline",
        "namespace": namespace_uri(line.line), "stale_after": "5 s", "ack_timeout": "5 s", "publish_interval": "10 ms",
        "prepare": {"call": "s=twin.Prepare", "object": "s=twin"}, "devices": devices,
    }  # fmt: skip


def modbus_template(line: Line, *, host: str = "127.0.0.1", port: int = MODBUS_PORT) -> dict[str, Any]:
    """A bindings document for the glove-box part of ``line`` over Modbus TCP (a sequential register map)."""
    coil = discrete = register = 0
    devices: dict[str, Any] = {}
    wanted = glovebox_devices(line)
    for name, spec in expected_devices(line).items():
        if name not in wanted:
            continue
        channels: dict[str, Any] = {}
        for channel in spec.channels:
            if channel.value == "flag":
                channels[channel.name] = {"table": "discrete", "address": discrete, "type": "bool"}
                discrete += 1
            elif spec.kind == "door":
                channels[channel.name] = {"table": "input", "address": register, "type": "uint16", "scale": 0.001}
                register += 1
            else:
                unit = "mbar" if channel.unit == "Pa" else channel.unit
                channels[channel.name] = {"table": "input", "address": register, "type": "float32", "unit": unit}
                register += 2
        data: dict[str, Any] = {"channels": channels}
        if spec.command == "switch":
            data["command"] = {"table": "coil", "address": coil, "type": "bool"}
            coil += 1
        devices[name] = data
    return {
        "line": line.line, "protocol": "modbus", "endpoint": f"{host}:{port}", "device_id": 1,
        "poll_interval": "200 ms", "stale_after": "5 s", "ack_timeout": "5 s", "devices": devices,
    }  # fmt: skip


def dump(document: dict[str, Any], header: str = "") -> str:
    """YAML text of a bindings document, one device per block."""
    text = yaml.safe_dump(document, sort_keys=False, width=120, default_flow_style=None)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + text
