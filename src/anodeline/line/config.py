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

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from anodeline.line.policy import AirPolicy
from anodeline.physics.atmosphere.pumpdown import PumpSet
from anodeline.recipe.quantity import Fraction, Pressure, Purity, Temperature, Volume, VolumetricFlow
from anodeline.units import Q_

SpaceKind = Literal["room", "glove-chamber", "apparatus"]
MaterialKind = Literal["lithium", "solid-electrolyte"]
Measured = Literal["o2", "h2o", "pressure", "dew-point"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class GasState(_Model):
    """A stated atmosphere (the initial filling of a space): gas, pressure and impurities."""

    gas: str
    pressure: Pressure = Field(default_factory=lambda: Q_(101325.0, "Pa"))
    o2: Fraction = Field(default_factory=lambda: Q_(0.0, "ppm"))
    h2o: Fraction = Field(default_factory=lambda: Q_(0.0, "ppm"))


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

    @property
    def volume_m3(self) -> float:
        return float(self.volume.to("m^3").magnitude)


class Pump(_Model):
    """A vacuum pump: effective speed and the lowest pressure it reaches.

    ``backing_speed`` makes it a high-vacuum pump (turbo) with a backing pump of that speed:
    the backing pump roughs the space to the crossover, then the pump works against the
    decaying wall outgassing (:class:`anodeline.physics.atmosphere.pumpdown.PumpSet`).
    """

    speed: VolumetricFlow
    ultimate: Pressure
    backing_speed: VolumetricFlow | None = None

    @property
    def speed_m3_per_s(self) -> float:
        return float(self.speed.to("m^3/s").magnitude)

    @property
    def ultimate_pa(self) -> float:
        return float(self.ultimate.to("Pa").magnitude)

    @property
    def backing_speed_m3_per_s(self) -> float | None:
        return None if self.backing_speed is None else float(self.backing_speed.to("m^3/s").magnitude)


class GasPurifier(_Model):
    """A point-of-use purifier on a gas line: the gas leaves it with at most these O2 and H2O levels."""

    o2_out: Fraction = Field(default_factory=lambda: Q_(0.1, "ppm"))
    h2o_out: Fraction = Field(default_factory=lambda: Q_(0.1, "ppm"))


class GasSupply(_Model):
    """A gas cylinder or line (claims 10, 11: He, N2, Ne, Ar, Kr, mixtures, dry air)."""

    gas: str
    purity: Purity
    dew_point: Temperature | None = None
    purifier: GasPurifier | None = None

    @property
    def purity_fraction(self) -> float:
        return float(self.purity.to("dimensionless").magnitude)


class Purifier(_Model):
    """A circulating glove-box purifier: box gas passes through it at ``flow`` (Cu catalyst, 13X sieve)."""

    flow: VolumetricFlow
    o2_removal: float = Field(default=1.0, ge=0.0, le=1.0)
    h2o_removal: float = Field(default=1.0, ge=0.0, le=1.0)

    @property
    def flow_m3_per_h(self) -> float:
        return float(self.flow.to("m^3/h").magnitude)


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


class Line(_Model):
    """A whole line: its spaces and the equipment that joins and serves them."""

    line: str = Field(min_length=1)
    title: str = ""
    policy: Policy = Policy()
    spaces: dict[str, Space]
    pumps: dict[str, Pump] = Field(default_factory=dict)
    supplies: dict[str, GasSupply] = Field(default_factory=dict)
    purifiers: dict[str, Purifier] = Field(default_factory=dict)
    sensors: dict[str, Sensor] = Field(default_factory=dict)
    doors: dict[str, Door] = Field(default_factory=dict)
    apparatus: dict[str, Apparatus] = Field(default_factory=dict)

    @property
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
