"""Route consistency: what each claimed route starts from and deposits, and in which order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from anodeline import window
from anodeline.documents.violations import Severity
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.schema import Recipe

E, W = Severity.ERROR, Severity.WARNING


@rule(
    "RTE001", E, "Route coat-lithium-base with a lithium layer",
    description="Route coat-lithium-base (claim 1) deposits only the electrolyte on a base that already has a "
    "lithium surface. Depositing lithium in the line is route lithium-then-electrolyte (claim 17) or "
    "two-apparatus (claim 33); a lithium film made beforehand is base.lithium_film (claim 8).",
    source="claims 1, 8, 17 and 33",
    hint="change route to lithium-then-electrolyte or two-apparatus, or move the film to base.lithium_film",
)  # fmt: skip
def coat_base_has_no_lithium_layer(recipe: Recipe) -> Iterator[Finding]:
    if recipe.route != "coat-lithium-base":
        return
    for index, layer in enumerate(recipe.layers):
        if layer.kind == "lithium":
            yield Finding(f"layers[{index}].kind", f"layer {layer.name!r} deposits lithium on route coat-lithium-base")


@rule(
    "RTE002", E, "Route coat-lithium-base without a lithium surface",
    description="Claim 1 starts from a base material whose surface is lithium metal or a lithium alloy: a "
    "laminated foil (base.lithium_foil), a preliminary film (base.lithium_film), or a lithium substrate.",
    source="claims 1 and 8",
    hint="add base.lithium_foil (e.g. {material: Li, thickness: 50 um}) or use route lithium-then-electrolyte",
)  # fmt: skip
def coat_base_needs_lithium(recipe: Recipe) -> Iterator[Finding]:
    if recipe.route == "coat-lithium-base" and not recipe.has_lithium_surface():
        yield Finding("base", f"the base ({recipe.base.substrate.material}) has no lithium surface to coat")


@rule(
    "RTE003", E, "Lithium route without a lithium layer",
    description="Routes lithium-then-electrolyte (claim 17) and two-apparatus (claim 33) deposit a lithium "
    "film before the electrolyte.",
    source="claims 17 e) and 33 e)",
    hint="add a layer of kind lithium before the electrolyte, or use route coat-lithium-base",
)  # fmt: skip
def lithium_route_needs_lithium_layer(recipe: Recipe) -> Iterator[Finding]:
    if recipe.route != "coat-lithium-base" and not recipe.lithium_layers():
        yield Finding("layers", f"route {recipe.route} deposits a lithium film first, but no layer is of kind lithium")


@rule(
    "RTE004", E, "The electrode does not end with a solid-electrolyte film",
    description="Every route makes an electrode whose top film is the sulfide solid electrolyte.",
    source="claims 1, 17 and 33",
    hint="make the last layer a solid-electrolyte layer",
)  # fmt: skip
def ends_with_electrolyte(recipe: Recipe) -> Iterator[Finding]:
    last = len(recipe.layers) - 1
    if recipe.layers[last].kind != "solid-electrolyte":
        yield Finding(f"layers[{last}].kind", f"the last layer {recipe.layers[last].name!r} is not the electrolyte")


@rule(
    "RTE005", E, "A lithium layer is deposited on the electrolyte",
    description="The lithium film is the base of the electrolyte film: all lithium layers come first.",
    source="claims 17 e) and 33 e), l)",
    hint="move the lithium layers before the first solid-electrolyte layer",
)  # fmt: skip
def lithium_before_electrolyte(recipe: Recipe) -> Iterator[Finding]:
    seen_electrolyte = False
    for index, layer in enumerate(recipe.layers):
        if layer.kind == "solid-electrolyte":
            seen_electrolyte = True
        elif seen_electrolyte:
            yield Finding(f"layers[{index}].kind", f"lithium layer {layer.name!r} comes after an electrolyte layer")


@rule(
    "LAY001", E, "Two layers share a name",
    description="Layer names identify steps in procedures and records, so each must be unique.",
    source="recipe language (docs/recipes.md)",
    hint="give every layer its own name, e.g. lithium and electrolyte",
)  # fmt: skip
def unique_layer_names(recipe: Recipe) -> Iterator[Finding]:
    counts = Counter(layer.name for layer in recipe.layers)
    for index, layer in enumerate(recipe.layers):
        if counts[layer.name] > 1:
            yield Finding(f"layers[{index}].name", f"layer name {layer.name!r} is used {counts[layer.name]} times")
            counts[layer.name] = 0  # report each name once


@rule(
    "SPC001", W, "Conductivity spec below the claimed 1e-4 S/cm",
    source="claims 15, 31 and 47 (at least 1e-4 S/cm at 25 °C)",
    hint="the claims guarantee 1e-4 S/cm; a lower spec accepts films outside them",
)  # fmt: skip
def spec_conductivity_floor(recipe: Recipe) -> Iterator[Finding]:
    value = recipe.spec.min_conductivity
    if value is not None and float(value.to("S/cm").magnitude) < window.CONDUCTIVITY_MIN_S_PER_CM:
        yield Finding("spec.min_conductivity", f"min_conductivity {value:~P} is below 1e-4 S/cm")


@rule(
    "SPC002", W, "Conductivity spec above anything the patent reports",
    source="patent description (typically 1e-4 to 2.5e-3 S/cm); Tables 1–5 (at most 2.1e-3 S/cm)",
    hint="no film in the patent exceeds 2.5e-3 S/cm; expect this spec to fail",
)  # fmt: skip
def spec_conductivity_ceiling(recipe: Recipe) -> Iterator[Finding]:
    value = recipe.spec.min_conductivity
    if value is not None and float(value.to("S/cm").magnitude) > window.CONDUCTIVITY_MAX_REPORTED_S_PER_CM:
        yield Finding("spec.min_conductivity", f"min_conductivity {value:~P} is above 2.5e-3 S/cm")


@rule(
    "SPC003", W, "Activation-energy spec looser than 40 kJ/mol",
    source="patent description (activation energy 40 kJ/mol or below)",
    hint="set max_activation_energy to 40 kJ/mol or less",
)  # fmt: skip
def spec_activation_energy(recipe: Recipe) -> Iterator[Finding]:
    value = recipe.spec.max_activation_energy
    if value is not None and float(value.to("kJ/mol").magnitude) > window.ACTIVATION_ENERGY_MAX_KJ_PER_MOL:
        yield Finding("spec.max_activation_energy", f"max_activation_energy {value:~P} is above 40 kJ/mol")
