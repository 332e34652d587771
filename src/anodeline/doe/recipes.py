"""The proposed films as recipes: a template recipe with the film's target, method and temperature.

The template (Example 1 by default) gives the base, atmosphere, vacuum and route; each
proposal replaces the top electrolyte layer's ``target``, ``method`` and
``substrate_temperature`` and says in ``notes`` why this film was chosen. Only films whose
recipe passes ``validate`` are candidates (:func:`admissible`), and every written recipe is
validated again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from anodeline.doe.candidates import Candidate
from anodeline.doe.select import Proposal


def _film_recipe(template: dict[str, object], c: Candidate) -> dict[str, object]:
    data = dict(template)
    layers = [dict(layer) for layer in data["layers"]]  # type: ignore[attr-defined]
    top = max(i for i, layer in enumerate(layers) if layer.get("kind") == "solid-electrolyte")
    layers[top].update(target=c.target, method=c.method, substrate_temperature=f"{c.substrate_degc:g} degC")
    layers[top].pop("power", None)
    data["layers"] = layers
    return data


def admissible(template: dict[str, object]) -> Callable[[Candidate], bool]:
    """Does the template with this film pass ``validate`` without errors (the process window, claims)?"""
    from anodeline.recipe.validate import validate_text

    def check(c: Candidate) -> bool:
        text = yaml.safe_dump(_film_recipe(template, c), sort_keys=False, allow_unicode=True)
        return not any(v.severity.value == "error" for v in validate_text(text).violations)

    return check


def recipe_text(template: dict[str, object], proposal: Proposal, index: int) -> str:
    c = proposal.candidate
    data = _film_recipe(template, c)
    low, high = c.interval_s_per_cm
    data.update(
        recipe=f"doe-{index:02d}-{c.target.lower()}-{c.method}-{c.substrate_degc:g}c",
        title=f"DoE {index}: {c.target} by {c.method} at {c.substrate_degc:g} °C",
        notes=(
            f"Proposed by 'anodeline doe': measuring this film removes {100 * proposal.share_of_total:.1f} % of the "
            "film model's reducible ln σ25 variance over the candidate grid. "
            f"Predicted σ25 {c.sigma25_s_per_cm:.2g} S/cm, 90 % interval {low:.2g}–{high:.2g} S/cm. "
            "Measure σ25 (and Ea) and add the film to the dataset."
        ),
    )
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def load_template(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("layers"), list):
        raise ValueError(f"{path} is not a recipe with layers")
    return data


def write_recipes(template: dict[str, object], proposals: list[Proposal], folder: Path) -> list[tuple[Path, str]]:
    """Write each proposal as ``doe-NN.yaml``; returns (path, "") or (path, why it was refused)."""
    from anodeline.recipe.validate import validate_text

    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, str]] = []
    for index, proposal in enumerate(proposals, start=1):
        text = recipe_text(template, proposal, index)
        path = folder / f"doe-{index:02d}.yaml"
        errors = [v for v in validate_text(text, str(path)).violations if v.severity.value == "error"]
        if errors:
            written.append((path, f"{errors[0].code} {errors[0].message}"))
            continue
        path.write_text(text, encoding="utf-8")
        written.append((path, ""))
    return written
