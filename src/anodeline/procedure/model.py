"""A procedure: the materials a batch starts from and the ordered actions, as plain data.

It round-trips through dict/JSON/YAML (:mod:`anodeline.procedure.io`), so an exported
plan can be edited by an engineer as a custom SOP and verified again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from anodeline.line.actions import Action
from anodeline.line.policy import AirPolicy
from anodeline.line.state import DEFAULT_CONTAINER_VOLUME_M3, Container, Item, LineState, frozen
from anodeline.physics.atmosphere.state import Atmosphere, room_air

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.line.machine import Machine


#: Item kinds that are air-sensitive whatever a file says: lithium-faced bases, sulfide and lithium targets
#: (claims 1, 17, 33: the electrolyte source is kept from air too), finished electrodes.
ALWAYS_SENSITIVE = frozenset({"base", "target", "electrode"})


@dataclass(frozen=True)
class ItemSpec:
    """An item as it arrives: a substrate, a lithium-faced base or a target."""

    name: str
    kind: str
    sensitive: bool
    lithium: bool = False
    layers: tuple[str, ...] = ()

    @property
    def is_sensitive(self) -> bool:
        """Sensitive as stated, and always when it bears lithium or is a base, target or electrode.

        A procedure file cannot switch the invariant off by declaring lithium insensitive.
        """
        return self.sensitive or self.lithium or self.kind in ALWAYS_SENSITIVE

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "sensitive": self.sensitive, "lithium": self.lithium,
                "layers": list(self.layers)}  # fmt: skip


@dataclass(frozen=True)
class ContainerSpec:
    """A container as it arrives in the room: closed (sealed under ``sealed``) with its items, or open.

    A closed container whose gas is not stated is taken as sealed under room air (the safe
    assumption). ``volume_l`` is its gas volume: opening it mixes that gas into the space.
    """

    name: str
    items: tuple[ItemSpec, ...] = ()
    closed: bool = True
    sealed: Atmosphere | None = None
    space: str = ""
    volume_l: float = DEFAULT_CONTAINER_VOLUME_M3 * 1000.0

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "closed": self.closed, "volume_l": self.volume_l,
                                "items": [i.to_dict() for i in self.items]}  # fmt: skip
        if self.sealed is not None:
            data["sealed"] = self.sealed.to_dict()
        if self.space:
            data["space"] = self.space
        return data


@dataclass(frozen=True)
class StepOrigin:
    """Where a step was read from: the file's own ``index`` (None when absent) and its line:column."""

    index: int | None
    line: int
    column: int


@dataclass(frozen=True)
class Procedure:
    """Materials + ordered actions for one batch on one line, with the policy they are judged by."""

    name: str
    line: str
    route: str
    policy: AirPolicy
    materials: tuple[ContainerSpec, ...]
    steps: tuple[Action, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    recipe: str = ""
    variant: tuple[tuple[str, str], ...] = ()
    #: per step, where a procedure file had it (empty for a compiled procedure); not part of equality
    step_origins: tuple[StepOrigin, ...] = field(default=(), compare=False)

    def note(self, index: int) -> str:
        return self.notes[index] if index < len(self.notes) else ""

    def origin(self, index: int) -> StepOrigin | None:
        """Where step ``index`` (0-based position) was read from, if from a file."""
        return self.step_origins[index] if 0 <= index < len(self.step_origins) else None

    def initial_state(self, machine: Machine) -> LineState:
        """The line's initial state with the materials placed (in the room unless stated)."""
        state = machine.initial_state()
        containers = dict(state.containers)
        items = dict(state.items)
        for spec in self.materials:
            space = spec.space or machine.line.room
            sealed = (spec.sealed or room_air()) if spec.closed else None
            containers[spec.name] = Container(spec.name, space, spec.closed, sealed, spec.volume_l / 1000.0)
            for it in spec.items:
                items[it.name] = Item(it.name, it.kind, it.is_sensitive, spec.name, it.layers, it.lithium)
        return LineState(state.atmospheres, state.doors, frozen(containers), frozen(items), state.heaters)

    def state_after(self, machine: Machine, done: int) -> LineState:
        """The state the Machine predicts once the first ``done`` steps have run (a resume's starting point)."""
        state = self.initial_state(machine)
        for action in self.steps[:done]:
            state = machine.apply(state, action)
        return state

    def to_dict(self) -> dict[str, Any]:
        steps = []
        for index, action in enumerate(self.steps):
            data = {"index": index, **action.to_dict()}
            if self.note(index):
                data["note"] = self.note(index)
            steps.append(data)
        return {
            "procedure": self.name,
            "recipe": self.recipe,
            "line": self.line,
            "route": self.route,
            "variant": dict(self.variant),
            "policy": self.policy.to_dict(),
            "materials": [spec.to_dict() for spec in self.materials],
            "steps": steps,
        }
