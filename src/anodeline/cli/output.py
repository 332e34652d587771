"""Output helpers shared by the commands: JSON to stdout, Rich for people, clean exits."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer

#: Exit codes: 0 fine, 1 the thing checked failed (invalid recipe, not air-free…), 2 usage error.
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def usage_error(message: str, hint: str = "") -> NoReturn:
    """Report a usage error (missing file, bad option) on stderr and exit 2."""
    text = f"error: {message}"
    if hint:
        text += f"\nhint: {hint}"
    typer.echo(text, err=True)
    raise typer.Exit(EXIT_USAGE)
