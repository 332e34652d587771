"""Rich rendering of validation reports for people."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from anodeline.recipe.validate import Report


def print_reports(reports: Sequence[Report], console: Console | None = None) -> None:
    console = console or Console()
    for report in reports:
        errors, warnings = len(report.errors), len(report.warnings)
        status = Text("valid", style="bold green") if report.valid else Text("invalid", style="bold red")
        summary = Text.assemble(status, f"  {report.file}  ({errors} error(s), {warnings} warning(s))")
        console.print(summary)
        if not report.violations:
            continue
        table = Table(show_header=True, header_style="bold", expand=False, pad_edge=False)
        for column in ("line", "severity", "code", "path", "problem", "fix", "source"):
            table.add_column(column, overflow="fold")
        for v in sorted(report.violations, key=lambda v: (v.line, v.column, v.code)):
            style = "red" if v.is_error else "yellow"
            where = f"{v.line}:{v.column}" if v.line else "-"
            table.add_row(
                where, Text(v.severity.value, style=style), v.code, v.path or "(file)", v.message, v.hint, v.source
            )
        console.print(table)
    valid = sum(report.valid for report in reports)
    console.print(f"{valid} of {len(reports)} recipe(s) valid")
