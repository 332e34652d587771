"""Every example × line batch gives exactly its golden output (tests/golden): speed work changes no result."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import name, pairs, path, render

PAIRS = pairs()


@pytest.mark.parametrize(("recipe", "line"), PAIRS, ids=[name(r, ln) for r, ln in PAIRS])
def test_the_batch_output_is_byte_identical_to_its_golden_file(recipe: Path, line: Path) -> None:
    golden = path(recipe, line)
    assert golden.is_file(), f"no golden output for {name(recipe, line)}: run python -m tests.golden --write"
    assert render(recipe, line) == golden.read_text()


def test_every_golden_file_has_its_pair() -> None:
    expected = {path(recipe, line).name for recipe, line in PAIRS}
    assert {p.name for p in path(*PAIRS[0]).parent.glob("*.json")} == expected
