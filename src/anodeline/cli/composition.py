"""``anodeline calc composition``: a target formula's atomic fractions and the film it gives."""

from typing import Annotated

import typer

from anodeline.cli.app import calc_app
from anodeline.cli.output import print_json, usage_error


@calc_app.command("composition")
def composition(
    formula: Annotated[str, typer.Argument(help="Target as a molar mixture, e.g. 57Li2S-38SiS2-5Li3PO4.")],
    method: Annotated[
        str | None, typer.Option("--method", help="Also predict the film by this deposition method.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Atomic fractions of a target (pymatgen), the claim windows, and optionally the film by a method."""
    from anodeline import window
    from anodeline.chemistry.composition import parse_mixture
    from anodeline.errors import AnodelineError

    try:
        mixture = parse_mixture(formula)
        film = None
        if method is not None:
            from anodeline.physics.deposition.transfer import film_composition

            film = film_composition(formula, method)
    except AnodelineError as exc:
        usage_error(exc.message, exc.hint)
    fractions = mixture.atomic_fractions
    checks = {
        "Li": (mixture.fraction("Li"), window.LITHIUM_FRACTION),
        "P+Si+B+Ge+Ga": (mixture.fraction(*window.NETWORK_FORMERS), window.NETWORK_FORMER_FRACTION),
        "S": (mixture.fraction("S"), window.SULFUR_FRACTION),
        "O+N": (mixture.fraction("O", "N"), window.OXYGEN_NITROGEN_FRACTION),
    }
    in_window = {
        name: (value == 0.0 and name == "O+N") or bound.contains(value) for name, (value, bound) in checks.items()
    }
    if json_output:
        data: dict[str, object] = {
            "formula": formula,
            "composition": fractions,
            "components": [{"amount_mol": c.amount, "formula": c.formula} for c in mixture.components],
            "in_claim_window": in_window,
        }
        if film is not None:
            data["film_composition"] = film
            data["method"] = method
        print_json(data)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=formula, title_justify="left")
    table.add_column("element")
    table.add_column("target (at. fraction)", justify="right")
    if film is not None:
        table.add_column(f"film by {method}", justify="right")
    for element, value in sorted(fractions.items(), key=lambda kv: -kv[1]):
        row = [element, f"{value:.4f}"]
        if film is not None:
            row.append(f"{film.get(element, 0.0):.4f}")
        table.add_row(*row)
    console = Console()
    console.print(table)
    for name, (value, bound) in checks.items():
        mark = "[green]ok[/green]" if in_window[name] else "[red]outside[/red]"
        console.print(f"{name}: {100 * value:.2f} at%  (claims: {100 * bound.low:g}–{100 * bound.high:g} at%) {mark}")
