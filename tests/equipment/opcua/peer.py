"""The twin served over OPC UA as a test peer: a real ``anodeline twin serve`` subprocess on a free loopback port.

``Server.init()`` takes seconds, so the test session shares one server (:func:`start_peer`, the
``peer`` fixture of conftest.py) and every test prepares its own batch on it; a test that kills
its server starts its own. Runs go through the same code as ``anodeline run --devices``.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from anodeline.batch.runner import BatchReport, run_batch
from anodeline.engine.clock import WallClock
from anodeline.equipment.backend import Equipment, connect
from anodeline.equipment.bindings import load_bindings
from anodeline.equipment.opcua.client import Credentials
from anodeline.equipment.opcua.security import add_user
from anodeline.line.load import load_line
from tests.conftest import EXAMPLES, LINES

SPEED = 1000.0
USER, PASSWORD = "engineer", "correct horse battery"
BINDINGS = EXAMPLES / "bindings" / "fig1.opcua.yaml"
DEPOSITION = EXAMPLES / "bindings" / "fig1.deposition.opcua.yaml"  # with GLOVEBOX: the line over both protocols
GLOVEBOX = EXAMPLES / "bindings" / "fig1.modbus.yaml"
READY_TIMEOUT_S = 90.0  # a hang guard: the server is ready in ~5 s


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Peer:
    process: subprocess.Popen[str] | None  # None: started by another xdist worker
    endpoint: str
    certs: Path
    stderr: Path
    pid: int = 0
    modbus: str = ""  # HOST:PORT of the glove-box part served over Modbus ('' when not served)

    def describe(self) -> dict[str, Any]:
        return {"pid": self.pid, "endpoint": self.endpoint, "certs": str(self.certs), "stderr": str(self.stderr),
                "modbus": self.modbus}  # fmt: skip

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


def start_peer(tmp: Path, *extra: str, users: bool = True, modbus: bool = True) -> Peer:
    """``anodeline twin serve fig1`` at ``SPEED`` on free ports (OPC UA; the glove box also over Modbus), once ready."""
    certs = tmp / "certs"
    args = ["serve", str(LINES / "fig1.yaml"), "--port", str(free_port()), "--speed", str(SPEED), "--certs", str(certs)]
    served_modbus = f"127.0.0.1:{free_port()}" if modbus else ""
    if served_modbus:
        args += ["--modbus", served_modbus]
    if users:
        add_user(tmp / "users.yaml", USER, PASSWORD)
        args += ["--users", str(tmp / "users.yaml")]
    stderr = tmp / "server.err"
    script = Path(sys.executable).parent / "anodeline"
    process = subprocess.Popen([str(script), "twin", *args, *extra], stdout=subprocess.PIPE, stderr=stderr.open("w"),
                               text=True)  # fmt: skip
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline() if process.stdout else ""))
    reader.start()
    reader.join(READY_TIMEOUT_S)
    if not line or not line[0].startswith("ready "):
        process.kill()
        raise RuntimeError(f"the twin server did not get ready: {line!r}\n{stderr.read_text()[-3000:]}")
    return Peer(process, line[0].split()[1], certs, stderr, process.pid, served_modbus)


def glovebox_bindings(peer: Peer, tmp: Path) -> Path:
    """The shipped glove-box (Modbus) bindings pointed at ``peer``'s Modbus endpoint, written in ``tmp``."""
    document = yaml.safe_load(GLOVEBOX.read_text(encoding="utf-8"))
    document["endpoint"] = peer.modbus
    path = tmp / "glovebox.modbus.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def attach_peer(state: dict[str, Any]) -> Peer:
    """The server another worker started (from its :meth:`Peer.describe`)."""
    return Peer(None, state["endpoint"], Path(state["certs"]), Path(state["stderr"]), state["pid"], state["modbus"])


def equipment(
    peer: Peer, *, user: str | None = USER, password: str | None = PASSWORD, certs: Path | None = None
) -> Equipment:
    line = load_line(LINES / "fig1.yaml")
    bindings = load_bindings([BINDINGS], line)
    credentials = Credentials(certs or peer.certs, user, password)
    return connect(bindings, credentials, speed=SPEED, endpoints={"opcua": peer.endpoint})


def server_call(equip: Equipment, method: str, *args: Any) -> None:
    """Call a method of the twin object (``InjectFault``, ``FreezeChannel``) through the run's own link."""
    from asyncua import ua

    link = equip.links[0]
    ns = link.nodes[link.model.prepare.object].NamespaceIndex

    async def call(client: Any) -> None:
        twin = client.get_node(ua.NodeId("twin", ns))
        await twin.call_method(ua.NodeId(f"twin.{method}", ns), *(ua.Variant(a, ua.VariantType.String) for a in args))

    link.call(call)


def run_over_opcua(
    peer: Peer,
    tmp: Path,
    recipe: Path,
    *,
    seed: int = 0,
    after_prepare: Callable[[Equipment], None] | None = None,
    on_step: Callable[[Equipment, Any], None] | None = None,
) -> BatchReport:
    """One batch of ``recipe`` on the served twin, recorded in ``tmp``'s store; ``on_step`` at each step's start."""
    equip = equipment(peer)
    progress = None if on_step is None else (lambda now, index, total, action: on_step(equip, action))
    if after_prepare is not None:
        prepare = equip.prepare

        def prepared(text: str, seed_: int) -> None:
            prepare(text, seed_)
            after_prepare(equip)

        equip.prepare = prepared  # type: ignore[method-assign]
    try:
        return run_batch(recipe, db_url=f"sqlite:///{tmp / 'records.sqlite'}", seed=seed, equipment=equip,
                         clock=WallClock(1.0 / SPEED), progress=progress)  # fmt: skip
    finally:
        with contextlib.suppress(Exception):
            equip.close()
