"""`anodeline run`, `batches`, `record` and `audit verify` on the shipped examples."""

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
RUN_KEYS = {
    "batch",
    "status",
    "verdict",
    "simulated_seconds",
    "wall_seconds",
    "steps",
    "electrode",
    "exposure",
    "reasons",
}


def _run(db: str, *args: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["run", EX1, "--db", db, "--json", *args])
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


def test_run_json_has_the_contract_and_exits_0_on_pass(db: str) -> None:
    code, data = _run(db, "--seed", "3")
    assert code == 0
    assert set(data) >= RUN_KEYS
    assert (data["status"], data["verdict"]) == ("complete", "pass")
    electrode = data["electrode"]
    assert isinstance(electrode, dict)
    assert {"id", "thickness_um", "composition", "sigma25_S_per_cm", "ea_kj_per_mol", "amorphous"} <= set(electrode)
    exposure = data["exposure"]
    assert isinstance(exposure, list) and {"item", "max_o2_ppm", "max_h2o_ppm", "h2o_dose_ppm_s"} <= set(exposure[0])


def test_run_human_output_says_where_the_record_is(db: str) -> None:
    result = runner.invoke(app, ["run", EX1, "--db", db])
    assert result.exit_code == 0
    assert "complete, pass" in result.stdout and "anodeline record B-" in result.stdout


@pytest.mark.parametrize("fault", ["leak", "impure-gas", "stuck-door", "pump-failure", "power-loss"])
def test_each_fault_ends_held_or_aborted_protected_and_recorded(db: str, fault: str) -> None:
    code, data = _run(db, "--fault", fault)
    assert code == 1
    assert data["status"] in ("held", "aborted")
    assert data["reasons"]
    for exposure in data["exposure"]:  # type: ignore[attr-defined]
        assert exposure["max_o2_ppm"] <= 10.0 and exposure["max_h2o_ppm"] <= 10.0
    audit = runner.invoke(app, ["audit", "verify", "--db", db, "--json"])
    assert audit.exit_code == 0 and json.loads(audit.stdout)["ok"] is True


def test_batches_and_record_show_the_batch(db: str) -> None:
    _, data = _run(db)
    listed = json.loads(runner.invoke(app, ["batches", "--db", db, "--json"]).stdout)["batches"]
    assert [b["batch"] for b in listed] == [data["batch"]]
    record = runner.invoke(app, ["record", str(data["batch"]), "--db", db, "--json"])
    assert record.exit_code == 0
    shown = json.loads(record.stdout)
    assert len(shown["steps"]) == data["steps"]
    assert shown["genealogy"]["electrode"] == f"{data['batch']}/electrode"
    assert shown["audit"]["ok"] is True and shown["exposure"]
    human = runner.invoke(app, ["record", str(data["batch"]), "--db", db])
    assert human.exit_code == 0 and "exposure ledger" in human.stdout


def test_record_of_an_unknown_batch_is_a_usage_error(db: str) -> None:
    _run(db)
    result = runner.invoke(app, ["record", "B-nope", "--db", db])
    assert result.exit_code == 2 and "anodeline batches" in result.stderr


@pytest.mark.parametrize(
    "tamper",
    [
        [
            "UPDATE audit_entries SET payload = replace(payload, 'complete', 'compleet') WHERE sequence = "
            "(SELECT max(sequence) FROM audit_entries WHERE kind = 'batch.finish')"
        ],
        ["DELETE FROM audit_entries WHERE sequence = 5"],
        [  # swap entries 3 and 4
            "UPDATE audit_entries SET sequence = -1 WHERE sequence = 3",
            "UPDATE audit_entries SET sequence = 3 WHERE sequence = 4",
            "UPDATE audit_entries SET sequence = 4 WHERE sequence = -1",
        ],
    ],
    ids=["edit", "delete", "reorder"],
)
def test_audit_verify_detects_edits_deletions_and_reordering(tmp_path: Path, tamper: list[str]) -> None:
    path = tmp_path / "records.sqlite"
    db = f"sqlite:///{path}"
    _run(db)
    assert runner.invoke(app, ["audit", "verify", "--db", db]).exit_code == 0
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
        for statement in tamper:
            conn.execute(statement)
    result = runner.invoke(app, ["audit", "verify", "--db", db, "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["first_bad"]["sequence"] >= 1 and data["first_bad"]["reason"]


def test_run_refuses_a_line_that_cannot_run_the_route(db: str) -> None:
    result = runner.invoke(
        app,
        [
            "run",
            str(EXAMPLES / "patent" / "two-apparatus-01.yaml"),
            "--line",
            str(EXAMPLES / "lines" / "fig1.yaml"),
            "--db",
            db,
        ],
    )
    assert result.exit_code == 1 and "cannot run" in result.stderr


def test_run_usage_errors(db: str) -> None:
    assert runner.invoke(app, ["run", "nope.yaml", "--db", db]).exit_code == 2
    unknown = runner.invoke(app, ["run", EX1, "--db", db, "--fault", "gremlins"])
    assert unknown.exit_code == 2 and "leak" in unknown.stderr
    assert runner.invoke(app, ["run", EX1, "--db", db, "--lot", "nonsense"]).exit_code == 2


@pytest.mark.parametrize("fault", ["nosuch", "leak*0", "leak@-5", "leak*inf", "leak@nan", "leak:nowhere"])
def test_a_bad_fault_is_a_usage_error_that_records_nothing(tmp_path: Path, fault: str) -> None:
    path = tmp_path / "records.sqlite"
    result = runner.invoke(app, ["run", EX1, "--db", f"sqlite:///{path}", "--fault", fault])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not path.exists()


def test_run_max_hours_aborts_a_batch_that_runs_longer(db: str) -> None:
    code, data = _run(db, "--max-hours", "1")
    assert code == 1 and data["status"] == "aborted"
    reasons = [str(r) for r in data["reasons"]]  # type: ignore[attr-defined]
    assert reasons[0].startswith("TIMEOUT: the run reached its time limit of 1 h (its --max-hours)"), reasons
    assert 3600.0 < float(data["simulated_seconds"]) < 2 * 3600.0  # type: ignore[arg-type]


@pytest.mark.parametrize("hours", ["0", "-2", "nan", "inf"])
def test_run_max_hours_must_be_a_positive_number(db: str, hours: str) -> None:
    result = runner.invoke(app, ["run", EX1, "--db", db, "--max-hours", hours])
    assert result.exit_code == 2
    assert "--max-hours" in result.output


def test_run_speed_runs_on_the_wall_clock_with_the_same_results(db: str, tmp_path: Path) -> None:
    code, fast = _run(db)
    code_wall, wall = _run(f"sqlite:///{tmp_path / 'wall.sqlite'}", "--speed", "100000")
    assert code == code_wall == 0
    for key in ("status", "verdict", "simulated_seconds", "steps"):
        assert wall[key] == fast[key], key
    same = {k: v for k, v in wall["electrode"].items() if k != "id"}  # type: ignore[attr-defined]
    assert same == {k: v for k, v in fast["electrode"].items() if k != "id"}  # type: ignore[attr-defined]
    assert float(wall["wall_seconds"]) >= float(wall["simulated_seconds"]) / 100000 * 0.9  # type: ignore[arg-type]


@pytest.mark.parametrize("speed", ["0", "-3", "inf", "nan"])
def test_run_speed_must_be_a_positive_factor(db: str, speed: str) -> None:
    result = runner.invoke(app, ["run", EX1, "--db", db, "--speed", speed])
    assert result.exit_code == 2 and "--speed" in result.output
