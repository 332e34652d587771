"""What a batch record says about the equipment it ran on, and checking that a resume is on the same.

A batch run with ``--devices``/``--bindings`` notes, in its line snapshot (so the audit chain covers
it), the ``equipment`` entry of :meth:`~anodeline.equipment.backend.Equipment.metadata`: backend,
speed, and per link its protocol, endpoint, bindings file and server certificate thumbprint.
``anodeline resume`` reconnects from that entry (options given again override it) and refuses a
server whose certificate is not the one the batch ran against: a resume must drive the same line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anodeline.errors import AnodelineError

EQUIPMENT_KEY = "equipment"


class EquipmentMismatchError(AnodelineError, ValueError):
    """The equipment connected for a resume is not the equipment the batch ran on (exit 1)."""

    code = "RESUME"


@dataclass(frozen=True)
class Recorded:
    """The equipment entry of a batch record: how to connect again."""

    backend: str
    speed: float
    endpoints: dict[str, str]  # protocol → endpoint
    bindings: tuple[Path, ...]
    thumbprints: dict[str, str]  # endpoint → server certificate SHA-256 (OPC UA links)

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Recorded:
        links = list(entry.get("links", []))
        return cls(
            backend=str(entry.get("backend", "")),
            speed=float(entry.get("speed", 1.0)),
            endpoints={str(link["protocol"]): str(link["endpoint"]) for link in links},
            bindings=tuple(Path(str(link["bindings"])) for link in links if link.get("bindings")),
            thumbprints={
                str(link["endpoint"]): str(link["server_certificate_sha256"])
                for link in links
                if link.get("server_certificate_sha256")
            },
        )


def split_snapshot(line_data: Mapping[str, Any]) -> tuple[dict[str, Any], Recorded | None]:
    """The line snapshot without its equipment entry, and that entry (None: the batch ran on the twin)."""
    line = {key: value for key, value in line_data.items() if key != EQUIPMENT_KEY}
    entry = line_data.get(EQUIPMENT_KEY)
    return line, (Recorded.from_entry(entry) if isinstance(entry, Mapping) else None)


def check_same_equipment(batch_id: str, recorded: Recorded | None, equipment: Any) -> None:
    """Refuse a resume on other equipment than the batch ran on (or on equipment for a twin batch, or vice versa)."""
    if recorded is None and equipment is None:
        return
    if recorded is None:
        raise EquipmentMismatchError(
            f"batch {batch_id!r} ran on the in-process twin, not on equipment",
            hint=f"resume it without --devices/--bindings: anodeline resume {batch_id} --as USER",
        )
    if equipment is None:
        raise EquipmentMismatchError(
            f"batch {batch_id!r} ran on equipment ({recorded.backend} at {' '.join(recorded.endpoints.values())})",
            hint="resume it against that equipment: anodeline resume BATCH --as USER [--certs DIR --user NAME]",
        )
    now = {link.file.endpoint: link.server_thumbprint for link in equipment.links if link.file.protocol == "opcua"}
    was, found = set(recorded.thumbprints.values()), {t for t in now.values() if t}
    if was != found:
        shown = ", ".join(f"{e} presents {t[:16]}…" for e, t in now.items()) or "no OPC UA server"
        raise EquipmentMismatchError(
            f"batch {batch_id!r} ran against server certificate(s) "
            f"{', '.join(t[:16] + '…' for t in sorted(was)) or 'none'}; now {shown}",
            hint="resume against the server the batch ran on, or abandon it there with --cold",
        )
