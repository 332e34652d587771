"""The served twin's MachineryItemState names (OPC 40001-1) from a device's readings (no server needed)."""

from __future__ import annotations

from anodeline.devices.protocols import Reading
from anodeline.equipment.catalogue import expected_devices
from anodeline.equipment.opcua.server import machinery_state
from anodeline.line.config import Line


def _r(value: float) -> Reading:
    return Reading(value, 0.0)


def test_machinery_states_follow_the_readings(fig1: Line) -> None:
    specs = expected_devices(fig1)
    pump = specs["rotary-4"]
    assert machinery_state(pump, {"rotary-4.running": _r(1), "rotary-4.fault": _r(0)}, True) == "Executing"
    assert machinery_state(pump, {"rotary-4.running": _r(0), "rotary-4.fault": _r(0)}, True) == "NotExecuting"
    assert machinery_state(pump, {"rotary-4.running": _r(0), "rotary-4.fault": _r(1)}, True) == "OutOfService"
    assert machinery_state(specs["inlet-2"], {"inlet-2.position": _r(0.4)}, True) == "Executing"
    assert machinery_state(specs["inlet-2"], {"inlet-2.position": _r(1.0)}, False) == "OutOfService"
    assert machinery_state(specs["o2-4"], {"o2-4": _r(3.0)}, False) == "Executing"  # analysers are on the UPS
