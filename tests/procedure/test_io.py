"""Procedure files round-trip; edited ones are checked with locations."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from anodeline.line.config import Line
from anodeline.line.policy import line_values, policy_for
from anodeline.procedure.io import STEP_RANGES, dump, looks_like_procedure, read_procedure
from anodeline.procedure.model import Procedure
from anodeline.procedure.verify import verify_procedure
from tests.corpus import expected


def test_yaml_and_json_round_trip(example_1_procedure: Procedure) -> None:
    for fmt in ("yaml", "json"):
        again, problems = read_procedure(dump(example_1_procedure, fmt))
        assert problems == ()
        assert again is not None
        assert again.steps == example_1_procedure.steps
        assert again.materials == example_1_procedure.materials
        assert again.policy == example_1_procedure.policy


def test_json_export_has_the_step_contract(example_1_procedure: Procedure) -> None:
    step = json.loads(dump(example_1_procedure, "json"))["steps"][1]
    assert step["index"] == 1 and step["action"] == "load" and step["manual"] is True
    assert step["container"] == "source-1" and step["space"] == "chamber-4"


def test_bad_steps_are_reported_at_their_line(example_1_procedure: Procedure) -> None:
    data = example_1_procedure.to_dict()
    data["steps"][3] = {"action": "teleport", "space": "chamber-4"}
    data["steps"][5] = {"action": "evacuate", "space": "chamber-4", "pressure_pa": "low"}
    text = yaml.safe_dump(data, sort_keys=False)
    procedure, problems = read_procedure(text)
    assert procedure is None
    assert [p.code for p in problems] == ["PRC003", "PRC006"]
    assert problems[0].path == "steps[3].action"
    assert "teleport" in text.splitlines()[problems[0].line - 1]


def test_an_edited_procedure_verifies_like_a_compiled_one(example_1_procedure: Procedure, fig1: Line) -> None:
    data = example_1_procedure.to_dict()
    del data["steps"][2:8]  # the engineer dropped the purge of chamber 4
    procedure, problems = read_procedure(yaml.safe_dump(data))
    assert procedure is not None and not problems
    verdict = verify_procedure(procedure, fig1)
    assert not verdict.air_free and verdict.failure is not None and verdict.failure.rule == "CONT001"


def test_recipes_and_procedures_are_told_apart(example_1_procedure: Procedure, example_01_text: str) -> None:
    assert looks_like_procedure(dump(example_1_procedure))
    assert not looks_like_procedure(example_01_text)


def test_container_volumes_round_trip_and_are_bounded(example_1_procedure: Procedure) -> None:
    import yaml

    from anodeline.procedure.io import dump, read_procedure

    data = yaml.safe_load(dump(example_1_procedure))
    data["materials"][0]["volume_l"] = 2.5
    procedure, found = read_procedure(yaml.safe_dump(data))
    assert procedure is not None and not found
    assert procedure.materials[0].volume_l == 2.5
    for bad in (0.0, -1.0, float("nan"), float("inf"), 1e308):
        data["materials"][0]["volume_l"] = bad
        procedure, found = read_procedure(yaml.safe_dump(data))
        assert procedure is None and found[0].code == "PRC007" and "volume_l" in found[0].message


def test_a_read_procedure_remembers_each_steps_file_index_and_line(example_1_procedure: Procedure) -> None:
    data = example_1_procedure.to_dict()
    del data["steps"][3]  # the file keeps indices 0, 1, 2, 4, …
    data["steps"][0].pop("index")
    text = yaml.safe_dump(data, sort_keys=False)
    read, problems = read_procedure(text)
    assert read is not None and not problems
    lines = text.splitlines()
    origin = read.origin(3)
    assert origin is not None and origin.index == 4 and lines[origin.line - 1].endswith("index: 4")
    assert read.origin(0) is not None and read.origin(0).index is None  # type: ignore[union-attr]
    assert read.origin(len(read.steps)) is None and example_1_procedure.origin(0) is None


PROCEDURE_CORPUS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "bounds" / "procedures").glob("*.yaml"))


@pytest.mark.parametrize("path", PROCEDURE_CORPUS, ids=[p.stem for p in PROCEDURE_CORPUS])
def test_hostile_procedure_is_refused_at_its_location(path: Path, fig1: Line) -> None:
    """tests/corpus/bounds/procedures: a tampered policy, absurd numbers, duplicate names; each a located PRC…."""
    procedure, problems = read_procedure(path.read_text(), fig1)
    assert procedure is None
    found = {(v.code, v.path): v for v in problems}
    for code, where in expected(path):
        assert (code, where) in found, f"{code} at {where} not reported; got {sorted(found)}"
        violation = found[(code, where)]
        assert violation.is_error and violation.line > 2 and violation.column >= 1
        assert violation.message and violation.hint and violation.source


def _tampered(procedure: Procedure, **policy: float) -> dict[str, Any]:
    """The exported plan with every purge deleted and the policy edited to accept that."""
    data = procedure.to_dict()
    data["steps"] = [s for s in data["steps"] if s["action"] not in ("evacuate", "backfill", "hold")]
    data["policy"].update(policy)
    return data


def test_a_policy_that_accepts_a_plan_without_purges_is_refused(example_1_procedure: Procedure, fig1: Line) -> None:
    for vacuum in (200000.0, math.inf):
        text = yaml.safe_dump(_tampered(example_1_procedure, vacuum_below_pa=vacuum), sort_keys=False)
        procedure, problems = read_procedure(text, fig1)
        assert procedure is None
        assert {(p.code, p.path) for p in problems} == {
            ("PRC010", "policy.vacuum_below_pa"),
            ("PRC009", "policy.vacuum_below_pa"),
        }
        assert "vacuum_below_pa:" in text.splitlines()[problems[0].line - 1]


def test_verify_judges_by_the_line_policy_whatever_the_procedure_carries(
    example_1_procedure: Procedure, fig1: Line
) -> None:
    data = _tampered(example_1_procedure)
    procedure, problems = read_procedure(yaml.safe_dump(data))
    assert procedure is not None and not problems
    loose = replace(procedure, policy=replace(procedure.policy, vacuum_below_pa=math.inf, door_tolerance_pa=1e9))
    verdict = verify_procedure(loose, fig1)
    assert not verdict.air_free


def test_the_line_decides_the_policy_of_a_procedure_read_for_it(example_1_procedure: Procedure, fig1: Line) -> None:
    data = example_1_procedure.to_dict()
    del data["policy"]["vacuum_below_pa"]
    procedure, problems = read_procedure(yaml.safe_dump(data), fig1)
    assert procedure is not None and not problems
    assert (
        procedure.policy == policy_for(fig1) or procedure.policy.vacuum_below_pa == line_values(fig1)["vacuum_below_pa"]
    )


def test_an_exported_plan_reads_back_for_its_line(example_1_procedure: Procedure, fig1: Line) -> None:
    again, problems = read_procedure(dump(example_1_procedure), fig1)
    assert problems == () and again is not None and again.policy == example_1_procedure.policy


@given(
    action=st.sampled_from(
        [
            ("hold", "seconds", "chamber-4"),
            ("evacuate", "pressure_pa", "chamber-4"),
            ("heat", "temperature_degc", "apparatus-1"),
        ]
    ),
    value=st.floats() | st.integers(min_value=-(10**400), max_value=10**400),
)
def test_any_number_in_a_step_is_read_in_range_or_refused_at_its_key(
    action: tuple[str, str, str], value: float
) -> None:
    kind, key, space = action
    text = yaml.safe_dump({"line": "fig1", "steps": [{"action": kind, "space": space, key: value}]})
    procedure, problems = read_procedure(text)
    if procedure is None:
        assert [(p.code, p.path) for p in problems] == [("PRC011", f"steps[0].{key}")]
        assert f"{key}:" in text.splitlines()[problems[0].line - 1]
    else:
        number = getattr(procedure.steps[0], key)
        assert math.isfinite(number) and STEP_RANGES[key].contains(number)
