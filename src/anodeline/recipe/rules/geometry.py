"""Thickness windows of the films and the base material."""

from __future__ import annotations

from collections.abc import Iterator

from anodeline import window
from anodeline.documents.violations import Severity
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.schema import Recipe

E, W = Severity.ERROR, Severity.WARNING


def _um(quantity: object) -> float:
    return float(quantity.to("um").magnitude)  # type: ignore[attr-defined]


def _lithium_films(recipe: Recipe) -> Iterator[tuple[str, float]]:
    for index, layer in enumerate(recipe.layers):
        if layer.kind == "lithium":
            yield f"layers[{index}].thickness", _um(layer.thickness)
    if recipe.base.lithium_film is not None:
        yield "base.lithium_film.thickness", _um(recipe.base.lithium_film.thickness)


@rule(
    "THK001", E, "Solid-electrolyte film thickness outside 0.01–10 µm",
    source=window.ELECTROLYTE_THICKNESS_UM.source,
    hint="set the electrolyte layer's thickness between 0.01 um and 10 um (0.1–2 um preferred)",
)  # fmt: skip
def electrolyte_thickness(recipe: Recipe) -> Iterator[Finding]:
    bound = window.ELECTROLYTE_THICKNESS_UM
    for index, layer in enumerate(recipe.layers):
        if layer.kind == "solid-electrolyte" and not bound.contains(_um(layer.thickness)):
            yield Finding(
                f"layers[{index}].thickness",
                f"electrolyte layer {layer.name!r} is {_um(layer.thickness):g} µm; the claims allow {bound.text()}",
            )


@rule(
    "THK002", W, "Solid-electrolyte film thickness outside the preferred 0.1–2 µm",
    source=window.ELECTROLYTE_THICKNESS_PREFERRED_UM.source,
    hint="0.1–2 um is the patent's preferred range; thinner films risk pinholes, thicker ones add resistance",
)  # fmt: skip
def electrolyte_thickness_preferred(recipe: Recipe) -> Iterator[Finding]:
    claimed, preferred = window.ELECTROLYTE_THICKNESS_UM, window.ELECTROLYTE_THICKNESS_PREFERRED_UM
    for index, layer in enumerate(recipe.layers):
        value = _um(layer.thickness)
        if layer.kind == "solid-electrolyte" and claimed.contains(value) and not preferred.contains(value):
            yield Finding(
                f"layers[{index}].thickness",
                f"electrolyte layer {layer.name!r} is {value:g} µm, outside the preferred {preferred.text()}",
            )


@rule(
    "THK003", E, "Lithium film thickness outside 0.1–20 µm",
    source=window.LITHIUM_FILM_THICKNESS_UM.source,
    hint="set the lithium film between 0.1 um and 20 um (1–10 um preferred); a thicker lithium base is a foil",
)  # fmt: skip
def lithium_thickness(recipe: Recipe) -> Iterator[Finding]:
    bound = window.LITHIUM_FILM_THICKNESS_UM
    for path, value in _lithium_films(recipe):
        if not bound.contains(value):
            yield Finding(path, f"lithium film is {value:g} µm; the claims allow {bound.text()}")


@rule(
    "THK004", W, "Lithium film thickness outside the preferred 1–10 µm",
    source=window.LITHIUM_FILM_THICKNESS_PREFERRED_UM.source,
    hint="1–10 um is the patent's preferred lithium film range",
)  # fmt: skip
def lithium_thickness_preferred(recipe: Recipe) -> Iterator[Finding]:
    claimed, preferred = window.LITHIUM_FILM_THICKNESS_UM, window.LITHIUM_FILM_THICKNESS_PREFERRED_UM
    for path, value in _lithium_films(recipe):
        if claimed.contains(value) and not preferred.contains(value):
            yield Finding(path, f"lithium film is {value:g} µm, outside the preferred {preferred.text()}")


@rule(
    "THK005", E, "Base material thickness outside 1–100 µm",
    description="The base material (substrate plus any laminated lithium foil or preliminary lithium film) "
    "must be 1–100 µm thick: at least 1 µm for strength, at most 100 µm to keep the cell compact.",
    source=window.SUBSTRATE_THICKNESS_UM.source,
    hint="use a substrate (plus lithium foil) between 1 um and 100 um in total",
)  # fmt: skip
def base_thickness(recipe: Recipe) -> Iterator[Finding]:
    base = recipe.base
    total = _um(base.substrate.thickness)
    parts = [f"substrate {total:g} µm"]
    for name, part in (("lithium foil", base.lithium_foil), ("lithium film", base.lithium_film)):
        if part is not None:
            total += _um(part.thickness)
            parts.append(f"{name} {_um(part.thickness):g} µm")
    bound = window.SUBSTRATE_THICKNESS_UM
    if not bound.contains(total):
        yield Finding(
            "base.substrate.thickness",
            f"base material is {total:g} µm ({' + '.join(parts)}); the patent allows {bound.text()}",
        )


@rule(
    "THK006", E, "Substrate width or length is not positive",
    source="physics (a substrate has an area)",
    hint="give the substrate's width and length as positive lengths, e.g. 100 mm and 50 mm",
)  # fmt: skip
def substrate_size(recipe: Recipe) -> Iterator[Finding]:
    substrate = recipe.base.substrate
    for name in ("width", "length"):
        value = getattr(substrate, name)
        if value is not None and value.magnitude <= 0:
            yield Finding(f"base.substrate.{name}", f"substrate {name} is {value:~P}; it must be positive")
