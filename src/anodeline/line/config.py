"""The line language: spaces, pumps, gas supplies, purifiers, sensors, doors and apparatus.

Frozen pydantic models read from a line YAML file (docs/lines.md). Quantities go
through :func:`anodeline.units.parse_quantity`, so ``72 L``, ``12 m^3/h`` and
``1e-4 Pa`` all work and a missing unit is reported; the field types
(:mod:`anodeline.recipe.quantity`) refuse values a quantity cannot have (a volume or a
pump speed not above zero, a purity not in (0, 100 %], a temperature at absolute zero…). The schema checks structure
only; the topology (a door to a missing space, an apparatus with no way in…) is
checked by :mod:`anodeline.line.rules`, each finding with a code.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, cached_property
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from anodeline.line.policy import AirPolicy
from anodeline.physics.atmosphere.pumpdown import PumpSet
from anodeline.recipe.quantity import Fraction, Pressure, Purity, Temperature, Volume, VolumetricFlow
from anodeline.units import Q_, Quantity

SpaceKind = Literal["room", "glove-chamber", "apparatus"]
MaterialKind = Literal["lithium", "solid-electrolyte"]
Measured = Literal["o2", "h2o", "pressure", "dew-point"]


def si(quantity: Quantity, unit: str) -> float:
    """``quantity`` as a bare float in ``unit`` (the SI unit its name carries)."""
    return float(quantity.to(unit).magnitude)


@cache
def _derived(cls: type) -> tuple[str, ...]:
    """The ``cached_property`` names of a model class: the SI floats (and lookups) derived from its fields."""
    return tuple(
        name for klass in cls.__mro__ for name, attr in vars(klass).items() if isinstance(attr, cached_property)
    )


class _Model(BaseModel):
    """Frozen and validated; the SI floats the engine reads are converted once, when the model is built.

    The quantities stay as read (they round-trip through YAML and JSON); the floats derived
    from them (``cached_property``) are computed on construction and kept, since the model
    never changes: the engine and the twin read floats, never pint (issue 9).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def model_post_init(self, context: Any, /) -> None:
        for name in _derived(type(self)):
            getattr(self, name)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied, validated again (pydantic's copy would keep the old cached floats)."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self).model_validate({**values, **(update or {})})


class GasState(_Model):
    """A stated atmosphere (the initial filling of a space): gas, pressure and impurities."""

    gas: str
    pressure: Pressure = Field(default_factory=lambda: Q_(101325.0, "Pa"))
    o2: Fraction = Field(default_factory=lambda: Q_(0.0, "ppm"))
    h2o: Fraction = Field(default_factory=lambda: Q_(0.0, "ppm"))

    @cached_property
    def pressure_pa(self) -> float:
        return si(self.pressure, "Pa")

    @cached_property
    def o2_ppm(self) -> float:
        return si(self.o2, "ppm")

    @cached_property
    def h2o_ppm(self) -> float:
        return si(self.h2o, "ppm")


class Space(_Model):
    """A gas volume: the room (air), a glove chamber or the inside of a deposition apparatus."""

    kind: SpaceKind
    volume: Volume
    pump: str | None = None
    supplies: tuple[str, ...] = ()
    purifier: str | None = None
    gloves: bool | None = None
    purge_to: Pressure | None = None
    initial: Literal["air"] | GasState = "air"

    @property
    def has_gloves(self) -> bool:
        """Glove chambers have gloves unless stated otherwise; other spaces only if stated."""
        return self.gloves if self.gloves is not None else self.kind == "glove-chamber"

    @cached_property
    def volume_m3(self) -> float:
        return si(self.volume, "m^3")


class Pump(_Model):
    """A vacuum pump: effective speed and the lowest pressure it reaches.

    ``backing_speed`` makes it a high-vacuum pump (turbo) with a backing pump of that speed:
    the backing pump roughs the space to the crossover, then the pump works against the
    decaying wall outgassing (:class:`anodeline.physics.atmosphere.pumpdown.PumpSet`).
    """

    speed: VolumetricFlow
    ultimate: Pressure
    backing_speed: VolumetricFlow | None = None

    @cached_property
    def speed_m3_per_s(self) -> float:
        return si(self.speed, "m^3/s")

    @cached_property
    def ultimate_pa(self) -> float:
        return si(self.ultimate, "Pa")

    @cached_property
    def backing_speed_m3_per_s(self) -> float | None:
        return None if self.backing_speed is None else si(self.backing_speed, "m^3/s")


class GasPurifier(_Model):
    """A point-of-use purifier on a gas line: the gas leaves it with at most these O2 and H2O levels."""

    o2_out: Fraction = Field(default_factory=lambda: Q_(0.1, "ppm"))
    h2o_out: Fraction = Field(default_factory=lambda: Q_(0.1, "ppm"))

    @cached_property
    def o2_out_ppm(self) -> float:
        return si(self.o2_out, "ppm")

    @cached_property
    def h2o_out_ppm(self) -> float:
        return si(self.h2o_out, "ppm")


class GasSupply(_Model):
    """A gas cylinder or line (claims 10, 11: He, N2, Ne, Ar, Kr, mixtures, dry air)."""

    gas: str
    purity: Purity
    dew_point: Temperature | None = None
    purifier: GasPurifier | None = None

    @cached_property
    def purity_fraction(self) -> float:
        return si(self.purity, "dimensionless")


class Purifier(_Model):
    """A circulating glove-box purifier: box gas passes through it at ``flow`` (Cu catalyst, 13X sieve)."""

    flow: VolumetricFlow
    o2_removal: float = Field(default=1.0, ge=0.0, le=1.0)
    h2o_removal: float = Field(default=1.0, ge=0.0, le=1.0)

    @cached_property
    def flow_m3_per_h(self) -> float:
        return si(self.flow, "m^3/h")


class Sensor(_Model):
    """An analyser or gauge in a space (for the engine; the verifier reads the model state)."""

    space: str
    measures: Measured


class Door(_Model):
    """An airtight door between two spaces; the room door of a glove chamber is its load port."""

    between: tuple[str, str]


class Source(_Model):
    """A deposition source of an apparatus: a method and the material kinds it deposits."""

    name: str
    method: str
    materials: tuple[MaterialKind, ...] = ("lithium", "solid-electrolyte")


class Heater(_Model):
    """The substrate heater of an apparatus."""

    max: Temperature = Field(default_factory=lambda: Q_(300.0, "degC"))

    @cached_property
    def max_degc(self) -> float:
        return si(self.max, "degC")


class Apparatus(_Model):
    """A deposition system: its space, its inlet and outlet chambers, sources and heater."""

    space: str
    inlet: str
    outlet: str
    sources: tuple[Source, ...] = ()
    heater: Heater | None = None

    def can_deposit(self, method: str, kind: str) -> bool:
        return any(source.method == method and kind in source.materials for source in self.sources)


class Policy(_Model):
    """How the interlocks judge an atmosphere and a door (docs/lines.md, the interlock table).

    The bounds of each value (a vacuum is below 48.4 Pa…) are the line rules POL001–POL003.
    """

    vacuum_below: Pressure = Field(default_factory=lambda: Q_(AirPolicy.vacuum_below_pa, "Pa"))
    door_pressure_tolerance: Pressure = Field(default_factory=lambda: Q_(AirPolicy.door_tolerance_pa, "Pa"))
    glove_pressure_min: Pressure = Field(default_factory=lambda: Q_(AirPolicy.glove_pressure_min_pa, "Pa"))

    @cached_property
    def vacuum_below_pa(self) -> float:
        return si(self.vacuum_below, "Pa")

    @cached_property
    def door_pressure_tolerance_pa(self) -> float:
        return si(self.door_pressure_tolerance, "Pa")

    @cached_property
    def glove_pressure_min_pa(self) -> float:
        return si(self.glove_pressure_min, "Pa")


class Line(_Model):
    """A whole line: its spaces and the equipment that joins and serves them."""

    line: str = Field(min_length=1)
    title: str = ""
    policy: Policy = Field(default_factory=Policy)  # a factory: no unit registry is built at import
    spaces: dict[str, Space]
    pumps: dict[str, Pump] = Field(default_factory=dict)
    supplies: dict[str, GasSupply] = Field(default_factory=dict)
    purifiers: dict[str, Purifier] = Field(default_factory=dict)
    sensors: dict[str, Sensor] = Field(default_factory=dict)
    doors: dict[str, Door] = Field(default_factory=dict)
    apparatus: dict[str, Apparatus] = Field(default_factory=dict)

    @cached_property
    def room(self) -> str:
        """The name of the room (air) space; ``room`` if none is declared."""
        return next((name for name, space in self.spaces.items() if space.kind == "room"), "room")

    def doors_of(self, space: str) -> tuple[str, ...]:
        return tuple(name for name, door in self.doors.items() if space in door.between)

    def door_between(self, a: str, b: str) -> str | None:
        return next((name for name, door in self.doors.items() if set(door.between) == {a, b}), None)

    def other_side(self, door: str, space: str) -> str:
        first, second = self.doors[door].between
        return second if first == space else first

    def load_port(self, space: str) -> str | None:
        """The door between ``space`` and the room."""
        return self.door_between(self.room, space)

    def supply_for(self, space: str, gas: str) -> GasSupply | None:
        for name in self.spaces[space].supplies:
            supply = self.supplies.get(name)
            if supply is not None and supply.gas == gas:
                return supply
        return None

    def pump_set(self, space: str) -> PumpSet | None:
        """The pump model of ``space`` (its volume, pump and backing pump), or None if it has no pump."""
        config = self.spaces[space]
        pump = self.pumps.get(config.pump or "")
        if pump is None:
            return None
        return PumpSet(
            volume_m3=config.volume_m3,
            speed_m3_per_s=pump.speed_m3_per_s,
            ultimate_pa=pump.ultimate_pa,
            backing_speed_m3_per_s=pump.backing_speed_m3_per_s,
        )

    def apparatus_in(self, space: str) -> str | None:
        return next((name for name, app in self.apparatus.items() if app.space == space), None)
