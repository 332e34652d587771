"""The line state machine: apply an action to a state, or refuse it with an interlock code.

``apply`` runs, in order: the ``before`` interlocks of the table, the transition (the
physics of the action), then the ``after`` interlocks, among them the air-free invariant
(AIR001, AIR002). It is a
pure function of (line, policy, state, action); a refusal raises
:class:`~anodeline.line.errors.InterlockError` and leaves the caller's state untouched.
Raising (rather than returning a result) matches a machine controller: an engine that
tries an unsafe action must stop; the verifier catches it and returns a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property

from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.errors import InterlockError
from anodeline.line.interlocks import exposed_item, interlocks_for
from anodeline.line.policy import AirPolicy
from anodeline.line.state import LineState, frozen
from anodeline.line.transitions import TRANSITIONS, check_numbers
from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.state import Atmosphere, inert, room_air


@dataclass(frozen=True)
class Machine:
    """A line and the policy its interlocks judge by."""

    line: Line
    policy: AirPolicy = field(default_factory=AirPolicy)

    @cached_property
    def _volumes(self) -> dict[str, float]:
        return {name: space.volume_m3 for name, space in self.line.spaces.items()}

    def volume(self, space: str) -> float:
        return self._volumes[space]

    def initial_state(self) -> LineState:
        """Every door closed; each space in its stated initial atmosphere (``air`` by default)."""
        atmospheres: dict[str, Atmosphere] = {}
        for name, space in self.line.spaces.items():
            if space.initial == "air":
                atmospheres[name] = room_air()
            else:
                g = space.initial
                atmospheres[name] = inert(
                    g.gas, float(g.o2.to("ppm").magnitude), float(g.h2o.to("ppm").magnitude),
                    float(g.pressure.to("Pa").magnitude),
                )  # fmt: skip
        heaters = {app.space: 25.0 for app in self.line.apparatus.values()}
        return LineState(frozen(atmospheres), frozen(dict.fromkeys(self.line.doors, False)), heaters=frozen(heaters))

    def _check_names(self, state: LineState, action: act.Action) -> None:
        """Refuse (ACT001) an action that names a door, space, container or item that does not exist."""
        known: dict[str, Mapping[str, object]] = {
            "door": self.line.doors, "space": self.line.spaces, "container": state.containers,
            "target": state.items, "onto": state.items,
        }  # fmt: skip
        for f in fields(action):
            value = getattr(action, f.name)
            if f.name == "item":
                ok = value in state.items or value in state.containers
            elif f.name == "to":
                ok = value in self.line.spaces or value in state.containers
            elif f.name in known:
                ok = value in known[f.name]
            else:
                continue
            if not ok:
                named_item = value if f.name in ("item", "target", "onto") else ""
                hint = "check the name against the line and the procedure's materials"
                raise InterlockError("ACT001", f"there is no {f.name} {value!r}", hint=hint, item=named_item)

    def apply(self, state: LineState, action: act.Action) -> LineState:
        """The state after ``action``; raises :class:`InterlockError` if the line refuses it."""
        self._check_names(state, action)
        check_numbers(action)
        for rule in interlocks_for(action, "before"):
            refusal = rule.check(self, state, action)
            if refusal is not None:
                raise refusal
        transition = TRANSITIONS.get(type(action))
        if transition is None:
            raise InterlockError("ACT001", f"unknown action {action!r}")
        try:
            new: LineState = transition(self, state, action)
        except AtmosphereError as exc:
            raise InterlockError("ACT005", exc.message, hint=exc.hint) from None
        for rule in interlocks_for(action, "after"):  # AIR001/AIR002 among them: the air-free invariant
            refusal = rule.check(self, new, action)
            if refusal is not None:
                raise refusal
        return new

    def check(self, state: LineState) -> InterlockError | None:
        """The invariant on a state: the first exposed sensitive item, or None."""
        return exposed_item(self, state)
