"""The hostile-input corpus: every command that reads a file ends fast, with one error line, never a traceback.

Unreadable input (a YAML alias bomb, a 50 MB file, /dev/zero, a FIFO, non-UTF-8, absurd nesting)
exits 2; a readable recipe that is refused (a quantity written as arithmetic, a gas the line has
no supply of) exits 1 (docs/cli.md, exit codes). ``benchmarks/hostile_inputs.py`` measures the same
cases' time and peak memory in fresh processes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anodeline.cli import app
from tests.conftest import PATENT_EXAMPLES

runner = CliRunner()
EXAMPLE_1 = PATENT_EXAMPLES[0].read_text(encoding="utf-8")


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for parent, child in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{child}: &{child} [{','.join(['*' + parent] * 9)}]")
    return "\n".join(lines) + "\n"


def _write(text: str | bytes) -> Callable[[Path], Path]:
    def make(directory: Path) -> Path:
        path = directory / "case.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return make


def _fifo(directory: Path) -> Path:
    path = directory / "fifo.yaml"
    os.mkfifo(path)
    return path


def _big(directory: Path) -> Path:
    path = directory / "big.yaml"
    with path.open("wb") as handle:  # 50 MB of a valid-looking recipe comment
        handle.truncate(50 * 1024 * 1024)
    return path


#: name → (how to make the file, expected exit code, a fragment of the error)
CASES: dict[str, tuple[Callable[[Path], Path], int, str]] = {
    "alias-bomb": (_write(_bomb()), 2, "anchor &a is not allowed"),
    "alias-in-recipe": (_write(EXAMPLE_1.replace("thickness: 1 um", "thickness: &t 1 um")), 2, "anchor &t"),
    "50MB-file": (_big, 2, "larger than 1000 kB"),
    "dev-zero": (lambda _d: Path("/dev/zero"), 2, "not a regular file"),
    "fifo": (_fifo, 2, "not a regular file"),
    "directory": (lambda d: d, 2, "is a directory"),
    "missing": (lambda d: d / "nope.yaml", 2, "no such"),
    "non-utf8": (_write(EXAMPLE_1.encode() + b"# caf\xe9\n"), 2, "not UTF-8"),
    "random-bytes": (_write(bytes(range(256)) * 64), 2, "not UTF-8"),
    "deep-nesting": (_write("x: " + "[" * 5000 + "]" * 5000 + "\n"), 2, "nested more than 64"),
    "100k-nodes": (_write("x: [" + ",".join(["1"] * 100_001) + "]\n"), 2, "more than 100000 YAML nodes"),
    "power-tower": (_write(EXAMPLE_1.replace("thickness: 1 um", 'thickness: "9**9**9 um"')), 1, "SCH004"),
    "huge-exponent": (_write(EXAMPLE_1.replace("thickness: 1 um", "thickness: 1e999 um")), 1, "SCH004"),
    "unit-power": (_write(EXAMPLE_1.replace("thickness: 1 um", "thickness: 1 um**99999")), 1, "SCH004"),
    "gas-without-supply": (_write(EXAMPLE_1.replace("gas: Ar,", "gas: N2,")), 1, "N2"),
    "gas-mixture": (_write(EXAMPLE_1.replace("gas: Ar,", "gas: Ar+He,")), 1, "Ar+He"),
}

COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "validate": lambda f, _t: ["validate", str(f), "--line", "examples/lines/fig1.yaml"],
    "plan": lambda f, _t: ["plan", str(f)],
    "verify": lambda f, _t: ["verify", str(f)],
    "run": lambda f, t: ["run", str(f), "--json", "--db", f"sqlite:///{t / 'records.sqlite'}"],
    "predict": lambda f, _t: ["predict", str(f)],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(CASES))
def test_hostile_input_ends_fast_with_one_error_line(case: str, command: str, tmp_path: Path) -> None:
    make, expected, fragment = CASES[case]
    if case in ("gas-without-supply", "gas-mixture") and command == "predict":
        pytest.skip("predict needs no line: the recipe alone is valid")
    path = make(tmp_path)
    root = Path(__file__).resolve().parents[2]
    cwd = Path.cwd()
    os.chdir(root)
    try:
        started = time.perf_counter()
        result = runner.invoke(app, COMMANDS[command](path, tmp_path))
        elapsed = time.perf_counter() - started
    finally:
        os.chdir(cwd)
    output = result.output
    assert result.exit_code == expected, output
    assert "Traceback" not in output and isinstance(result.exception, SystemExit), output
    assert fragment in output
    if not (command == "validate" and expected == 1):  # validate prints its table of violations
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, result.stderr
    assert elapsed < 10.0  # generous for a loaded CI machine; the benchmark holds each case to 2 s
