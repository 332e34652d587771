"""What a cell is built from: the negative electrode the line makes, and the rest of the cell.

``ElectrodeStack`` is the line's product (claims 1, 17, 33): substrate, lithium (foil and/or
film) and the sulfide film, with its size. ``CellDesign`` is everything claims 7, 23 and 39
add when assembling a cell, with the patent's Example 1 cathode as defaults: LiCoO2 and
carbon in a PAN gel (EC/PC, LiPF6), 300 µm coated on 20 µm Al, a porous polymer separator,
a sealed stainless-steel container.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from anodeline.errors import ModelInputError

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.recipe.schema import Assembly, Recipe

#: Substrate materials that are themselves lithium (Example 17: two bonded 30 µm Li foils).
LITHIUM_SUBSTRATES: tuple[str, ...] = ("Li",)


def _require(condition: bool, message: str, location: str) -> None:
    if not condition:
        raise ModelInputError(message, location=location)


def _check_positive(obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        _require(value > 0.0 and math.isfinite(value), f"{name} = {value:g} must be positive", name)


def _check_non_negative(obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        _require(value >= 0.0 and math.isfinite(value), f"{name} = {value:g} must be zero or positive", name)


@dataclass(frozen=True)
class ElectrodeStack:
    """The negative electrode as built: thicknesses in µm (one coated side), size in mm."""

    substrate_um: float = 10.0  # Example 1: Cu foil
    lithium_foil_um: float = 50.0  # Example 1: laminated Li foil
    lithium_film_um: float = 0.0  # vapour-deposited Li (Example 4: 5 µm; Example 17: 10 µm)
    electrolyte_um: float = 1.0  # sulfide film (Examples 1–17: 1 µm)
    width_mm: float = 100.0  # Example 1
    length_mm: float = 50.0  # Example 1
    substrate_material: str = "Cu"

    def __post_init__(self) -> None:
        _check_positive(self, "substrate_um", "width_mm", "length_mm")
        _check_non_negative(self, "lithium_foil_um", "lithium_film_um", "electrolyte_um")

    @property
    def substrate_is_lithium(self) -> bool:
        return self.substrate_material in LITHIUM_SUBSTRATES

    @property
    def lithium_um(self) -> float:
        """Lithium on the coated side: foil + film, plus the substrate when it is lithium itself."""
        own = self.lithium_foil_um + self.lithium_film_um
        return own + self.substrate_um if self.substrate_is_lithium else own

    @property
    def area_cm2(self) -> float:
        return self.width_mm * self.length_mm / 100.0

    @classmethod
    def from_recipe(cls, recipe: Recipe) -> ElectrodeStack:
        """The electrode a recipe makes (size defaults to Example 1's 100 × 50 mm when unstated)."""
        base = recipe.base
        substrate = base.substrate

        def um(quantity: Any) -> float:
            return float(quantity.to("um").magnitude)

        def mm(quantity: Any, default: float) -> float:
            return default if quantity is None else float(quantity.to("mm").magnitude)

        film_um = um(base.lithium_film.thickness) if base.lithium_film else 0.0
        film_um += sum(um(layer.thickness) for layer in recipe.layers if layer.kind == "lithium")
        return cls(
            substrate_um=um(substrate.thickness),
            lithium_foil_um=um(base.lithium_foil.thickness) if base.lithium_foil else 0.0,
            lithium_film_um=film_um,
            electrolyte_um=sum(um(layer.thickness) for layer in recipe.layers if layer.kind == "solid-electrolyte"),
            width_mm=mm(substrate.width, 100.0),
            length_mm=mm(substrate.length, 50.0),
            substrate_material=substrate.material,
        )


@dataclass(frozen=True)
class CellDesign:
    """The cathode, separator, stacking and package a negative electrode is assembled with.

    Defaults reproduce the patent's Example 1 cell (0.5 Ah, 490 Wh/L): one single-sided
    cathode facing one single-sided negative electrode in a stainless-steel can.
    """

    cathode_coating_um: float = 300.0  # Example 1: LiCoO2 + C in PAN gel, 300 µm
    cathode_collector_um: float = 20.0  # Example 1: Al foil
    coating_density_g_per_cm3: float = 3.5  # REFERENCES.md, Cell energy density (est. practical)
    #: LiCoO2 mass fraction of the gel coating (est., set so Example 1's single cathode gives 0.5 Ah;
    #: equals 47 vol% LiCoO2 at 5.05 g/cm³ crystal density, typical of gel electrodes).
    active_mass_fraction: float = 0.68
    specific_capacity_mah_per_g: float = 140.0  # LiCoO2 to 4.2 V (REFERENCES.md, est. practical)
    mean_voltage_v: float = 3.9  # LiCoO2 vs Li, 4.2 → 3.5 V (REFERENCES.md, est.)
    separator_um: float = 25.0  # porous polymer film, e.g. Celgard 2400 (est.)
    #: Packaged/stack energy density (est.): REFERENCES.md's ~55 % active volume, refined to 0.51 on
    #: Example 1 (490 Wh/L); Example 17 then lands inside its 500–550 Wh/L.
    packaging_efficiency: float = 0.51
    #: Faces of cathode facing negative electrode (Example 1's 0.5 Ah = one 100 × 50 mm face).
    layers: int = 1
    #: True: both sides of Cu and Al are coated and the stack is n repeat units
    #: U = Al + 2·cathode + 2·separator + Cu + 2·Li + 2·SE (2 faces each). False: single-sided layers.
    double_sided: bool = False
    source: str = "patent Example 1 (cathode, collector, 0.5 Ah, 490 Wh/L); REFERENCES.md; est. as marked"

    def __post_init__(self) -> None:
        _check_positive(
            self,
            "cathode_coating_um",
            "cathode_collector_um",
            "coating_density_g_per_cm3",
            "specific_capacity_mah_per_g",
            "mean_voltage_v",
        )
        _check_non_negative(self, "separator_um")
        for name in ("active_mass_fraction", "packaging_efficiency"):
            value = getattr(self, name)
            _require(0.0 < value <= 1.0, f"{name} = {value:g} must be in (0, 1]", name)
        _require(self.layers >= 1, f"layers = {self.layers} must be at least 1", "layers")

    @classmethod
    def from_assembly(cls, assembly: Assembly) -> CellDesign:
        """Example 1's design with the cathode, collector and separator a recipe's ``assembly`` states."""
        cathode = assembly.positive_electrode
        return cls(
            cathode_coating_um=float(cathode.coating.to("um").magnitude),
            cathode_collector_um=float(cathode.collector.to("um").magnitude),
            separator_um=float(assembly.separator.thickness.to("um").magnitude),
        )

    @property
    def faces(self) -> int:
        """Cathode/anode interfaces that carry capacity."""
        return 2 * self.layers if self.double_sided else self.layers

    @property
    def areal_capacity_mah_per_cm2(self) -> float:
        """Cathode capacity per coated face: thickness × density × active fraction × specific capacity."""
        coating_g_per_cm2 = self.cathode_coating_um * 1e-4 * self.coating_density_g_per_cm3
        return coating_g_per_cm2 * self.active_mass_fraction * self.specific_capacity_mah_per_g


EXAMPLE_1_ELECTRODE = ElectrodeStack()
EXAMPLE_1_CELL = CellDesign()
