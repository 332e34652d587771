"""The error of the Modbus backend: equipment that cannot be used (exit 2, before any batch is recorded)."""

from __future__ import annotations

from typing import Final

from anodeline.errors import UnreadableInputError

UNREACHABLE: Final = "MBS001"  # the controller cannot be reached or read (codes.py)
NO_SUCH_REGISTER: Final = "MBS002"  # a bound register is not on the controller


class ModbusError(UnreadableInputError):
    """A Modbus controller that cannot be used: unreachable, a bound register it does not have, a value it cannot hold.

    Raised before a batch starts (the CLI exits 2, like an input it cannot read); once a batch
    runs, trouble with the link is reported through ``health()`` and holds the batch instead.
    """

    code = "MODBUS"
