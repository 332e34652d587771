"""The people in the loop from the command line: users and roles, ``run --as``, ``sign``, the
record with its electrode and signatures, its exports, and ``audit verify`` with anchors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anodeline.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
EX1 = str(EXAMPLES / "patent" / "example-01.yaml")
PASSWORDS = {"root": "root-pass-1", "quinn": "quinn-pass-1", "otto": "otto-pass-1", "erin": "erin-pass-1"}


def _as(user: str | None = None, password: str | None = None) -> dict[str, str]:
    return {"ANODELINE_PASSWORD": password or PASSWORDS[user or "root"], "ANODELINE_ANCHOR_LOG": ""}


def _add(db: str, name: str, role: str, *, by: str | None = "root") -> int:
    args = ["users", "add", name, "--role", role, "--password-stdin", "--db", db, "--full-name", name.title()]
    result = runner.invoke(app, [*args, *(["--as", by] if by else [])], input=PASSWORDS[name] + "\n", env=_as(by))
    return result.exit_code


@pytest.fixture(scope="module")
def line(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A database with an admin, a qa, an operator and an engineer, and one batch run by the operator."""
    db = f"sqlite:///{tmp_path_factory.mktemp('people') / 'records.sqlite'}"
    assert _add(db, "root", "admin", by=None) == 0
    for name, role in (("quinn", "qa"), ("otto", "operator"), ("erin", "engineer")):
        assert _add(db, name, role) == 0
    result = runner.invoke(app, ["run", EX1, "--db", db, "--as", "otto", "--json"], env=_as("otto"))
    assert result.exit_code == 0, result.output
    return db, json.loads(result.stdout)["batch"]


