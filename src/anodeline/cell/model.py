"""Capacity and energy density of a lithium cell assembled from the line's electrode (claims 7, 23, 39).

Model (REFERENCES.md, Cell energy density)::

    q      = t_cath · ρ_coat · w_active · c_spec                   areal capacity per face [mAh/cm²]
    Q      = faces · area · q                                      cell capacity; the cathode limits it,
                                                                   lithium metal only has to host it
    U      = Al + 2·cathode + 2·separator + Cu + 2·Li + 2·SE       repeat unit of a double-sided stack
    E_st   = 2 · q · V̄ / U                                         stack energy density (double-sided)
    E_st   = q · V̄ / (Al + cathode + separator + Cu + Li + SE)     single-sided layers (Example 1)
    E_pack = η_pack · E_st
    n/p    = Li thickness / (4.85 µm per mAh/cm²) / q

4.85 µm/(mAh/cm²) follows from F, M(Li) and ρ(Li); Li and SE thicknesses are the
electrode's, Cu its substrate (counted as lithium when the substrate is lithium, Example 17).
Validity: a volumetric bookkeeping at a slow rate (the patent's 100 mA ≈ C/5); no
kinetics, no tabs, no swelling.
"""

from __future__ import annotations

from dataclasses import dataclass

from anodeline.cell.design import EXAMPLE_1_CELL, CellDesign, ElectrodeStack

FARADAY_C_PER_MOL = 96_485.33212  # CODATA 2018
LITHIUM_MOLAR_MASS_G_PER_MOL = 6.941  # IUPAC conventional
LITHIUM_DENSITY_G_PER_CM3 = 0.534  # CRC Handbook, 20 °C
#: Lithium thickness that holds 1 mAh/cm²: 3.6 C / F · M / ρ (REFERENCES.md: 4.85 µm).
LITHIUM_UM_PER_MAH_PER_CM2 = 3.6 / FARADAY_C_PER_MOL * LITHIUM_MOLAR_MASS_G_PER_MOL / LITHIUM_DENSITY_G_PER_CM3 * 1e4


@dataclass(frozen=True)
class CellEstimate:
    """What the cell model predicts for one electrode in one cell design."""

    capacity_ah: float
    energy_wh: float
    areal_capacity_mah_per_cm2: float
    faces: int
    repeat_unit_um: float  # U of the double-sided stack, whatever the design
    stack_thickness_um: float
    stack_volume_cm3: float
    packaged_volume_cm3: float
    stack_wh_per_l: float
    packaged_wh_per_l: float
    lithium_capacity_mah_per_cm2: float
    n_p_ratio: float


def repeat_unit_um(electrode: ElectrodeStack, design: CellDesign = EXAMPLE_1_CELL) -> float:
    """U = Al + 2·cathode + 2·separator + substrate + 2·Li + 2·SE (µm)."""
    anode_side_um = electrode.lithium_foil_um + electrode.lithium_film_um + electrode.electrolyte_um
    cathode_side_um = design.cathode_coating_um + design.separator_um
    return design.cathode_collector_um + electrode.substrate_um + 2.0 * (anode_side_um + cathode_side_um)


def lithium_per_face_um(electrode: ElectrodeStack, design: CellDesign = EXAMPLE_1_CELL) -> float:
    """Lithium behind one cathode face; a lithium substrate is shared by both faces when double-sided."""
    own_um = electrode.lithium_foil_um + electrode.lithium_film_um
    if not electrode.substrate_is_lithium:
        return own_um
    return own_um + (electrode.substrate_um / 2.0 if design.double_sided else electrode.substrate_um)


def stack_thickness_um(electrode: ElectrodeStack, design: CellDesign = EXAMPLE_1_CELL) -> float:
    """Thickness of the electrode stack: n repeat units, or n single-sided layers."""
    unit_um = repeat_unit_um(electrode, design)
    if design.double_sided:
        return design.layers * unit_um
    single_um = (unit_um + design.cathode_collector_um + electrode.substrate_um) / 2.0
    return design.layers * single_um


def estimate_cell(electrode: ElectrodeStack, design: CellDesign = EXAMPLE_1_CELL) -> CellEstimate:
    """Capacity, energy and energy density of ``design`` built with ``electrode``."""
    areal_mah_per_cm2 = design.areal_capacity_mah_per_cm2
    capacity_ah = design.faces * electrode.area_cm2 * areal_mah_per_cm2 / 1000.0
    energy_wh = capacity_ah * design.mean_voltage_v
    thickness_um = stack_thickness_um(electrode, design)
    stack_volume_cm3 = electrode.area_cm2 * thickness_um * 1e-4
    stack_wh_per_l = energy_wh / stack_volume_cm3 * 1000.0
    packaged_wh_per_l = design.packaging_efficiency * stack_wh_per_l
    lithium_mah_per_cm2 = lithium_per_face_um(electrode, design) / LITHIUM_UM_PER_MAH_PER_CM2
    return CellEstimate(
        capacity_ah=capacity_ah,
        energy_wh=energy_wh,
        areal_capacity_mah_per_cm2=areal_mah_per_cm2,
        faces=design.faces,
        repeat_unit_um=repeat_unit_um(electrode, design),
        stack_thickness_um=thickness_um,
        stack_volume_cm3=stack_volume_cm3,
        packaged_volume_cm3=stack_volume_cm3 / design.packaging_efficiency,
        stack_wh_per_l=stack_wh_per_l,
        packaged_wh_per_l=packaged_wh_per_l,
        lithium_capacity_mah_per_cm2=lithium_mah_per_cm2,
        n_p_ratio=lithium_mah_per_cm2 / areal_mah_per_cm2,
    )
