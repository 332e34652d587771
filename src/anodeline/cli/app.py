"""The Typer application every command module registers on, and the one exit-code table.

Command modules import heavy libraries (pint, pymatgen, numpy…) inside their
functions, so that ``anodeline --help`` answers fast.

Every command ends with one of three exit codes (docs/cli.md):

* 0 — done, and what was checked passed;
* 1 — the input was read but is refused: an invalid recipe, line or procedure, a route the
  line cannot run, a plan that is not air-free, a batch that failed or held, a broken audit trail;
* 2 — usage error or unreadable input: a bad option or argument, a missing file, a file that
  is not a regular file, too large, not UTF-8 or YAML with anchors/aliases, a bad database
  URL, an unreachable store, an unknown batch id.

:class:`GuardedGroup` turns any domain error that escapes a command into one ``error:``
line (and a ``hint:`` line) with that code, so no input ever shows a traceback.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _loaded_class(module: str, name: str) -> type[BaseException] | None:
    """An exception class if its module is already imported, else None.

    An error of a class whose module was never imported cannot have been raised, so the error
    report does not import SQLAlchemy, Alembic or the twin (≈ 0.7 s) to rule them out.
    """
    loaded = sys.modules.get(module)
    found = getattr(loaded, name, None) if loaded is not None else None
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def _is_instance(exc: BaseException, *classes: type[BaseException] | None) -> bool:
    return any(cls is not None and isinstance(exc, cls) for cls in classes)


def exit_code_of(exc: BaseException) -> int:
    """The exit code an escaped error ends a command with (the table above)."""
    from anodeline.errors import UnreadableInputError

    usage = (
        _loaded_class("anodeline.records.errors", "RecordsError"),
        _loaded_class("anodeline.devices.sim.faults", "FaultError"),
    )
    if isinstance(exc, UnreadableInputError | MemoryError | RecursionError) or _is_instance(exc, *usage):
        return EXIT_USAGE
    return EXIT_FAIL


def describe(exc: BaseException) -> tuple[str, str]:
    """One line saying what went wrong (with its location and code), and the fix."""
    from anodeline.errors import AnodelineError

    if isinstance(exc, AnodelineError):
        where = f"{exc.location}: " if exc.location else ""
        code = getattr(exc, "rule", "") or exc.code
        tag = "" if exc.message.startswith(code) else f" [{code}]"
        return f"{where}{exc.message}{tag}", exc.hint
    if _is_instance(exc, _loaded_class("sqlalchemy.exc", "SQLAlchemyError")):
        return f"the batch-record store failed: {_first_line(exc)}", "check the --db URL and the database server"
    if isinstance(exc, MemoryError):
        return "the input is too large to process", "a recipe, line or procedure is a few kB: check the file"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply", "a recipe, line or procedure is a few levels deep: check the file"
    return (f"internal error ({type(exc).__name__}: {_first_line(exc)})",
            "this is a bug in anodeline: set ANODELINE_DEBUG=1 to see the traceback and report it")  # fmt: skip


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def settled() -> None:
    """A command has imported what it needs: freeze those objects and let the cyclic collector run again.

    The ``anodeline`` script (:func:`anodeline.cli.main`) runs with the collector off: a start-up
    allocates hundreds of thousands of long-lived objects (modules, classes, SQLAlchemy and typer
    tables) and no garbage worth a collection, so each collection only rescans them. A command that
    runs for long (a batch, a resume, a campaign, the twin server) calls this once its imports are
    done; a short one ends first. Frozen, the imported objects are never rescanned. Results unchanged.
    """
    gc.freeze()
    gc.enable()


class GuardedGroup(TyperGroup):
    """A command group that reports an escaped error as ``error:``/``hint:`` lines and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except Exception as exc:
            if os.environ.get("ANODELINE_DEBUG"):
                raise
            message, hint = describe(exc)
            typer.echo(f"error: {message}" + (f"\nhint: {hint}" if hint else ""), err=True)
            raise typer.Exit(exit_code_of(exc)) from None


app = typer.Typer(
    name="anodeline",
    help="Run and simulate an air-free production line for thin-film lithium-metal anodes "
    "(sulfide solid-electrolyte films by vapour deposition).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=GuardedGroup,
)
#: Help panels, in the order an engineer meets them.
RECIPES, MODELS, LINE, BATCHES = "Recipes", "Models and calculations", "Line and procedures", "Batches and records"

calc_app = typer.Typer(
    help="Quick physics calculations (composition, dew point, purge, pump-down).", no_args_is_help=True
)
app.add_typer(calc_app, name="calc", rich_help_panel=MODELS)
