"""`anodeline prompts` and `anodeline confirm` against `run --operator manual --speed N` in another process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anodeline.cli import app
from anodeline.records import open_store, prompts
from tests.conftest import EXAMPLES

runner = CliRunner()
EX1 = str(EXAMPLES / "patent" / "example-01.yaml")
PASSWORDS = {"root": "root-pass-1", "otto": "otto-pass-1", "quinn": "quinn-pass-1"}


def _as(user: str, password: str | None = None) -> dict[str, str]:
    return {"ANODELINE_PASSWORD": password or PASSWORDS[user], "ANODELINE_ANCHOR_LOG": ""}


def _users(db: str) -> None:
    for name, role, by in (("root", "admin", None), ("otto", "operator", "root"), ("quinn", "qa", "root")):
        args = ["users", "add", name, "--role", role, "--password-stdin", "--db", db, "--full-name", name.title()]
        env = _as(by) if by else {"ANODELINE_ANCHOR_LOG": ""}
        result = runner.invoke(app, [*args, *(["--as", by] if by else [])], input=PASSWORDS[name] + "\n", env=env)
        assert result.exit_code == 0, result.output


def _open(db: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["prompts", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["prompts"])


def _confirm(db: str, batch: str, step: int, user: str = "otto", *extra: str, password: str | None = None) -> Any:
    return runner.invoke(app, ["confirm", batch, str(step), "--as", user, "--db", db, *extra], env=_as(user, password))


def _run(db: str, *options: str) -> subprocess.Popen[bytes]:
    cli = [sys.executable, "-c", "from anodeline.cli import main; main()"]
    # a person's second to answer is N simulated seconds at --speed N: room for it in --max-hours
    args = ["run", EX1, "--db", db, "--json", "--operator", "manual", "--max-hours", "1000", *options]
    env = {**os.environ, **_as("otto")}
    return subprocess.Popen([*cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def _answer_until_done(db: str, child: subprocess.Popen[bytes], answer: Any, deadline_s: float = 120.0) -> dict:
    end = time.monotonic() + deadline_s
    while child.poll() is None:
        assert time.monotonic() < end, "hang guard: the run never ended"
        for prompt in _open(db):
            answer(prompt)
        time.sleep(0.05)
    out, err = child.communicate(timeout=30)
    assert child.returncode in (0, 1), err.decode()
    return dict(json.loads(out))


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    _users(url)
    return url


def test_prompts_on_a_missing_database_is_a_usage_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite"
    result = runner.invoke(app, ["prompts", "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 2 and "REC001" in result.output and not missing.exists()


def test_a_manual_operator_on_the_twin_without_speed_is_refused_before_recording(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    result = runner.invoke(app, ["run", EX1, "--operator", "manual", "--db", f"sqlite:///{path}"])
    assert result.exit_code == 2 and "PRM001" in result.output and not path.exists()
    bad = runner.invoke(app, ["run", EX1, "--operator", "robot", "--speed", "10", "--db", f"sqlite:///{path}"])
    assert bad.exit_code == 2 and "not one of simulated, manual" in bad.output


def test_each_prompt_confirmed_from_another_process_the_batch_completes(db: str) -> None:
    child = _run(db, "--speed", "5000", "--prompt-timeout", "120")
    answered: list[tuple[str, int]] = []

    def confirm(prompt: dict[str, Any]) -> None:
        result = _confirm(db, prompt["batch"], prompt["step"])
        assert result.exit_code == 0, result.output
        assert f"confirmed step {prompt['step']}" in result.output and "Otto" in result.output
        answered.append((prompt["batch"], prompt["step"]))

    report = _answer_until_done(db, child, confirm)
    assert (report["status"], report["verdict"]) == ("complete", "pass"), report["reasons"]
    assert len(answered) >= 10 and {b for b, _ in answered} == {report["batch"]}
    listed = json.loads(runner.invoke(app, ["prompts", "--all", "--db", db, "--json"]).stdout)["prompts"]
    assert {(p["answer"], p["user"]) for p in listed} == {("confirmed", "otto")}
    record = json.loads(runner.invoke(app, ["record", report["batch"], "--db", db, "--json"]).stdout)
    assert [p["step"] for p in record["prompts"]] == [s for _b, s in answered]
    assert runner.invoke(app, ["audit", "verify", "--db", db]).exit_code == 0
    _exports_show_the_prompts(db, report["batch"], len(answered))


def _exports_show_the_prompts(db: str, batch: str, count: int) -> None:
    folder = Path(db.removeprefix("sqlite:///")).parent
    shown = runner.invoke(app, ["record", batch, "--db", db])
    assert shown.exit_code == 0 and "prompts" in shown.output and "confirmed" in shown.output
    csv_out = folder / "t.csv"
    exported = runner.invoke(app, ["record", batch, "--db", db, "--export", "csv", "-o", str(csv_out)])
    assert exported.exit_code == 0 and "t.prompts.csv" in exported.output
    rows = (folder / "t.prompts.csv").read_text().splitlines()
    assert rows[0].startswith("id,batch,step,kind") and len(rows) == count + 1 and all(",otto," in r for r in rows[1:])
    assert csv_out.read_text().splitlines()[0] == "batch,channel,unit,sim_s,value"  # telemetry stays one table
    html_out = folder / "t.html"
    assert runner.invoke(app, ["record", batch, "--db", db, "--export", "html", "-o", str(html_out)]).exit_code == 0
    html = html_out.read_text()
    assert "put container storage-1 through the open load port into chamber-5" in html and "confirmed" in html


def test_a_refusal_from_another_process_holds_the_batch_with_its_reason(db: str) -> None:
    child = _run(db, "--speed", "20000", "--prompt-timeout", "120")

    def refuse_the_first(prompt: dict[str, Any]) -> None:
        result = _confirm(db, prompt["batch"], prompt["step"], "otto", "--refuse", "--reason", "port seal torn")
        assert result.exit_code == 0 and "PROMPT-REFUSED" in result.output, result.output

    report = _answer_until_done(db, child, refuse_the_first)
    assert (report["status"], report["verdict"]) == ("held", None)
    with open_store(db) as store:
        assert store.get_batch(report["batch"]).status == "held"
        alarms = {a.code: a.message for a in store.alarms(report["batch"])}
        assert "port seal torn" in alarms["PROMPT-REFUSED"]


def test_a_prompt_nobody_answers_holds_the_batch(db: str) -> None:
    result = runner.invoke(app, ["run", EX1, "--db", db, "--json", "--operator", "manual", "--speed", "40000",
                                 "--prompt-timeout", "0.3"], env=_as("otto"))  # fmt: skip
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["status"] == "held"
    listed = json.loads(runner.invoke(app, ["prompts", "--all", "--db", db, "--json"]).stdout)["prompts"]
    assert [p["answer"] for p in listed] == ["timeout"]
    with open_store(db) as store:
        assert "PROMPT-TIMEOUT" in {a.code for a in store.alarms(report["batch"])}


def test_a_wrong_password_or_role_is_refused_and_recorded_and_no_prompt_is_exit_1(db: str) -> None:
    with open_store(db) as store:
        batch = store.create_batch(recipe_id="r", recipe_snapshot={}, line_snapshot={}, route="x").batch_id
        store.start_batch(batch, sim_s=0.0)
        store.write(lambda s: prompts.open_prompt(s, batch, step=3, kind="load", instructions="load it", item=None,
                                                  timeout_s=600.0, actor="anodeline"))  # fmt: skip
    interrupted = _confirm(db, batch, 3)  # no live process runs the batch: nobody waits for the answer
    assert interrupted.exit_code == 1 and "no process waits" in interrupted.output and "PRM002" in interrupted.output
    assert _open(db) == []  # and 'prompts' does not list it as waiting
    with open_store(db) as store:
        store.acquire_lease(batch, owner="this test", ttl=600.0)  # as if a live run controlled it
    assert [p["step"] for p in _open(db)] == [3]
    wrong = _confirm(db, batch, 0, "otto", password="not-otto-pass")
    assert wrong.exit_code == 2 and "USR001" in wrong.output
    qa = _confirm(db, batch, 0, "quinn")
    assert qa.exit_code == 2 and "USR002" in qa.output and "confirm needs engineer or operator" in qa.output
    none = _confirm(db, batch, 0)
    assert none.exit_code == 1 and "PRM002" in none.output and "no prompt at step 0" in none.output
    assert _confirm(db, batch, 0, "otto", "--refuse").exit_code == 2  # a refusal needs a reason
    assert _confirm(db, "B-nope", 0).exit_code == 2
    from sqlalchemy import select

    from anodeline.records.models import AuditEntry

    with open_store(db) as store:
        refusals = store.read(lambda s: list(s.scalars(select(AuditEntry.payload).where(
            AuditEntry.kind == "auth.refused"))))  # fmt: skip
    assert len(refusals) == 2 and all('"action":"confirm"' in r for r in refusals)
