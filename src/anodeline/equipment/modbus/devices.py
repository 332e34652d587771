"""The devices of a Modbus bindings file: ``read``/``set``/``stop`` and ``health`` over one :class:`ModbusLink`.

``read()`` returns the link's cached readings (engine units, wall-clock timestamps), leaving out any
older than the channel's ``stale_after`` and, after a command, those asked for before the controller
took it (plus a scan): the engine never sees stale data as if it were current, nor the state before
its command as the command's outcome. ``set(value)`` queues a write — a coil for a switch (``True``
on/open), the registers of a holding value for a setpoint (engine unit → register by the binding) —
and returns at once; completion is read back, as with every backend. ``stop()`` writes each kind's
safe state (:data:`SAFE`): a pump isolates, a valve closes, a heater goes to ambient; a purifier
keeps circulating (that is what keeps a box clean) and a door is left as it is (one coil cannot say
"halt"; the controller's own interlocks stop a door that meets something).
"""

from __future__ import annotations

import time
from typing import Any, Final

from anodeline.devices.protocols import Health, Reading
from anodeline.equipment.bindings import BindingFile, DeviceBinding
from anodeline.equipment.modbus.client import ModbusLink
from anodeline.equipment.modbus.codec import RegisterValueError, encode
from anodeline.equipment.schema import ModbusRegister

#: What ``stop()`` commands, by device kind (absent: nothing is written).
SAFE: Final[dict[str, float | bool]] = {"pump": False, "valve": False, "heater": 25.0}  # heater: ambient, °C


class ModbusDevice:
    """One device of the line, read and commanded through a Modbus controller."""

    def __init__(self, binding: DeviceBinding, link: ModbusLink) -> None:
        self.binding, self.link = binding, link
        self._name = binding.name
        self._channels = tuple((c.key, c.stale_after_s) for c in binding.channels)

    @property
    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"ModbusDevice({self._name!r} at {self.link.endpoint})"

    def read(self) -> dict[str, Reading]:
        """The fresh readings in the link's cache (never waits on the network)."""

        now = time.monotonic()
        found: dict[str, Reading] = {}
        sample, since = self.link.sample, self.link.mark(self._name)
        for key, stale_after_s in self._channels:
            got = sample(key)
            if got is not None and now - got[1] <= stale_after_s and got[1] >= since:
                found[key] = got[0]
        return found

    def set(self, value: Any) -> None:
        """Queue the command; a value the register cannot hold is refused (health NO-ACK), not raised."""
        command = self.binding.command
        if command is None:
            raise TypeError(f"{self._name} takes no command (it is a {self.binding.spec.kind})")
        register = command.address
        assert isinstance(register, ModbusRegister)
        text = f"{self._name} ← {value!r}"
        payload: bool | list[int]
        if register.table == "coil":
            payload = bool(value)
        else:
            number = (1.0 if value else 0.0) if command.kind == "switch" else float(value)
            try:
                payload = encode(command.encode(number), register)
            except RegisterValueError as exc:
                self.link.refuse(self._name, f"command {text} cannot be written: {exc.message}")
                return
        self.link.write(self._name, register, payload, text)

    def stop(self) -> None:
        """Make safe (fire and forget): see :data:`SAFE`."""
        safe = SAFE.get(self.binding.spec.kind)
        if safe is not None and self.binding.command is not None:
            self.set(safe)

    def health(self) -> Health | None:
        return self.link.health(self.binding)


class ModbusEquipment:
    """The link to one controller and its devices by name; a context manager that closes the link."""

    def __init__(self, file: BindingFile, *, timeout_s: float = 1.0, speed: float = 1.0) -> None:
        self.link = ModbusLink(file, timeout_s=timeout_s, speed=speed)
        self.devices: dict[str, ModbusDevice] = {d.name: ModbusDevice(d, self.link) for d in file.devices}

    def start(self, wait_s: float = 5.0) -> ModbusEquipment:
        self.link.start(wait_s)
        return self

    def close(self) -> None:
        self.link.close()

    def __enter__(self) -> ModbusEquipment:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect_modbus(
    file: BindingFile, *, wait_s: float = 5.0, timeout_s: float = 1.0, speed: float = 1.0
) -> ModbusEquipment:
    """Connect to the controller of ``file`` and read every bound value once (raises ModbusError if it cannot)."""
    return ModbusEquipment(file, timeout_s=timeout_s, speed=speed).start(wait_s)
