"""Bindings: where every device and channel of a line lives on the equipment, loaded and checked.

A line is bound by one or more files (``examples/bindings/fig1.opcua.yaml``: the deposition
system on a PLC over OPC UA; ``fig1.modbus.yaml``: the glove boxes' controller over Modbus).
The files compose by union: each device is bound by exactly one of them, and together they
bind every device of the line and every channel of each (:mod:`anodeline.equipment.catalogue`).
Everything is checked before anything connects; every problem is a located violation
(file:line:column, code ``BND…``, hint).

A backend takes one :class:`BindingFile` (its protocol, endpoint, settings and devices) and
builds one :class:`~anodeline.devices.protocols.Device` per :class:`DeviceBinding`, returning
the reading keys of :attr:`ChannelBinding.key` in engine units (:meth:`Conversion.to_engine`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from anodeline.documents import SchemaCode, SchemaCodes, Violation, located, parse_document
from anodeline.documents.files import read_document
from anodeline.documents.source import read_yaml
from anodeline.documents.violations import Findings, Severity
from anodeline.equipment.catalogue import COMMAND_UNITS, ChannelSpec, CommandKind, DeviceSpec, expected_devices
from anodeline.equipment.check import BOUND_TWICE, SOURCE, UNBOUND, Finding, check_file
from anodeline.equipment.schema import (
    MODELS,
    FileModel,
    ModbusBindings,
    ModbusRegister,
    OpcuaBindings,
    OpcuaChannel,
    OpcuaCommand,
    Protocol,
)
from anodeline.errors import AnodelineError
from anodeline.line.config import Line


class BindingsError(AnodelineError, ValueError):
    """Bindings that cannot be used: a file that breaks a rule, or files that do not bind the line."""

    code = "BINDINGS"

    def __init__(
        self, message: str, *, violations: Sequence[Violation] = (), hint: str = "", location: str = ""
    ) -> None:
        self.violations = tuple(violations)
        super().__init__(message, hint=hint, location=location)


def _codes(model: type[OpcuaBindings] | type[ModbusBindings]) -> SchemaCodes:
    return SchemaCodes(
        model=model,
        syntax=SchemaCode("BND001", "fix the YAML at the line shown", "YAML"),
        duplicate_key=SchemaCode("BND005", "keep one of the two entries", "YAML"),
        unknown_key=SchemaCode("BND002", "docs/equipment.md lists every key", SOURCE),
        missing=SchemaCode("BND003", "add the key", SOURCE),
        bad_value=SchemaCode("BND004", "write the value as docs/equipment.md shows", SOURCE),
        not_a_mapping="a bindings file must be a YAML mapping",
    )


# --- value objects -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversion:
    """``engine = gain × raw + bias``: a device value (raw register or node value) to the engine's unit."""

    gain: float = 1.0
    bias: float = 0.0

    def to_engine(self, raw: float) -> float:
        return self.gain * raw + self.bias

    def to_device(self, value: float) -> float:
        return (value - self.bias) / self.gain


def conversion(unit: str | None, engine_unit: str, scale: float = 1.0, offset: float = 0.0) -> Conversion:
    """The linear map from a raw value (× ``scale`` + ``offset`` gives ``unit``) to ``engine_unit`` (pint)."""
    from anodeline.units import Q_

    def to_engine(x: float) -> float:
        quantity = Q_(x, unit) if unit else Q_(x)
        return float(quantity.to(engine_unit).magnitude if engine_unit else quantity.to("").magnitude)

    zero, one = to_engine(0.0), to_engine(1.0)
    gain = (one - zero) * scale
    return Conversion(gain, zero + (one - zero) * offset)


@dataclass(frozen=True)
class ChannelBinding:
    """One channel: what the engine calls it, where it is read, how to convert it, when it goes stale."""

    spec: ChannelSpec
    address: OpcuaChannel | ModbusRegister
    conversion: Conversion
    stale_after_s: float  # a reading older than this (wall seconds) counts as missing; inf: never

    @property
    def key(self) -> str:
        return self.spec.key


