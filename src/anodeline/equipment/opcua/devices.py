"""Devices over OPC UA: each satisfies :class:`~anodeline.devices.protocols.Device` and is :class:`Supervised`.

``read()`` answers from the link's cache (never waits on the network); ``set()`` queues the
command on the link's loop and returns; ``stop()`` commands the kind's safe state (pump
isolated, valve closed, heater to ambient, source off; a purifier, an analyser, a door —
which the PLC halts itself — the operator and the mains have nothing to command).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from anodeline.devices.commands import SourceCommand
from anodeline.devices.protocols import Health, Reading
from anodeline.devices.sim.params import TwinParams
from anodeline.equipment.bindings import DeviceBinding
from anodeline.equipment.opcua.client import Link
from anodeline.equipment.opcua.codec import encode_action
from anodeline.equipment.schema import OpcuaCommand
from anodeline.line.actions import Action

AMBIENT_DEGC = TwinParams().ambient_degc


class OpcuaDevice:
    """One bound device on one link."""

    def __init__(self, binding: DeviceBinding, link: Link) -> None:
        self.binding = binding
        self.link = link
        self._name = binding.name
        self._keys = tuple(c.key for c in binding.channels)

    @property
    def name(self) -> str:
        return self._name

    def read(self) -> dict[str, Reading]:
        return self.link.read(self._keys, self._name)

    def health(self) -> Health | None:
        return self.link.health(self._name, self._keys)

    def set(self, value: Any) -> None:
        command = self.binding.command
        if command is None:
            raise TypeError(f"{self._name} is a read-only device: it cannot be set to {value!r}")
        from asyncua import ua

        kind = command.kind
        if kind == "switch":
            variant = ua.Variant(bool(value), ua.VariantType.Boolean)
            what = f"{'on' if value else 'off'}"
        elif kind == "setpoint":
            variant = ua.Variant(command.encode(float(value)), ua.VariantType.Double)
            what = f"setpoint {float(value):g} °C"
        elif kind == "deposit":
            deposit = value.deposit if isinstance(value, SourceCommand) else None
            variant = ua.Variant(encode_action(deposit), ua.VariantType.String)
            what = f"deposit {deposit.layer}" if deposit is not None else "source off"
        else:
            if not isinstance(value, Action):
                raise TypeError(f"the operator takes an action, not {value!r}")
            variant = ua.Variant(encode_action(value), ua.VariantType.String)
            what = value.describe()
        address = command.address
        assert isinstance(address, OpcuaCommand)  # an OPC UA device has OPC UA bindings
        link = self.link
        if address.write is not None:
            node = link.nodes[address.write]

            async def write(client: Any) -> Any:
                target = client.get_node(node)
                await target.write_value(ua.DataValue(variant))
                return (await target.read_data_value()).ServerTimestamp  # when the server took the write
        else:
            method, obj = link.nodes[address.call or ""], link.nodes[address.object or ""]

            async def write(client: Any) -> Any:
                applied = await client.get_node(obj).call_method(method, variant)
                return applied if isinstance(applied, datetime) else None  # a twin method answers its time

        link.submit(self._name, f"command {what} to {self._name}", write)

    @property
    def can_confirm(self) -> bool:
        """True for an operator whose bindings file says how to tell it a person did its task."""
        return self.binding.spec.kind == "operator" and self.link.model.confirm_task is not None

    def confirm(self) -> None:
        """Tell the equipment a person did the oldest glove task (a prompt confirmed with ``anodeline confirm``)."""
        if self.can_confirm:
            self.link.confirm_task(self._name)

    def stop(self) -> None:
        kind = self.binding.spec.kind
        if kind in ("pump", "valve"):
            self.set(False)
        elif kind == "heater":
            self.set(AMBIENT_DEGC)
        elif kind == "source":
            self.set(SourceCommand(None))
