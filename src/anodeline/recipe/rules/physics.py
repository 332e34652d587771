"""Physical sense beyond the claims' wording."""

from __future__ import annotations

from collections.abc import Iterator

from anodeline.chemistry import gases
from anodeline.documents.violations import Severity
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.rules.thermal import heatings, lithium_present
from anodeline.recipe.schema import Recipe


@rule(
    "PHY001", Severity.WARNING, "Heated lithium in nitrogen forms Li3N",
    description="Dry N2 barely reacts with lithium at room temperature, but heated lithium nitrides "
    "(6Li + N2 → 2Li3N). N2 is allowed by the claims; heating lithium in it is not wise.",
    source="Markowitz & Boryta, J. Chem. Eng. Data 7 (1962) 586; shared/REFERENCES.md",
    hint="use Ar (or another noble gas) for the chambers and the process when the stack is heated",
)  # fmt: skip
def nitrogen_with_heated_lithium(recipe: Recipe) -> Iterator[Finding]:
    nitrogen = gases.contains_nitrogen(recipe.atmosphere.gas) or gases.contains_nitrogen(recipe.process_gas)
    if not nitrogen:
        return
    for heat in heatings(recipe):
        if lithium_present(recipe, heat.index):
            yield Finding(heat.path, f"{heat.what} {heat.degc:g} °C with lithium present under N2")
