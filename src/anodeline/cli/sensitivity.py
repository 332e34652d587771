"""``anodeline sensitivity``: which inputs and estimated constants move σ25, exposure and cycle time most."""

from pathlib import Path
from typing import Annotated, Any

import typer

from anodeline.cli.app import MODELS, app
from anodeline.cli.output import fail, print_json, usage_error

OUTPUT_TITLES = {
    "sigma25_S_per_cm": ("σ25 of the electrode", "S/cm"),
    "max_o2_ppm": ("worst O2 met unsealed", "ppm"),
    "max_h2o_ppm": ("worst H2O met unsealed", "ppm"),
    "cycle_time_h": ("cycle time", "h"),
}


@app.command(rich_help_panel=MODELS)
def sensitivity(
    recipe: Annotated[Path, typer.Argument(help="Recipe YAML file.", show_default=False)],
    line: Annotated[
        Path | None, typer.Option("--line", help="Line file (default: the route's shipped line).", show_default=False)
    ] = None,
    method: Annotated[str, typer.Option("--method", help="morris (elementary effects) or sobol (variance shares).")] = (
        "morris"
    ),
    size: Annotated[
        int,
        typer.Option(
            "--size",
            min=2,
            max=4096,
            help="Morris trajectories (runs: size × (factors + 1)) or Sobol base sample, a power of 2 "
            "(runs: size × (factors + 2)).",
        ),
    ] = 6,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sample and of every twin run.")] = 0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Local processes (Dask).")] = 1,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Rank the recipe's inputs and the twin's estimated constants by their effect on σ25, exposure and cycle time.

    Every point is a whole batch on the twin (same seed throughout); a Morris study of Example 1 with the
    default 6 trajectories is 72 runs. Exit 0 with the ranking, 1 for a recipe that cannot run, 2 for usage errors.
    """
    if method not in ("morris", "sobol"):
        usage_error(f"--method {method!r} is not a method", "use --method morris or --method sobol")
    if method == "sobol" and size & (size - 1):
        usage_error(f"--size {size} is not a power of 2", "Sobol sampling needs e.g. --size 32, 64 or 128")
    from anodeline.errors import AnodelineError, RecipeError, UnreadableInputError
    from anodeline.line import load_line
    from anodeline.line.load import default_line_path
    from anodeline.procedure import can_run
    from anodeline.recipe.validate import load_recipe
    from anodeline.sensitivity.analyse import run_study

    try:
        loaded = load_recipe(recipe)
    except RecipeError as exc:
        message = f"{exc.location}: {exc.message}" if exc.location else exc.message
        if isinstance(exc, UnreadableInputError):
            usage_error(message, exc.hint)
        fail(message, exc.hint or "run 'anodeline validate' on the recipe for every problem")
    try:
        plant = load_line(line or default_line_path(loaded.route))
    except AnodelineError as exc:
        usage_error(str(exc), getattr(exc, "hint", "") or "check the line file with 'anodeline lines check'")
    reason = can_run(loaded, plant)
    if reason:
        fail(f"line {plant.line!r} cannot run recipe {loaded.recipe!r}: {reason}", "choose another line with --line")

    def progress(done: int, total: int) -> None:
        typer.echo(f"\r{done}/{total} runs", err=True, nl=done == total)

    try:
        study = run_study(loaded, plant, method, size, seed, workers, progress)
    except AnodelineError as exc:
        fail(str(exc), getattr(exc, "hint", "") or "")
    if json_output:
        print_json(study.to_dict())
        return
    _print(study.to_dict())


def _print(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    morris = data["method"] == "morris"
    console.print(f"{data['recipe']} on {data['line']}: {data['method']}, {data['evaluations']} twin runs "
                  f"({data['incomplete_runs']} did not complete)")  # fmt: skip
    for output, entries in data["ranking"].items():
        title, unit = OUTPUT_TITLES[output]
        table = Table(title=f"{title} (nominal {data['nominal'][output]:.3g} {unit})", title_justify="left")
        columns = ("factor", "kind", "μ*", "± (95 %)", "σ", "μ*/nominal") if morris else ("factor", "kind", "S1", "ST")
        for column in columns:
            table.add_column(column, justify="left" if column in ("factor", "kind") else "right")
        for e in entries[:6]:
            if morris:
                table.add_row(e["factor"], e["kind"], f"{e['mu_star']:.3g}", f"{e['mu_star_conf']:.2g}",
                              f"{e['sigma']:.3g}", f"{100 * e['relative']:.2g} %")  # fmt: skip
            else:
                table.add_row(e["factor"], e["kind"], f"{e['S1']:.2f}", f"{e['ST']:.2f}")
        console.print(table)
