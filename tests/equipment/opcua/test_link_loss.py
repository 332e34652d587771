"""Killing the server mid-batch: the batch holds with 'connection lost', nothing is exposed, the record stays intact."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from anodeline.records import open_store
from tests.conftest import PATENT_EXAMPLES
from tests.equipment.opcua.peer import run_over_opcua, start_peer
from tests.equipment.opcua.test_over_opcua import _assert_nothing_exposed


def test_killing_the_server_mid_batch_holds_it_with_connection_lost(tmp_path: Path) -> None:
    peer = start_peer(tmp_path)
    try:
        process = peer.process
        assert process is not None
        kill = lambda _: threading.Timer(3.0, process.send_signal, (signal.SIGKILL,)).start()  # noqa: E731
        report = run_over_opcua(peer, tmp_path, PATENT_EXAMPLES[0], after_prepare=kill)
    finally:
        peer.stop()
    assert report.status == "held", report.reasons
    assert "connection lost" in report.reasons
    _assert_nothing_exposed(report)
    with open_store(f"sqlite:///{tmp_path / 'records.sqlite'}") as store:
        assert store.get_batch(report.batch).status == "held"
        assert store.verify_chain().ok
