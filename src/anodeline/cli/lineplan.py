"""``anodeline plan`` and ``anodeline verify``: compile a recipe for a line, prove it air-free.

Heavy modules (pint, the line model) are imported inside the commands so that
``anodeline --help`` stays fast.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from anodeline.cli.app import LINE, app
from anodeline.cli.output import EXIT_FAIL, EXIT_OK, fail, print_json, refuse_input, usage_error

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.line.actions import Action
    from anodeline.line.config import Line
    from anodeline.line.errors import InterlockError
    from anodeline.line.state import LineState
    from anodeline.line.verify import StepRecord
    from anodeline.procedure.model import Procedure

FORMATS = ("text", "json", "yaml")


def _line(path: Path | None, route: str, name: str = "") -> "Line":
    from anodeline.line.errors import LineConfigError
    from anodeline.line.load import default_line_path, load_line, shipped_lines_dir

    if path is None and name:
        candidate = shipped_lines_dir() / f"{name}.yaml"
        shipped = "/" not in name and "\\" not in name and not name.startswith(".")  # no path out of the folder
        path = candidate if shipped and candidate.is_file() else None
        if path is None:
            usage_error(f"the procedure names line {name!r}, which is not a shipped line", "pass --line LINE.yaml")
    try:
        return load_line(path if path is not None else default_line_path(route))
    except LineConfigError as exc:
        refuse_input(exc)


def _compile(recipe_path: Path, line_path: Path | None) -> tuple["Procedure", "Line"]:
    from anodeline.errors import RecipeError
    from anodeline.line.errors import InterlockError, ProcedureError
    from anodeline.procedure.routes import compile_procedure
    from anodeline.recipe.validate import load_recipe

    try:
        recipe = load_recipe(recipe_path)
    except RecipeError as exc:  # an invalid recipe fails like `validate` does: exit 1; unreadable: 2
        refuse_input(exc)
    line = _line(line_path, recipe.route)
    try:
        return compile_procedure(recipe, line), line
    except ProcedureError as exc:  # e.g. the line cannot run the route: exit 1, as `run` does
        fail(exc.message, exc.hint)
    except InterlockError as exc:  # e.g. a gas the line has no supply of
        fail(f"line {line.line!r} refuses the recipe: {exc.message}",
             exc.hint or f"'anodeline validate {recipe_path} --line LINE.yaml' lists what does not fit")  # fmt: skip


def _where(record: "StepRecord") -> str:
    data = record.action.to_dict()
    if "space" in data:
        return str(data["space"])
    if "container" in data:
        return record.before.containers[data["container"]].space
    if "item" in data:
        return record.before.space_of(data["item"])
    return ""


def _atm(state: "LineState", space: str) -> str:
    if space not in state.atmospheres:
        return ""
    a = state.atmospheres[space]
    return f"{a.gas} {a.pressure_pa:.2g} Pa {a.o2_ppm:.2g}/{a.h2o_ppm:.2g}"


def _args(record: "StepRecord") -> str:
    data = record.action.to_dict()
    return ", ".join(f"{k}={v}" for k, v in data.items() if k not in ("action", "manual", "space"))


def _print_plan(procedure: "Procedure", line: "Line") -> None:
    from rich.console import Console
    from rich.table import Table

    from anodeline.procedure.verify import verify_procedure

    verdict = verify_procedure(procedure, line, keep_trace=True)
    table = Table(title=f"{procedure.name}: route {procedure.route} on line {line.line}", show_lines=False)
    for column in ("#", "action", "space", "arguments", "before (O2/H2O ppm)", "after", "claim step"):
        table.add_column(column, overflow="fold")
    for record in verdict.trace:
        space = _where(record)
        mark = " ✋ glove" if record.action.glove else (" ✋" if record.action.manual else "")
        table.add_row(str(record.index), record.action.kind + mark, space, _args(record), _atm(record.before, space),
                      _atm(record.after, space), procedure.note(record.index))  # fmt: skip
    console = Console(width=max(Console().width, 180))
    console.print(table)
    if verdict.air_free:
        console.print(f"[green]air-free[/green]: {verdict.steps} steps verified (✋ = operator, glove = glove work)")
    else:
        from rich.markup import escape

        assert verdict.failure is not None
        console.print(f"[red]NOT air-free[/red]: {escape(_refused(procedure, _placed(procedure, verdict.failure)))}")


@app.command(rich_help_panel=LINE)
def plan(
    recipe: Annotated[Path, typer.Argument(help="Recipe YAML file.", show_default=False)],
    line: Annotated[
        Path | None, typer.Option("--line", help="Line YAML (default: the shipped line of the route).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | json | yaml")] = "text",
) -> None:
    """Compile a recipe for a line into the ordered physical steps (a procedure)."""
    if fmt not in FORMATS:
        usage_error(f"unknown format {fmt!r}", f"use one of {', '.join(FORMATS)}")
    procedure, line_model = _compile(recipe, line)
    if fmt == "json":
        print_json(procedure.to_dict())
    elif fmt == "yaml":
        from anodeline.procedure.io import dump

        typer.echo(dump(procedure, "yaml"), nl=False)
    else:
        _print_plan(procedure, line_model)


def _load_procedure(path: Path, line: "Line | None" = None) -> "Procedure":
    from anodeline.errors import UnreadableInputError
    from anodeline.line.errors import ProcedureError
    from anodeline.procedure.io import load_procedure

    try:
        return load_procedure(path, line)
    except ProcedureError as exc:
        if isinstance(exc, UnreadableInputError):
            refuse_input(exc)
        lines = [f"{path}:{v.line}:{v.column}: {v.code} {v.message}" for v in exc.violations] or [exc.message]
        fail("unusable procedure\n" + "\n".join(lines), exc.hint)


@app.command(rich_help_panel=LINE)
def verify(
    file: Annotated[Path, typer.Argument(help="A recipe, or a procedure file (YAML/JSON).", show_default=False)],
    line: Annotated[
        Path | None, typer.Option("--line", help="Line YAML (default: the recipe's or procedure's).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Prove a procedure air-free on a line, or name the first step that would expose an item.

    Exit 0 when air-free, 1 when a step is refused, 2 for usage errors.
    """
    from anodeline.documents.files import read_document
    from anodeline.errors import AnodelineError

    try:  # before the line model is imported: an unreadable file is refused at once
        text = read_document(file, "recipe or procedure file", AnodelineError)
    except AnodelineError as exc:
        refuse_input(exc)
    from anodeline.procedure.io import looks_like_procedure
    from anodeline.procedure.verify import verify_procedure

    if looks_like_procedure(text):
        procedure = _load_procedure(file)
        line_model = _line(line, procedure.route, procedure.line if line is None else "")
        procedure = _load_procedure(file, line_model)  # again, against the line's policy
    else:
        procedure, line_model = _compile(file, line)
    verdict = verify_procedure(procedure, line_model)
    result: dict[str, Any] = verdict.to_dict()
    failure = _placed(procedure, verdict.failure) if verdict.failure is not None else None
    if failure is not None:
        result["failed_step"] = failure.to_dict()
    if json_output:
        print_json(result)
    elif failure is None:
        typer.echo(f"air-free: {verdict.steps} steps on line {line_model.line}")
    else:
        typer.echo(f"NOT air-free: {_refused(procedure, failure)}")
        if failure.hint:
            typer.echo(f"hint: {failure.hint}")
    raise typer.Exit(EXIT_OK if verdict.air_free else EXIT_FAIL)


