"""`anodeline run` on examples/patent/example-01-cell.yaml: Example 1 through assembly and the cell test."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anodeline.cli import app
from anodeline.records import open_store
from tests.conftest import CELL_EXAMPLE, PATENT_EXAMPLES
from tests.golden import path as golden_path

runner = CliRunner()
pytest.importorskip("pybamm")  # the 'cell' extra; '.[dev]' installs it


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    db = f"sqlite:///{tmp_path_factory.mktemp('cell') / 'records.sqlite'}"
    result = runner.invoke(app, ["run", str(CELL_EXAMPLE), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return db, json.loads(result.stdout)


def test_run_json_has_the_cell_beside_the_patents_values(run: tuple[str, dict[str, Any]]) -> None:
    _, data = run
    assert (data["status"], data["verdict"]) == ("complete", "pass")
    cell = data["cell"]
    assert cell["id"] == f"{data['batch']}/cell"
    assert cell["patent"]["capacity_ah"] == 0.5 and cell["patent"]["energy_density_wh_per_l"] == 490.0
    assert "patent Example 1" in cell["patent"]["source"]
    # measured on the twin (PyBaMM) within the stated 25 % of the volumetric model, which meets the patent
    assert cell["volumetric_model"]["capacity_ah"] == pytest.approx(0.5, rel=0.01)
    assert cell["volumetric_model"]["energy_density_wh_per_l"] == pytest.approx(490, rel=0.01)
    assert 0.75 * 0.5 <= cell["capacity_ah"] < 0.5
    assert cell["energy_wh"] == pytest.approx(cell["capacity_ah"] * cell["test"]["mean_voltage_v"], rel=1e-3)
    assert 0.75 * 490 <= cell["energy_density_wh_per_l"] < 490
    assert cell["n_p_ratio"] > 1.0
    assert cell["test"]["protocol"] == {"charge_to_v": 4.2, "current_a": 0.1, "discharge_to_v": 3.5,
                                        "cycles_stated": 100, "cycles_simulated": 1}  # fmt: skip


def test_the_cell_is_recorded_with_its_genealogy_and_discharge_curve(run: tuple[str, dict[str, Any]]) -> None:
    db, data = run
    batch = data["batch"]
    with open_store(db) as store:
        family = store.genealogy(f"{batch}/cell")
        parents = family.ancestry.ids()
        assert {f"{batch}/electrode", f"{batch}/positive-electrode", f"{batch}/separator",
                f"{batch}/electrolyte", f"{batch}/base"} <= parents  # fmt: skip
        assert f"{batch}/cell" in store.genealogy(f"{batch}/electrode").descent.ids()
        curve = store.telemetry(batch, "cell.voltage_v")
        assert len(curve) == len(data["cell"]["test"]["curve"])
        assert curve[0].value > curve[-1].value == pytest.approx(3.5, abs=1e-3)
        assert curve[0].sim_s >= data["simulated_seconds"]  # tested after the line made and sealed it
        made = store.get_batch(batch).electrode
        assert made is not None and json.loads(made)["cell"]["capacity_ah"] == data["cell"]["capacity_ah"]


def test_the_plain_example_1_has_no_cell() -> None:
    assert PATENT_EXAMPLES[0].name == "example-01.yaml"
    assert "cell" not in json.loads(golden_path(PATENT_EXAMPLES[0], PATENT_EXAMPLES[0].parents[1] / "lines" /
                                                "fig1.yaml").read_text())  # fmt: skip


def test_without_pybamm_the_run_stops_with_one_line_before_recording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pybamm" else real(name, *a))
    db = tmp_path / "records.sqlite"
    result = runner.invoke(app, ["run", str(CELL_EXAMPLE), "--db", f"sqlite:///{db}", "--json"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "needs PyBaMM" in errors[0]
    assert "anodeline[cell]" in result.output
    assert "Traceback" not in result.output
    assert not db.exists()  # refused before the store was opened


def test_the_human_report_shows_the_cell_beside_the_model_and_the_patent(run: tuple[str, dict[str, Any]]) -> None:
    from rich.console import Console

    from anodeline.cli.run_view import _print_cell

    console = Console(record=True, width=120)
    _print_cell(run[1]["cell"], console)
    text = console.export_text()
    assert "patent (stated)" in text and "volumetric model" in text and "measured (twin, PyBaMM)" in text
    assert f"{run[1]['cell']['capacity_ah']:.3f}" in text and "490" in text and "n/p ratio 1.03" in text


def test_a_protocol_the_cell_cannot_follow_leaves_it_recorded_and_untested(tmp_path: Path) -> None:
    recipe = tmp_path / "low-charge.yaml"
    recipe.write_text(CELL_EXAMPLE.read_text().replace("charge_to: 4.2 V", "charge_to: 3.6 V"))
    result = runner.invoke(app, ["run", str(recipe), "--db", f"sqlite:///{tmp_path / 'r.sqlite'}", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["status"], data["verdict"]) == ("complete", "pass")  # the electrode is fine
    cell = data["cell"]
    assert cell["capacity_ah"] is None and cell["test"] is None
    assert cell["note"].startswith("not tested: the cell test did not complete")


def test_a_cell_batch_killed_during_assembly_resumes_to_its_cell_test(tmp_path: Path) -> None:
    """kill -9 while the cell is being assembled; ``resume`` finishes the assembly and tests the cell."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.cli.test_crash import PASSWORDS, _users

    db = f"sqlite:///{tmp_path / 'crash.sqlite'}"
    _users(db)
    command = [sys.executable, "-c", "from anodeline.cli import main; main()", "run", str(CELL_EXAMPLE),
               "--db", db, "--json", "--speed", "4000"]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "ANODELINE_LEASE_S": "2"})  # fmt: skip
    end = time.monotonic() + 120.0
    batch = ""
    while time.monotonic() < end and child.poll() is None:  # until the first assembly step is journalled
        try:
            with open_store(db) as store:
                batches = store.list_batches()
                if batches and any(e.index >= 38 for e in store.step_journal(batches[0].batch_id)):
                    batch = batches[0].batch_id
                    break
        except Exception:
            pass
        time.sleep(0.05)
    if child.poll() is not None or not batch:
        child.kill()
        pytest.skip("the run ended before its assembly could be interrupted (a slow or loaded machine)")
    child.send_signal(signal.SIGKILL)
    child.wait()
    env = {"ANODELINE_PASSWORD": PASSWORDS["erin"], "ANODELINE_ANCHOR_LOG": ""}
    resumed = runner.invoke(app, ["resume", batch, "--as", "erin", "--db", db, "--json"], env=env)
    report = json.loads(resumed.stdout)
    assert (report["status"], report["verdict"]) == ("complete", "pass"), report["reasons"]
    assert 0.75 * 0.5 <= report["cell"]["capacity_ah"] < 0.5
    with open_store(db) as store:
        assert store.telemetry(batch, "cell.voltage_v")
        assert f"{batch}/electrode" in store.genealogy(f"{batch}/cell").ancestry.ids()


