"""The digital twin: a plant evolving on the clock by physics, simulated devices, and faults."""

from anodeline.devices.commands import SourceCommand
from anodeline.devices.sim.faults import FAULTS, Fault, FaultError, describe_faults, parse_fault
from anodeline.devices.sim.params import TwinParams
from anodeline.devices.sim.plant import Plant
from anodeline.devices.sim.twin import Twin, build_twin

__all__ = [
    "FAULTS", "Fault", "FaultError", "Plant", "SourceCommand", "Twin", "TwinParams", "build_twin", "describe_faults",
    "parse_fault",
]  # fmt: skip
