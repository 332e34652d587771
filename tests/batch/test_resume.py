"""Warm restart on the in-process twin at exact kill moments (batch/resume.py).

The child process is ``anodeline run`` of Example 1 with the records journal patched to kill -9
its own process when the engine is about to journal a chosen step's intent: the journal then ends
exactly there (every step before done, nothing in flight), which a random kill reaches only now
and then (benchmarks/crash_resume.py: 5 in 200 before the pump-down was re-run on resume).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from anodeline.cli import app
from anodeline.records import open_store
from tests.cli.test_crash import EX1, PASSWORDS, SPEED, _users

runner = CliRunner()

#: ``anodeline run …`` that kills itself (SIGKILL) when step $KILL_AT_STEP's intent is about to be journalled.
CHILD = """
import os, signal, sys
from anodeline.batch import journal
started = journal.RecordsJournal.step_started
def step_started(self, sim_s, index, action):
    if index == int(os.environ["KILL_AT_STEP"]):
        os.kill(os.getpid(), signal.SIGKILL)
    started(self, sim_s, index, action)
journal.RecordsJournal.step_started = step_started
from anodeline.cli import main
main()
"""


def killed_before_step(db: str, step: int, *extra: str) -> str:
    """Run Example 1 until step ``step`` is about to start, kill -9 it there; the batch id."""
    env = {**os.environ, "ANODELINE_LEASE_S": "2", "ANODELINE_ANCHOR_LOG": "", "KILL_AT_STEP": str(step)}
    child = subprocess.run([sys.executable, "-c", CHILD, "run", EX1, "--db", db, "--json", "--speed", SPEED, *extra],
                           capture_output=True, env=env, timeout=120, check=False)  # fmt: skip
    assert child.returncode == -9, child.stderr.decode(errors="replace")[-2000:]
    with open_store(db) as store:
        (batch,) = store.list_batches()
        assert store.shown_status(batch) == "interrupted"
        return batch.batch_id


def resume(db: str, batch: str, *extra: str, answers: str | None = None) -> tuple[int, dict[str, Any]]:
    env = {"ANODELINE_PASSWORD": PASSWORDS["erin"], "ANODELINE_ANCHOR_LOG": ""}
    resumed = runner.invoke(app, ["resume", batch, "--as", "erin", "--db", db, "--json", *extra], env=env,
                            input=answers)  # fmt: skip
    assert resumed.stdout, resumed.output
    return resumed.exit_code, json.loads(resumed.stdout)


def test_killed_after_the_pump_down_the_resumed_deposition_is_not_held_by_dep001(tmp_path: Path) -> None:
    """Killed between the apparatus pump-down's end (step 13 done) and the deposition's intent (step 14).

    The twin rebuilt from the journal has the apparatus at the base pressure with its pump stopped
    (the pump stopped with the process): it outgasses. Counted done, the pump-down left the
    deposition refused (DEP001, held); re-run on resume, the pump holds the vacuum again.
    """
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    batch = killed_before_step(db, 14)
    code, report = resume(db, batch)
    assert (code, report["status"], report["verdict"]) == (0, "complete", "pass"), report["reasons"]
    with open_store(db) as store:
        indices = [s.index for s in store.steps(batch)]
        assert indices == list(range(report["steps"]))  # the re-run is not a second row of step 13
        (resumed,) = [a for a in store.alarms(batch) if a.code == "RESUMED"]
        assert "re-run: step 13 evacuate" in resumed.message and "rotary" not in resumed.message
        assert "turbo-1" in resumed.message  # the pump whose stop the vacuum did not survive
        journal = store.step_journal(batch)
        reruns = [e for e in journal if e.index == 13 and e.phase == "done" and e.outcome == "redone"]
        assert len(reruns) == 1
        assert store.verify_chain().ok
