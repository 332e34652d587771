"""InterlockError: a refusal keeps where it happened as it is placed at a step and in a file."""

from __future__ import annotations

from anodeline.line.errors import InterlockError


def test_a_refusal_placed_in_a_file_keeps_its_step_and_names() -> None:
    refusal = InterlockError("DOOR002", "unequal pressures", space="chamber-5", hint="backfill first")
    placed = refusal.at_step(20, "open_door").in_file(file_index=22, line=183, column=3, door="outlet-3")
    assert placed.to_dict() | {"atmosphere": None} == {
        "index": 20, "file_index": 22, "line": 183, "column": 3, "action": "open_door", "code": "DOOR002",
        "door": "outlet-3", "container": None, "item": None, "space": "chamber-5", "reason": "unequal pressures",
        "hint": "backfill first", "atmosphere": None,
    }  # fmt: skip
    assert placed.location == "step 20 (file index 22, line 183:3)"
    assert placed.at_step(20, "open_door").file_index == 22  # placing again keeps the file origin


def test_a_refusal_of_a_compiled_procedure_has_no_file_origin() -> None:
    placed = InterlockError("CONT001", "opened in air", space="chamber-4").at_step(7, "open_container")
    data = placed.to_dict()
    assert placed.location == "step 7" and data["file_index"] is None and data["line"] is None
