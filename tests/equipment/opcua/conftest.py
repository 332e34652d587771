"""One twin server for the OPC UA tests of a session (they share an xdist group, so one worker runs them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.equipment.opcua.peer import Peer, start_peer


@pytest.fixture(scope="session")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    served = start_peer(tmp_path_factory.mktemp("opcua"))
    yield served
    assert served.stop() == 0, "the twin server did not stop cleanly on SIGTERM"
