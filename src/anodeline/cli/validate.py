"""``anodeline validate`` and ``anodeline explain``: recipes against the process window."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from anodeline.cli.app import RECIPES, app
from anodeline.cli.output import EXIT_FAIL, EXIT_OK, print_json, usage_error

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.line.config import Line
    from anodeline.recipe.validate import Report


@app.command(rich_help_panel=RECIPES)
def validate(
    recipes: Annotated[list[Path], typer.Argument(help="Recipe YAML files to check.", show_default=False)],
    line: Annotated[
        Path | None,
        typer.Option("--line", help="Also check each recipe against this line (supplies, apparatus, interlocks)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            show_default=False,
            help="Also check the targets mounted on the line's sources in this records database "
            "(TGT001 near end of life, TGT002 worn through by the recipe); needs --line.",
        ),
    ] = None,
) -> None:
    """Check recipes against the schema and every process-window rule (and a line with --line).

    Exit 0 when no recipe has an error (warnings allowed), 1 when any has one,
    2 for usage errors and unreadable files (missing, not a regular file, too large, not UTF-8).
    """
    from anodeline.errors import RecipeError
    from anodeline.recipe.validate import validate_file

    if db is not None and line is None:
        usage_error("--db checks the targets mounted on a line's sources: give the line too", "add --line LINE.yaml")
    line_model = _load_line(line) if line is not None else None
    mounted = _mounted_targets(db) if db is not None else None
    reports = []
    for path in recipes:
        try:
            report = validate_file(path)
        except RecipeError as exc:
            usage_error(f"{exc.location}: {exc.message}" if exc.location else exc.message, exc.hint)
        if line_model is not None and report.valid:
            report = _with_fit(report, path, line_model)
        if line_model is not None and mounted and report.valid:
            report = _with_targets(report, path, line_model, mounted)
        reports.append(report)
    if json_output:
        print_json({"recipes": [report.to_dict() for report in reports]})
    else:
        from anodeline.cli.tables import print_reports

        print_reports(reports)
    raise typer.Exit(EXIT_OK if all(report.valid for report in reports) else EXIT_FAIL)


def _load_line(path: Path) -> "Line":
    from anodeline.cli.output import fail
    from anodeline.errors import UnreadableInputError
    from anodeline.line.errors import LineConfigError
    from anodeline.line.load import load_line

    try:
        return load_line(path)
    except LineConfigError as exc:
        message = f"{exc.location}: {exc.message}" if exc.location else exc.message
        if isinstance(exc, UnreadableInputError):
            usage_error(message, exc.hint)
        fail(message, exc.hint)


def _with_fit(report: "Report", path: Path, line: "Line") -> "Report":
    """``report`` with the violations that stop its recipe from running on ``line``."""
    from dataclasses import replace

    from anodeline.documents.files import read_document
    from anodeline.documents.source import read_yaml
    from anodeline.errors import RecipeError
    from anodeline.recipe.fit import fit_violations

    assert report.recipe is not None
    source_map = read_yaml(read_document(path, "recipe file", RecipeError)).source_map
    found = fit_violations(report.recipe, line, source_map)
    return replace(report, violations=(*report.violations, *found)) if found else report


def _mounted_targets(db: str) -> "dict[str, Any]":
    """Source → the target mounted on it, from the records database ``db`` (which must exist)."""
    from anodeline.cli.access import read_store

    with read_store(db) as store:
        return store.mounted_targets()


def _with_targets(report: "Report", path: Path, line: "Line", mounted: "dict[str, Any]") -> "Report":
    """``report`` with the planned use of the mounted targets (TGT001 warnings, TGT002 errors)."""
    from dataclasses import replace

    from anodeline.batch.targets import violations
    from anodeline.documents.files import read_document
    from anodeline.documents.source import read_yaml
    from anodeline.errors import RecipeError

    assert report.recipe is not None
    source_map = read_yaml(read_document(path, "recipe file", RecipeError)).source_map
    found = violations(report.recipe, line, mounted, source_map)
    return replace(report, violations=(*report.violations, *found)) if found else report


@app.command(rich_help_panel=RECIPES)
def explain(code: Annotated[str, typer.Argument(help="A code such as THK001, DOOR002 or PRC003.")]) -> None:
    """Print what a code means, its fix and its source (recipe and line rules, interlocks, alarms…)."""
    from rich.console import Console
    from rich.panel import Panel

    from anodeline.codes import CHECKERS, all_codes, lookup

    entry = lookup(code)
    if entry is None:
        import difflib

        known = [e.code for e in all_codes()]
        close = difflib.get_close_matches(code.strip().upper(), known, n=3)
        usage_error(
            f"no code {code!r}",
            f"did you mean {', '.join(close)}?" if close else "run 'anodeline rules' to list every code",
        )
    checker = CHECKERS[entry.checker]
    body = (
        f"{entry.description}\n\n[bold]Fix:[/bold] {entry.hint}\n[bold]Source:[/bold] {entry.source}"
        f"\n[bold]Checker:[/bold] {checker.title}, reported by {checker.reported_by}"
    )
    Console().print(Panel(body, title=f"{entry.code} ({entry.severity}): {entry.title}", expand=False))


@app.command(rich_help_panel=RECIPES)
def rules(
    checker: Annotated[
        str | None,
        typer.Option("--checker", help="Only one checker: recipe, line, procedure, transition, interlock, engine."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """List every code of every checker with its severity, title and source."""
    from anodeline.codes import CHECKERS, all_codes

    if checker is not None and checker not in CHECKERS:
        usage_error(f"no checker {checker!r}", f"use one of {', '.join(CHECKERS)}")
    entries = all_codes(checker)
    if json_output:
        print_json({"rules": [entry.to_dict() for entry in entries]})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("code", "checker", "severity", "rule", "source")
    for entry in entries:
        table.add_row(entry.code, entry.checker, entry.severity, entry.title, entry.source)
    Console().print(table)
