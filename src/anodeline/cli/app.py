"""The Typer application every command module registers on.

Command modules import heavy libraries (pint, pymatgen, numpy…) inside their
functions, so that ``anodeline --help`` answers fast.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="anodeline",
    help="Run and simulate an air-free production line for thin-film lithium-metal anodes "
    "(sulfide solid-electrolyte films by vapour deposition).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
#: Help panels, in the order an engineer meets them.
RECIPES, MODELS, LINE, BATCHES = "Recipes", "Models and calculations", "Line and procedures", "Batches and records"

calc_app = typer.Typer(
    help="Quick physics calculations (composition, dew point, purge, pump-down).", no_args_is_help=True
)
app.add_typer(calc_app, name="calc", rich_help_panel=MODELS)
