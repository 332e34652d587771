"""`anodeline twin bindings`, `twin passwd`, and `run --devices` refusing bad equipment with one line and exit 2.

`twin serve` runs in tests/equipment/opcua (the session's server is that command, stopped by SIGTERM);
a whole `run --devices` batch through the CLI is tests/equipment/opcua/test_over_opcua.py's Example 1.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml
from typer.testing import CliRunner

from anodeline.cli import app
from anodeline.equipment.opcua.security import check_password, load_users
from tests.conftest import EXAMPLES, LINES
from tests.equipment.opcua.peer import free_port

runner = CliRunner()
EX1 = str(EXAMPLES / "patent" / "example-01.yaml")


def test_twin_bindings_prints_the_shipped_bindings_of_fig1() -> None:
    result = runner.invoke(app, ["twin", "bindings", str(LINES / "fig1.yaml")])
    assert result.exit_code == 0
    shipped = (EXAMPLES / "bindings" / "fig1.opcua.yaml").read_text()
    assert yaml.safe_load(result.stdout) == yaml.safe_load(shipped)


def test_twin_bindings_for_modbus_matches_the_shipped_glove_box_file() -> None:
    result = runner.invoke(app, ["twin", "bindings", str(LINES / "fig1.yaml"), "--protocol", "modbus"])
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout) == yaml.safe_load((EXAMPLES / "bindings" / "fig1.modbus.yaml").read_text())


def test_twin_passwd_stores_a_hash_and_never_the_password(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    result = runner.invoke(app, ["twin", "passwd", "engineer", "--users", str(users)],
                           env={"ANODELINE_OPCUA_PASSWORD": "s3cret-enough"})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "s3cret-enough" not in users.read_text()
    assert check_password("s3cret-enough", load_users(users)["engineer"])
    short = runner.invoke(app, ["twin", "passwd", "x", "--users", str(users)], env={"ANODELINE_OPCUA_PASSWORD": "x"})
    assert short.exit_code == 2


def _batches(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type='table'")}
        return conn.execute("select count(*) from batches").fetchone()[0] if "batches" in tables else 0


def test_run_on_an_unreachable_endpoint_is_one_line_exit_2_and_no_batch(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite"
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/anodeline"
    result = runner.invoke(app, ["run", EX1, "--devices", endpoint, "--certs", str(tmp_path / "certs"),
                                 "--db", f"sqlite:///{db}"])  # fmt: skip
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: cannot reach") and lines[1].startswith("hint:") and len(lines) == 2
    assert "Traceback" not in result.output and _batches(db) == 0


def test_run_with_a_bad_binding_is_refused_at_its_location(tmp_path: Path) -> None:
    bad = tmp_path / "fig1.opcua.yaml"
    bad.write_text((EXAMPLES / "bindings" / "fig1.opcua.yaml").read_text().replace("unit: Pa", "unit: degC", 1))
    result = runner.invoke(app, ["run", EX1, "--devices", "opc.tcp://127.0.0.1:4840/x", "--bindings", str(bad),
                                 "--db", f"sqlite:///{tmp_path / 'r.sqlite'}"])  # fmt: skip
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr and "BND008" in result.stderr


def test_run_devices_refuses_twin_faults_and_a_bad_endpoint(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    fault = runner.invoke(app, ["run", EX1, "--devices", "opc.tcp://127.0.0.1:4840/x", "--fault", "leak", "--db", db])
    assert fault.exit_code == 2 and "inject faults at the server" in fault.stderr
    bad = runner.invoke(app, ["run", EX1, "--devices", "http://plc", "--db", db])
    assert bad.exit_code == 2 and "not an OPC UA endpoint" in bad.stderr
    user = runner.invoke(app, ["run", EX1, "--devices", "opc.tcp://127.0.0.1:4840/x", "--user", "u", "--db", db],
                         env={"ANODELINE_OPCUA_PASSWORD": ""})  # fmt: skip
    assert user.exit_code == 2 and "ANODELINE_OPCUA_PASSWORD" in user.stderr


def test_twin_serve_refuses_a_bad_speed_port_or_fault_before_listening() -> None:
    line = str(LINES / "fig1.yaml")
    for args, message in (
        (["--speed", "0"], "--speed"),
        (["--port", "70000"], "--port"),
        (["--fault", "meteor"], "meteor"),
    ):
        result = runner.invoke(app, ["twin", "serve", line, *args])
        assert result.exit_code == 2 and message in result.stderr, result.output
