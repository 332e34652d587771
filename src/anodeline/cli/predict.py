"""``anodeline predict``: the film, times and cell a recipe will give, before anything moves."""

from pathlib import Path
from typing import Annotated

import typer

from anodeline.cli.app import MODELS, app
from anodeline.cli.output import EXIT_FAIL, fail, print_json, usage_error


@app.command(rich_help_panel=MODELS)
def predict(
    recipe: Annotated[Path, typer.Argument(help="Recipe YAML file.", show_default=False)],
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Also write prediction.json, film-map.csv and film-map.png into this directory."),
    ] = None,
) -> None:
    """Predict film composition, σ25, Ea, σ(T), amorphous, area resistance, film map, deposition times and the cell."""
    from anodeline.errors import AnodelineError, RecipeError, UnreadableInputError
    from anodeline.prediction import predict_recipe
    from anodeline.recipe.validate import load_recipe

    try:
        loaded = load_recipe(recipe)
    except RecipeError as exc:
        message = f"{exc.location}: {exc.message}" if exc.location else exc.message
        if isinstance(exc, UnreadableInputError):
            usage_error(message, exc.hint)
        fail(message, exc.hint or "run 'anodeline validate' on the recipe for every problem")
    try:
        result = predict_recipe(loaded)
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
        return
    from anodeline.cli.predict_view import print_prediction

    print_prediction(result)
