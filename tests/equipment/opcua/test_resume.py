"""kill -9 of ``anodeline run --devices`` mid-batch, then ``anodeline resume`` against the same twin server.

The server's plant goes on while nobody drives it (a pump keeps pumping). Killed mid pump-down,
the batch resumes on the equipment and ends complete/pass; killed mid deposition, the film is
unknown and the items are quarantined by a recorded decision, make-safe commanded on the equipment.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anodeline.cli import app
from anodeline.records import open_store
from anodeline.records.stepjournal import in_flight
from tests.cli.test_crash import PASSWORDS, _users
from tests.conftest import PATENT_EXAMPLES
from tests.equipment.opcua.peer import PASSWORD, SPEED, USER, Peer, start_peer

runner = CliRunner()
OPCUA_ENV = {"ANODELINE_OPCUA_PASSWORD": PASSWORD}


def _run(peer: Peer, db: str, stderr: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from anodeline.cli import main; main()", "run", str(PATENT_EXAMPLES[0]),
               "--db", db, "--json", "--devices", peer.endpoint, "--speed", str(SPEED), "--certs", str(peer.certs),
               "--user", USER]  # fmt: skip
    env = {**os.environ, **OPCUA_ENV, "ANODELINE_LEASE_S": "2", "ANODELINE_ANCHOR_LOG": ""}
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr.open("wb"), env=env)


def _kill_during(
    db: str, child: subprocess.Popen[bytes], kind: str, space: str, stderr: Path, deadline_s: float = 120.0
) -> str:
    """SIGKILL the run once a step of ``kind`` in ``space`` is in flight; the batch id (a hang guard only)."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end and child.poll() is None:
        try:
            with open_store(db) as store:
                batches = store.list_batches()
                flying = in_flight(store.step_journal(batches[0].batch_id)) if batches else None
        except Exception:  # the store is being created by the child
            flying = None
        action = json.loads(flying.action) if flying is not None else {}
        if (action.get("action"), action.get("space")) == (kind, space):
            child.send_signal(signal.SIGKILL)
            child.wait()
            return batches[0].batch_id
        time.sleep(0.01)
    child.kill()
    pytest.fail(f"no {kind} of {space} in flight within {deadline_s} s (the run exited {child.poll()}: "
                f"{stderr.read_text(errors='replace')[-2000:]})")  # fmt: skip


def _wait_interrupted(db: str, batch: str) -> None:
    deadline = time.monotonic() + 30.0
    while time.monotonic() < deadline:  # the killed run's lease (2 s) runs out
        with open_store(db) as store:
            if store.shown_status(store.get_batch(batch)) == "interrupted":
                return
        time.sleep(0.1)


def _resume(peer: Peer, db: str, batch: str) -> tuple[int, dict[str, Any]]:
    _wait_interrupted(db, batch)
    env = {**OPCUA_ENV, "ANODELINE_PASSWORD": PASSWORDS["erin"], "ANODELINE_ANCHOR_LOG": ""}
    resumed = runner.invoke(app, ["resume", batch, "--as", "erin", "--db", db, "--json", "--certs", str(peer.certs),
                                  "--user", USER], env=env)  # fmt: skip
    assert resumed.stdout, resumed.output
    return resumed.exit_code, json.loads(resumed.stdout)


def test_killed_mid_pump_down_the_batch_resumes_on_the_equipment_complete(peer: Peer, tmp_path: Path) -> None:
    """The apparatus' pump-down to base pressure: its pump, left running, goes on unattended.

    Resumed half-way down (or at the target), the step is checked with the walls' water the journal
    says the apparatus held before it, not the dew point of its half-pumped gas (mostly water off
    the walls): taken as the reference, that made the fill after the deposition AIR001 (held).
    (Not a glove chamber's purge: one left under vacuum for the seconds of wall a resume takes, hours
    at --speed 1000, outgasses, and the fill after it reads wetter than the model expects: GAS-IMPURE.)
    """
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    err = tmp_path / "run.err"
    batch = _kill_during(db, _run(peer, db, err), "evacuate", "apparatus-1", err)
    before = len(_prompts(db, batch))
    code, report = _resume(peer, db, batch)
    assert (code, report["status"], report["verdict"]) == (0, "complete", "pass"), report["reasons"]
    assert all(e["max_o2_ppm"] <= 10.0 and e["max_h2o_ppm"] <= 10.0 for e in report["exposure"])
    assert report["backend"] == "opcua" and report["endpoint"] == peer.endpoint
    with open_store(db) as store:
        assert any(a.code == "RESUMED" and "erin" in a.message for a in store.alarms(batch))
        assert store.verify_chain().ok
    later = _prompts(db, batch)[before:]  # the resumed batch's manual steps are prompts too (--operator manual,
    assert later and all(p["answer"] == "confirmed" for p in later)  # the default), answered at the equipment


def _prompts(db: str, batch: str) -> list[dict[str, Any]]:
    shown = runner.invoke(app, ["record", batch, "--db", db, "--json"])
    assert shown.exit_code in (0, 1), shown.output
    return list(json.loads(shown.stdout)["prompts"])


def test_killed_mid_deposition_the_items_are_quarantined_on_the_equipment(peer: Peer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    err = tmp_path / "run.err"
    batch = _kill_during(db, _run(peer, db, err), "deposit", "apparatus-1", err)
    code, report = _resume(peer, db, batch)
    assert (code, report["status"]) == (1, "aborted"), report["reasons"]
    assert "cut off midway" in report["reasons"][0] and "quarantined by erin" in report["reasons"][0]
    with open_store(db) as store:
        record = store.get_batch(batch)
        assert record.status == "aborted" and any("quarantined" in r for r in record.reasons)
        assert store.verify_chain().ok


def test_a_resume_against_another_server_is_refused_and_nothing_recorded(peer: Peer, tmp_path: Path) -> None:
    """Another twin server (its own certificate), trusted by the client: still not the equipment the batch ran on."""
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    err = tmp_path / "run.err"
    batch = _kill_during(db, _run(peer, db, err), "evacuate", "chamber-4", err)
    (tmp_path / "other").mkdir()
    other = start_peer(tmp_path / "other", modbus=False)
    try:
        _wait_interrupted(db, batch)
        env = {**OPCUA_ENV, "ANODELINE_PASSWORD": PASSWORDS["erin"], "ANODELINE_ANCHOR_LOG": ""}
        resumed = runner.invoke(app, ["resume", batch, "--as", "erin", "--db", db, "--devices", other.endpoint,
                                      "--certs", str(other.certs), "--user", USER], env=env)  # fmt: skip
    finally:
        assert other.stop() == 0
    assert resumed.exit_code == 1, resumed.output
    assert "ran against server certificate" in resumed.stderr and "Traceback" not in resumed.output
    with open_store(db) as store:
        assert store.shown_status(store.get_batch(batch)) == "interrupted"  # still: a later resume may go on
        assert not any(a.code == "RESUMED" for a in store.alarms(batch))
