"""Golden batch outputs: ``anodeline run --json`` of every patent example on every line that runs it.

Recorded once after the safety issue (issue 8), they pin every result of a run — status,
verdict, simulated time, the electrode, exposures, reasons — so that speed work (issue 9)
can prove it changed none of them. Fields that differ between two identical runs (batch id,
wall time, database URL, audit head, which hashes the batch id and wall-clock timestamps)
are dropped. Rewrite them only for a change that is *meant* to change results::

    .venv/bin/python -m tests.golden --write
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from anodeline.batch.runner import BatchRefusedError, run_batch
from anodeline.line.load import load_line
from anodeline.procedure.routes import can_run
from anodeline.recipe.validate import load_recipe

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RECIPES = sorted((ROOT / "examples" / "patent").glob("*.yaml"))
LINES = sorted((ROOT / "examples" / "lines").glob("*.yaml"))
VOLATILE = ("batch", "wall_seconds", "db", "audit_head")


def pairs() -> list[tuple[Path, Path]]:
    """Every (recipe, line) of the shipped examples whose route the line can run."""
    found = []
    for line_path in LINES:
        line = load_line(line_path)
        for recipe_path in RECIPES:
            if can_run(load_recipe(recipe_path), line) is None:
                found.append((recipe_path, line_path))
    return found


def name(recipe: Path, line: Path) -> str:
    return f"{recipe.stem}@{line.stem}"


def stable(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the fields two identical runs do not share."""
    data = {key: value for key, value in report.items() if key not in VOLATILE}
    electrode = data.get("electrode")
    if isinstance(electrode, dict):
        data["electrode"] = {key: value for key, value in electrode.items() if key != "id"}
    cell = data.get("cell")  # a recipe with an assembly section (example-01-cell)
    if isinstance(cell, dict):
        data["cell"] = {key: value for key, value in cell.items() if key != "id"}
    return data


def render(recipe: Path, line: Path) -> str:
    """The stable report of one run as canonical JSON text (what the golden file holds)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            report = run_batch(recipe, line_path=line, db_url=f"sqlite:///{tmp}/golden.sqlite").to_dict()
        except BatchRefusedError as exc:
            report = {"refused": exc.message}
    return json.dumps(stable(report), indent=2, sort_keys=True) + "\n"


def path(recipe: Path, line: Path) -> Path:
    return HERE / f"{name(recipe, line)}.json"


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print("usage: python -m tests.golden --write", file=sys.stderr)
        return 2
    for recipe, line in pairs():
        path(recipe, line).write_text(render(recipe, line))
        print(f"wrote {path(recipe, line).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
