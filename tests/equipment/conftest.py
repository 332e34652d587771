"""One twin server for all the OPC UA tests of a session, shared by the xdist workers.

``Server.init()`` takes seconds, so the first worker that needs the server starts it and
notes it in a file beside the workers' temporary folders; the others use it. Each worker
counts itself in and out under a file lock; the last one out stops the server with SIGTERM
and checks that it exits cleanly (code 0). A worker that finds it gone starts another. The
server has one twin, so a second lock lets one test at a time use it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.equipment.opcua.peer import Peer, attach_peer, start_peer


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """The folder of this pytest run, the same for all its xdist workers (never another run's, another checkout's)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture
def peer(shared_peer: Peer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    """The shared server, for one test at a time: each batch prepares the one twin it serves."""
    with _locked(_run_folder(tmp_path_factory) / "opcua-peer.busy"):
        yield shared_peer


@pytest.fixture(scope="session")
def shared_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    shared = _run_folder(tmp_path_factory)
    state_file, lock = shared / "opcua-peer.json", shared / "opcua-peer.lock"
    with _locked(lock):
        state = json.loads(state_file.read_text()) if state_file.exists() else {}
        if state and _alive(state["pid"]):
            served = attach_peer(state)
            state["users"] += 1
        else:
            served = start_peer(tmp_path_factory.mktemp("opcua"))
            state = {**served.describe(), "users": 1}
        state_file.write_text(json.dumps(state))
    yield served
    with _locked(lock):
        state = json.loads(state_file.read_text())
        state["users"] -= 1
        last = state["users"] <= 0
        state_file.write_text(json.dumps(state if not last else {}))
    if last and served.process is not None:
        assert served.stop() == 0, "the twin server did not stop cleanly on SIGTERM"
    elif last:
        os.kill(state["pid"], 15)
