"""Batches over OPC UA against the served twin (real protocol, encrypted, with a user): results and faults.

Every test here shares the session's twin server (tests/equipment/opcua/conftest.py) and so
one xdist group. The fault matrix is the issue's: each fault is injected at the server and the
batch must end held or aborted with no recorded exposure above the recipe's limits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from anodeline.batch.runner import BatchReport
from anodeline.engine import run_procedure
from anodeline.equipment.backend import Equipment
from anodeline.line.actions import Deposit
from anodeline.line.load import load_line
from anodeline.procedure import compile_procedure
from anodeline.recipe.validate import load_recipe
from anodeline.records import open_store
from tests.conftest import LINES, PATENT_EXAMPLES
from tests.equipment.opcua.peer import (
    DEPOSITION,
    PASSWORD,
    SPEED,
    USER,
    Peer,
    glovebox_bindings,
    run_over_opcua,
    server_call,
)

EX1 = PATENT_EXAMPLES[0]


def _limits() -> tuple[float, float]:
    policy = compile_procedure(load_recipe(EX1), load_line(LINES / "fig1.yaml")).policy
    return policy.max_o2_ppm, policy.max_h2o_ppm


def _assert_nothing_exposed(report: BatchReport) -> None:
    max_o2, max_h2o = _limits()
    for exposure in report.exposure:
        assert exposure.max_o2_ppm <= max_o2 and exposure.max_h2o_ppm <= max_h2o, exposure


def _run_cli(peer: Peer, db: Path, *extra: str) -> dict[str, Any]:
    """``anodeline run --devices`` (the CLI, its own process) of Example 1, seed 3, on the served twin: its JSON."""
    script = Path(sys.executable).parent / "anodeline"
    done = subprocess.run(
        [str(script), "run", str(EX1), "--devices", peer.endpoint, "--speed", str(SPEED), "--certs", str(peer.certs),
         "--user", USER, "--seed", "3", "--db", f"sqlite:///{db}", "--json", *extra],
        capture_output=True, text=True, timeout=600, env={**os.environ, "ANODELINE_OPCUA_PASSWORD": PASSWORD},
    )  # fmt: skip
    report: dict[str, Any] = json.loads(done.stdout)
    assert done.returncode == 0, (report["status"], report["reasons"], done.stderr[-2000:])
    return report


def _assert_like_the_in_process_run(report: dict[str, Any], db: Path, backend: str) -> dict[str, Any]:
    """Complete/pass, each layer within 1 % of the in-process run (seed 3), nothing exposed, the chain intact."""
    assert (report["status"], report["verdict"]) == ("complete", "pass"), report["reasons"]
    assert report["backend"] == backend
    line = load_line(LINES / "fig1.yaml")
    twin = run_procedure(compile_procedure(load_recipe(EX1), line), line, seed=3)
    for layer in report["electrode"]["layers"]:
        assert layer["thickness_um"] == pytest.approx(twin.thickness_um[layer["name"]], rel=0.01)
    max_o2, max_h2o = _limits()
    assert all(e["max_o2_ppm"] <= max_o2 and e["max_h2o_ppm"] <= max_h2o for e in report["exposure"])
    with open_store(f"sqlite:///{db}") as store:
        noted: dict[str, Any] = store.get_batch(report["batch"]).line_data["equipment"]
        assert store.verify_chain().ok
    assert noted["backend"] == backend
    return noted


def test_example_1_run_with_devices_matches_the_in_process_run(peer: Peer, tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite"
    report = _run_cli(peer, db)
    assert report["endpoint"] == peer.endpoint
    noted = _assert_like_the_in_process_run(report, db, "opcua")
    assert len(noted["links"][0]["server_certificate_sha256"]) == 64


def test_example_1_with_the_glove_box_over_modbus_matches_the_in_process_run(peer: Peer, tmp_path: Path) -> None:
    """The deposition system over OPC UA, the glove-box controller over Modbus: one batch, both protocols."""
    db = tmp_path / "records.sqlite"
    glovebox = glovebox_bindings(peer, tmp_path)
    report = _run_cli(peer, db, "--bindings", str(DEPOSITION), "--bindings", str(glovebox))
    noted = _assert_like_the_in_process_run(report, db, "modbus+opcua")
    assert {link["protocol"]: link["endpoint"] for link in noted["links"]} == {
        "opcua": peer.endpoint, "modbus": peer.modbus
    }  # fmt: skip


FAULTS = ["leak", "impure-gas", "stuck-door", "pump-failure", "power-loss"]


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_injected_at_the_server_ends_held_or_aborted_with_nothing_exposed(
    peer: Peer, tmp_path: Path, fault: str
) -> None:
    report = run_over_opcua(peer, tmp_path, EX1, after_prepare=lambda e: server_call(e, "InjectFault", fault))
    assert report.status in ("held", "aborted"), (fault, report.status, report.reasons)
    _assert_nothing_exposed(report)


def test_a_sensor_the_server_stops_updating_holds_the_batch(peer: Peer, tmp_path: Path) -> None:
    frozen: list[str] = []

    def freeze_at_the_film(equip: Equipment, action: Any) -> None:  # chamber 4's analyser stops while the film grows
        if isinstance(action, Deposit) and not frozen:
            frozen.append("o2-4")
            server_call(equip, "FreezeChannel", "o2-4")

    report = run_over_opcua(peer, tmp_path, EX1, on_step=freeze_at_the_film)
    assert frozen and report.status == "held", report.reasons
    assert any("o2-4 has not updated" in reason for reason in report.reasons), report.reasons
    _assert_nothing_exposed(report)
