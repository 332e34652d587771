"""``anodeline predict``: the film, times and cell a recipe will give, before anything moves."""

from pathlib import Path
from typing import Annotated

import typer

from anodeline.cli.app import MODELS, app
from anodeline.cli.output import EXIT_FAIL, fail, print_json, refuse_input, usage_error

#: Recipe codes about the film model's domain, shown by ``predict`` with their location.
_FILM_CODE_PREFIX = "FLM"


@app.command(rich_help_panel=MODELS)
def predict(
    recipe: Annotated[Path, typer.Argument(help="Recipe YAML file.", show_default=False)],
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Also write prediction.json, film-map.csv and film-map.png into this directory."),
    ] = None,
) -> None:
    """Predict film composition, σ25 (90 % interval, P(σ25 ≥ spec)), Ea, σ(T), phase, film map, times and the cell.

    Exits 1, with the reason, when no data or prior supports an electrolyte film's σ25 (FLM001).
    """
    from anodeline.errors import AnodelineError, RecipeError
    from anodeline.prediction import predict_recipe
    from anodeline.recipe.validate import validate_file

    try:
        checked = validate_file(recipe)
    except RecipeError as exc:
        refuse_input(exc, "run 'anodeline validate' on the recipe for every problem")
    if checked.recipe is None or not checked.valid:
        first = checked.errors[0] if checked.errors else None
        where = f"{recipe}:{first.line}:{first.column}" if first else str(recipe)
        fail(f"{where}: {first.code} {first.message}" if first else f"{where}: invalid recipe",
             (first.hint if first else "") or "run 'anodeline validate' on the recipe for every problem")  # fmt: skip
    for v in checked.warnings:
        if v.code.startswith(_FILM_CODE_PREFIX):
            typer.echo(f"{recipe}:{v.line}:{v.column}: warning {v.code} {v.message} (hint: {v.hint})", err=True)
    try:
        result = predict_recipe(checked.recipe)
    except AnodelineError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_FAIL) from None
    if report is not None:
        from anodeline.film_map_report import write_report

        try:
            written = write_report(result, report)
        except OSError as exc:
            usage_error(f"cannot write the report into {report}: {exc.strerror or exc}", "choose a writable directory")
        if not json_output:
            typer.echo(f"wrote {', '.join(str(path) for path in written)}")
    if json_output:
        print_json(result.to_dict())
    else:
        from anodeline.cli.predict_view import print_prediction

        print_prediction(result)
    if result.not_predicted:
        for layer in result.not_predicted:
            typer.echo(f"error: layer {layer.name!r}: {layer.not_predicted}", err=True)
        raise typer.Exit(EXIT_FAIL)
