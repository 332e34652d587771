"""Clocks: simulated time on SimPy (default, as fast as the computer goes) or the wall clock.

Both run the engine, a generator that yields ``clock.timeout(seconds)``, and answer
``now`` in seconds since the run began. :class:`WallClock` is SimPy's
``RealtimeEnvironment`` (``factor`` wall seconds per clock second), for hardware.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Protocol, runtime_checkable

import simpy
import simpy.rt

Process = Generator[simpy.Event, Any, Any]


@runtime_checkable
class Clock(Protocol):
    @property
    def now(self) -> float: ...

    def timeout(self, seconds: float) -> simpy.Event: ...

    def run(self, process: Process) -> Any:
        """Run ``process`` to its end and return its value."""
        ...


class SimClock:
    """Simulated seconds on a :class:`simpy.Environment`."""

    def __init__(self, start_s: float = 0.0) -> None:
        self.env: simpy.Environment = simpy.Environment(initial_time=float(start_s))  # float time throughout

    @property
    def now(self) -> float:
        return float(self.env.now)

    def timeout(self, seconds: float) -> simpy.Event:
        return self.env.timeout(max(float(seconds), 0.0))

    def run(self, process: Process) -> Any:
        proc = self.env.process(process)
        return self.env.run(until=proc)

    def run_for(self, seconds: float) -> None:
        """Let ``seconds`` pass (tests, scripted scenarios)."""
        self.env.run(until=self.env.now + seconds)


class WallClock(SimClock):
    """Wall-clock seconds (``factor`` < 1 runs faster than real time, for rehearsals)."""

    def __init__(self, factor: float = 1.0, *, strict: bool = False, start_s: float = 0.0) -> None:
        self.rt = simpy.rt.RealtimeEnvironment(initial_time=float(start_s), factor=factor, strict=strict)
        self.env = self.rt

    def run(self, process: Process) -> Any:
        """Run ``process`` from now: a clock made before its run does not rush to catch up the wall time since."""
        self.rt.sync()
        return super().run(process)
