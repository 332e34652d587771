"""Equipment: where a line's devices live (bindings files) and the backends that reach them.

:mod:`~anodeline.equipment.catalogue` says what the engine expects of each device of a line;
:mod:`~anodeline.equipment.bindings` loads and checks the files that bind those devices to
OPC UA nodes or Modbus registers (docs/equipment.md).
"""

from anodeline.equipment.bindings import (
    BindingFile,
    BindingsError,
    ChannelBinding,
    CommandBinding,
    Conversion,
    DeviceBinding,
    LineBindings,
    load_bindings,
    validate_bindings_file,
    validate_bindings_text,
)
from anodeline.equipment.catalogue import ChannelSpec, DeviceSpec, expected_devices

__all__ = [
    "BindingFile", "BindingsError", "ChannelBinding", "ChannelSpec", "CommandBinding", "Conversion", "DeviceBinding",
    "DeviceSpec", "LineBindings", "expected_devices", "load_bindings", "validate_bindings_file",
    "validate_bindings_text",
]  # fmt: skip