def _placed(procedure: "Procedure", failure: "InterlockError") -> "InterlockError":
    """The refusal with the step's file index and line:column (a procedure file) and the door or container."""
    action = (
        procedure.steps[failure.step]
        if failure.action != "start" and 0 <= failure.step < len(procedure.steps)
        else None
    )
    args = action.to_dict() if action is not None else {}
    origin = procedure.origin(failure.step) if action is not None else None
    return failure.in_file(
        file_index=origin.index if origin else None, line=origin.line if origin else 0,
        column=origin.column if origin else 0, door=str(args.get("door", "")), container=str(args.get("container", "")),
    )  # fmt: skip


def _refused(procedure: "Procedure", failure: "InterlockError") -> str:
    """``step 12 (file index 14, line 88:5) open_door inlet-2: DOOR002 … [door inlet-2, space chamber-4]``."""
    if failure.action == "start" or not 0 <= failure.step < len(procedure.steps):
        head = "before the first step (the materials as they arrive)"
    else:
        head = f"{failure.where()} {_step_words(procedure.steps[failure.step])}"
    named = [f"{what} {name}" for what, name in (("door", failure.door), ("container", failure.container),
             ("item", failure.item), ("space", failure.space)) if name]  # fmt: skip
    return f"{head}: {failure.rule} {failure.reason}" + (f" [{', '.join(named)}]" if named else "")


def _step_words(action: "Action") -> str:
    """``open_door inlet-2``, ``move base to apparatus-1``, ``evacuate chamber-4 to 10 Pa``: a step as a phrase."""
    data = action.to_dict()
    names = [str(data[key]) for key in ("door", "container", "item", "layer", "space") if key in data]
    if "to" in data:
        names.append(f"to {data['to']}")
    if "pressure_pa" in data:
        names.append(f"to {data['pressure_pa']:g} Pa")
    return " ".join([action.kind, *names])
