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
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from anodeline.cli import app
from anodeline.records import open_store
from anodeline.records.models import AuditEntry
from tests.cli.test_crash import EX1, PASSWORDS, SPEED, _users

runner = CliRunner()

#: ``anodeline run …`` that kills itself (SIGKILL) when step $KILL_AT_STEP's intent is about to be journalled
#: ($KILL_AFTER empty), or just after it was (the step in flight).
CHILD = """
import os, signal, sys
from anodeline.batch import journal
started = journal.RecordsJournal.step_started
def step_started(self, sim_s, index, action):
    at = index == int(os.environ["KILL_AT_STEP"])
    if at and not os.environ["KILL_AFTER"]:
        os.kill(os.getpid(), signal.SIGKILL)
    started(self, sim_s, index, action)
    if at:
        os.kill(os.getpid(), signal.SIGKILL)
journal.RecordsJournal.step_started = step_started
from anodeline.cli import main
main()
"""


def killed_before_step(db: str, step: int, *extra: str, in_flight: bool = False) -> str:
    """Run Example 1 until step ``step`` is about to start (``in_flight``: has started), kill -9 it there."""
    env = {**os.environ, "ANODELINE_LEASE_S": "2", "ANODELINE_ANCHOR_LOG": "", "KILL_AT_STEP": str(step),
           "KILL_AFTER": "1" if in_flight else ""}  # fmt: skip
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


MOVE = 10  # Example 1: move base to apparatus-1 through the gloves of chamber-4


def _location_prompts(db: str, batch: str) -> list[dict[str, Any]]:
    shown = runner.invoke(app, ["record", batch, "--db", db, "--json"])
    assert shown.exit_code in (0, 1), shown.output
    return [p for p in json.loads(shown.stdout)["prompts"] if p["kind"] == "confirm-location"]


