"""What the engine expects of a line's devices: their names, kinds, channels (with units) and commands.

One catalogue for every backend, derived from the line exactly as the twin builds its devices
(:func:`anodeline.devices.sim.twin.build_twin`, names from :mod:`anodeline.devices.naming`):
a binding file is checked against it, and a hardware backend returns the same reading keys
the twin does, in the same engine units.

======== ================================================ ================ =================
kind     channels (engine unit)                           command          from the line
======== ================================================ ================ =================
pump     running (flag), fault (flag)                     switch           ``spaces.*.pump``
valve    open (flag)                                      switch           ``space/supply``
purifier on (flag)                                        switch           ``spaces.*.purifier``
sensor   value (Pa, ppm or °C by what it measures)        —                ``sensors``
door     position (fraction: 0 closed … 1 open)           switch           ``doors``
heater   temperature (°C), setpoint (°C)                  setpoint (°C)    ``apparatus/heater``
source   on (flag), thickness_um (µm), rate_nm_per_s      deposit          ``apparatus/source``
operator busy (flag), done (count), refused (count)       task             always
mains    power (flag)                                     switch           always
======== ================================================ ================ =================

A sensor's one channel is called ``value`` in a binding file; its reading key is the sensor's
name alone (``o2-4``), every other channel's is ``device.channel`` (``rotary-4.running``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from anodeline.devices import naming
from anodeline.line.config import Line

#: What a command carries: a flag (on/off, open/closed), a temperature setpoint, a deposition
#: (:class:`anodeline.devices.commands.SourceCommand`) or a manual action for the operator.
CommandKind = Literal["switch", "setpoint", "deposit", "task"]
#: How a channel's value is read: a flag (0/1), a count (whole number) or a measured number.
ValueKind = Literal["flag", "count", "number"]

#: The engine unit of each sensor by what it measures (:mod:`anodeline.engine.observe`).
SENSOR_UNITS: Final[dict[str, str]] = {"o2": "ppm", "h2o": "ppm", "dew-point": "degC", "pressure": "Pa"}
#: The unit of a setpoint command, by command kind (None: the command has no unit).
COMMAND_UNITS: Final[dict[str, str | None]] = {"switch": None, "setpoint": "degC", "deposit": None, "task": None}


@dataclass(frozen=True)
class ChannelSpec:
    """One channel the engine reads: its binding name, reading key, engine unit and kind of value."""

    name: str
    key: str
    unit: str  # the engine's unit (pint); "" is dimensionless
    value: ValueKind = "number"


@dataclass(frozen=True)
class DeviceSpec:
    """One device the engine needs, with the channels it reads and the command it takes (None: read-only)."""

    name: str
    kind: str
    channels: tuple[ChannelSpec, ...]
    command: CommandKind | None

    def channel(self, name: str) -> ChannelSpec | None:
        return next((c for c in self.channels if c.name == name), None)


def _flags(device: str, *names: str) -> tuple[ChannelSpec, ...]:
    return tuple(ChannelSpec(n, f"{device}.{n}", "", "flag") for n in names)


def expected_devices(line: Line) -> dict[str, DeviceSpec]:
    """Every device of ``line`` the engine reads or commands, by name, in the twin's order."""
    found: dict[str, DeviceSpec] = {}

    def add(spec: DeviceSpec) -> None:
        found[spec.name] = spec

    for name, space in line.spaces.items():
        if space.pump:
            add(DeviceSpec(space.pump, "pump", _flags(space.pump, "running", "fault"), "switch"))
        if space.purifier:
            add(DeviceSpec(space.purifier, "purifier", _flags(space.purifier, "on"), "switch"))
        for supply in space.supplies:
            valve = naming.valve(name, supply)
            add(DeviceSpec(valve, "valve", _flags(valve, "open"), "switch"))
    for name, sensor in line.sensors.items():
        add(DeviceSpec(name, "sensor", (ChannelSpec("value", name, SENSOR_UNITS[sensor.measures]),), None))
    for name in line.doors:
        add(DeviceSpec(name, "door", (ChannelSpec("position", f"{name}.position", ""),), "switch"))
    for app_name, app in line.apparatus.items():
        if app.heater is not None:
            heater = naming.heater(app_name)
            channels = tuple(ChannelSpec(c, f"{heater}.{c}", "degC") for c in ("temperature", "setpoint"))
            add(DeviceSpec(heater, "heater", channels, "setpoint"))
        for src in app.sources:
            source = naming.source(app_name, src.name)
            channels = (
                ChannelSpec("on", f"{source}.on", "", "flag"),
                ChannelSpec("thickness_um", f"{source}.thickness_um", "um"),
                ChannelSpec("rate_nm_per_s", f"{source}.rate_nm_per_s", "nm/s"),
            )
            add(DeviceSpec(source, "source", channels, "deposit"))
    operator = naming.OPERATOR
    add(DeviceSpec(operator, "operator", (
        ChannelSpec("busy", f"{operator}.busy", "", "flag"),
        ChannelSpec("done", f"{operator}.done", "", "count"),
        ChannelSpec("refused", f"{operator}.refused", "", "count"),
    ), "task"))  # fmt: skip
    add(DeviceSpec(naming.MAINS, "mains", _flags(naming.MAINS, "power"), "switch"))
    return found
