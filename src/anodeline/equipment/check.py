"""The rules a bindings file must meet against its line, each finding located in the file.

Schema problems (``BND001``–``BND005``) come from :mod:`anodeline.documents.schema`; the rules
here need the line: the device exists (``BND006``), the channel exists (``BND007``), its unit has
the dimension the engine reads it in (``BND008``, checked with pint), every channel of a bound
device is bound (``BND009``), the file is for this line (``BND011``), the command suits the
device (``BND012``), no two channels share a node or register (``BND013``, a warning). Whether
the files of a line together bind every device exactly once is :mod:`anodeline.equipment.bindings`'.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from anodeline.documents.violations import Severity
from anodeline.equipment.catalogue import COMMAND_UNITS, DeviceSpec
from anodeline.equipment.schema import FileModel, ModbusBindings, ModbusRegister, OpcuaBindings, OpcuaCommand

SOURCE = "bindings files (docs/equipment.md)"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    hint: str
    source: str = SOURCE


@dataclass(frozen=True)
class Finding:
    path: str
    message: str
    hint: str = ""


UNKNOWN_DEVICE = Rule("BND006", Severity.ERROR, "A binding names a device the line does not have",
                      "bind the devices 'anodeline twin bindings LINE' lists")  # fmt: skip
UNKNOWN_CHANNEL = Rule("BND007", Severity.ERROR, "A binding names a channel its device does not have",
                       "docs/equipment.md lists each device kind's channels")  # fmt: skip
WRONG_UNIT = Rule("BND008", Severity.ERROR, "A channel or setpoint unit is missing, unknown or of the wrong dimension",
                  "give the unit the device reports in, of the dimension the message names")  # fmt: skip
UNBOUND = Rule("BND009", Severity.ERROR, "A device or channel of the line is not bound",
               "bind it in one of the line's bindings files")  # fmt: skip
BOUND_TWICE = Rule("BND010", Severity.ERROR, "A device is bound by two bindings files",
                   "bind each device in exactly one file")  # fmt: skip
WRONG_LINE = Rule("BND011", Severity.ERROR, "The bindings file is for another line",
                  "use the bindings file of this line, or set its 'line' key")  # fmt: skip
BAD_COMMAND = Rule("BND012", Severity.ERROR, "A command binding is missing, not wanted or unsuited to the device",
                   "docs/equipment.md lists the command each device kind takes and how it is bound")  # fmt: skip
SHARED_ADDRESS = Rule("BND013", Severity.WARNING, "Two channels read the same node or register",
                      "check the addresses against the PLC's tag list")  # fmt: skip
RULES: tuple[Rule, ...] = (
    UNKNOWN_DEVICE, UNKNOWN_CHANNEL, WRONG_UNIT, UNBOUND, BOUND_TWICE, WRONG_LINE, BAD_COMMAND, SHARED_ADDRESS,
)  # fmt: skip


def _dimension(unit: str) -> Any:
    from anodeline.units import Q_

    return Q_(1.0, unit).dimensionality if unit else Q_(1.0).dimensionality


def unit_problem(given: str | None, engine_unit: str) -> str | None:
    """Why ``given`` cannot be read as ``engine_unit`` (missing, unknown, other dimension), or None."""
    from anodeline.units import Q_

    if given is None:
        return None if not engine_unit else f"no unit given (the engine reads this channel in {engine_unit})"
    try:
        Q_(1.0, given) if given else Q_(1.0)
    except Exception as exc:  # pint raises several kinds for a bad unit string
        return f"unit {given!r} is not understood ({type(exc).__name__})"
    if _dimension(given) != _dimension(engine_unit):
        want = engine_unit or "a dimensionless number"
        return f"unit {given!r} is not of the dimension of {want} ({_dimension(engine_unit) or 'dimensionless'})"
    return None


def check_file(model: FileModel, line_name: str, devices: dict[str, DeviceSpec]) -> Iterator[tuple[Rule, Finding]]:
    """Every rule finding of one bindings file against the devices of its line."""
    if model.line != line_name:
        yield WRONG_LINE, Finding("line", f"the file binds line {model.line!r}, not {line_name!r}")
    addresses: dict[tuple[Any, ...], str] = {}
    for name, bound in model.devices.items():
        path = f"devices.{name}"
        spec = devices.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, list(devices), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"the line's devices: {', '.join(devices)}"
            yield UNKNOWN_DEVICE, Finding(path, f"line {line_name!r} has no device {name!r}", hint)
            continue
        for channel, address in bound.channels.items():
            where = f"{path}.channels.{channel}"
            wanted = spec.channel(channel)
            if wanted is None:
                known = ", ".join(c.name for c in spec.channels)
                yield (
                    UNKNOWN_CHANNEL,
                    Finding(where, f"a {spec.kind} has no channel {channel!r}", f"its channels: {known}"),
                )
                continue
            problem = unit_problem(address.unit, wanted.unit)
            if problem:
                yield WRONG_UNIT, Finding(f"{where}.unit" if address.unit is not None else where,
                                          f"{name}.{channel}: {problem}")  # fmt: skip
            if isinstance(address, ModbusRegister) and address.table in ("coil", "discrete") and wanted.value != "flag":
                yield WRONG_UNIT, Finding(f"{where}.table", f"{name}.{channel} is a number, not a bit: read it from "
                                          "an input or holding register")  # fmt: skip
            key = _address_key(model, address)
            if key in addresses:
                yield SHARED_ADDRESS, Finding(where, f"{name}.{channel} reads the same address as {addresses[key]}")
            addresses.setdefault(key, f"{name}.{channel}")
        for wanted_channel in spec.channels:
            if wanted_channel.name not in bound.channels:
                message = f"channel {wanted_channel.name!r} of {spec.kind} {name!r} is not bound"
                yield UNBOUND, Finding(f"{path}.channels" if bound.channels else path, message)
        yield from _check_command(model, path, spec, bound.command)


def _address_key(model: FileModel, address: Any) -> tuple[Any, ...]:
    if isinstance(model, ModbusBindings) and isinstance(address, ModbusRegister):
        table = "bits" if address.table in ("coil", "discrete") else "words"
        return (address.device_id or model.device_id, address.table, table, address.address)
    return (getattr(address, "node", None),)


def _check_command(model: FileModel, path: str, spec: DeviceSpec, command: Any) -> Iterator[tuple[Rule, Finding]]:
    where = f"{path}.command"
    if spec.command is None:
        if command is not None:
            yield BAD_COMMAND, Finding(where, f"{spec.name} is a read-only {spec.kind}: it takes no command",
                                       "remove the command")  # fmt: skip
        return
    if command is None:
        yield BAD_COMMAND, Finding(path, f"{spec.kind} {spec.name!r} takes a {spec.command} command: bind it",
                                   "add command: (docs/equipment.md)")  # fmt: skip
        return
    unit = COMMAND_UNITS[spec.command]
    if isinstance(model, OpcuaBindings) and isinstance(command, OpcuaCommand):
        if spec.command in ("deposit", "task") and command.call is None:
            yield BAD_COMMAND, Finding(where, f"a {spec.command} command carries several values: bind a method "
                                       "(call: NODE, object: NODE), not a write")  # fmt: skip
    elif isinstance(command, ModbusRegister):
        if spec.command in ("deposit", "task"):
            yield BAD_COMMAND, Finding(where, f"a {spec.command} command cannot be written to a Modbus register",
                                       f"bind {spec.name!r} over OPC UA")  # fmt: skip
            return
        if command.table in ("input", "discrete"):
            yield BAD_COMMAND, Finding(f"{where}.table", f"a {command.table} is read-only: write a command to a "
                                       f"{'coil' if spec.command == 'switch' else 'holding register'}")  # fmt: skip
    if unit is not None:
        problem = unit_problem(command.unit, unit)
        if problem:
            yield WRONG_UNIT, Finding(f"{where}.unit" if command.unit is not None else where,
                                      f"{spec.name} setpoint: {problem}")  # fmt: skip
    elif command.unit is not None:
        yield BAD_COMMAND, Finding(f"{where}.unit", f"a {spec.command} command has no unit", "remove the unit")
