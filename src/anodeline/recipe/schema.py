"""The recipe language as frozen pydantic models.

The key names are a contract other tools read (see docs/recipes.md). The schema only
checks structure, types, units and the range each quantity can physically have (its
field types, :mod:`anodeline.recipe.quantity`); the process window (thickness limits, gases,
temperatures…) is checked by :mod:`anodeline.recipe.rules`, so that each limit is
reported with its claim number instead of a generic schema message.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from anodeline.recipe.quantity import (
    Conductivity,
    Current,
    Fraction,
    Length,
    MolarEnergy,
    Power,
    Pressure,
    Purity,
    StepDuration,
    Temperature,
    Voltage,
    Volume,
    Within,
)
from anodeline.units import Q_

#: claim 1 | claim 17 | claim 33
Route = Literal["coat-lithium-base", "lithium-then-electrolyte", "two-apparatus"]
ROUTES: tuple[str, ...] = ("coat-lithium-base", "lithium-then-electrolyte", "two-apparatus")
LayerKind = Literal["solid-electrolyte", "lithium"]
Storage = Literal["new", "reuse"]
#: Substrates whose own surface is lithium (Example 17: two bonded 30 µm Li foils as base).
LITHIUM_SURFACE_MATERIALS: tuple[str, ...] = ("Li", "Li-In", "Li-Ti", "Li-Zn", "Li-Bi", "Li-Sn")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Substrate(_Model):
    """The base material the film stack is built on (a metal foil, SnO2, graphite, or Li)."""

    material: str
    thickness: Length
    width: Length | None = None
    length: Length | None = None


class LithiumFoil(_Model):
    """A lithium or lithium-alloy foil laminated on the substrate (Example 1: 50 µm Li on 10 µm Cu)."""

    material: str = "Li"
    thickness: Length


class LithiumFilm(_Model):
    """A lithium film vapour-deposited on the substrate in a preliminary step (claims 8, 9)."""

    material: str = "Li"
    thickness: Length
    method: str


class Base(_Model):
    substrate: Substrate
    lithium_foil: LithiumFoil | None = None
    lithium_film: LithiumFilm | None = None


class Anneal(_Model):
    """Heat treatment after deposition (description: 40–200 °C, below Tg and 179 °C on Li)."""

    temperature: Temperature
    duration: StepDuration


class Layer(_Model):
    """One vapour-deposited film, in the order it is deposited."""

    name: str
    kind: LayerKind
    target: str
    method: str
    thickness: Length
    substrate_temperature: Temperature = Field(default_factory=lambda: Q_(25.0, "degC"))
    anneal: Anneal | None = None
    glass_transition: Temperature | None = None
    power: Power | None = None


class AtmosphereSpec(_Model):
    """The gas filling the glove chambers and the apparatus during transfers (claims 10, 11)."""

    gas: str
    purity: Purity
    dew_point: Temperature | None = None
    max_o2: Fraction = Field(default_factory=lambda: Q_(10.0, "ppm"))
    max_h2o: Fraction = Field(default_factory=lambda: Q_(10.0, "ppm"))


class SourceGeometry(_Model):
    """Where the deposition source sits relative to the substrate (the film map's input)."""

    throw_distance: Length = Field(default_factory=lambda: Q_(20.0, "cm"))
    source_offset: Length = Field(default_factory=lambda: Q_(0.0, "cm"))
    rotation: bool = False
    #: cosⁿ θ emission exponent; unset: the method's (1 for evaporation and sputtering, 8 for laser ablation)
    cosine_exponent: float | None = Field(default=None, ge=0.0, le=50.0)


class Deposition(_Model):
    """Vacuum, process gas and source geometry of the deposition apparatus."""

    base_pressure: Pressure
    process_gas: str | None = None
    working_pressure: Pressure | None = None
    geometry: SourceGeometry = Field(default_factory=SourceGeometry)


class Spec(_Model):
    """Acceptance specification of the finished electrode."""

    min_conductivity: Conductivity | None = None
    max_activation_energy: MolarEnergy | None = None
    #: ``(max − min)/(max + min)`` of the top electrolyte film's thickness over the substrate
    max_thickness_nonuniformity: Fraction | None = None


#: A cell component's thickness: above 0, at most 1 mm (est.: thicker coatings, collectors or separators are not
#: wound or stacked in a lithium cell).
CellLayer = Annotated[Length, AfterValidator(Within("mm", 0.0, 1.0, "est. (a lithium cell's layers are under 1 mm)",
                                                    low_open=True))]  # fmt: skip


class PositiveElectrode(_Model):
    """The cathode the electrode is assembled against (Example 1: LiCoO2 + C in a PAN gel, 300 µm on 20 µm Al)."""

    active: Literal["LiCoO2"] = "LiCoO2"
    coating: CellLayer = Field(default_factory=lambda: Q_(300.0, "um"))
    collector: CellLayer = Field(default_factory=lambda: Q_(20.0, "um"))
    collector_material: str = "Al"


class Separator(_Model):
    """The porous polymer film between the electrodes (Example 1 names no thickness: 25 µm est.)."""

    material: str = "porous polymer"
    thickness: CellLayer = Field(default_factory=lambda: Q_(25.0, "um"))


class CellElectrolyte(_Model):
    """The liquid electrolyte added dropwise (Example 1: LiPF6 in EC + PC)."""

    salt: str = "LiPF6"
    solvent: str = "EC+PC"


class CellContainer(_Model):
    """What the stack is sealed in (Example 1: a stainless-steel container)."""

    material: str = "stainless steel"
    #: its gas volume, at most 10 L (est.: a sealed laboratory cell)
    volume: Annotated[Volume, AfterValidator(Within("L", 0.0, 10.0, "est. (a sealed laboratory cell)"))] = Field(
        default_factory=lambda: Q_(10.0, "mL")
    )


class CellTest(_Model):
    """The charge/discharge test (Example 1: charge to 4.2 V, discharge at 100 mA to 3.5 V, 100 cycles)."""

    charge_to: Voltage = Field(default_factory=lambda: Q_(4.2, "V"))
    discharge_current: Current = Field(default_factory=lambda: Q_(100.0, "mA"))
    discharge_to: Voltage = Field(default_factory=lambda: Q_(3.5, "V"))
    cycles: int = Field(default=1, ge=1, le=10_000, strict=True)


class Assembly(_Model):
    """Claims 7, 23, 39: the electrode out of its storage container, assembled into a cell and tested.

    Stacked with the separator and the positive electrode, placed in the container, electrolyte
    added dropwise, sealed, in a glove chamber whose gas meets ``dew_point`` (Example 1: argon at
    −60 °C or below, rule ASM001); then charged and discharged as ``test`` states.
    """

    positive_electrode: PositiveElectrode = Field(default_factory=PositiveElectrode)
    separator: Separator = Field(default_factory=Separator)
    electrolyte: CellElectrolyte = Field(default_factory=CellElectrolyte)
    container: CellContainer = Field(default_factory=CellContainer)
    dew_point: Temperature = Field(default_factory=lambda: Q_(-60.0, "degC"))
    test: CellTest = Field(default_factory=CellTest)


class Recipe(_Model):
    """What to make: base, films, atmosphere, vacuum, route and acceptance spec."""

    recipe: str = Field(min_length=1)
    title: str = ""
    route: Route
    base: Base
    layers: tuple[Layer, ...] = Field(min_length=1)
    atmosphere: AtmosphereSpec
    deposition: Deposition
    storage: Storage = "new"
    spec: Spec = Spec()
    assembly: Assembly | None = None
    notes: str = ""

    def has_lithium_surface(self) -> bool:
        """Does the base bring a lithium or lithium-alloy surface (claim 1's starting material)?"""
        base = self.base
        return bool(base.lithium_foil or base.lithium_film) or base.substrate.material in LITHIUM_SURFACE_MATERIALS

    @property
    def process_gas(self) -> str:
        """The deposition gas: stated, or the atmosphere's gas."""
        return self.deposition.process_gas or self.atmosphere.gas

    def electrolyte_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.kind == "solid-electrolyte")

    def lithium_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.kind == "lithium")
