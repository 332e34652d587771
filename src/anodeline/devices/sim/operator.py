"""The operator doing glove work: durations drawn from a lognormal with a median per action kind.

``set(action)`` hands over a manual action (load, unload, open/close a container, move);
the work takes ``median × exp(σ·N(0,1))`` seconds (medians (est.) in
:data:`~anodeline.devices.sim.params.OPERATOR_MEDIAN_S`, σ = 0.35), then the plant applies
it. If the step turns out impossible (an item not there) the operator refuses it and says
why. An absent operator (fault ``operator-absent``) never finishes: the engine times out.
"""

from __future__ import annotations

import math
from typing import Any

from anodeline.devices.protocols import Reading
from anodeline.devices.sim.devices import SimDevice
from anodeline.devices.sim.plant import Plant
from anodeline.line.actions import Action
from anodeline.line.errors import InterlockError

DEFAULT_MEDIAN_S = 30.0


class SimOperator(SimDevice):
    """A trained operator at the gloves and load ports."""

    def __init__(self, name: str, plant: Plant, seed: int = 0) -> None:
        super().__init__(name, plant, seed)
        self.absent = False
        self.busy = False
        self.done = 0
        self.refused = 0
        self.last_refusal = ""
        self._task = 0

    def duration_s(self, action: Action) -> float:
        params = self.plant.params
        median = params.operator_median_s.get(action.kind, DEFAULT_MEDIAN_S)
        return median * math.exp(params.operator_sigma * self.rng.gauss(0.0, 1.0))

    def _command(self, value: Any) -> None:
        if not isinstance(value, Action):
            raise TypeError(f"the operator takes an action, not {value!r}")
        self._task += 1
        task = self._task
        self.busy = True
        seconds = self.duration_s(value)
        if self.absent:
            return

        def finish() -> None:
            if task != self._task or self.absent:
                return
            self.busy = False
            try:
                self.plant.apply(value)
            except InterlockError as exc:
                self.refused += 1
                self.last_refusal = f"{value.describe()}: {exc.reason}"
                return
            self.done += 1

        self.plant.schedule(seconds, finish)

    def read(self) -> dict[str, Reading]:
        self.plant.advance()
        return {
            f"{self.name}.busy": self._reading(1.0 if self.busy else 0.0),
            f"{self.name}.done": self._reading(self.done),
            f"{self.name}.refused": self._reading(self.refused),
        }

    def stop(self) -> None:
        """Drop the work in hand (what is done is done)."""
        self._task += 1
        self.busy = False
