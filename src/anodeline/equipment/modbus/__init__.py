"""The Modbus TCP backend (pymodbus 3.x): devices read and commanded through a controller, and the twin served as one.

* :mod:`.codec` — values to and from registers (data type, word order, byte order);
* :mod:`.blocks` — the fewest contiguous reads that cover a file's bound values;
* :mod:`.client` — :class:`ModbusLink`, one connection per bindings file (poller, cache, writes, health);
* :mod:`.devices` — :class:`ModbusDevice`, the engine's ``read``/``set``/``stop``/``health`` per bound device;
* :mod:`.server` — :func:`serve_modbus`, the twin's devices behind the register map of the same file;
* :mod:`.twin` — the hooks of ``anodeline twin serve --modbus`` (:func:`serve_twin`) and ``run --devices``
  (:func:`connect_file`).

Import it only when Modbus is used (pymodbus is not needed by ``--help`` or ``validate``). pymodbus'
own log (a frame dump on every failed request) is not printed unless the application configures
logging: the link reports through ``health()`` and :class:`ModbusError` instead.
"""

import logging

from anodeline.equipment.modbus.client import CONNECTION_LOST, ModbusLink
from anodeline.equipment.modbus.devices import ModbusDevice, ModbusEquipment, connect_modbus
from anodeline.equipment.modbus.errors import ModbusError
from anodeline.equipment.modbus.server import LockedDevices, ModbusTwinServer, ServerThread, TwinAccess, serve_modbus
from anodeline.equipment.modbus.twin import ServedTwin, Serving, TwinServing, connect_file, serve_twin, twin_bindings

logging.getLogger("pymodbus").addHandler(logging.NullHandler())

__all__ = [
    "CONNECTION_LOST", "LockedDevices", "ModbusDevice", "ModbusEquipment", "ModbusError", "ModbusLink",
    "ModbusTwinServer", "ServedTwin", "ServerThread", "Serving", "TwinAccess", "TwinServing", "connect_file",
    "connect_modbus", "serve_modbus", "serve_twin", "twin_bindings",
]  # fmt: skip
