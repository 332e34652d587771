"""The thickness map a recipe's top electrolyte film gets over its substrate.

Ties the recipe to :mod:`anodeline.physics.deposition.film_map` (no new physics here): the
substrate's width and length (100 mm × 50 mm, Example 1's foil, when unstated), the
deposition geometry (``deposition.geometry``) and the layer's method for the emission
exponent.
"""

from __future__ import annotations

from anodeline.physics.deposition.film_map import COSINE_EXPONENT, FilmMap, SourceGeometry, film_map
from anodeline.recipe.schema import Layer, Recipe

DEFAULT_WIDTH_MM = 100.0
DEFAULT_LENGTH_MM = 50.0


def _mm(quantity: object | None, default: float) -> float:
    return default if quantity is None else float(quantity.to("mm").magnitude)  # type: ignore[attr-defined]


def top_electrolyte(recipe: Recipe) -> Layer | None:
    """The electrolyte layer the electrode is judged by (the last one deposited)."""
    layers = [layer for layer in recipe.layers if layer.kind == "solid-electrolyte"]
    return layers[-1] if layers else None


def source_geometry(recipe: Recipe, method: str) -> SourceGeometry:
    stated = recipe.deposition.geometry
    exponent = stated.cosine_exponent
    return SourceGeometry(
        throw_distance_m=float(stated.throw_distance.to("m").magnitude),
        offset_m=float(stated.source_offset.to("m").magnitude),
        rotating=stated.rotation,
        cosine_exponent=COSINE_EXPONENT.get(method, 1.0) if exponent is None else exponent,
    )


def substrate_area_cm2(recipe: Recipe) -> float:
    substrate = recipe.base.substrate
    return _mm(substrate.width, DEFAULT_WIDTH_MM) * _mm(substrate.length, DEFAULT_LENGTH_MM) / 100.0


def recipe_film_map(recipe: Recipe, thickness_um: float | None = None) -> FilmMap | None:
    """The top electrolyte film's map, scaled to ``thickness_um`` at the centre (default: the recipe's)."""
    layer = top_electrolyte(recipe)
    if layer is None:
        return None
    substrate = recipe.base.substrate
    nominal = float(layer.thickness.to("um").magnitude) if thickness_um is None else thickness_um
    return film_map(
        nominal,
        _mm(substrate.width, DEFAULT_WIDTH_MM) / 1e3,
        _mm(substrate.length, DEFAULT_LENGTH_MM) / 1e3,
        source_geometry(recipe, layer.method),
    )
