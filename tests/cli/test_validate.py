"""`anodeline validate`, `explain` and `rules` on the shipped examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anodeline.cli import app
from tests.conftest import EXAMPLES, PATENT_EXAMPLES

runner = CliRunner()


def test_all_patent_examples_validate_with_exit_0() -> None:
    result = runner.invoke(app, ["validate", *map(str, PATENT_EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert f"{len(PATENT_EXAMPLES)} of {len(PATENT_EXAMPLES)} recipe(s) valid" in result.output


def test_json_output_has_the_contract_keys() -> None:
    result = runner.invoke(app, ["validate", str(PATENT_EXAMPLES[0]), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    (entry,) = data["recipes"]
    assert entry == {"file": str(PATENT_EXAMPLES[0]), "valid": True, "violations": []}


def test_an_invalid_recipe_exits_1_and_reports_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(PATENT_EXAMPLES[0].read_text().replace("thickness: 1 um", "thickness: 12 um"))
    result = runner.invoke(app, ["validate", str(bad), "--json"])
    assert result.exit_code == 1
    (violation,) = json.loads(result.stdout)["recipes"][0]["violations"]
    assert set(violation) == {"severity", "code", "path", "line", "column", "message", "hint", "source"}
    assert (violation["code"], violation["path"], violation["severity"]) == ("THK001", "layers[0].thickness", "error")
    human = runner.invoke(app, ["validate", str(bad)])
    assert human.exit_code == 1 and "THK001" in human.output and "invalid" in human.output


def test_a_yaml_syntax_error_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("recipe: [x\n")
    result = runner.invoke(app, ["validate", str(bad), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["recipes"][0]["violations"][0]["code"] == "SCH001"


def test_warnings_keep_exit_0(tmp_path: Path) -> None:
    thick = tmp_path / "thick.yaml"
    thick.write_text(PATENT_EXAMPLES[0].read_text().replace("thickness: 1 um", "thickness: 5 um"))
    result = runner.invoke(app, ["validate", str(thick)])
    assert result.exit_code == 0 and "THK002" in result.output


def test_one_bad_recipe_among_good_ones_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("recipe: x\n")
    result = runner.invoke(app, ["validate", str(PATENT_EXAMPLES[0]), str(bad)])
    assert result.exit_code == 1


def test_a_missing_file_is_a_usage_error() -> None:
    result = runner.invoke(app, ["validate", "no/such/recipe.yaml"])
    assert result.exit_code == 2
    assert "no such recipe file" in result.stderr and "Traceback" not in result.output


def test_a_bad_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["validate", "--frobnicate", str(PATENT_EXAMPLES[0])])
    assert result.exit_code == 2


def test_explain_prints_text_and_source() -> None:
    result = runner.invoke(app, ["explain", "vac001"])
    assert result.exit_code == 0
    assert "1.33e-4 Pa" in result.output and "description" in result.output


def test_explain_unknown_code_suggests() -> None:
    result = runner.invoke(app, ["explain", "VAC01"])
    assert result.exit_code == 2 and "VAC001" in result.stderr


def test_rules_lists_every_code_as_json() -> None:
    from anodeline.codes import all_codes
    from anodeline.recipe.rules import RULES

    result = runner.invoke(app, ["rules", "--json"])
    listed = {rule["code"]: rule for rule in json.loads(result.stdout)["rules"]}
    assert set(listed) == {entry.code for entry in all_codes()} and set(RULES) < set(listed)
    assert listed["DOOR002"]["checker"] == "interlock" and listed["LIN005"]["checker"] == "line"
    assert {"severity", "title", "hint", "source", "description"} <= set(listed["PRC003"])


@pytest.mark.parametrize(
    "code",
    [
        "AIR001",
        "DOOR002",
        "LIN005",
        "PRC003",
        "ACT008",
        "GAS001",
        "PMP001",
        "TIMEOUT",
        "AUD002",
        "CPG009",
        "MBS001",
        "TGT002",
    ],
)
def test_explain_knows_the_codes_of_every_checker(code: str) -> None:
    from anodeline.codes import CHECKERS, lookup

    entry = lookup(code)
    assert entry is not None
    result = runner.invoke(app, ["explain", code.lower()], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"{code} ({entry.severity})" in result.output and entry.title in result.output
    assert entry.hint in result.output and CHECKERS[entry.checker].title in result.output


def test_explain_covers_every_checker() -> None:
    from anodeline.codes import CHECKERS, all_codes

    tested = {"AIR001", "DOOR002", "LIN005", "PRC003", "ACT008", "GAS001", "PMP001", "TIMEOUT", "AUD002", "CPG009",
              "BND008", "MBS001", "TGT002"}  # fmt: skip
    assert {entry.checker for entry in all_codes() if entry.code in tested} | {"recipe"} == set(CHECKERS)


def test_rules_filters_by_checker() -> None:
    result = runner.invoke(app, ["rules", "--checker", "interlock", "--json"])
    assert result.exit_code == 0
    rules = json.loads(result.stdout)["rules"]
    assert {r["checker"] for r in rules} == {"interlock"} and "PMP001" in {r["code"] for r in rules}
    table = runner.invoke(app, ["rules", "--checker", "procedure"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "PRC003" in table.output and "THK001" not in table.output
    unknown = runner.invoke(app, ["rules", "--checker", "nope"])
    assert unknown.exit_code == 2 and "interlock" in unknown.stderr


def test_the_installed_entry_point_runs() -> None:
    exe = Path(sys.executable).parent / "anodeline"
    done = subprocess.run(
        [str(exe), "validate", str(EXAMPLES / "patent" / "example-05.yaml")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_validate_line_locates_a_gas_the_line_has_no_supply_of(tmp_path: Path) -> None:
    n2 = tmp_path / "n2.yaml"
    n2.write_text(PATENT_EXAMPLES[0].read_text().replace("gas: Ar,", "gas: N2,"))
    line = str(EXAMPLES / "lines" / "fig1.yaml")
    assert runner.invoke(app, ["validate", str(n2)]).exit_code == 0  # valid on its own
    result = runner.invoke(app, ["validate", str(n2), "--line", line, "--json"])
    assert result.exit_code == 1
    (fit,) = [v for v in json.loads(result.stdout)["recipes"][0]["violations"] if v["severity"] == "error"]
    assert (fit["code"], fit["path"], fit["line"]) == ("FIT002", "atmosphere.gas", 16)
    assert "GAS001" in fit["message"] and "N2" in fit["message"]


def test_validate_line_refuses_a_route_the_line_cannot_run() -> None:
    two = EXAMPLES / "patent" / "two-apparatus-01.yaml"
    result = runner.invoke(app, ["validate", str(two), "--line", str(EXAMPLES / "lines" / "fig1.yaml"), "--json"])
    assert result.exit_code == 1
    assert [v["code"] for v in json.loads(result.stdout)["recipes"][0]["violations"]] == ["FIT001"]
