"""Cell assembly and performance (claims 7, 23, 39)."""

from anodeline.cell.design import EXAMPLE_1_CELL, EXAMPLE_1_ELECTRODE, CellDesign, ElectrodeStack
from anodeline.cell.model import LITHIUM_UM_PER_MAH_PER_CM2, CellEstimate, estimate_cell, repeat_unit_um

__all__ = [
    "EXAMPLE_1_CELL",
    "EXAMPLE_1_ELECTRODE",
    "LITHIUM_UM_PER_MAH_PER_CM2",
    "CellDesign",
    "CellEstimate",
    "ElectrodeStack",
    "estimate_cell",
    "repeat_unit_um",
]
