"""``anodeline validate`` and ``anodeline explain``: recipes against the process window."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from anodeline.cli.app import RECIPES, app
from anodeline.cli.output import EXIT_FAIL, EXIT_OK, print_json, usage_error


@app.command(rich_help_panel=RECIPES)
def validate(
    recipes: Annotated[list[Path], typer.Argument(help="Recipe YAML files to check.", show_default=False)],
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Check recipes against the schema and every process-window rule.

    Exit 0 when no recipe has an error (warnings allowed), 1 when any has one,
    2 for usage errors such as a missing file.
    """
    from anodeline.errors import RecipeError
    from anodeline.recipe.validate import validate_file

    reports = []
    for path in recipes:
        try:
            reports.append(validate_file(path))
        except RecipeError as exc:
            usage_error(exc.message, exc.hint)
    if json_output:
        print_json({"recipes": [report.to_dict() for report in reports]})
    else:
        from anodeline.cli.tables import print_reports

        print_reports(reports)
    raise typer.Exit(EXIT_OK if all(report.valid for report in reports) else EXIT_FAIL)


@app.command(rich_help_panel=RECIPES)
def explain(code: Annotated[str, typer.Argument(help="A rule code such as THK001.")]) -> None:
    """Print a validation rule's text, its fix and its source."""
    from rich.console import Console
    from rich.panel import Panel

    from anodeline.recipe.rules import RULES

    rule = RULES.get(code.strip().upper())
    if rule is None:
        import difflib

        close = difflib.get_close_matches(code.upper(), list(RULES), n=3)
        usage_error(
            f"no rule {code!r}",
            f"did you mean {', '.join(close)}?" if close else "run 'anodeline rules' to list every code",
        )
    body = f"{rule.description}\n\n[bold]Fix:[/bold] {rule.hint}\n[bold]Source:[/bold] {rule.source}"
    Console().print(Panel(body, title=f"{rule.code} ({rule.severity.value}): {rule.title}", expand=False))


@app.command(rich_help_panel=RECIPES)
def rules(json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False) -> None:
    """List every validation rule with its code, severity and source."""
    from anodeline.recipe.rules import RULES

    if json_output:
        print_json(
            {
                "rules": [
                    {"code": r.code, "severity": r.severity.value, "title": r.title, "source": r.source}
                    for r in RULES.values()
                ]
            }
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("code", "severity", "rule", "source")
    for r in sorted(RULES.values(), key=lambda r: r.code):
        table.add_row(r.code, r.severity.value, r.title, r.source)
    Console().print(table)