def test_record_shows_the_cell_its_parts_exposure_and_its_test(run: tuple[str, dict[str, Any]]) -> None:
    db, data = run
    result = runner.invoke(app, ["record", data["batch"], "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["genealogy"]["cell"]["id"] == f"{data['batch']}/cell"
    exposed = {e["item"].split("/")[-1] for e in record["exposure"]}
    assert {"base", "positive-electrode", "separator", "electrolyte"} <= exposed  # the parts met the chamber too
    assert record["electrode"]["cell"]["energy_density_wh_per_l"] == data["cell"]["energy_density_wh_per_l"]
    human = runner.invoke(app, ["record", data["batch"], "--db", db])
    assert human.exit_code == 0 and "patent (stated)" in human.output and "/cell from" in human.output


def test_the_html_report_has_the_cell_and_its_discharge_plot(run: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    db, data = run
    out = tmp_path / "cell.html"
    result = runner.invoke(app, ["record", data["batch"], "--db", db, "--export", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert f"<h2>Cell {data['batch']}/cell</h2>" in html and "patent (stated)" in html
    assert html.count("<img") >= 2  # the atmospheres, the exposure and the discharge curve
    record = json.loads(runner.invoke(app, ["record", data["batch"], "--db", db, "--json"]).stdout)
    assert record["readings"]["cell.voltage_v"]["unit"] == "V"
