"""Rich rendering of a recipe prediction."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from anodeline.prediction import RecipePrediction


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds < 3600 else f"{seconds / 3600:.2f} h"


def print_prediction(result: RecipePrediction, console: Console | None = None) -> None:
    console = console or Console()
    layers = Table(title=f"{result.recipe}: layers", title_justify="left")
    for column in ("layer", "kind", "method", "thickness", "deposition time"):
        layers.add_column(column)
    for layer in result.layers:
        layers.add_row(
            layer.name, layer.kind, layer.method, f"{layer.thickness_um:g} µm", _minutes(layer.deposition_seconds)
        )
    console.print(layers)
    for layer in result.layers:
        if layer.not_predicted is not None:
            console.print(f"[red]electrolyte film {layer.name!r}:[/red] {layer.not_predicted}")
        film = layer.film
        if film is None:
            continue
        table = Table(title=f"electrolyte film {layer.name!r}", title_justify="left", show_header=False)
        table.add_column("property")
        table.add_column("value")
        composition = "  ".join(f"{el} {x:.3f}" for el, x in sorted(film.film_fractions.items(), key=lambda kv: -kv[1]))
        low, high = film.sigma25_interval_90_s_per_cm
        table.add_row("composition (at. fraction)", composition)
        if (history := layer.thermal) is not None:
            heating = (
                f"+{history.plasma_rise_k:.1f} K plasma at {history.power_w:g} W"
                if history.plasma_heated
                else "no plasma heating modelled"
            )
            anneal = "" if history.anneal_degc is None else f"; anneal {history.anneal_degc:g} °C"
            table.add_row(
                "substrate temperature",
                f"{history.effective_degc:.1f} °C effective (setpoint {history.setpoint_degc:g} °C, {heating}){anneal}",
            )
        table.add_row("σ(25 °C)", f"{film.sigma25_s_per_cm:.2e} S/cm  (90 % interval {low:.1e}–{high:.1e})")
        if layer.spec_s_per_cm is not None and layer.p_meets_spec is not None:
            table.add_row(f"P(σ25 ≥ {layer.spec_s_per_cm:.2g} S/cm)", f"{layer.p_meets_spec:.3f}")
        table.add_row("Ea", f"{film.ea_kj_per_mol:.1f} ± {film.ea_uncertainty_kj_per_mol:.1f} kJ/mol")
        for temperature, sigma in layer.sigma_at_degc:
            table.add_row(f"σ({temperature:g} °C)", f"{sigma:.2e} S/cm")
        phase = "yes" if film.amorphous else f"no ({film.crystallised_fraction:.0%} {film.crystal_phase})"
        table.add_row("amorphous", phase)
        if film.area_resistance_ohm_cm2 is not None:
            table.add_row("area resistance", f"{film.area_resistance_ohm_cm2:.3g} Ω·cm²")
        if layer is result.electrolyte and (mapped := result.film_map_dict()) is not None:
            low_r, high_r = mapped["area_resistance_ohm_cm2"]
            table.add_row(
                "thickness map",
                f"{mapped['min_um']:.3g}–{mapped['max_um']:.3g} µm (±{100 * mapped['nonuniformity']:.2g} %), "
                f"{low_r:.3g}–{high_r:.3g} Ω·cm², {mapped['conductance_S']:.3g} S over {mapped['area_cm2']:g} cm²",
            )
        console.print(table)
        for warning in film.warnings:
            console.print(f"[yellow]warning:[/yellow] {warning}")
    cell = result.cell
    table = Table(title="cell (claims 7, 23, 39)", title_justify="left", show_header=False)
    table.add_column("property")
    table.add_column("value")
    table.add_row("capacity", f"{cell.capacity_ah:.3f} Ah ({cell.faces} electrode face(s))")
    table.add_row("energy", f"{cell.energy_wh:.2f} Wh")
    table.add_row("energy density", f"{cell.stack_wh_per_l:.0f} Wh/L stack, {cell.packaged_wh_per_l:.0f} Wh/L packaged")
    table.add_row("n/p ratio", f"{cell.n_p_ratio:.2f}")
    console.print(table)
