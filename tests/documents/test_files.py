"""read_document refuses, with one clear error, every file that is not a small UTF-8 YAML document."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from anodeline.documents.files import MAX_DOCUMENT_BYTES, read_document
from anodeline.errors import RecipeError, UnreadableInputError

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def _refused(path: Path, fragment: str) -> None:
    started = time.perf_counter()
    with pytest.raises(RecipeError, match=fragment) as info:
        read_document(path, "recipe file", RecipeError)
    assert isinstance(info.value, UnreadableInputError)
    assert "\n" not in str(info.value)
    assert time.perf_counter() - started < 30.0  # a hang guard only; benchmarks/hostile_inputs.py holds 2 s


def test_a_yaml_alias_bomb_is_refused_at_its_first_anchor(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    assert len(BOMB) < 600
    _refused(bomb, r"bomb.yaml:1:4: YAML anchor &a is not allowed")


def test_a_single_alias_is_refused_too(tmp_path: Path) -> None:
    doc = tmp_path / "alias.yaml"
    doc.write_text("x: &t 1 um\ny: *t\n")
    _refused(doc, "anchor &t")


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * MAX_DOCUMENT_BYTES + b"\n")
    _refused(big, "larger than 1000 kB")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "recipe.yaml"
    os.mkfifo(fifo)
    _refused(fifo, "not a regular file")


def test_dev_zero_is_refused() -> None:
    _refused(Path("/dev/zero"), "not a regular file")


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"recipe: x\ntitle: caf\xe9\n")
    _refused(latin, r"latin.yaml:2: recipe file is not UTF-8")


def test_too_many_nodes_and_too_deep_are_refused(tmp_path: Path) -> None:
    wide = tmp_path / "wide.yaml"
    wide.write_text("x: [" + ",".join(["1"] * 100_001) + "]\n")
    _refused(wide, "more than 100000 YAML nodes")
    deep = tmp_path / "deep.yaml"
    deep.write_text("x: " + "[" * 10_000 + "]" * 10_000 + "\n")
    _refused(deep, "nested more than 64 levels")


def test_a_missing_file_and_a_directory_are_unreadable(tmp_path: Path) -> None:
    _refused(tmp_path / "nope.yaml", "no such recipe file")
    _refused(tmp_path, "is a directory")


def test_a_shipped_recipe_reads() -> None:
    from tests.conftest import PATENT_EXAMPLES

    assert read_document(PATENT_EXAMPLES[0], "recipe file", RecipeError).startswith("#")
