"""The three protocols every device speaks (Bluesky's ``protocols.py``, cut to what the engine uses).

* :class:`Readable` — ``name`` and ``read()``: every channel of the device with its value and
  timestamp (simulated or wall seconds). Floats only: a flag is 0.0 or 1.0.
* :class:`Settable` — ``set(value)`` is a *command*: it returns at once; completion is observed
  by reading (a door's position, a gauge's pressure), never assumed.
* :class:`Stoppable` — ``stop()`` means "make yourself safe" (valves close, sources and heaters
  switch off, pumps isolate, doors halt); what is safe is each device's business.

A backend (the simulated twin, OPC UA, Modbus) provides objects that satisfy these; the
engine knows nothing else about them. A device behind a link (OPC UA, Modbus) is also
:class:`Supervised`: ``health()`` says whether its readings can be trusted and its commands
arrived; the engine holds the batch while one cannot (never acting on stale data).
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol, runtime_checkable


class Reading(NamedTuple):
    """One value of one channel and when it was read (seconds on the run's clock).

    A named tuple: immutable like a frozen dataclass, and made three times faster (an engine
    poll reads some forty channels).
    """

    value: float
    timestamp: float


@runtime_checkable
class Readable(Protocol):
    @property
    def name(self) -> str: ...

    def read(self) -> dict[str, Reading]:
        """Every channel of the device, keyed ``name`` or ``name.channel``."""
        ...


@runtime_checkable
class Settable(Protocol):
    def set(self, value: Any) -> None:
        """Command a new value; returns at once (completion is read back)."""
        ...


@runtime_checkable
class Stoppable(Protocol):
    def stop(self) -> None:
        """Make yourself safe."""
        ...


@runtime_checkable
class Device(Readable, Settable, Stoppable, Protocol):
    """A device the engine can read, command and make safe."""


class Health(NamedTuple):
    """Why a supervised device cannot be trusted now: ``code`` (``LINK``, ``STALE``, ``NO-ACK``) and the reason."""

    code: str
    reason: str


@runtime_checkable
class Supervised(Protocol):
    def health(self) -> Health | None:
        """None while the link is up, every reading fresh and every command acknowledged; else why not."""
        ...
