"""Film-model domain: electrolyte targets whose σ25 no data or literature prior supports."""

from __future__ import annotations

from collections.abc import Iterator

from anodeline.chemistry.systems import unsupported_reason
from anodeline.documents.violations import Severity
from anodeline.errors import FormulaError
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.schema import Recipe


@rule(
    "FLM001", Severity.WARNING, "No data or prior supports the film's σ25",
    description="The film-property model predicts σ25 and Ea only for Li2S glasses with a known sulfide network "
    "former (SiS2, P2S5, GeS2, Ga2S3, B2S3) inside that system's glass-forming range in mol % Li2S. Outside, "
    "'predict' refuses the σ25 (exit 1) and a batch verdict says 'σ25 not predicted'.",
    source="chemistry/systems.py: glass-forming ranges and priors (docs/models/film-properties.md); "
    "the patent's Tables 1-5",
    hint="use a target with a network former inside its glass-forming range, e.g. 60Li2S-40SiS2",
)  # fmt: skip
def film_model_domain(recipe: Recipe) -> Iterator[Finding]:
    for index, layer in enumerate(recipe.layers):
        if layer.kind != "solid-electrolyte":
            continue
        try:
            reason = unsupported_reason(layer.target)
        except FormulaError:
            continue  # CMP001 reports it
        if reason is not None:
            yield Finding(f"layers[{index}].target", reason[0], reason[1])
