"""One exit-code table for every command (docs/cli.md): 0 ok, 1 read but refused, 2 usage or unreadable input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anodeline.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
EX1 = EXAMPLES / "patent" / "example-01.yaml"
TWO = EXAMPLES / "patent" / "two-apparatus-01.yaml"
FIG1 = EXAMPLES / "lines" / "fig1.yaml"


def _files(tmp: Path) -> dict[str, Path]:
    text = EX1.read_text(encoding="utf-8")
    files = {
        "invalid": text.replace("thickness: 1 um", "thickness: 12 um").encode(),
        "latin1": text.encode() + b"# caf\xe9\n",
        "n2": text.replace("gas: Ar,", "gas: N2,").encode(),
        "bad-line": FIG1.read_text(encoding="utf-8").replace("line: fig1", "line: fig1\nfrobnicate: 1").encode(),
    }
    for name, data in files.items():
        (tmp / f"{name}.yaml").write_bytes(data)
    return {name: tmp / f"{name}.yaml" for name in files}


def _db(tmp: Path) -> str:
    return f"sqlite:///{tmp / 'records.sqlite'}"


def _migrated(tmp: Path) -> str:
    """A records database with the schema and nothing in it."""
    from anodeline.records import open_store

    with open_store(_db(tmp)) as store:
        store.migrate()
    return _db(tmp)


#: (command line from the temp dir, expected exit code); one row per cell of the table
Case = Callable[[Path, dict[str, Path]], list[str]]
CASES: list[tuple[str, Case, int]] = [
    ("validate ok", lambda t, f: ["validate", str(EX1)], 0),
    ("validate ok on its line", lambda t, f: ["validate", str(EX1), "--line", str(FIG1)], 0),
    ("validate invalid", lambda t, f: ["validate", str(f["invalid"])], 1),
    ("validate gas the line lacks", lambda t, f: ["validate", str(f["n2"]), "--line", str(FIG1)], 1),
    ("validate route the line cannot run", lambda t, f: ["validate", str(TWO), "--line", str(FIG1)], 1),
    ("validate invalid line", lambda t, f: ["validate", str(EX1), "--line", str(f["bad-line"])], 1),
    ("validate non-UTF-8", lambda t, f: ["validate", str(f["latin1"])], 2),
    ("validate missing line", lambda t, f: ["validate", str(EX1), "--line", str(t / "nope.yaml")], 2),
    ("validate bad option", lambda t, f: ["validate", "--frobnicate", str(EX1)], 2),
    ("explain ok", lambda t, f: ["explain", "THK001"], 0),
    ("explain unknown code", lambda t, f: ["explain", "XYZ999"], 2),
    ("rules ok", lambda t, f: ["rules", "--json"], 0),
    ("rules bad option", lambda t, f: ["rules", "--frobnicate"], 2),
    ("plan ok", lambda t, f: ["plan", str(EX1), "--format", "json"], 0),
    ("plan invalid", lambda t, f: ["plan", str(f["invalid"])], 1),
    ("plan cannot compile", lambda t, f: ["plan", str(TWO), "--line", str(FIG1)], 1),
    ("plan gas the line lacks", lambda t, f: ["plan", str(f["n2"])], 1),
    ("plan invalid line", lambda t, f: ["plan", str(EX1), "--line", str(f["bad-line"])], 1),
    ("plan non-UTF-8", lambda t, f: ["plan", str(f["latin1"])], 2),
    ("plan bad format", lambda t, f: ["plan", str(EX1), "--format", "xml"], 2),
    ("verify ok", lambda t, f: ["verify", str(EX1)], 0),
    ("verify invalid", lambda t, f: ["verify", str(f["invalid"])], 1),
    ("verify gas the line lacks", lambda t, f: ["verify", str(f["n2"])], 1),
    ("verify non-UTF-8", lambda t, f: ["verify", str(f["latin1"])], 2),
    ("run invalid", lambda t, f: ["run", str(f["invalid"]), "--db", _db(t)], 1),
    ("run cannot compile", lambda t, f: ["run", str(TWO), "--line", str(FIG1), "--db", _db(t)], 1),
    ("run gas the line lacks", lambda t, f: ["run", str(f["n2"]), "--db", _db(t)], 1),
    ("run invalid line", lambda t, f: ["run", str(EX1), "--line", str(f["bad-line"]), "--db", _db(t)], 1),
    ("run non-UTF-8", lambda t, f: ["run", str(f["latin1"]), "--db", _db(t)], 2),
    ("run bad fault", lambda t, f: ["run", str(EX1), "--fault", "gremlins", "--db", _db(t)], 2),
    ("run bad db URL", lambda t, f: ["run", str(EX1), "--db", "postgresql://postgres@[::1"], 2),
    ("predict ok", lambda t, f: ["predict", str(EX1), "--json"], 0),
    ("predict invalid", lambda t, f: ["predict", str(f["invalid"])], 1),
    ("predict non-UTF-8", lambda t, f: ["predict", str(f["latin1"])], 2),
    ("calibrate unwritable report", lambda t, f: ["calibrate", "--report", "/proc/nope"], 2),
    ("calc ok", lambda t, f: ["calc", "dew-point", "-60 degC", "--json"], 0),
    ("calc bad quantity", lambda t, f: ["calc", "dew-point", "9**9**9 degC"], 2),
    ("calc composition bad formula", lambda t, f: ["calc", "composition", "Xy2S"], 2),
    ("batches ok", lambda t, f: ["batches", "--db", _migrated(t)], 0),
    ("batches missing database", lambda t, f: ["batches", "--db", _db(t)], 2),
    ("batches bad db URL", lambda t, f: ["batches", "--db", "postgresql://postgres@[::1"], 2),
    ("batches unknown backend", lambda t, f: ["batches", "--db", "mysql://x@y/z"], 2),
    ("record unknown batch", lambda t, f: ["record", "no-such-batch", "--db", _migrated(t)], 2),
    ("record missing database", lambda t, f: ["record", "no-such-batch", "--db", _db(t)], 2),
    ("record bad db URL", lambda t, f: ["record", "x", "--db", "postgresql://postgres@[::1"], 2),
    ("audit verify ok", lambda t, f: ["audit", "verify", "--db", _migrated(t)], 0),
    ("audit verify missing database", lambda t, f: ["audit", "verify", "--db", _db(t)], 2),
    ("audit verify bad db URL", lambda t, f: ["audit", "verify", "--db", "postgresql://postgres@[::1"], 2),
]


@pytest.mark.parametrize(("name", "command", "expected"), CASES, ids=[c[0] for c in CASES])
def test_exit_code_table(name: str, command: Case, expected: int, tmp_path: Path) -> None:
    result = runner.invoke(app, command(tmp_path, _files(tmp_path)))
    assert result.exit_code == expected, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    if expected:
        assert any(word in result.output for word in ("error", "Error", "invalid", "BROKEN"))


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import anodeline.prediction

    def broken(*_args: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(anodeline.prediction, "predict_recipe", broken)
    result = runner.invoke(app, ["predict", str(EX1)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == "error: internal error (ZeroDivisionError: division by zero)"
