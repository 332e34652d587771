"""The equipment entry of a batch record, and the check that a resume drives the same equipment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from anodeline.equipment.record import EquipmentMismatchError, check_same_equipment, split_snapshot

ENDPOINT = "opc.tcp://127.0.0.1:4840/anodeline"
GOOD, OTHER = "a" * 64, "b" * 64


@dataclass
class _File:
    protocol: str
    endpoint: str


@dataclass
class _Link:
    file: _File
    server_thumbprint: str = ""


@dataclass
class _Equipment:
    links: list[_Link] = field(default_factory=list)


def _snapshot(thumbprint: str = GOOD) -> dict[str, object]:
    return {
        "line": "fig1",
        "equipment": {
            "backend": "modbus+opcua",
            "speed": 1000.0,
            "links": [
                {"protocol": "opcua", "endpoint": ENDPOINT, "bindings": "/b/dep.yaml",
                 "server_certificate_sha256": thumbprint},
                {"protocol": "modbus", "endpoint": "127.0.0.1:5020", "bindings": "/b/box.yaml",
                 "server_certificate_sha256": None},
            ],
        },
    }  # fmt: skip


def _equipment(thumbprint: str) -> _Equipment:
    return _Equipment([_Link(_File("opcua", ENDPOINT), thumbprint), _Link(_File("modbus", "127.0.0.1:5020"))])


def test_the_equipment_entry_is_split_from_the_line_and_read_back() -> None:
    line, recorded = split_snapshot(_snapshot())
    assert line == {"line": "fig1"} and recorded is not None
    assert recorded.speed == 1000.0 and recorded.backend == "modbus+opcua"
    assert recorded.endpoints == {"opcua": ENDPOINT, "modbus": "127.0.0.1:5020"}
    assert recorded.bindings == (Path("/b/dep.yaml"), Path("/b/box.yaml"))
    assert recorded.thumbprints == {ENDPOINT: GOOD}
    assert split_snapshot({"line": "fig1"}) == ({"line": "fig1"}, None)


def test_the_same_server_certificate_is_accepted() -> None:
    check_same_equipment("B1", split_snapshot(_snapshot())[1], _equipment(GOOD))
    check_same_equipment("B1", None, None)  # a twin batch resumed on the twin


@pytest.mark.parametrize(
    ("recorded", "connected", "message"),
    [
        (GOOD, _equipment(OTHER), "ran against server certificate(s) aaaaaaaaaaaaaaaa…"),
        (GOOD, None, "ran on equipment (modbus+opcua"),
        (None, _equipment(GOOD), "ran on the in-process twin"),
    ],
)
def test_other_equipment_is_refused(recorded: str | None, connected: _Equipment | None, message: str) -> None:
    noted = split_snapshot(_snapshot(recorded))[1] if recorded else None
    with pytest.raises(EquipmentMismatchError) as caught:
        check_same_equipment("B1", noted, connected)
    assert message in caught.value.message
