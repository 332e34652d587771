"""Procedure files round-trip; edited ones are checked with locations."""

from __future__ import annotations

import json

import yaml

from anodeline.line.config import Line
from anodeline.procedure.io import dump, looks_like_procedure, read_procedure
from anodeline.procedure.model import Procedure
from anodeline.procedure.verify import verify_procedure


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