@dataclass(frozen=True)
class CommandBinding:
    kind: CommandKind
    address: OpcuaCommand | ModbusRegister
    conversion: Conversion  # engine unit → device (a setpoint); identity otherwise

    def encode(self, value: float) -> float:
        return self.conversion.to_device(value)


@dataclass(frozen=True)
class DeviceBinding:
    spec: DeviceSpec
    channels: tuple[ChannelBinding, ...]
    command: CommandBinding | None

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class BindingFile:
    """One bindings file: its protocol and endpoint, its settings (the schema model) and its devices."""

    path: str
    model: FileModel
    devices: tuple[DeviceBinding, ...]

    @property
    def protocol(self) -> Protocol:
        return self.model.protocol

    @property
    def endpoint(self) -> str:
        return self.model.endpoint

    @property
    def ack_timeout_s(self) -> float:
        return self.model.ack_timeout

    def with_endpoint(self, endpoint: str) -> BindingFile:
        """The same bindings at another endpoint (``anodeline run --devices``)."""
        return replace(self, model=self.model.model_copy(update={"endpoint": endpoint}))


@dataclass(frozen=True)
class LineBindings:
    """Every device of a line, bound by one or more files (each device by exactly one)."""

    line: str
    files: tuple[BindingFile, ...]
    devices: Mapping[str, DeviceBinding] = field(default_factory=lambda: MappingProxyType({}))

    def file_of(self, device: str) -> BindingFile:
        return next(f for f in self.files if any(d.name == device for d in f.devices))


@dataclass(frozen=True)
class BindingsReport(Findings):
    """The outcome of checking one bindings file against a line (never raises)."""

    file: str
    model: FileModel | None
    devices: tuple[DeviceBinding, ...]
    violations: tuple[Violation, ...]
    locations: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def valid(self) -> bool:
        return self.model is not None and not self.errors


# --- loading -------------------------------------------------------------------------------------


def validate_bindings_text(text: str, line: Line, file: str = "<bindings>") -> BindingsReport:
    """Check bindings YAML ``text`` against ``line``: schema, then the rules of :mod:`~anodeline.equipment.check`."""
    document = read_yaml(text)
    data = document.data if isinstance(document.data, dict) else {}
    protocol = data.get("protocol")
    model_type = MODELS.get(protocol) if isinstance(protocol, str) else None
    if model_type is None and document.data is not None and isinstance(document.data, dict):
        line_no, column = document.source_map.locate("protocol")
        message = "missing required key 'protocol'" if protocol is None else f"unknown protocol {protocol!r}"
        code = "BND003" if protocol is None else "BND004"
        violation = Violation(Severity.ERROR, code, "protocol", line_no, column, message,
                              "protocol: opcua or protocol: modbus", SOURCE)  # fmt: skip
        return BindingsReport(file, None, (), (violation,))
    parsed = parse_document(text, _codes(model_type or OpcuaBindings), model_type or OpcuaBindings)
    found = list(parsed.violations)
    devices: tuple[DeviceBinding, ...] = ()
    if parsed.value is not None:
        specs = expected_devices(line)
        found += [
            located(rule, finding, parsed.source_map) for rule, finding in check_file(parsed.value, line.line, specs)
        ]
        if not any(v.is_error for v in found):
            devices = tuple(_device(parsed.value, specs[name], bound) for name, bound in parsed.value.devices.items())
    return BindingsReport(file, parsed.value, devices, tuple(found), MappingProxyType(parsed.source_map.locations))


