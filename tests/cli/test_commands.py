"""`anodeline batch hold|restart|stop|abort` from another process, by role, into the audit trail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from anodeline.cli import app
from anodeline.records import open_store
from tests.conftest import EXAMPLES

runner = CliRunner()
EX1 = str(EXAMPLES / "patent" / "example-01.yaml")
PASSWORDS = {"root": "root-pass-1", "otto": "otto-pass-1", "erin": "erin-pass-1"}


def _as(user: str) -> dict[str, str]:
    return {"ANODELINE_PASSWORD": PASSWORDS[user], "ANODELINE_ANCHOR_LOG": ""}


def _users(db: str) -> None:
    for name, role, by in (("root", "admin", None), ("otto", "operator", "root"), ("erin", "engineer", "root")):
        args = ["users", "add", name, "--role", role, "--password-stdin", "--db", db, "--full-name", name.title()]
        env = _as(by) if by else {"ANODELINE_ANCHOR_LOG": ""}
        result = runner.invoke(app, [*args, *(["--as", by] if by else [])], input=PASSWORDS[name] + "\n", env=env)
        assert result.exit_code == 0, result.output


def _command(db: str, verb: str, batch: str, user: str, reason: str = "for the test") -> tuple[int, str]:
    result = runner.invoke(app, ["batch", verb, batch, "--as", user, "--reason", reason, "--db", db], env=_as(user))
    return result.exit_code, result.output


def _wait(condition: object, what: str, deadline_s: float = 90.0) -> None:
    end = time.monotonic() + deadline_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < end, f"hang guard: {what}"
        time.sleep(0.05)


def test_hold_and_restart_a_running_batch_from_another_process(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    cli = [sys.executable, "-c", "from anodeline.cli import main; main()"]
    env = {**os.environ, **_as("otto")}
    child = subprocess.Popen([*cli, "run", EX1, "--db", db, "--as", "otto", "--json", "--speed", "1500"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)  # fmt: skip
    store = open_store(db)
    try:

        def started() -> bool:
            batches = store.list_batches()
            return bool(batches and store.step_journal(batches[0].batch_id))

        _wait(started, "the run never started")
        batch = store.list_batches()[0].batch_id
        assert _command(db, "hold", batch, "otto")[0] == 0
        code, output = _command(db, "restart", batch, "otto")  # an operator may not restart
        assert code == 2 and "USR002" in output
        _wait(lambda: store.get_batch(batch).status == "held", "the hold was never taken")
        assert _command(db, "restart", batch, "erin")[0] == 0
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
        assert json.loads(out)["status"] == "complete"
        shown = runner.invoke(app, ["record", batch, "--db", db, "--json"])
        commands = json.loads(shown.stdout)["commands"]
        assert [(c["verb"], c["user"], c["outcome"]) for c in commands] == [
            ("hold", "otto", "held"), ("restart", "erin", "restarted")]  # fmt: skip
        verified = runner.invoke(app, ["audit", "verify", "--db", db])
        assert verified.exit_code == 0, verified.output
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        store.close()


def test_a_batch_left_held_is_stopped_in_the_record_and_cannot_be_restarted(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(db)
    with open_store(db) as store:
        batch = store.create_batch(recipe_id="r", recipe_snapshot={}, line_snapshot={}, route="x").batch_id
        store.start_batch(batch, sim_s=0.0)
        store.raise_alarm(batch, sim_s=10.0, code="HELD", message="left held", hold=True)
    code, output = _command(db, "restart", batch, "erin")
    assert code == 1 and "CMD001" in output and "resume" in output
    code, output = _command(db, "abort", batch, "otto")  # an operator may not abort
    assert code == 2 and "USR002" in output
    code, output = _command(db, "stop", batch, "otto", "line needed for another lot")
    assert code == 0, output
    with open_store(db) as store:
        record = store.get_batch(batch)
        assert (record.status, record.verdict) == ("stopped", "fail")  # ISA-88 stop: its own final status
        assert any("stop by otto: line needed" in r for r in record.reasons)
        assert [(c.verb, c.outcome is not None) for c in store.commands(batch)] == [("restart", True), ("stop", True)]
    listed = json.loads(runner.invoke(app, ["batches", "--db", db, "--json"]).stdout)["batches"]
    assert [(b["batch"], b["status"]) for b in listed] == [(batch, "stopped")]
    code, output = _command(db, "hold", batch, "otto")
    assert code == 1 and "has ended" in output
    assert runner.invoke(app, ["audit", "verify", "--db", db]).exit_code == 0


def test_an_edited_command_is_named_by_audit_verify(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "records.sqlite"
    db = f"sqlite:///{path}"
    _users(db)
    with open_store(db) as store:
        batch = store.create_batch(recipe_id="r", recipe_snapshot={}, line_snapshot={}, route="x").batch_id
        store.start_batch(batch, sim_s=0.0)
        store.raise_alarm(batch, sim_s=10.0, code="HELD", message="left held", hold=True)
    assert _command(db, "stop", batch, "otto", "the true reason")[0] == 0
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE commands SET reason = 'a nicer reason', user_name = 'erin'")
    verified = runner.invoke(app, ["audit", "verify", "--db", db])
    assert verified.exit_code != 0
    assert "commands" in verified.output and "reason" in verified.output