def test_the_first_user_must_be_an_admin_and_later_ones_need_an_admin(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert _add(db, "otto", "operator", by=None) == 2
    assert _add(db, "root", "admin", by=None) == 0
    assert _add(db, "quinn", "qa", by=None) == 2  # no --as
    assert _add(db, "otto", "operator", by="root") == 0
    wrong = runner.invoke(app, ["users", "add", "erin", "--role", "qa", "--password-stdin", "--db", db, "--as", "otto"],
                          input="erin-pass-1\n", env=_as("otto"))  # fmt: skip
    assert wrong.exit_code == 2 and "USR002" in wrong.output
    listed = json.loads(runner.invoke(app, ["users", "list", "--db", db, "--json"]).stdout)["users"]
    assert [(u["name"], u["role"]) for u in listed] == [("otto", "operator"), ("root", "admin")]
    assert "hash" not in json.dumps(listed)


def test_a_short_password_and_the_last_admin_are_refused(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    short = runner.invoke(app, ["users", "add", "root", "--role", "admin", "--password-stdin", "--db", db],
                          input="short\n")  # fmt: skip
    assert short.exit_code == 2 and "USR003" in short.output
    assert _add(db, "root", "admin", by=None) == 0
    last = runner.invoke(app, ["users", "disable", "root", "--db", db, "--as", "root"], env=_as("root"))
    assert last.exit_code == 2 and "last enabled admin" in last.output


def test_disabling_a_user_stops_their_sign_in(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert _add(db, "root", "admin", by=None) == 0 and _add(db, "quinn", "qa") == 0
    assert runner.invoke(app, ["users", "disable", "quinn", "--db", db, "--as", "root"], env=_as()).exit_code == 0
    again = runner.invoke(app, ["users", "add", "erin", "--role", "qa", "--password-stdin", "--db", db,
                                "--as", "quinn"], input="erin-pass-1\n", env=_as("quinn"))  # fmt: skip
    assert again.exit_code == 2 and "authentication failed" in again.output


def test_sign_refuses_a_wrong_password_and_a_wrong_role_then_qa_releases(line: tuple[str, str]) -> None:
    db, batch = line
    wrong = runner.invoke(app, ["sign", batch, "--meaning", "release", "--as", "quinn", "--db", db],
                          env=_as(password="nope-nope"))  # fmt: skip
    assert wrong.exit_code == 2 and "USR001" in wrong.output
    role = runner.invoke(app, ["sign", batch, "--meaning", "release", "--as", "erin", "--db", db], env=_as("erin"))
    assert role.exit_code == 2 and "USR002" in role.output
    review = runner.invoke(app, ["sign", batch, "--meaning", "review", "--as", "erin", "--db", db], env=_as("erin"))
    assert review.exit_code == 0, review.output
    done = runner.invoke(app, ["sign", batch, "--meaning", "release", "--as", "quinn", "--db", db, "--json"],
                         env=_as("quinn"))  # fmt: skip
    assert done.exit_code == 0, done.output
    signed = json.loads(done.stdout)
    assert (signed["printed_name"], signed["meaning"]) == ("Quinn", "release")
    twice = runner.invoke(app, ["sign", batch, "--meaning", "release", "--as", "quinn", "--db", db], env=_as("quinn"))
    assert twice.exit_code == 1 and "SIG003" in twice.output
    record = json.loads(runner.invoke(app, ["record", batch, "--db", db, "--json"]).stdout)
    assert record["released"] and [s["meaning"] for s in record["signatures"]] == ["review", "release"]
    assert all(s["content_matches"] for s in record["signatures"])
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        refused = conn.execute("SELECT actor, payload FROM audit_entries WHERE kind = 'auth.refused'").fetchall()
    assert [actor for actor, _ in refused] == ["quinn", "erin"]
    audit = runner.invoke(app, ["audit", "verify", "--db", db, "--json"])
    assert audit.exit_code == 0 and json.loads(audit.stdout)["anchors_checked"] >= 7


def test_the_record_holds_the_electrode_the_procedure_and_units(line: tuple[str, str]) -> None:
    db, batch = line
    record = json.loads(runner.invoke(app, ["record", batch, "--db", db, "--json"]).stdout)
    electrode = record["electrode"]
    assert {"layers", "thickness_um", "composition", "sigma25_S_per_cm", "ea_kj_per_mol", "amorphous", "verdict",
            "reasons"} <= set(electrode)  # fmt: skip
    assert electrode["verdict"] == record["verdict"] == "pass"
    assert record["procedure"]["steps"] and len(record["steps"]) == len(record["procedure"]["steps"])
    assert record["readings"]["o2-4"]["unit"] == "ppm" and record["readings"]["gauge-4"]["unit"] == "Pa"
    assert record["commands"] == [] and record["prompts"] == []
    assert record["audit"]["ok"] and record["audit"]["rows_checked"]


def test_record_exports_html_with_plots_and_csv_telemetry(line: tuple[str, str], tmp_path: Path) -> None:
    db, batch = line
    html, csv = tmp_path / "r.html", tmp_path / "t.csv"
    assert runner.invoke(app, ["record", batch, "--db", db, "--export", "html", "-o", str(html)]).exit_code == 0
    text = html.read_text()
    assert text.count("data:image/png;base64,") >= 4  # three spaces + the exposure plot
    assert "σ25" in text and "Audit head" in text and "http" not in text.split("<body>", 1)[1]
    assert runner.invoke(app, ["record", batch, "--db", db, "--export", "csv", "-o", str(csv)]).exit_code == 0
    rows = csv.read_text().splitlines()
    assert rows[0] == "batch,channel,unit,sim_s,value" and len(rows) > 100
    assert any(",o2-4,ppm," in r for r in rows)
    bad = runner.invoke(app, ["record", batch, "--db", db, "--export", "pdf"])
    assert bad.exit_code == 2


def test_an_electrode_is_a_lot_of_another_batch_only_once_released(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    first = json.loads(runner.invoke(app, ["run", EX1, "--db", db, "--json"]).stdout)["batch"]
    result = runner.invoke(app, ["run", EX1, "--db", db, "--lot", f"substrate={first}/electrode"])
    assert result.exit_code == 1 and "LOT001" in result.output
    listed = json.loads(runner.invoke(app, ["batches", "--db", db, "--json"]).stdout)["batches"]
    assert [b["batch"] for b in listed] == [first]  # refused before anything was recorded
    assert _add(db, "root", "admin", by=None) == 0 and _add(db, "quinn", "qa") == 0
    signed = runner.invoke(app, ["sign", first, "--meaning", "release", "--as", "quinn", "--db", db], env=_as("quinn"))
    assert signed.exit_code == 0, signed.output
    second = runner.invoke(app, ["run", EX1, "--db", db, "--lot", f"substrate={first}/electrode", "--json"])
    assert second.exit_code == 0, second.output
    record = json.loads(runner.invoke(app, ["record", json.loads(second.stdout)["batch"], "--db", db, "--json"]).stdout)
    assert f"{first}/electrode" in record["genealogy"]["lots"]
    assert record["audit"]["ok"]


@pytest.mark.parametrize(
    "lots",
    [["substrate=A", "substrate=B"], ["substrate=A", "electrolyte=A"], ["substrate="], ["gremlin=X"]],
    ids=["repeated role", "one lot two roles", "empty", "unknown role"],
)
def test_lot_usage_errors_are_refused_before_a_batch_is_recorded(tmp_path: Path, lots: list[str]) -> None:
    path = tmp_path / "r.sqlite"
    args = [arg for lot in lots for arg in ("--lot", lot)]
    result = runner.invoke(app, ["run", EX1, "--db", f"sqlite:///{path}", *args])
    assert result.exit_code == 2 and "LOT002" in result.output
    assert not path.exists()


def test_a_lot_used_again_is_reused_not_refused(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    for _ in range(2):
        result = runner.invoke(app, ["run", EX1, "--db", db, "--lot", "substrate=CU-2611", "--json"])
        assert result.exit_code == 0, result.output


def test_tail_deletion_is_caught_with_anchor_and_by_the_anchor_log(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    db = f"sqlite:///{path}"
    first = json.loads(runner.invoke(app, ["run", EX1, "--db", db, "--json", "--seed", "1"]).stdout)
    runner.invoke(app, ["run", EX1, "--db", db, "--json", "--seed", "2"])
    with sqlite3.connect(path) as conn:
        (head,) = conn.execute("SELECT max(sequence) FROM audit_entries").fetchone()
        conn.execute("DROP TRIGGER audit_entries_no_delete")
        conn.execute("DELETE FROM audit_entries WHERE sequence > ?", (head - 5,))
    plain = runner.invoke(app, ["audit", "verify", "--db", db, "--no-rows", "--anchor-log", str(tmp_path / "none")])
    assert plain.exit_code == 0  # the chain alone cannot tell
    anchored = runner.invoke(app, ["audit", "verify", "--db", db, "--no-rows", "--anchor", first["audit_head"],
                                   "--anchor-log", str(tmp_path / "none")])  # fmt: skip
    assert anchored.exit_code == 0  # the first batch's head is still there
    logged = runner.invoke(app, ["audit", "verify", "--db", db, "--no-rows"])
    assert logged.exit_code == 1 and "AUD003" in logged.output and "truncated" in logged.output


@pytest.mark.parametrize("command", [["batches"], ["record", "B-1"], ["audit", "verify"], ["users", "list"]])
def test_read_commands_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "typo.sqlite"
    result = runner.invoke(app, [*command, "--db", f"sqlite:///{path}"])
    assert result.exit_code == 2 and "REC001" in result.output
    assert not path.exists()


def test_record_shows_a_flipped_verdict_as_a_broken_audit_trail(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    batch = json.loads(runner.invoke(app, ["run", EX1, "--db", f"sqlite:///{path}", "--json"]).stdout)["batch"]
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE batches SET verdict = 'fail'")
    shown = json.loads(runner.invoke(app, ["record", batch, "--db", f"sqlite:///{path}", "--json"]).stdout)
    assert shown["audit"]["ok"] is False
    assert any("verdict" in p["reason"] for p in shown["audit"]["problems"])
    human = runner.invoke(app, ["record", batch, "--db", f"sqlite:///{path}"], env={"COLUMNS": "200"})
    assert "BROKEN" in human.stdout and "AUD002" in human.stdout
    verify = runner.invoke(app, ["audit", "verify", "--db", f"sqlite:///{path}"])
    assert verify.exit_code == 1 and "verdict is 'fail', the audit trail says 'pass'" in verify.output


def test_run_as_a_role_that_may_not_run_is_refused_before_a_batch_is_recorded(line: tuple[str, str]) -> None:
    db, _ = line
    before = json.loads(runner.invoke(app, ["batches", "--db", db, "--json"]).stdout)["batches"]
    result = runner.invoke(app, ["run", EX1, "--db", db, "--as", "quinn"], env=_as("quinn"))
    assert result.exit_code == 2 and "USR002" in result.output
    after = json.loads(runner.invoke(app, ["batches", "--db", db, "--json"]).stdout)["batches"]
    assert after == before
    assert runner.invoke(app, ["audit", "verify", "--db", db]).exit_code == 0  # the refusal is recorded and anchored
