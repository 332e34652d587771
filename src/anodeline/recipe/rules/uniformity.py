"""Film-map rules: a geometry the map can be drawn from, and a uniformity spec it can meet."""

from __future__ import annotations

from collections.abc import Iterator

from anodeline.documents.violations import Severity
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.schema import Recipe

E, W = Severity.ERROR, Severity.WARNING
MAP_SOURCE = "Ohring, Materials Science of Thin Films, §3.4 (cosine-law emission); docs/models/deposition.md"


@rule(
    "MAP001", E, "The source–substrate throw distance is zero",
    source=MAP_SOURCE,
    hint="state the distance from the source to the substrate, e.g. 'geometry: {throw_distance: 20 cm}'",
)  # fmt: skip
def geometry_is_drawable(recipe: Recipe) -> Iterator[Finding]:
    if recipe.deposition.geometry.throw_distance.magnitude <= 0:
        yield Finding("deposition.geometry.throw_distance", "the source–substrate throw distance is zero")


@rule(
    "MAP002", W, "The film map does not meet the recipe's thickness-uniformity spec",
    source=MAP_SOURCE,
    hint="move the source further away, centre it, rotate the substrate, or relax spec.max_thickness_nonuniformity",
)  # fmt: skip
def uniformity_meets_spec(recipe: Recipe) -> Iterator[Finding]:
    limit = recipe.spec.max_thickness_nonuniformity
    substrate = recipe.base.substrate
    sizes = (recipe.deposition.geometry.throw_distance, substrate.width, substrate.length)
    if limit is None or any(size is not None and size.magnitude <= 0 for size in sizes):  # MAP001, THK006
        return
    from anodeline.film_map import recipe_film_map  # numpy: only when a uniformity spec is stated

    mapped = recipe_film_map(recipe)
    ceiling = float(limit.to("dimensionless").magnitude)
    if mapped is not None and mapped.nonuniformity > ceiling:
        yield Finding(
            "spec.max_thickness_nonuniformity",
            f"the film map gives ±{100 * mapped.nonuniformity:.2g} % ({mapped.min_um:.3g}–{mapped.max_um:.3g} µm), "
            f"above the spec's ±{100 * ceiling:.2g} %",
        )
