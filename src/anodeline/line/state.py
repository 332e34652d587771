"""The state of a line at one instant: atmospheres, doors, containers, items, heaters.

Immutable: every ``with_…`` method returns a new state, so applying an action is a pure
function and a verifier can keep every intermediate state. Mappings are read-only views.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from anodeline.physics.atmosphere.state import Atmosphere

K = TypeVar("K")
V = TypeVar("V")
ItemKind = str  # substrate | base | target | electrode


def frozen(mapping: Mapping[K, V] | None = None) -> Mapping[K, V]:
    return MappingProxyType(dict(mapping or {}))


def _put(mapping: Mapping[K, V], key: K, value: V) -> Mapping[K, V]:
    copy = dict(mapping)
    copy[key] = value
    return MappingProxyType(copy)


@dataclass(frozen=True)
class Item:
    """A part or material; ``location`` is a space or a container name."""

    name: str
    kind: ItemKind
    sensitive: bool
    location: str
    layers: tuple[str, ...] = ()
    lithium: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "sensitive": self.sensitive, "lithium": self.lithium,
            "layers": list(self.layers),
        }  # fmt: skip


#: The gas volume of a container when the procedure does not state one (est.: a 1 L glass jar, Example 1).
DEFAULT_CONTAINER_VOLUME_M3 = 1e-3


@dataclass(frozen=True)
class Container:
    """A closable container (glass or plastic, Example 1) in a space; closed, it keeps ``sealed``.

    It has a gas volume: opening it mixes ``sealed`` into the space it is opened in
    (:func:`anodeline.line.transitions.open_container`), so a 1 L jar of air opened in a
    400 L argon chamber brings about 500 ppm O2 with it.
    """

    name: str
    space: str
    closed: bool
    sealed: Atmosphere | None = None
    volume_m3: float = DEFAULT_CONTAINER_VOLUME_M3


@dataclass(frozen=True)
class LineState:
    """Where everything is and what gas every space and closed container holds."""

    atmospheres: Mapping[str, Atmosphere]
    doors: Mapping[str, bool]
    containers: Mapping[str, Container] = field(default_factory=frozen)
    items: Mapping[str, Item] = field(default_factory=frozen)
    heaters: Mapping[str, float] = field(default_factory=frozen)
    #: H2O (ppm) of a space before it was evacuated: the walls give water back on backfill.
    wall_h2o: Mapping[str, float] = field(default_factory=frozen)

    def space_of(self, name: str) -> str:
        """The space an item or a container is in."""
        if name in self.containers:
            return self.containers[name].space
        location = self.items[name].location
        return self.containers[location].space if location in self.containers else location

    def exposure(self, item: str) -> tuple[Atmosphere, str | None]:
        """What the item touches, and the closed container that shields it (if any)."""
        location = self.items[item].location
        container = self.containers.get(location)
        if container is not None and container.closed and container.sealed is not None:
            return container.sealed, container.name
        return self.atmospheres[self.space_of(item)], None

    def contents(self, container: str) -> tuple[str, ...]:
        return tuple(name for name, item in self.items.items() if item.location == container)

    def open_doors(self) -> tuple[str, ...]:
        return tuple(name for name, is_open in self.doors.items() if is_open)

    def _but(self, **changes: Mapping[str, Any]) -> LineState:
        """This state with some mappings replaced (``dataclasses.replace`` without its per-call introspection:
        the twin makes a new state at every poll)."""
        fields: dict[str, Mapping[str, Any]] = {
            "atmospheres": self.atmospheres, "doors": self.doors, "containers": self.containers,
            "items": self.items, "heaters": self.heaters, "wall_h2o": self.wall_h2o,
        }  # fmt: skip
        fields.update(changes)
        return LineState(**fields)

    def with_atmosphere(self, space: str, atm: Atmosphere) -> LineState:
        return self._but(atmospheres=_put(self.atmospheres, space, atm))

    def with_atmospheres(self, changed: Mapping[str, Atmosphere]) -> LineState:
        """This state with the atmospheres of several spaces replaced at once."""
        return self._but(atmospheres=MappingProxyType({**self.atmospheres, **changed}))

    def with_door(self, door: str, is_open: bool) -> LineState:
        return self._but(doors=_put(self.doors, door, is_open))

    def with_container(self, container: Container) -> LineState:
        return self._but(containers=_put(self.containers, container.name, container))

    def with_item(self, item: Item) -> LineState:
        return self._but(items=_put(self.items, item.name, item))

    def with_heater(self, space: str, degc: float) -> LineState:
        return self._but(heaters=_put(self.heaters, space, degc))

    def with_wall_h2o(self, space: str, ppm: float | None) -> LineState:
        if ppm is None and space not in self.wall_h2o:
            return self  # nothing to forget: the state is immutable, so it can be shared
        copy = dict(self.wall_h2o)
        if ppm is None:
            copy.pop(space, None)
        else:
            copy[space] = ppm
        return self._but(wall_h2o=MappingProxyType(copy))

    def summary(self, space: str) -> dict[str, Any]:
        """A space's atmosphere as plain data (for plans and reports)."""
        return self.atmospheres[space].to_dict()
