"""The line state machine: apply an action to a state, or refuse it with an interlock code.

``apply`` runs, in order: the ``before`` interlocks of the table, the transition (the
physics of the action), then the ``after`` interlocks, among them the air-free invariant
(AIR001, AIR002). It is a
pure function of (line, policy, state, action); a refusal raises
:class:`~anodeline.line.errors.InterlockError` and leaves the caller's state untouched.
Raising (rather than returning a result) matches a machine controller: an engine that
tries an unsafe action must stop; the verifier catches it and returns a verdict.

**Make-safe is always allowed.** From a state that already breaks the invariant (a leak
took a chamber past the limit around an open container), the after-check alone would
refuse every step, closing the container included, and leave the item where it is. A
step whose class is marked ``makes_safe`` (close a door, close a container, put a loose
item into an open container in its own space, open an empty container to do so, evacuate
a space) is therefore let through the AIR001/AIR002
checks (and CONT001) when :meth:`Machine.makes_safe` proves it: the state before already breaks the
invariant, and after the step no space's atmosphere and no item's exposure is worse than
before. Every other interlock still applies, and nothing else is let through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property

from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.errors import InterlockError
from anodeline.line.interlocks import INVARIANT_CODES, exposed_item, interlocks_for
from anodeline.line.policy import AirPolicy
from anodeline.line.state import LineState, frozen
from anodeline.line.transitions import TRANSITIONS, check_numbers
from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.state import Atmosphere, inert, room_air

#: Relative slack when comparing atmospheres before and after a make-safe step (float rounding only).
_SLACK = 1e-9


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
                atmospheres[name] = inert(g.gas, g.o2_ppm, g.h2o_ppm, g.pressure_pa)
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
        deferred: InterlockError | None = None  # an exposure refusal a proven make-safe step may override
        for rule in interlocks_for(action, "before"):
            refusal = rule.check(self, state, action)
            if refusal is not None:
                if rule.code in INVARIANT_CODES and action.makes_safe and deferred is None:
                    deferred = refusal
                    continue
                raise refusal
        transition = TRANSITIONS.get(type(action))
        if transition is None:
            raise InterlockError("ACT001", f"unknown action {action!r}")
        try:
            new: LineState = transition(self, state, action)
        except AtmosphereError as exc:
            raise InterlockError("ACT005", exc.message, hint=exc.hint) from None
        if deferred is not None and not self.makes_safe(state, new, action):
            raise deferred
        for rule in interlocks_for(action, "after"):  # AIR001/AIR002 among them: the air-free invariant
            refusal = rule.check(self, new, action)
            if refusal is not None:
                if rule.code in INVARIANT_CODES and self.makes_safe(state, new, action):
                    continue
                raise refusal
        return new

    def makes_safe(self, before: LineState, after: LineState, action: act.Action) -> bool:
        """True when ``action`` only shields: ``before`` is already unsafe and ``after`` is nowhere worse.

        Proved on the two states, not assumed from the action's kind: every space's atmosphere
        and every sensitive item's exposure after the step must be no worse than before it.
        """
        if not action.makes_safe or exposed_item(self, before) is None:
            return False
        if isinstance(action, act.Move) and (action.item not in before.items or action.to not in before.containers):
            return False  # a move is make-safe only for an item into a container (the transition checks the space)
        if isinstance(action, act.OpenContainer) and before.contents(action.container):
            return False  # only an empty container is opened to make safe (to put an exposed item in it)
        for space, atm in after.atmospheres.items():
            if not self._no_worse(before.atmospheres[space], atm):
                return False
        for name, item in after.items.items():
            if item.sensitive and not self._no_worse(before.exposure(name)[0], after.exposure(name)[0]):
                return False
        return True

    def _no_worse(self, was: Atmosphere, now: Atmosphere) -> bool:
        """``now`` is inactive, or no richer in O2 or H2O (fraction and partial pressure) than ``was``."""
        if now == was or self.policy.is_inactive(now):
            return True
        if self.policy.is_inactive(was) or now.gas != was.gas:
            return False
        keys = ("o2_ppm", "h2o_ppm", "pressure_pa")
        return all(getattr(now, key) <= getattr(was, key) * (1 + _SLACK) + 1e-12 for key in keys)

    def check(self, state: LineState) -> InterlockError | None:
        """The invariant on a state: the first exposed sensitive item, or None."""
        return exposed_item(self, state)
