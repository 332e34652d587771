"""Heating limits: 40–200 °C when heated, below 179 °C on lithium, below the glass transition."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from anodeline import window
from anodeline.chemistry.composition import parse_mixture
from anodeline.chemistry.glass import estimate_tg_degc
from anodeline.documents.violations import Severity
from anodeline.errors import FormulaError
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.schema import Recipe

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Heating:
    """One moment the stack is heated: during deposition of layer ``index`` or its anneal."""

    index: int
    path: str
    degc: float
    what: str


def _degc(quantity: object) -> float:
    return float(quantity.to("degC").magnitude)  # type: ignore[attr-defined]


def heatings(recipe: Recipe) -> Iterator[Heating]:
    """Every heating step: a substrate above room temperature, and every anneal."""
    room = window.ROOM_TEMPERATURE_DEGC
    for index, layer in enumerate(recipe.layers):
        substrate = _degc(layer.substrate_temperature)
        if substrate > room.high:
            path = f"layers[{index}].substrate_temperature"
            yield Heating(index, path, substrate, f"layer {layer.name!r} deposited on a substrate at")
        if layer.anneal is not None:
            path = f"layers[{index}].anneal.temperature"
            yield Heating(index, path, _degc(layer.anneal.temperature), f"layer {layer.name!r} annealed at")


def lithium_present(recipe: Recipe, index: int) -> bool:
    """Is there lithium in the stack while layer ``index`` is deposited or annealed?"""
    return recipe.has_lithium_surface() or any(layer.kind == "lithium" for layer in recipe.layers[: index + 1])


@rule(
    "TMP001", E, "Heating above 200 °C",
    description="When the film is heated (substrate above room temperature, or an anneal) the "
    "temperature must not exceed 200 °C: higher, the glassy film loses its amorphous structure.",
    source=window.HEATING_DEGC.source,
    hint="heat at 40–200 °C; 100–178 °C is the patent's preferred range on lithium",
)  # fmt: skip
def heating_max(recipe: Recipe) -> Iterator[Finding]:
    for heat in heatings(recipe):
        if heat.degc > window.HEATING_DEGC.high:
            yield Finding(heat.path, f"{heat.what} {heat.degc:g} °C, above {window.HEATING_DEGC.high:g} °C")


@rule(
    "TMP002", W, "Heating below 40 °C has little effect",
    description="Heating (substrate above room temperature, or an anneal) is effective from 40 °C; "
    "between room temperature and 40 °C it costs time without raising the conductivity.",
    source=window.HEATING_DEGC.source,
    hint="heat at 40 °C or more (100 °C or more preferred), or deposit at room temperature without anneal",
)  # fmt: skip
def heating_min(recipe: Recipe) -> Iterator[Finding]:
    for heat in heatings(recipe):
        if heat.degc < window.HEATING_DEGC.low:
            yield Finding(heat.path, f"{heat.what} {heat.degc:g} °C, below {window.HEATING_DEGC.low:g} °C")


@rule(
    "TMP003", E, "Heating at or above 179 °C with lithium in the stack",
    description="Lithium melts at 179 °C; heating while lithium is present must stay below it.",
    source="patent description (below 179 °C, the melting point of lithium)",
    hint="keep every heating step with lithium present below 179 °C (100–178 °C preferred)",
)  # fmt: skip
def heating_on_lithium(recipe: Recipe) -> Iterator[Finding]:
    for heat in heatings(recipe):
        if heat.degc >= window.LITHIUM_MELTING_DEGC and lithium_present(recipe, heat.index):
            yield Finding(heat.path, f"{heat.what} {heat.degc:g} °C with lithium present (melts at 179 °C)")


@rule(
    "TMP004", E, "Heating at or above the electrolyte's glass transition",
    description="The film is glassy; heating near its glass transition degrades the amorphous structure "
    "and lowers the conductivity. Tg is the layer's glass_transition, or estimated from its network "
    "formers (docs/models.md).",
    source="patent description (below the glass transition temperature); Tg estimates in chemistry/glass.py",
    hint="lower the temperature below the film's Tg, or state the measured glass_transition of the layer",
)  # fmt: skip
def heating_below_tg(recipe: Recipe) -> Iterator[Finding]:
    all_heatings = list(heatings(recipe))
    for index, layer in enumerate(recipe.layers):
        if layer.kind != "solid-electrolyte":
            continue
        if layer.glass_transition is not None:
            tg, source = _degc(layer.glass_transition), "stated"
        else:
            try:
                estimate = estimate_tg_degc(parse_mixture(layer.target).atomic_fractions)
            except FormulaError:
                continue
            if estimate is None:
                continue
            tg, source = estimate[0], f"estimated: {estimate[1]}"
        for heat in all_heatings:
            if heat.index >= index and heat.degc >= tg:
                yield Finding(
                    heat.path,
                    f"{heat.what} {heat.degc:g} °C, at or above the Tg of {layer.name!r} ({tg:g} °C, {source})",
                )


@rule(
    "TMP005", E, "Anneal duration is not positive",
    source="physics (a heat treatment lasts some time)",
    hint="give the anneal a positive duration, e.g. 1 h",
)  # fmt: skip
def anneal_duration(recipe: Recipe) -> Iterator[Finding]:
    for index, layer in enumerate(recipe.layers):
        if layer.anneal is not None and layer.anneal.duration.magnitude <= 0:
            yield Finding(
                f"layers[{index}].anneal.duration", f"anneal of {layer.name!r} lasts {layer.anneal.duration:~P}"
            )


@rule(
    "TMP006", E, "Substrate or anneal temperature below room temperature",
    description="The patent deposits at room temperature (5–35 °C) or on a substrate heated to 40–200 °C, and "
    "anneals by heating. A substrate or anneal below 5 °C (a cryogenic 10 K included) is outside the process "
    "window, and the substrate heater cannot cool.",
    source=window.ROOM_TEMPERATURE_DEGC.source + "; " + window.HEATING_DEGC.source,
    hint="deposit at room temperature (e.g. 25 degC) or heat to 40–200 degC",
)  # fmt: skip
def below_room_temperature(recipe: Recipe) -> Iterator[Finding]:
    low = window.ROOM_TEMPERATURE_DEGC.low
    for index, layer in enumerate(recipe.layers):
        temperatures = [("substrate_temperature", layer.substrate_temperature, "substrate")]
        if layer.anneal is not None:
            temperatures.append(("anneal.temperature", layer.anneal.temperature, "anneal"))
        for key, quantity, what in temperatures:
            degc = _degc(quantity)
            if degc < low:
                yield Finding(f"layers[{index}].{key}", f"{what} of {layer.name!r} at {degc:g} °C, below {low:g} °C")
