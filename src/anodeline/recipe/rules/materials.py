"""Materials: the electrolyte target's composition window, lithium alloys, substrates, methods."""

from __future__ import annotations

from collections.abc import Iterator

from anodeline import window
from anodeline.chemistry.composition import Mixture, parse_mixture
from anodeline.documents.violations import Severity
from anodeline.errors import FormulaError
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.schema import LITHIUM_SURFACE_MATERIALS, Recipe

E, W = Severity.ERROR, Severity.WARNING

LITHIUM_MATERIALS = LITHIUM_SURFACE_MATERIALS


def electrolyte_mixtures(recipe: Recipe) -> Iterator[tuple[int, Mixture]]:
    """Each electrolyte layer's parsed target (layers whose target does not parse are skipped)."""
    for index, layer in enumerate(recipe.layers):
        if layer.kind != "solid-electrolyte":
            continue
        try:
            yield index, parse_mixture(layer.target)
        except FormulaError:
            continue


def _pct(fraction: float) -> str:
    return f"{100 * fraction:.3g} at%"


@rule(
    "CMP001", E, "Target formula cannot be read",
    description="An electrolyte target is written as a molar mixture of formulas, e.g. "
    "57Li2S-38SiS2-5Li3PO4 or 57Li2S-38SiS2-5(Li2O-P2O5); each formula is read by pymatgen.",
    source="recipe language (docs/recipes.md); formulas parsed by pymatgen Composition",
    hint="write amounts and formulas joined by '-', e.g. 57Li2S-38SiS2-5Li3PO4",
)  # fmt: skip
def target_formula(recipe: Recipe) -> Iterator[Finding]:
    for index, layer in enumerate(recipe.layers):
        if layer.kind != "solid-electrolyte":
            continue
        try:
            parse_mixture(layer.target)
        except FormulaError as exc:
            yield Finding(f"layers[{index}].target", exc.message, exc.hint)


def _window_rule(
    code: str, title: str, elements: tuple[str, ...], bound: window.Bound, label: str, optional: bool = False
) -> None:
    @rule(
        code, E, title,
        description=f"The {label} content of the electrolyte (nominal target composition) must be "
        f"{100 * bound.low:g}–{100 * bound.high:g} at%.",
        source=bound.source,
        hint=f"adjust the target so that {label} is {100 * bound.low:g}–{100 * bound.high:g} at%",
    )  # fmt: skip
    def check(recipe: Recipe) -> Iterator[Finding]:
        for index, mixture in electrolyte_mixtures(recipe):
            value = mixture.fraction(*elements)
            if optional and value == 0.0:
                continue
            if optional and value < bound.low:
                continue  # traces below the window are a warning (CMP006), not an error
            if not bound.contains(value):
                yield Finding(
                    f"layers[{index}].target",
                    f"{mixture.text} has {_pct(value)} {label}; the window is "
                    f"{100 * bound.low:g}–{100 * bound.high:g} at%",
                )


_window_rule("CMP002", "Lithium content outside 30–65 at%", ("Li",), window.LITHIUM_FRACTION, "lithium")
_window_rule(
    "CMP003", "Network formers (P, Si, B, Ge, Ga) outside 0.1–30 at%",
    window.NETWORK_FORMERS, window.NETWORK_FORMER_FRACTION, "P+Si+B+Ge+Ga",
)  # fmt: skip
_window_rule("CMP004", "Sulfur content outside 20–60 at%", ("S",), window.SULFUR_FRACTION, "sulfur")
_window_rule(
    "CMP005", "Oxygen plus nitrogen above 10 at%",
    ("O", "N"), window.OXYGEN_NITROGEN_FRACTION, "O+N", optional=True,
)  # fmt: skip


@rule(
    "CMP006", W, "Oxygen plus nitrogen present below 0.1 at%",
    source=window.OXYGEN_NITROGEN_FRACTION.source,
    hint="a trace below 0.1 at% is outside the described 0.1–10 at%; drop it or raise it",
)  # fmt: skip
def oxygen_nitrogen_trace(recipe: Recipe) -> Iterator[Finding]:
    bound = window.OXYGEN_NITROGEN_FRACTION
    for index, mixture in electrolyte_mixtures(recipe):
        value = mixture.fraction("O", "N")
        if 0.0 < value < bound.low:
            yield Finding(f"layers[{index}].target", f"{mixture.text} has only {_pct(value)} O+N")


@rule(
    "CMP007", E, "Lithium layer or foil is not lithium or a lithium alloy",
    description="Lithium films and foils are lithium metal or a lithium alloy with In, Ti, Zn, Bi or Sn.",
    source="claims 1, 17, 33 and the description (alloy additives In, Ti, Zn, Bi, Sn)",
    hint="use Li or an alloy written Li-In, Li-Sn, Li-Zn, Li-Bi or Li-Ti",
)  # fmt: skip
def lithium_material(recipe: Recipe) -> Iterator[Finding]:
    places: list[tuple[str, str]] = [
        (f"layers[{index}].target", layer.target)
        for index, layer in enumerate(recipe.layers)
        if layer.kind == "lithium"
    ]
    if recipe.base.lithium_foil is not None:
        places.append(("base.lithium_foil.material", recipe.base.lithium_foil.material))
    if recipe.base.lithium_film is not None:
        places.append(("base.lithium_film.material", recipe.base.lithium_film.material))
    for path, material in places:
        if material not in LITHIUM_MATERIALS:
            yield Finding(path, f"{material!r} is not lithium or a lithium alloy ({', '.join(LITHIUM_MATERIALS)})")


@rule(
    "MAT001", W, "Substrate material not named by the patent",
    source="patent description (Cu, Ni, Al, Fe, Nb, Ti, W, In, Mo, Mg, Au, Ag, Pt, alloys, stainless steel, "
    "SnO2, graphite, or a lithium / lithium-alloy foil)",
    hint="check the material; the patent's examples use Cu",
)  # fmt: skip
def substrate_material(recipe: Recipe) -> Iterator[Finding]:
    material = recipe.base.substrate.material
    if material not in window.SUBSTRATE_MATERIALS and material not in LITHIUM_MATERIALS:
        yield Finding("base.substrate.material", f"substrate {material!r} is not among the patent's base materials")


@rule(
    "MTH001", E, "Deposition method not one of the claimed vapour-deposition methods",
    source="claims 16, 32 and 48 (sputtering, vacuum evaporation, laser ablation, ion plating)",
    hint="use sputtering, vacuum-evaporation, laser-ablation or ion-plating",
)  # fmt: skip
def method(recipe: Recipe) -> Iterator[Finding]:
    places = [(f"layers[{index}].method", layer.method) for index, layer in enumerate(recipe.layers)]
    if recipe.base.lithium_film is not None:
        places.append(("base.lithium_film.method", recipe.base.lithium_film.method))
    for path, name in places:
        if name not in window.METHODS:
            yield Finding(path, f"method {name!r} is not one of {', '.join(window.METHODS)}")
