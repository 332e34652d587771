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


def _edited_plan(tmp_path: Path, drop: set[int], renumber: bool = False) -> tuple[Path, str]:
    """Example 1's exported plan with the steps of file index ``drop`` deleted (and renumbered 100, 102, …)."""
    data = yaml.safe_load(runner.invoke(app, ["plan", EXAMPLE_1, "--format", "yaml"]).stdout)
    data["steps"] = [step for step in data["steps"] if step["index"] not in drop]
    if renumber:
        for position, step in enumerate(data["steps"]):
            step["index"] = 100 + 2 * position
    text = yaml.safe_dump(data, sort_keys=False)
    path = tmp_path / "sop.yaml"
    path.write_text(text)
    return path, text


def _line_of(text: str, file_index: int) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip("- ") == f"index: {file_index}":
            return number, line.index("index") + 1
    raise AssertionError(f"no step with index {file_index}")


def test_verify_names_the_step_by_position_file_index_and_line_and_names_the_door(tmp_path: Path) -> None:
    path, text = _edited_plan(tmp_path, drop={19, 21})  # the last two argon fills of chamber-5
    line, column = _line_of(text, 22)
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert f"step 20 (file index 22, line {line}:{column}) open_door outlet-3: DOOR002 " in first
    assert "door outlet-3" in first and "space chamber-5" in first
    failed = json.loads(runner.invoke(app, ["verify", str(path), "--json"]).stdout)["failed_step"]
    assert failed["index"] == 20 and failed["file_index"] == 22 and (failed["line"], failed["column"]) == (line, column)
    assert failed["door"] == "outlet-3" and failed["space"] == "chamber-5"


def test_verify_reports_the_files_own_index_of_a_renumbered_step(tmp_path: Path) -> None:
    path, text = _edited_plan(tmp_path, drop={21}, renumber=True)
    line, column = _line_of(text, 142)
    result = runner.invoke(app, ["verify", str(path)])
    assert f"step 21 (file index 142, line {line}:{column}) open_door outlet-3: DOOR002" in result.stdout


def test_verify_of_steps_without_index_gives_the_line(tmp_path: Path) -> None:
    path, _ = _edited_plan(tmp_path, drop={21})
    data = yaml.safe_load(path.read_text())
    for step in data["steps"]:
        del step["index"]
    text = yaml.safe_dump(data, sort_keys=False)
    path.write_text(text)
    result = runner.invoke(app, ["verify", str(path), "--json"])
    failed = json.loads(result.stdout)["failed_step"]
    assert failed["file_index"] is None and failed["line"] > 0
    assert (
        f"step 21 (line {failed['line']}:{failed['column']}) open_door"
        in runner.invoke(app, ["verify", str(path)]).stdout
    )


def test_verify_refuses_a_procedure_whose_policy_is_not_the_lines(tmp_path: Path) -> None:
    data = json.loads(runner.invoke(app, ["plan", EXAMPLE_1, "--format", "json"]).stdout)
    data["steps"] = [s for s in data["steps"] if s["action"] not in ("evacuate", "backfill", "hold")]
    data["policy"]["vacuum_below_pa"] = 1.0  # inside the bounds, but fig1 says 0.1 Pa
    path = tmp_path / "sop.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "vacuum_below_pa" in text)
    assert f"sop.yaml:{line}:" in result.stderr and "PRC009" in result.stderr


def test_a_procedure_naming_a_line_outside_the_shipped_folder_is_refused(tmp_path: Path) -> None:
    data = json.loads(runner.invoke(app, ["plan", EXAMPLE_1, "--format", "json"]).stdout)
    data["line"] = "../../patent/example-01"
    path = tmp_path / "sop.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 2 and "not a shipped line" in result.stderr
