"""The twin's OPC UA address space, generated from the line (the same names as the bindings template).

``Objects/<line>`` holds an object per device (``s=DEVICE``) with

* a variable per channel (``s=DEVICE.CHANNEL``; a sensor's ``s=SENSOR.value``): Boolean flags,
  UInt32 counts, Double numbers as AnalogItems with ``EngineeringUnits`` (UNECE, OPC 10000-8)
  and ``EURange``;
* its command: a writable ``s=DEVICE.command`` (switch: Boolean; setpoint: Double °C) and the
  method ``Command``; a source's ``Deposit(step JSON)``; the operator's ``Assign(step JSON)``;
* ``MachineryItemState`` — the state names of OPC 40001-1 (Machinery) ``MachineryItemState``
  (NotAvailable, OutOfService, NotExecuting, Executing) as a String (the nodeset itself is not
  imported: asyncua ships no DI/Machinery nodesets).

``Objects/twin`` (``s=twin``) holds the twin's clock (``clock_s``), a ``heartbeat`` counter,
``speed``, the loaded ``batch`` and ``faults``, and the methods ``Prepare``, ``InjectFault``,
``FreezeChannel`` and (with the operator off) ``ConfirmTask``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from asyncua import Server, ua
from asyncua.common.node import Node

from anodeline.equipment.catalogue import DeviceSpec
from anodeline.equipment.opcua.codec import UNECE, UNECE_NAMESPACE, unit_id
from anodeline.errors import AnodelineError

#: The range each engine unit is published with (EURange; est., what the instruments of fig1 span).
RANGES: Final[dict[str, tuple[float, float]]] = {
    "Pa": (0.0, 2.0e5),
    "ppm": (0.0, 1.0e6),
    "degC": (-100.0, 400.0),
    "um": (0.0, 20.0),
    "nm/s": (0.0, 100.0),
    "": (0.0, 1.0),
}
ANALOG_ITEM_TYPE: Final = ua.NodeId(2368)  # AnalogItemType (OPC 10000-8)


log = logging.getLogger("anodeline.twin")
#: What a command may raise in the twin (a bad value, an impossible step): answered Bad, never fatal to the server.
REFUSED = (AnodelineError, ValueError, TypeError, KeyError)


def node_id(ns: int, text: str) -> ua.NodeId:
    return ua.NodeId(text, ns)


@dataclass
class DeviceNodes:
    """The nodes of one device the server writes each tick."""

    spec: DeviceSpec
    channels: dict[str, ua.NodeId] = field(default_factory=dict)  # reading key → variable
    state: ua.NodeId | None = None


def _variant(value: float, kind: str) -> ua.Variant:
    if kind == "flag":
        return ua.Variant(bool(value >= 0.5), ua.VariantType.Boolean)
    if kind == "count":
        return ua.Variant(int(value), ua.VariantType.UInt32)
    return ua.Variant(float(value), ua.VariantType.Double)


def datavalue(value: float, kind: str, stamp: Any) -> ua.DataValue:
    return ua.DataValue(_variant(value, kind), SourceTimestamp=stamp, ServerTimestamp=stamp)


async def _analog(obj: Node, ns: int, ident: str, name: str, unit: str) -> Node:
    var = await obj.add_variable(
        node_id(ns, ident),
        ua.QualifiedName(name, ns),
        0.0,
        ua.VariantType.Double,
        datatype=ua.NodeId(ua.ObjectIds.Double),
    )
    code, display = UNECE.get(unit, ("", unit))
    eu = ua.EUInformation(
        NamespaceUri=UNECE_NAMESPACE,
        UnitId=unit_id(code),
        DisplayName=ua.LocalizedText(display),
        Description=ua.LocalizedText(display),
    )
    await var.add_property(0, "EngineeringUnits", ua.Variant(eu, ua.VariantType.ExtensionObject))
    low, high = RANGES.get(unit, (0.0, 1.0))
    await var.add_property(0, "EURange", ua.Variant(ua.Range(low, high), ua.VariantType.ExtensionObject))
    return var


async def add_device(
    server: Server, parent: Node, ns: int, spec: DeviceSpec, command: Callable[[Any], None] | None
) -> DeviceNodes:
    """The object, variables, command and state of one device; ``command(value)`` applies a command."""
    obj = await parent.add_object(node_id(ns, spec.name), ua.QualifiedName(spec.name, ns))
    nodes = DeviceNodes(spec)
    for channel in spec.channels:
        ident = f"{spec.name}.{channel.name}"
        if channel.value == "number":
            var = await _analog(obj, ns, ident, channel.name, channel.unit)
        else:
            name = ua.QualifiedName(channel.name, ns)
            var = await obj.add_variable(node_id(ns, ident), name, _variant(0.0, channel.value))
        nodes.channels[channel.key] = var.nodeid
    state = await obj.add_variable(
        node_id(ns, f"{spec.name}.MachineryItemState"), ua.QualifiedName("MachineryItemState", ns), "NotExecuting"
    )
    nodes.state = state.nodeid
    if spec.command is None or command is None:
        return nodes
    apply = command
    if spec.command in ("switch", "setpoint"):
        initial = (
            ua.Variant(False, ua.VariantType.Boolean)
            if spec.command == "switch"
            else ua.Variant(20.0, ua.VariantType.Double)
        )
        var = await obj.add_variable(node_id(ns, f"{spec.name}.command"), ua.QualifiedName("command", ns), initial)
        await var.set_writable(True)

        def setter(node_data: Any, attr: Any, value: ua.DataValue) -> None:
            try:
                apply(value.Value.Value)
            except REFUSED as exc:  # the write is answered Bad: the client's command is not acknowledged
                log.warning("%s refused %r: %s", spec.name, value.Value.Value, exc)
                raise ua.UaStatusCodeError(ua.StatusCodes.BadInvalidArgument) from exc
            node_data.attributes[attr].value = value

        server.set_attribute_value_setter(var.nodeid, setter)
        arg_type = ua.VariantType.Boolean if spec.command == "switch" else ua.VariantType.Double
        await _method(obj, ns, spec.name, "Command", [arg_type], apply)
    else:
        method = "Deposit" if spec.command == "deposit" else "Assign"
        await _method(obj, ns, spec.name, method, [ua.VariantType.String], apply)
    return nodes


async def _method(
    obj: Node, ns: int, device: str, name: str, args: list[ua.VariantType], apply: Callable[[Any], None]
) -> None:
    """A command method; it answers with the server time the command took effect (``Applied``).

    Samples the server stamps before that time are from before the command: the client does not
    let them end a wait (:meth:`anodeline.equipment.opcua.client.Link.submit`).
    """

    async def call(parent: Any, *inputs: ua.Variant) -> list[ua.Variant]:  # async: on the loop, not a worker thread
        try:
            apply(inputs[0].Value if inputs else None)
        except REFUSED as exc:
            log.warning("%s.%s refused: %s", device, name, exc)
            raise ua.UaStatusCodeError(ua.StatusCodes.BadInvalidArgument) from exc
        return [ua.Variant(datetime.now(UTC), ua.VariantType.DateTime)]

    await obj.add_method(node_id(ns, f"{device}.{name}"), ua.QualifiedName(name, ns), call, args,
                         [ua.VariantType.DateTime])  # fmt: skip