def test_killed_mid_move_the_twin_s_ground_truth_confirms_where_the_item_is(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    batch = killed_before_step(db, MOVE, in_flight=True)
    code, report = resume(db, batch)
    assert (code, report["status"], report["verdict"]) == (0, "complete", "pass"), report["reasons"]
    (asked,) = _location_prompts(db, batch)
    assert (asked["step"], asked["item"], asked["answer"], asked["user"]) == (MOVE, "base", "confirmed", None)
    assert asked["reason"] == "the twin's ground truth: base is in source-1 (in chamber-4)"
    assert "confirm that base is in source-1 (in chamber-4)" in asked["instructions"]
    with open_store(db) as store:
        entries = store.read(lambda s: s.execute(select(AuditEntry.kind, AuditEntry.actor)
                                                 .where(AuditEntry.batch_id == batch)).all())  # fmt: skip
        assert [tuple(e) for e in entries if e[0].startswith("prompt.")] == [
            ("prompt.open", "anodeline"), ("prompt.answer", "simulated operator")
        ]  # fmt: skip
        assert store.verify_chain().ok


def _resume_in_a_process(db: str, batch: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "ANODELINE_PASSWORD": PASSWORDS["erin"], "ANODELINE_ANCHOR_LOG": "", "ANODELINE_LEASE_S": "2"}
    command = [sys.executable, "-c", "from anodeline.cli import main; main()", "resume", batch, "--as", "erin",
               "--db", db, "--json", "--operator", "manual", *extra]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _answer_when_asked(db: str, batch: str, child: subprocess.Popen[str], *answer: str) -> dict[str, Any]:
    """Wait (hang guard only) for the location prompt, list it, answer it; the resume's JSON report."""
    env = {"ANODELINE_PASSWORD": PASSWORDS["erin"], "ANODELINE_ANCHOR_LOG": ""}
    end = time.monotonic() + 60.0
    while time.monotonic() < end and child.poll() is None:
        listed = runner.invoke(app, ["prompts", "--db", db, "--json"])
        waiting = json.loads(listed.stdout)["prompts"] if listed.exit_code == 0 else []
        if waiting:
            break
        time.sleep(0.1)
    else:
        child.kill()
        raise AssertionError(f"no location prompt: {child.communicate()[1][-2000:]}")
    (prompt,) = waiting
    assert (prompt["batch"], prompt["step"], prompt["kind"], prompt["item"]) == (
        batch,
        MOVE,
        "confirm-location",
        "base",
    )
    answered = runner.invoke(app, ["confirm", batch, str(MOVE), "--as", "erin", "--db", db, *answer], env=env)
    assert answered.exit_code == 0, answered.output
    out, err = child.communicate(timeout=120)
    assert "prompt:" in err and f"anodeline confirm {batch} {MOVE}" in err  # told how to answer
    return dict(json.loads(out))


def test_killed_mid_move_a_person_confirms_where_the_item_is_and_the_batch_goes_on(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    batch = killed_before_step(db, MOVE, in_flight=True)
    report = _answer_when_asked(db, batch, _resume_in_a_process(db, batch), "--reason", "seen on the tray")
    assert (report["status"], report["verdict"]) == ("complete", "pass"), report["reasons"]
    (asked,) = _location_prompts(db, batch)
    assert (asked["answer"], asked["user"], asked["reason"]) == ("confirmed", "erin", "seen on the tray")


def _refused_and_still_interrupted(db: str, batch: str, *hostiles: list[str]) -> None:
    """Each hostile option set: one error line, exit 2, no traceback; the batch still interrupted, nothing raised."""
    env = {"ANODELINE_PASSWORD": PASSWORDS["erin"], "ANODELINE_ANCHOR_LOG": ""}
    for hostile in hostiles:
        refused = runner.invoke(app, ["resume", batch, "--as", "erin", "--db", db, *hostile], env=env)
        assert refused.exit_code == 2 and "error:" in refused.output and "Traceback" not in refused.output
    with open_store(db) as store:
        assert store.shown_status(store.get_batch(batch)) == "interrupted" and not store.alarms(batch)


def test_resumed_with_speed_a_person_confirms_the_location_and_every_later_manual_step(tmp_path: Path) -> None:
    """resume --operator manual --speed N on a twin batch: the rest runs on the wall clock and its glove work and
    manual steps are prompts a person answers (without --speed only the location question is asked)."""
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    batch = killed_before_step(db, MOVE, in_flight=True)
    env = {"ANODELINE_PASSWORD": PASSWORDS["erin"], "ANODELINE_ANCHOR_LOG": ""}
    _refused_and_still_interrupted(db, batch, ["--speed", "0"], ["--speed", "nan"], ["--speed", "-5"])
    child = _resume_in_a_process(db, batch, "--speed", "5000", "--prompt-timeout", "120")
    answered: list[dict[str, Any]] = []
    end = time.monotonic() + 180.0
    while time.monotonic() < end and child.poll() is None:
        listed = runner.invoke(app, ["prompts", "--db", db, "--json"])
        for prompt in json.loads(listed.stdout)["prompts"] if listed.exit_code == 0 else []:
            done = runner.invoke(app, ["confirm", batch, str(prompt["step"]), "--as", "erin", "--db", db], env=env)
            if done.exit_code == 0:
                answered.append(prompt)
        time.sleep(0.05)
    out, err = child.communicate(timeout=60)
    report = json.loads(out)
    assert (report["status"], report["verdict"]) == ("complete", "pass"), (report["reasons"], err[-1500:])
    assert answered[0]["kind"] == "confirm-location" and len(answered) > 1
    shown = runner.invoke(app, ["record", batch, "--db", db, "--json"])
    later = [p for p in json.loads(shown.stdout)["prompts"] if p["kind"] != "confirm-location"]
    assert later and all(p["answer"] == "confirmed" and p["user"] == "erin" and p["step"] >= MOVE for p in later)


def test_killed_mid_move_a_refused_location_abandons_the_batch_with_a_recorded_decision(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    batch = killed_before_step(db, MOVE, in_flight=True)
    child = _resume_in_a_process(db, batch)
    report = _answer_when_asked(db, batch, child, "--refuse", "--reason", "base is half through the port")
    assert child.returncode == 1 and report["status"] == "aborted"
    decision = report["reasons"][0]
    assert "where base is after step 10 in flight was not confirmed" in decision
    assert "refused by erin: base is half through the port" in decision and "quarantined by erin" in decision
    with open_store(db) as store:
        assert store.get_batch(batch).status == "aborted"
        assert any(a.code == "RESUMED" and "not confirmed" in a.message for a in store.alarms(batch))
        assert store.verify_chain().ok


def test_a_location_not_answered_in_time_abandons_the_batch(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    batch = killed_before_step(db, MOVE, in_flight=True)
    _refused_and_still_interrupted(db, batch, ["--prompt-timeout", "nan"], ["--prompt-timeout", "-1"],
                                   ["--operator", "robot"])  # fmt: skip
    child = _resume_in_a_process(db, batch, "--prompt-timeout", "1")
    out, _err = child.communicate(timeout=120)
    report = json.loads(out)
    assert report["status"] == "aborted" and "not answered within 1 s" in report["reasons"][0]
    (asked,) = _location_prompts(db, batch)
    assert asked["answer"] == "timeout"
