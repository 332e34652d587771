"""What the client refuses before a batch starts, each with one OpcuaConnectError (exit 2) saying why."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from anodeline.equipment.backend import connect
from anodeline.equipment.bindings import validate_bindings_text
from anodeline.equipment.opcua.client import Credentials, OpcuaConnectError
from anodeline.line.load import load_line
from tests.conftest import LINES
from tests.equipment.opcua.peer import BINDINGS, PASSWORD, SPEED, USER, Peer, equipment, free_port


def _refused(peer: Peer, **kwargs: object) -> str:
    with pytest.raises(OpcuaConnectError) as caught:
        equipment(peer, **kwargs).close()  # type: ignore[arg-type]
    return caught.value.message


def test_a_wrong_password_is_refused(peer: Peer) -> None:
    assert "refused the user name or password" in _refused(peer, password="not the password")


def test_an_unknown_user_is_refused(peer: Peer) -> None:
    assert "refused the user name or password" in _refused(peer, user="mallory")


def test_a_server_not_in_the_trust_list_is_refused(peer: Peer, tmp_path: Path) -> None:
    assert "is not trusted" in _refused(peer, certs=tmp_path / "elsewhere")


def test_a_client_the_server_does_not_trust_is_refused(peer: Peer, tmp_path: Path) -> None:
    certs = tmp_path / "stranger"
    (certs / "trusted").mkdir(parents=True)
    shutil.copy(peer.certs / "server-cert.der", certs / "trusted" / "server.der")  # we trust it; it does not trust us
    assert "does not trust this client" in _refused(peer, certs=certs)


def _bindings_with(edit: object) -> object:
    line = load_line(LINES / "fig1.yaml")
    document = yaml.safe_load(BINDINGS.read_text())
    edit(document)  # type: ignore[operator]
    report = validate_bindings_text(yaml.safe_dump(document), line, "edited.yaml")
    assert report.valid, report.errors
    from anodeline.equipment.bindings import compose

    bindings, _ = compose([report], line)
    return bindings


@pytest.mark.parametrize(
    ("node", "message"),
    [("s=o2-4.nothing", "does not have"), ("s=o2-4.MachineryItemState", "not a number or flag")],
)
def test_a_binding_to_a_missing_node_or_a_value_of_the_wrong_type_is_refused(
    peer: Peer, node: str, message: str
) -> None:
    bindings = _bindings_with(lambda d: d["devices"]["o2-4"]["channels"]["value"].__setitem__("node", node))
    with pytest.raises(OpcuaConnectError) as caught:
        connect(bindings, Credentials(peer.certs, USER, PASSWORD), speed=SPEED, endpoints={"opcua": peer.endpoint})  # type: ignore[arg-type]
    assert message in caught.value.message and "o2-4" in caught.value.message


def test_an_unreachable_endpoint_is_refused(peer: Peer) -> None:
    bindings = _bindings_with(lambda d: None)
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/anodeline"
    with pytest.raises(OpcuaConnectError) as caught:
        connect(bindings, Credentials(peer.certs, USER, PASSWORD), endpoints={"opcua": endpoint})  # type: ignore[arg-type]
    assert "cannot reach" in caught.value.message


@pytest.fixture
def insecure_endpoint() -> Iterator[str]:
    """A bare OPC UA server offering security mode None only (what the client must refuse)."""
    from asyncua import Server, ua

    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/insecure"
    loop = asyncio.new_event_loop()
    server = Server()

    async def start() -> None:
        await server.init()
        server.set_endpoint(endpoint)
        server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
        await server.start()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(60)
    yield endpoint
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)


def test_an_endpoint_without_encryption_is_refused(insecure_endpoint: str, tmp_path: Path) -> None:
    bindings = _bindings_with(lambda d: None)
    with pytest.raises(OpcuaConnectError) as caught:
        connect(bindings, Credentials(tmp_path), endpoints={"opcua": insecure_endpoint})  # type: ignore[arg-type]
    assert "no Basic256Sha256 SignAndEncrypt" in caught.value.message
