"""Cell-assembly rules (claims 7, 23, 39): a dry-enough chamber, a test the cell model covers, n/p ≥ 1."""

from __future__ import annotations

from collections.abc import Iterator

from anodeline.documents.violations import Severity
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.schema import Recipe

E, W = Severity.ERROR, Severity.WARNING

#: Example 1 (and Examples 2–17): the cell is made "under an argon gas atmosphere having a dew point of −60 °C
#: or below".
MAX_DEW_POINT_DEGC = -60.0
#: The voltage window LiCoO2's open-circuit potential is fitted over (Ramadass et al. 2004, as shipped with
#: PyBaMM: lithium fractions 0.45–0.88, i.e. about 4.3 V down to 3.5 V vs Li); the cell test simulates no further.
LICOO2_WINDOW_V = (3.5, 4.3)


@rule(
    "ASM001", E, "The cell-assembly atmosphere is wetter than a −60 °C dew point",
    source="patent Example 1 (cell prepared under argon with a dew point of −60 °C or below; claims 7, 23, 39)",
    hint="state assembly.dew_point at −60 °C or below, e.g. 'dew_point: -60 degC'",
)  # fmt: skip
def dry_enough(recipe: Recipe) -> Iterator[Finding]:
    if recipe.assembly is None:
        return
    dew = float(recipe.assembly.dew_point.to("degC").magnitude)
    if dew > MAX_DEW_POINT_DEGC:
        yield Finding("assembly.dew_point", f"the assembly dew point is {dew:g} °C, above −60 °C")


@rule(
    "ASM002", E, "The cell test's voltages are outside the LiCoO2 model's window or in the wrong order",
    source="Ramadass et al., J. Electrochem. Soc. 151 (2004) A196 (LiCoO2 open-circuit potential, via PyBaMM); "
    "patent Example 1 (4.2 V, 3.5 V); docs/assembly.md",
    hint="charge to at most 4.3 V and discharge to at least 3.5 V, the cut-off below the charge voltage "
    "(Example 1: charge_to: 4.2 V, discharge_to: 3.5 V)",
)  # fmt: skip
def test_window(recipe: Recipe) -> Iterator[Finding]:
    if recipe.assembly is None:
        return
    test = recipe.assembly.test
    low, high = LICOO2_WINDOW_V
    charge = float(test.charge_to.to("V").magnitude)
    cutoff = float(test.discharge_to.to("V").magnitude)
    if not low < charge <= high:
        yield Finding("assembly.test.charge_to", f"charge to {charge:g} V is outside {low:g}–{high:g} V")
    if not low <= cutoff < high:
        yield Finding("assembly.test.discharge_to", f"discharge to {cutoff:g} V is outside {low:g}–{high:g} V")
    if cutoff >= charge:
        yield Finding("assembly.test.discharge_to", f"the cut-off {cutoff:g} V is not below the charge {charge:g} V")


@rule(
    "ASM003", W, "The cell has less lithium than its positive electrode can take (n/p ratio below 1)",
    source="cell/model.py (n/p = lithium capacity / cathode areal capacity; 4.85 µm Li per mAh/cm²); docs/assembly.md",
    hint="thicken the lithium (foil or film) or thin the positive electrode's coating until n/p ≥ 1",
)  # fmt: skip
def enough_lithium(recipe: Recipe) -> Iterator[Finding]:
    if recipe.assembly is None:
        return
    from anodeline.cell.design import CellDesign, ElectrodeStack
    from anodeline.cell.model import estimate_cell
    from anodeline.errors import ModelInputError

    try:
        cell = estimate_cell(ElectrodeStack.from_recipe(recipe), CellDesign.from_assembly(recipe.assembly))
    except ModelInputError:
        return  # a zero thickness: the THK rules report it
    if cell.n_p_ratio < 1.0:
        yield Finding(
            "assembly.positive_electrode.coating",
            f"n/p = {cell.n_p_ratio:.2f}: {cell.lithium_capacity_mah_per_cm2:.3g} mAh/cm² of lithium against "
            f"{cell.areal_capacity_mah_per_cm2:.3g} mAh/cm² of cathode",
        )
