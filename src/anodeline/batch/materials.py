"""Register a batch's materials in the records: lots, items and the genealogy to the electrode.

Roles a lot can be given for (``--lot ROLE=ID``): ``substrate``, ``lithium_foil`` and each
layer's name (its target, e.g. ``electrolyte``). A role without a stated lot gets a lot named
after the batch and marked "not stated", so the genealogy is complete either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from anodeline.line.actions import Deposit
from anodeline.procedure.model import Procedure
from anodeline.recipe.schema import Recipe
from anodeline.records import Store


@dataclass(frozen=True)
class BatchMaterials:
    """Records ids: procedure item name → item id, and the electrode's id."""

    item_ids: Mapping[str, str]
    electrode_id: str
    workpiece: str  # the procedure item that becomes the electrode


def lot_roles(recipe: Recipe) -> tuple[str, ...]:
    roles = ["substrate"]
    if recipe.base.lithium_foil is not None:
        roles.append("lithium_foil")
    roles += [layer.name for layer in recipe.layers]
    return tuple(roles)


def register_materials(
    store: Store, batch_id: str, recipe: Recipe, procedure: Procedure, lots: Mapping[str, str]
) -> BatchMaterials:
    """Register lots and items of ``procedure`` and link them to the electrode they make."""
    unknown = set(lots) - set(lot_roles(recipe))
    if unknown:
        from anodeline.errors import RecipeError

        raise RecipeError(
            f"no material role {', '.join(sorted(unknown))} in recipe {recipe.recipe!r}",
            hint=f"lot roles of this recipe: {', '.join(lot_roles(recipe))}",
        )
    deposits = [step for step in procedure.steps if isinstance(step, Deposit)]
    target_layer = {step.target: step.layer for step in deposits}
    workpiece = deposits[-1].onto if deposits else ""
    lot_ids: dict[str, str] = {}
    for role in lot_roles(recipe):
        lot_id = lots.get(role) or f"{batch_id}/{role}-lot"
        store.register_lot(lot_id, material=_material(recipe, role), note="" if role in lots else "lot not stated")
        lot_ids[role] = lot_id
    item_ids: dict[str, str] = {}
    for container in procedure.materials:
        for spec in container.items:
            role = target_layer.get(spec.name, "substrate" if spec.kind in ("base", "substrate") else "")
            item_id = f"{batch_id}/{spec.name}"
            store.register_item(
                item_id, kind=spec.kind, lot_id=lot_ids.get(role), batch_id=batch_id, air_sensitive=spec.sensitive
            )
            item_ids[spec.name] = item_id
    electrode_id = f"{batch_id}/electrode"
    store.register_item(electrode_id, kind="electrode", batch_id=batch_id, air_sensitive=True)
    if "lithium_foil" in lot_ids and workpiece in item_ids:
        foil_id = f"{batch_id}/lithium-foil"
        store.register_item(foil_id, kind="lithium-foil", lot_id=lot_ids["lithium_foil"], batch_id=batch_id)
        store.link(foil_id, item_ids[workpiece], batch_id=batch_id)
    for name in {workpiece, *target_layer}:
        if name in item_ids:
            store.link(item_ids[name], electrode_id, batch_id=batch_id)
    return BatchMaterials(item_ids, electrode_id, workpiece)


def _material(recipe: Recipe, role: str) -> str:
    if role == "substrate":
        return f"{recipe.base.substrate.material} foil"
    if role == "lithium_foil" and recipe.base.lithium_foil is not None:
        return f"{recipe.base.lithium_foil.material} foil"
    layer = next(layer for layer in recipe.layers if layer.name == role)
    return f"{layer.target} target"
