"""The physical steps of a procedure, as small frozen records (data, not code).

The same action is interpreted by the verifier (:mod:`anodeline.line.machine`), the
digital twin and the hardware engine. ``manual`` marks work an operator does;
``glove`` marks work done through the gloves of a glove chamber (Example 1).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from anodeline.physics.atmosphere.state import STANDARD_PRESSURE_PA


@dataclass(frozen=True)
class Action:
    kind: ClassVar[str] = ""
    manual: ClassVar[bool] = False
    glove: ClassVar[bool] = False
    #: A step that can only shield an item (close, seal, put away): the Machine allows it even from a state
    #: already beyond the limits, once it has proved the step makes no exposure worse (``Machine.apply``).
    makes_safe: ClassVar[bool] = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.kind, "manual": self.manual}
        data.update({f.name: getattr(self, f.name) for f in fields(self)})
        return data

    def describe(self) -> str:
        args = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
        return f"{self.kind}({args})"


@dataclass(frozen=True)
class Load(Action):
    """Put a container from the room into a chamber through its load port (the chamber meets the air)."""

    kind: ClassVar[str] = "load"
    manual: ClassVar[bool] = True
    container: str
    space: str


@dataclass(frozen=True)
class Unload(Action):
    """Take a container out of a chamber into the room through the load port."""

    kind: ClassVar[str] = "unload"
    manual: ClassVar[bool] = True
    container: str
    space: str


@dataclass(frozen=True)
class Evacuate(Action):
    """Pump a space down to ``pressure_pa`` with its pump."""

    kind: ClassVar[str] = "evacuate"
    makes_safe: ClassVar[bool] = True  # pumping lowers every partial pressure (the Machine proves it per state)
    space: str
    pressure_pa: float


@dataclass(frozen=True)
class Backfill(Action):
    """Fill a space with ``gas`` from its supply up to ``pressure_pa``."""

    kind: ClassVar[str] = "backfill"
    space: str
    gas: str
    pressure_pa: float = STANDARD_PRESSURE_PA


@dataclass(frozen=True)
class OpenDoor(Action):
    kind: ClassVar[str] = "open_door"
    door: str


@dataclass(frozen=True)
class CloseDoor(Action):
    kind: ClassVar[str] = "close_door"
    makes_safe: ClassVar[bool] = True
    door: str


@dataclass(frozen=True)
class OpenContainer(Action):
    kind: ClassVar[str] = "open_container"
    manual: ClassVar[bool] = True
    glove: ClassVar[bool] = True
    makes_safe: ClassVar[bool] = True  # an empty container opened to seal an exposed item in it (Machine.makes_safe)
    container: str


@dataclass(frozen=True)
class CloseContainer(Action):
    """Close a container: it keeps the atmosphere of the space it is closed in."""

    kind: ClassVar[str] = "close_container"
    manual: ClassVar[bool] = True
    glove: ClassVar[bool] = True
    makes_safe: ClassVar[bool] = True
    container: str


@dataclass(frozen=True)
class Move(Action):
    """Move an item or a container to a space (through an open door) or into an open container."""

    kind: ClassVar[str] = "move"
    manual: ClassVar[bool] = True
    glove: ClassVar[bool] = True
    makes_safe: ClassVar[bool] = True  # only into an open container in the item's own space (Machine.makes_safe)
    item: str
    to: str


@dataclass(frozen=True)
class Deposit(Action):
    """Form a film on ``onto`` from ``target`` in the apparatus space ``space``."""

    kind: ClassVar[str] = "deposit"
    space: str
    layer: str
    material: str  # lithium | solid-electrolyte
    method: str
    target: str
    onto: str
    thickness_um: float
    #: sputtering power the recipe states (W); 0: the method's default (docs/models/deposition.md)
    power_w: float = 0.0


@dataclass(frozen=True)
class Heat(Action):
    """Set the substrate heater of the apparatus in ``space`` to ``temperature_degc``."""

    kind: ClassVar[str] = "heat"
    space: str
    temperature_degc: float


@dataclass(frozen=True)
class Hold(Action):
    """Wait ``seconds`` (an anneal, or a chamber's purifier circulating)."""

    kind: ClassVar[str] = "hold"
    space: str
    seconds: float


ACTION_TYPES: dict[str, type[Action]] = {
    cls.kind: cls
    for cls in (
        Load, Unload, Evacuate, Backfill, OpenDoor, CloseDoor, OpenContainer, CloseContainer, Move, Deposit, Heat, Hold,
    )
}  # fmt: skip


def action_fields(kind: str) -> dict[str, type]:
    """The argument names and types of an action kind."""
    hints = {"str": str, "float": float}
    return {f.name: hints.get(str(f.type), str) for f in fields(ACTION_TYPES[kind])}
