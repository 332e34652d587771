"""Output helpers shared by the commands: JSON to stdout, Rich for people, clean exits."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer

from anodeline.cli.app import EXIT_FAIL, EXIT_OK, EXIT_USAGE

__all__ = ["EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "fail", "print_json", "usage_error"]


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _report(message: str, hint: str) -> None:
    typer.echo(f"error: {message}" + (f"\nhint: {hint}" if hint else ""), err=True)


def usage_error(message: str, hint: str = "") -> NoReturn:
    """Report a usage error or unreadable input (missing file, bad option) on stderr and exit 2."""
    _report(message, hint)
    raise typer.Exit(EXIT_USAGE)


def fail(message: str, hint: str = "") -> NoReturn:
    """The input was read but is refused (an invalid recipe, a route the line cannot run): exit 1."""
    _report(message, hint)
    raise typer.Exit(EXIT_FAIL)


def refuse_input(exc: Any, hint: str = "") -> NoReturn:
    """An :class:`~anodeline.errors.AnodelineError` from reading an input: exit 2 for a file that cannot
    be read, 1 for one that was read and is refused (docs/cli.md); ``hint`` when the error has none."""
    from anodeline.errors import UnreadableInputError

    message = f"{exc.location}: {exc.message}" if exc.location else exc.message
    if isinstance(exc, UnreadableInputError):
        usage_error(message, exc.hint)
    fail(message, exc.hint or hint)
