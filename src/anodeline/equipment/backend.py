"""Connect the devices of a line from its bindings: one link per bindings file, one device per binding.

:func:`connect` is what ``anodeline run --devices`` calls: it returns :class:`Equipment`, whose
``devices`` the engine runs on (:func:`anodeline.engine.run.run_on_devices`) and whose
``metadata`` goes into the batch record (backend, endpoint, server certificate thumbprint).
Everything that can be wrong with the equipment is found here, before a batch is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from anodeline.devices.protocols import Device
from anodeline.equipment.bindings import LineBindings
from anodeline.equipment.opcua.client import Credentials, Link

#: The wall time a command and its read-back may take over a link (write, server scan, publish, engine poll),
#: with room for a busy machine (a rehearsal at --speed 1000 turns 2 s of wall into 2000 s of clock).
LINK_MARGIN_WALL_S = 2.0
#: One scan of a PLC (typically 5-50 ms; est. with room): its inputs follow its outputs this much later.
PLC_SCAN_WALL_S = 0.1


@dataclass
class Equipment:
    """The connected devices of a line and the links they share."""

    devices: dict[str, Device]
    links: list[Any] = field(default_factory=list)
    speed: float = 1.0

    @property
    def link_margin_s(self) -> float:
        """What every device wait allows for the link, in clock seconds (scaled by the rehearsal's speed)."""
        return LINK_MARGIN_WALL_S * self.speed

    @property
    def scan_grace_s(self) -> float:
        """How long a flag may read off before the engine believes it, in clock seconds: a PLC scan and two
        sampling intervals of the slowest link (a reading one scan late is not a pump that stopped)."""
        intervals = [link.sample_interval_s for link in self.links]
        return (PLC_SCAN_WALL_S + 2.0 * max(intervals, default=0.0)) * self.speed

    @property
    def min_period_s(self) -> float:
        """The shortest useful wait between two polls, in clock seconds: the slowest link's sampling interval."""
        return max((link.sample_interval_s for link in self.links), default=0.0) * self.speed

    def engine_settings(self, **given: Any) -> Any:
        """The engine's settings for a batch on this equipment (link margin, scan grace, poll floor) and ``given``."""
        from anodeline.engine.runner import EngineSettings

        return EngineSettings(link_margin_s=self.link_margin_s, scan_grace_s=self.scan_grace_s,
                              min_period_s=self.min_period_s, **given)  # fmt: skip

    @property
    def backend(self) -> str:
        kinds = sorted({link.file.protocol for link in self.links})
        return "+".join(kinds) if kinds else "twin"

    @property
    def endpoint(self) -> str:
        return " ".join(link.file.endpoint for link in self.links)

    def metadata(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "speed": self.speed,
            "links": [
                {
                    "protocol": link.file.protocol,
                    "endpoint": link.file.endpoint,
                    "bindings": _absolute(link.file.path),
                    "server_certificate_sha256": getattr(link, "server_thumbprint", "") or None,
                }
                for link in self.links
            ],
        }

    def prepare(self, procedure_json: str, seed: int) -> None:
        for link in self.links:
            prepare = getattr(link, "call_prepare", None)
            if prepare is not None:
                prepare(procedure_json, seed)

    def close(self) -> None:
        for device in self.devices.values():  # what a backend must do at the end: nothing left running
            del device
        for link in self.links:
            link.close()


def _absolute(path: str) -> str:
    """A bindings file's path as the record keeps it: absolute, so a resume finds it from anywhere."""
    from pathlib import Path

    return str(Path(path).resolve()) if Path(path).is_file() else path


def connect(
    bindings: LineBindings, credentials: Credentials, *, speed: float = 1.0, endpoints: Mapping[str, str] | None = None
) -> Equipment:
    """Connect every bindings file (``endpoints``: protocol → an endpoint that replaces the file's)."""
    from anodeline.equipment.opcua.devices import OpcuaDevice

    equipment = Equipment({}, speed=speed)
    try:
        for file in bindings.files:
            if endpoints and file.protocol in endpoints:
                file = file.with_endpoint(endpoints[file.protocol])
            if file.protocol == "opcua":
                link = Link(file, credentials, speed=speed)
                link.connect()
                equipment.links.append(link)
                for binding in file.devices:
                    equipment.devices[binding.name] = OpcuaDevice(binding, link)
            else:
                equipment.devices.update(_modbus(file, equipment, speed))
    except BaseException:
        equipment.close()
        raise
    equipment.devices = {name: equipment.devices[name] for name in bindings.devices}
    return equipment


def _modbus(file: Any, equipment: Equipment, speed: float) -> dict[str, Device]:
    from anodeline.equipment.modbus import connect_file

    link, devices = connect_file(file, speed=speed)
    equipment.links.append(link)
    return dict(devices)
