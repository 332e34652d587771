"""What an operation touches: its footprint through the line model, and clashes between two of them.

The merged air-free proof (:mod:`anodeline.campaign.merge`) lays the operations of all batches on
a line end to end; that one order stands for every order the line may really see only if
operations that overlap in time cannot affect each other. Two operations commute when their
footprints are disjoint: every key of a footprint names one thing an action reads or changes,
derived from the action and the line model as the engine would command it
(:mod:`anodeline.engine.execute`, device names from :mod:`anodeline.devices.naming`):

* ``space:S`` — each space the action works in; a door (or a load port, for a load or an
  unload) counts both spaces it joins, the room excepted (a 300 m³ reservoir of air that no
  step changes; it is the outside, not a resource);
* ``door:D`` — the door it opens or closes (a load or unload opens the chamber's load port);
* ``pump:P``, ``purifier:P``, ``valve:V``, ``heater:H``, ``source:S`` — the equipment it
  commands: evacuating runs the space's pump and stops its purifier; backfilling isolates the
  pump, opens the supply's valve and restarts the purifier; a deposition runs the source that
  deposits that material by that method; heating sets the apparatus heater;
* ``material:M`` — the containers and items it opens, closes, moves or deposits on or with.

Operators are not in a footprint: they are a counted resource, scheduled as such.
"""

from __future__ import annotations

from collections.abc import Iterable

from anodeline.devices import naming
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.state import LineState

Footprint = frozenset[str]


def _door(line: Line, door: str) -> set[str]:
    return {f"door:{door}", *(f"space:{s}" for s in line.doors[door].between)}


def _pump(line: Line, space: str) -> set[str]:
    config = line.spaces[space]
    keys = {f"pump:{config.pump}"} if config.pump else set()
    return keys | ({f"purifier:{config.purifier}"} if config.purifier else set())


def action_footprint(line: Line, state: LineState, action: act.Action) -> Footprint:
    """Every space, door, device and material ``action`` touches in ``state`` (the room left out)."""
    keys: set[str] = set()
    if isinstance(action, act.OpenDoor | act.CloseDoor):
        keys |= _door(line, action.door)
    elif isinstance(action, act.Load | act.Unload):
        port = line.load_port(action.space)
        keys |= _door(line, port) if port else {f"space:{action.space}"}
        keys.add(f"material:{action.container}")
    elif isinstance(action, act.OpenContainer | act.CloseContainer):
        keys |= {f"space:{state.containers[action.container].space}", f"material:{action.container}"}
    elif isinstance(action, act.Move):
        keys |= {f"space:{state.space_of(action.item)}", f"material:{action.item}"}
        if action.to in line.spaces:
            keys.add(f"space:{action.to}")
        else:
            keys |= {f"space:{state.containers[action.to].space}", f"material:{action.to}"}
    elif isinstance(action, act.Evacuate):
        keys |= {f"space:{action.space}", *_pump(line, action.space)}
    elif isinstance(action, act.Backfill):
        keys |= {f"space:{action.space}", *_pump(line, action.space)}
        valve = naming.valve_for(line, action.space, action.gas)
        keys |= {f"valve:{valve}"} if valve else set()
    elif isinstance(action, act.Deposit):
        keys |= {f"space:{action.space}", f"material:{action.target}", f"material:{action.onto}"}
        source = naming.source_for(line, action.space, action.method, action.material)
        keys |= {f"source:{source}"} if source else set()
    elif isinstance(action, act.Heat):
        keys.add(f"space:{action.space}")
        heater = naming.heater_for(line, action.space)
        keys |= {f"heater:{heater}"} if heater else set()
    else:
        keys.add(f"space:{getattr(action, 'space', '')}")
    return frozenset(k for k in keys if k != f"space:{line.room}" and not k.endswith(":"))


def renamed(footprint: Footprint, batch: str) -> Footprint:
    """The footprint with the batch's materials renamed as in the merged timeline (``batch/name``)."""
    return frozenset(f"material:{batch}/{k[9:]}" if k.startswith("material:") else k for k in footprint)


def union(footprints: Iterable[Footprint]) -> Footprint:
    return frozenset().union(*footprints)
