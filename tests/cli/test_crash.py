"""kill -9 of a batch running on the wall clock (``run --speed``): the batch shows as interrupted,
nothing committed is lost, the step journal has at most one step in flight, the audit chain holds;
``resume`` ends it complete/pass or aborted with its items quarantined by a recorded decision.
(The ≥ 200-kill version is benchmarks/crash_resume.py.)"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from anodeline.cli import app
from anodeline.records import open_store
from anodeline.records.stepjournal import in_flight
from tests.conftest import EXAMPLES

runner = CliRunner()
EX1 = str(EXAMPLES / "patent" / "example-01.yaml")
#: Example 1 is ~19 000 simulated s: about 4 s of wall clock at this speed.
SPEED = "5000"
KILLS = 3


def start_run(db: str, *extra: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-c",
        "from anodeline.cli import main; main()",
        "run",
        EX1,
        "--db",
        db,
        "--json",
        "--speed",
        SPEED,
        *extra,
    ]
    env = {**os.environ, "ANODELINE_LEASE_S": "2"}
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def wait_for_a_step(db: str, child: subprocess.Popen[bytes], deadline_s: float = 60.0) -> None:
    """Wait (hang guard only) until the child's batch has journalled its first step."""
    path = db.removeprefix("sqlite:///")
    end = time.monotonic() + deadline_s
    while time.monotonic() < end and child.poll() is None:
        if Path(path).exists():
            try:
                with open_store(db) as store:
                    if store.list_batches() and store.step_journal(store.list_batches()[0].batch_id):
                        return
            except Exception:
                pass
        time.sleep(0.05)


PASSWORDS = {"root": "root-pass-1", "erin": "erin-pass-1"}


def _users(db: str) -> None:
    for name, role, by in (("root", "admin", None), ("erin", "engineer", "root")):
        args = ["users", "add", name, "--role", role, "--password-stdin", "--db", db, "--full-name", name.title()]
        env = {"ANODELINE_ANCHOR_LOG": "", **({"ANODELINE_PASSWORD": PASSWORDS[by]} if by else {})}
        result = runner.invoke(app, [*args, *(["--as", by] if by else [])], input=PASSWORDS[name] + "\n", env=env)
        assert result.exit_code == 0, result.output


def test_kill_9_mid_batch_leaves_an_interrupted_batch_and_nothing_lost(tmp_path: Path) -> None:
    rng = random.Random(11)
    for n in range(KILLS):
        db = f"sqlite:///{tmp_path / f'crash-{n}.sqlite'}"
        _users(db)
        child = start_run(db)
        wait_for_a_step(db, child)
        time.sleep(rng.uniform(0.0, 2.5))
        if child.poll() is not None:
            continue  # it finished first: nothing to check here
        child.send_signal(signal.SIGKILL)
        child.wait()
        shown = runner.invoke(app, ["batches", "--db", db, "--json"])
        assert shown.exit_code == 0, shown.output
        (batch,) = json.loads(shown.stdout)["batches"]
        assert batch["status"] == "interrupted"
        with open_store(db) as store:
            journal = store.step_journal(batch["batch"])
            steps = store.steps(batch["batch"])
            done = [e.index for e in journal if e.phase == "done" and e.outcome == "ok"]
            assert done == [s.index for s in steps]  # every step done is in the record, once
            flying = in_flight(journal)
            assert flying is None or flying.index == len(steps)
        env = {"ANODELINE_PASSWORD": PASSWORDS["erin"], "ANODELINE_ANCHOR_LOG": ""}
        resumed = runner.invoke(app, ["resume", batch["batch"], "--as", "erin", "--db", db, "--json"], env=env)
        report = json.loads(resumed.stdout)
        with open_store(db) as store:
            record = store.get_batch(batch["batch"])
            indices = [s.index for s in store.steps(batch["batch"])]
            assert set(done) <= set(indices) and len(indices) == len(set(indices))  # nothing lost, nothing twice
            if (record.status, record.verdict) == ("completed", "pass"):
                assert resumed.exit_code == 0 and report["status"] == "complete"
                assert indices == list(range(report["steps"]))
            else:  # a deposition cut off: the items quarantined by a recorded decision
                assert record.status == "aborted" and resumed.exit_code == 1
                assert any("quarantined" in r for r in record.reasons), record.reasons
            assert any(a.code == "RESUMED" and "erin" in a.message for a in store.alarms(batch["batch"]))
        again = runner.invoke(app, ["resume", batch["batch"], "--as", "erin", "--db", db], env=env)
        assert again.exit_code == 1 and "only an interrupted batch" in again.output
        verified = runner.invoke(app, ["audit", "verify", "--db", db])
        assert verified.exit_code == 0, verified.output
