"""Devices: tiny protocols (Readable, Settable, Stoppable) and their backends (``sim/`` is the twin)."""

from anodeline.devices.protocols import Device, Readable, Reading, Settable, Stoppable

__all__ = ["Device", "Readable", "Reading", "Settable", "Stoppable"]
