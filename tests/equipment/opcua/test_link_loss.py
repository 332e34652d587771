"""Killing the server mid-batch: the batch holds with 'connection lost', nothing is exposed, the record stays intact."""

from __future__ import annotations

import signal
import threading
from dataclasses import replace
from pathlib import Path

from anodeline.equipment.backend import Equipment
from anodeline.records import open_store
from tests.conftest import PATENT_EXAMPLES
from tests.equipment.opcua.peer import Peer, run_over_opcua, start_peer
from tests.equipment.opcua.test_over_opcua import _assert_nothing_exposed
from tests.equipment.relay import Relay


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


def test_a_pulled_cable_holds_the_batch_and_plugged_back_the_line_is_made_safe(peer: Peer, tmp_path: Path) -> None:
    """2.5 s of silence mid-batch (a cable pulled, not a server gone: loss seen within 1.5 s), then the cable back.

    Not longer: at --speed 1000 the 2 h a hold waits for the equipment is 7.2 s of wall, back-off included.
    """
    with Relay("127.0.0.1", int(peer.endpoint.rsplit(":", 1)[1].split("/")[0])) as relay:

        def cable_pull(_equip: Equipment) -> None:
            threading.Timer(2.0, relay.pull).start()
            threading.Timer(4.5, relay.plug).start()

        report = run_over_opcua(replace(peer, endpoint=relay.endpoint()), tmp_path, PATENT_EXAMPLES[0],
                                after_prepare=cable_pull)  # fmt: skip
        assert relay.connections >= 2  # the link was made again, its subscription with it
    assert report.status == "held", report.reasons
    assert "connection lost" in report.reasons
    restored = "connection restored: the line was re-read and made safe"
    assert any(reason.startswith(restored) for reason in report.reasons), report.reasons
    _assert_nothing_exposed(report)
    with open_store(f"sqlite:///{tmp_path / 'records.sqlite'}") as store:
        alarms = store.alarms(report.batch)
        lost = min(a.raised_sim_s for a in alarms if a.code == "LINK")
        assert any(a.code == "MAKE-SAFE" and a.raised_sim_s > lost for a in alarms), [
            (a.code, a.raised_sim_s) for a in alarms
        ]
        fresh = [s for s in store.telemetry(report.batch, "o2-4") if s.sim_s > lost]
        assert fresh, "no reading after the link came back: the subscription was not re-created"
        assert store.get_batch(report.batch).status == "held"
        assert store.verify_chain().ok
