"""``anodeline plan`` and ``anodeline verify`` on the shipped examples."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

import anodeline.cli.lineplan  # noqa: F401 - registers plan and verify
from anodeline.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_1 = str(ROOT / "examples" / "patent" / "example-01.yaml")
TWO = str(ROOT / "examples" / "patent" / "two-apparatus-01.yaml")
runner = CliRunner()


def test_plan_json_lists_numbered_steps() -> None:
    result = runner.invoke(app, ["plan", EXAMPLE_1, "--format", "json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)["steps"]
    assert steps[0]["index"] == 0 and {"action", "manual"} <= set(steps[0])
    assert any(s["action"] == "deposit" for s in steps)


def test_plan_text_marks_glove_work() -> None:
    result = runner.invoke(app, ["plan", EXAMPLE_1, "--line", str(ROOT / "examples/lines/single-port.yaml")])
    assert result.exit_code == 0, result.output
    assert "glove" in result.stdout and "air-free" in result.stdout


def test_verify_recipe_on_its_default_line() -> None:
    for recipe in (EXAMPLE_1, TWO):
        result = runner.invoke(app, ["verify", recipe, "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["air_free"] is True


def test_verify_exported_procedure(tmp_path: Path) -> None:
    exported = runner.invoke(app, ["plan", EXAMPLE_1, "--format", "yaml"]).stdout
    path = tmp_path / "sop.yaml"
    path.write_text(exported)
    result = runner.invoke(app, ["verify", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"air_free": True, "steps": len(yaml.safe_load(exported)["steps"])}


def test_verify_edited_procedure_names_the_failing_step(tmp_path: Path) -> None:
    data = json.loads(runner.invoke(app, ["plan", EXAMPLE_1, "--format", "json"]).stdout)
    data["steps"] = [s for s in data["steps"] if not (s["action"] == "evacuate" and s["space"] == "apparatus-1")]
    path = tmp_path / "sop.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["verify", str(path), "--json"])
    assert result.exit_code == 1
    failed = json.loads(result.stdout)["failed_step"]
    assert failed["code"] == "DEP001" and failed["action"] == "deposit"
    assert {"index", "item", "space", "reason"} <= set(failed)


def test_missing_file_is_a_usage_error() -> None:
    for command in (["verify", "nope.yaml"], ["plan", "nope.yaml"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2
        assert "error:" in result.stderr


def test_an_invalid_procedure_is_refused_with_exit_1_and_a_location(tmp_path: Path) -> None:
    path = tmp_path / "sop.yaml"
    path.write_text("line: fig1\nsteps:\n  - {action: teleport}\n")
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 1  # read, and refused (docs/cli.md, exit codes)
    assert "sop.yaml:3:" in result.stderr and "PRC003" in result.stderr


def test_bad_format_and_impossible_route() -> None:
    assert runner.invoke(app, ["plan", EXAMPLE_1, "--format", "xml"]).exit_code == 2
    result = runner.invoke(app, ["plan", TWO, "--line", str(ROOT / "examples/lines/fig1.yaml")])
    assert result.exit_code == 1 and "apparatus" in result.stderr  # like `run`: the check failed, not the usage


def test_a_procedure_naming_a_line_outside_the_shipped_folder_is_refused(tmp_path: Path) -> None:
    data = json.loads(runner.invoke(app, ["plan", EXAMPLE_1, "--format", "json"]).stdout)
    data["line"] = "../../patent/example-01"
    path = tmp_path / "sop.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 2 and "not a shipped line" in result.stderr
