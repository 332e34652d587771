"""Film-map rules: a geometry the map can be drawn from, and a uniformity spec it can meet."""

from __future__ import annotations

from collections.abc import Iterator

from anodeline.documents.violations import Severity
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.schema import Recipe

E, W = Severity.ERROR, Severity.WARNING
MAP_SOURCE = "Ohring, Materials Science of Thin Films, §3.4 (cosine-law emission); docs/models/deposition.md"


#: The geometry a film map is drawn for (est.): no source sits closer than 1 mm to the substrate or
#: further than 10 m from it in a deposition chamber; beyond, the cosine law underflows to no film.
THROW_DISTANCE_M = (1e-3, 10.0)
MAX_OFFSET_M = 10.0


def _m(quantity: object) -> float:
    return float(quantity.to("m").magnitude)  # type: ignore[attr-defined]


@rule(
    "MAP001", E, "The source–substrate geometry is outside 1 mm–10 m",
    source=MAP_SOURCE,
    hint="state the distance from the source to the substrate (1 mm–10 m, e.g. 'geometry: {throw_distance: 20 cm}') "
    "and a source offset of at most 10 m",
)  # fmt: skip
def geometry_is_drawable(recipe: Recipe) -> Iterator[Finding]:
    geometry = recipe.deposition.geometry
    low, high = THROW_DISTANCE_M
    if not low <= _m(geometry.throw_distance) <= high:
        yield Finding("deposition.geometry.throw_distance",
                      f"the throw distance is {geometry.throw_distance}, outside 1 mm–10 m")  # fmt: skip
    if _m(geometry.source_offset) > MAX_OFFSET_M:
        yield Finding("deposition.geometry.source_offset",
                      f"the source offset is {geometry.source_offset}, more than 10 m")  # fmt: skip


@rule(
    "MAP002", W, "The film map does not meet the recipe's thickness-uniformity spec",
    source=MAP_SOURCE,
    hint="move the source further away, centre it, rotate the substrate, or relax spec.max_thickness_nonuniformity",
)  # fmt: skip
def uniformity_meets_spec(recipe: Recipe) -> Iterator[Finding]:
    limit = recipe.spec.max_thickness_nonuniformity
    substrate = recipe.base.substrate
    drawable = not any(True for _ in geometry_is_drawable(recipe))  # else MAP001
    if (
        limit is None
        or not drawable
        or any(size is not None and size.magnitude <= 0 for size in (substrate.width, substrate.length))
    ):  # THK006
        return  # fmt: skip
    from anodeline.film_map import recipe_film_map  # numpy: only when a uniformity spec is stated

    mapped = recipe_film_map(recipe)
    ceiling = float(limit.to("dimensionless").magnitude)
    if mapped is not None and mapped.nonuniformity > ceiling:
        yield Finding(
            "spec.max_thickness_nonuniformity",
            f"the film map gives ±{100 * mapped.nonuniformity:.2g} % ({mapped.min_um:.3g}–{mapped.max_um:.3g} µm), "
            f"above the spec's ±{100 * ceiling:.2g} %",
        )
