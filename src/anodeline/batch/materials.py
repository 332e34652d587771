"""Register a batch's materials in the records: lots, items and the genealogy to the electrode.

Roles a lot can be given for (``--lot ROLE=ID``): ``substrate``, ``lithium_foil`` and each
layer's name (its target, e.g. ``electrolyte``). A role without a stated lot gets a lot named
after the batch and marked "not stated", so the genealogy is complete either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from anodeline.line.actions import Deposit
from anodeline.procedure.model import Procedure
from anodeline.recipe.schema import Recipe
from anodeline.records.core import StoreCore
from anodeline.records.errors import RecordInputError


class LotUsageError(RecordInputError):
    """``--lot`` given wrongly: not ROLE=ID, an unknown or repeated role, one lot for two roles, or a
    lot registered as another material. Refused before the batch is recorded (exit 2)."""

    code = "RECORDS_LOT"

    def __init__(self, message: str, *, hint: str = "") -> None:
        self.rule = "LOT002"
        super().__init__(message, hint=hint or "e.g. --lot substrate=CU-2611 --lot electrolyte=T-77")


def parse_lots(entries: Iterable[str]) -> dict[str, str]:
    """``ROLE=LOT-ID`` options → {role: lot id}; an empty side or a repeated role or lot is refused."""
    lots: dict[str, str] = {}
    for entry in entries:
        role, sep, lot_id = (part.strip() for part in entry.partition("="))
        if not sep or not role or not lot_id:
            raise LotUsageError(f"--lot {entry!r} is not ROLE=LOT-ID")
        if role in lots:
            raise LotUsageError(f"--lot gives role {role!r} twice ({lots[role]!r} and {lot_id!r})",
                                hint="give each role one lot")  # fmt: skip
        if lot_id in lots.values():
            other = next(r for r, x in lots.items() if x == lot_id)
            raise LotUsageError(f"--lot gives lot {lot_id!r} to two roles ({other!r} and {role!r})",
                                hint="a lot is of one material: give each role its own lot")  # fmt: skip
        lots[role] = lot_id
    return lots


def check_lot_roles(recipe: Recipe, lots: Mapping[str, str]) -> None:
    """Refuse a role the recipe has no material for (before anything is recorded)."""
    unknown = set(lots) - set(lot_roles(recipe))
    if unknown:
        raise LotUsageError(
            f"no material role {', '.join(sorted(unknown))} in recipe {recipe.recipe!r}",
            hint=f"lot roles of this recipe: {', '.join(lot_roles(recipe))}",
        )


def check_lot_records(store: StoreCore, recipe: Recipe, lots: Mapping[str, str]) -> None:
    """Refuse, before the batch is recorded, a lot stored as another material, and an electrode of
    another batch that was not released or was used already (``LOT001``, ``LOT003``)."""
    for role, lot_id in lots.items():
        if store.item(lot_id) is not None:
            store.check_input_electrode(lot_id)
            continue
        known = store.lot(lot_id)
        wanted = _material(recipe, role)
        if known is not None and known.material != wanted:
            raise LotUsageError(f"lot {lot_id!r} is registered as {known.material!r}, not {wanted!r} ({role})",
                                hint="check the lot id on the container's label")  # fmt: skip


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
    store: StoreCore, batch_id: str, recipe: Recipe, procedure: Procedure, lots: Mapping[str, str]
) -> BatchMaterials:
    """Register lots and items of ``procedure`` and link them to the electrode they make.

    A lot already registered (same material: :func:`check_lot_records`) is reused. A lot id that is
    a released electrode of an earlier batch becomes a lot of that name and the electrode is linked
    into the items of its role, so the genealogy runs through both batches.
    """
    check_lot_roles(recipe, lots)
    deposits = [step for step in procedure.steps if isinstance(step, Deposit)]
    target_layer = {step.target: step.layer for step in deposits}
    workpiece = deposits[-1].onto if deposits else ""
    lot_ids: dict[str, str] = {}
    electrodes: dict[str, str] = {}  # role → an earlier batch's electrode used as its lot
    for role in lot_roles(recipe):
        lot_id = lots.get(role) or f"{batch_id}/{role}-lot"
        if role in lots and store.item(lot_id) is not None:
            electrodes[role] = lot_id
        if store.lot(lot_id) is None:
            note = "" if role in lots else "lot not stated"
            if role in electrodes:
                note = f"the released electrode {lot_id}"
            store.register_lot(lot_id, material=_material(recipe, role), note=note)
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
            if role in electrodes:
                store.link(electrodes[role], item_id, batch_id=batch_id)
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