def _device(model: FileModel, spec: DeviceSpec, bound: Any) -> DeviceBinding:
    channels = []
    for channel in spec.channels:
        address = bound.channels[channel.name]
        scale, offset = (address.scale, address.offset) if isinstance(address, ModbusRegister) else (1.0, 0.0)
        stale = address.stale_after if address.stale_after is not None else model.stale_after
        channels.append(ChannelBinding(channel, address, conversion(address.unit, channel.unit, scale, offset), stale))
    command = None
    if spec.command is not None and bound.command is not None:
        address = bound.command
        unit = COMMAND_UNITS[spec.command]
        scale, offset = (address.scale, address.offset) if isinstance(address, ModbusRegister) else (1.0, 0.0)
        conv = conversion(address.unit, unit, scale, offset) if unit is not None else Conversion()
        command = CommandBinding(spec.command, address, conv)
    return DeviceBinding(spec, tuple(channels), command)


def validate_bindings_file(path: str | Path, line: Line) -> BindingsReport:
    """Check a bindings file; raises :class:`BindingsError` (exit 2) only when it cannot be read."""
    return validate_bindings_text(read_document(path, "bindings file", BindingsError), line, str(path))


def compose(
    reports: Iterable[BindingsReport], line: Line
) -> tuple[LineBindings | None, tuple[tuple[str, Violation], ...]]:
    """The union of the files' bindings, and every violation with its file.

    A device bound by none of the files (``BND009``, located at the first file's ``devices``) or by
    two (``BND010``, at the second binding) is an error; so is any error of a file alone.
    """
    reports = tuple(reports)
    found: list[tuple[str, Violation]] = [(r.file, v) for r in reports for v in r.violations]
    if any(not r.valid for r in reports):
        return None, tuple(found)
    owner: dict[str, BindingsReport] = {}
    for report in reports:
        for device in report.devices:
            first = owner.get(device.name)
            if first is None:
                owner[device.name] = report
                continue
            path = f"devices.{device.name}"
            finding = Finding(
                path, f"{device.name!r} is bound here and in {first.file}", "bind each device in one file"
            )
            found.append((report.file, _at(BOUND_TWICE, report.locations.get(path, (1, 1)), finding)))
    files = ", ".join(r.file for r in reports)
    for name, spec in expected_devices(line).items():
        if name not in owner and reports:
            finding = Finding("devices", f"{spec.kind} {name!r} of line {line.line!r} is bound by none of: {files}")
            found.append((reports[0].file, _at(UNBOUND, reports[0].locations.get("devices", (1, 1)), finding)))
    if any(v.is_error for _, v in found):
        return None, tuple(found)
    bound = tuple(BindingFile(r.file, r.model, r.devices) for r in reports if r.model is not None)
    devices = {d.name: d for f in bound for d in f.devices}
    ordered = {name: devices[name] for name in expected_devices(line)}
    return LineBindings(line.line, bound, MappingProxyType(ordered)), tuple(found)


def _at(rule: Any, where: tuple[int, int], finding: Finding) -> Violation:
    return Violation(rule.severity, rule.code, finding.path, where[0], where[1], finding.message,
                     finding.hint or rule.hint, rule.source)  # fmt: skip


def load_bindings(paths: Sequence[str | Path], line: Line) -> LineBindings:
    """Load the bindings files of ``line``; raises :class:`BindingsError` located at the first error.

    An unreadable file raises a :class:`BindingsError` that is also an
    :class:`~anodeline.errors.UnreadableInputError` (exit 2); a file that breaks a rule, exit 1.
    """
    if not paths:
        raise BindingsError(
            "no bindings file given", hint="pass --bindings FILE (e.g. examples/bindings/fig1.opcua.yaml)"
        )
    bindings, violations = compose([validate_bindings_file(path, line) for path in paths], line)
    if bindings is None:
        file, first = next((f, v) for f, v in violations if v.is_error)
        raise BindingsError(f"{first.code} {first.message}", violations=[v for _, v in violations], hint=first.hint,
                            location=f"{file}:{first.line}:{first.column}")  # fmt: skip
    return bindings


def default_bindings_path(line_path: str | Path, protocol: str = "opcua") -> Path:
    """The bindings of a line file: ``lines/fig1.yaml`` → ``bindings/fig1.opcua.yaml`` (beside ``lines/``)."""
    path = Path(line_path)
    return path.parent.parent / "bindings" / f"{path.stem}.{protocol}.yaml"
