"""``anodeline doe``: the next films to make to shrink the film model's uncertainty most, as recipes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from anodeline.cli.app import MODELS, app
from anodeline.cli.output import print_json, usage_error

EXAMPLE_1 = Path("examples/patent/example-01.yaml")


@app.command(rich_help_panel=MODELS)
def doe(
    template: Annotated[
        Path, typer.Option("--template", help="Recipe whose base, atmosphere and route the proposals keep.")
    ] = EXAMPLE_1,
    count: Annotated[int, typer.Option("--count", min=1, max=50, help="How many films to propose.")] = 5,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the proposals as recipes doe-NN.yaml here.", show_default=False)
    ] = None,
    former: Annotated[
        list[str] | None, typer.Option("--former", help="Only these network formers (repeatable): SiS2, P2S5, …")
    ] = None,
    method: Annotated[list[str] | None, typer.Option("--method", help="Only these methods (repeatable).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Propose the films whose measurement would shrink the σ25 model's uncertainty most (docs/models/doe.md)."""
    from anodeline.chemistry.properties import shipped_calibration
    from anodeline.chemistry.systems import SYSTEMS
    from anodeline.doe.candidates import candidates
    from anodeline.doe.select import propose
    from anodeline.physics.deposition.rates import METHODS

    for name in former or ():
        if name not in SYSTEMS:
            usage_error(f"--former {name!r} is not a known network former", f"use one of {', '.join(SYSTEMS)}")
    for name in method or ():
        if name not in METHODS:
            usage_error(f"--method {name!r} is not a deposition method", f"use one of {', '.join(METHODS)}")
    from anodeline.doe.recipes import admissible, load_template, write_recipes

    try:
        base = load_template(template)
    except (OSError, ValueError) as exc:
        usage_error(f"cannot use {template} as the template recipe: {exc}", "give --template PATH to a recipe file")
    found = candidates(tuple(former) if former else None, tuple(method) if method else None,
                       admissible=admissible(base))  # fmt: skip
    proposals = propose(found, count, shipped_calibration().bootstrap.sd)
    written: list[tuple[Path, str]] = []
    if out is not None:
        try:
            written = write_recipes(base, proposals, out)
        except OSError as exc:
            usage_error(f"cannot write the recipes into {out}: {exc.strerror or exc}", "choose a writable directory")
    rows: list[dict[str, Any]] = []
    for index, p in enumerate(proposals):
        c = p.candidate
        row: dict[str, Any] = {"target": c.target, "method": c.method, "substrate_temperature_degc": c.substrate_degc,
               "sigma25_S_per_cm": c.sigma25_s_per_cm, "sigma25_interval_90_S_per_cm": list(c.interval_s_per_cm),
               "reducible_ln_variance": p.variance_before, "variance_removed": p.reduction,
               "share_of_total": p.share_of_total}  # fmt: skip
        if written:
            path, refused = written[index]
            row["recipe"] = None if refused else str(path)
            if refused:
                row["refused"] = refused
        rows.append(row)
    if json_output:
        print_json({"candidates": len(found), "proposals": rows})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"next films to make ({len(found)} candidates)", title_justify="left")
    for column in ("#", "target", "method", "T", "σ25 predicted (90 %)", "variance removed", "recipe"):
        table.add_column(column)
    for index, row in enumerate(rows, start=1):
        low, high = row["sigma25_interval_90_S_per_cm"]
        sigma = f"{row['sigma25_S_per_cm']:.2g} ({low:.1g}–{high:.1g}) S/cm"
        table.add_row(str(index), row["target"], row["method"], f"{row['substrate_temperature_degc']:g} °C", sigma,
                      f"{100 * row['share_of_total']:.1f} %", row.get("recipe") or row.get("refused", "-"))  # fmt: skip
    Console(width=max(Console().width, 150)).print(table)
