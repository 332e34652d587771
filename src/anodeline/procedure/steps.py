"""Reusable step builders: small functions from (machine, state, what) to a list of actions.

They read the current state (to size purges from the atmosphere actually present) but
never change it; :class:`~anodeline.procedure.builder.Builder` applies what they return.
"""

from __future__ import annotations

from dataclasses import replace

from anodeline.line import actions as act
from anodeline.line.errors import ProcedureError
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.line.transitions import fill_gas
from anodeline.physics.atmosphere import glovebox
from anodeline.physics.atmosphere.purge import backfill, cycles_needed, purge
from anodeline.physics.atmosphere.state import STANDARD_PRESSURE_PA, Atmosphere

#: Purges aim at this share of the recipe's limits, leaving room for transfer spikes.
TARGET_SHARE = 0.5
#: Pressures within this of 1 atm count as "at atmospheric pressure" for a door.
ATMOSPHERIC_BAND_PA = 1000.0
MAX_HOLD_S = 48 * 3600.0


def purge_low_pa(m: Machine, space: str) -> float:
    """The pressure a purge cycle pumps a space to: its ``purge_to``, or ten times its pump's ultimate."""
    config = m.line.spaces[space]
    if config.purge_to is not None:
        return float(config.purge_to.to("Pa").magnitude)
    pump = m.line.pumps[config.pump or ""]
    return max(10.0 * pump.ultimate_pa, m.policy.base_pressure_pa)


def _limits(m: Machine, share: float) -> tuple[float, float]:
    """The O2 and H2O levels a purge aims at (dry air: only its water counts)."""
    if m.policy.gas == "dry-air":
        return 1e6, share * m.policy.dry_air_h2o_max_ppm
    return share * m.policy.max_o2_ppm, share * m.policy.max_h2o_ppm


def _meets(m: Machine, atm: Atmosphere, share: float = 1.0) -> bool:
    """Is ``atm`` inactive to lithium at atmospheric pressure, within ``share`` of the limits?"""
    o2, h2o = _limits(m, share)
    strict = replace(m.policy, max_o2_ppm=o2, max_h2o_ppm=h2o, vacuum_below_pa=0.0,
                     dry_air_h2o_max_ppm=share * m.policy.dry_air_h2o_max_ppm)  # fmt: skip
    return strict.is_inactive(atm)


def _hold_seconds(m: Machine, space: str, atm: Atmosphere) -> float | None:
    """How long the chamber's purifier must circulate to bring ``atm`` to the target share, or None."""
    config = m.line.spaces[space]
    purifier = m.line.purifiers.get(config.purifier or "")
    if purifier is None:
        return None
    box = glovebox.GloveBoxParams(
        volume_m3=config.volume_m3, purifier_flow_m3_per_h=purifier.flow_m3_per_h,
        o2_removal=purifier.o2_removal, h2o_removal=purifier.h2o_removal,
    )  # fmt: skip
    seconds = 60.0
    while seconds <= MAX_HOLD_S:
        if _meets(m, glovebox.evolve(atm, seconds, box), TARGET_SHARE):
            return seconds
        seconds *= 2.0
    return None


def purge_space(m: Machine, s: LineState, space: str, gas: str) -> list[act.Action]:
    """Evacuate/backfill cycles (sized by :func:`purge.cycles_needed`) to bring a sealed space to the limits.

    Ends at atmospheric pressure in ``gas``. When the fill gas itself is too impure for the
    limits, the cycles bring the space near the fill's level and the chamber's purifier
    finishes the job (a ``hold``); without a purifier the compile fails with a hint.
    """
    atm = s.atmospheres[space]
    at_atmosphere = abs(atm.pressure_pa - STANDARD_PRESSURE_PA) <= ATMOSPHERIC_BAND_PA
    if at_atmosphere and _meets(m, atm) and set(atm.gas.split("+")) == set(gas.split("+")):
        return []
    fill = fill_gas(m, space, gas)
    low = purge_low_pa(m, space)
    steps: list[act.Action] = []
    if atm.pressure_pa <= low:  # already under vacuum (an apparatus after deposition): one fill is a cycle
        steps.append(act.Backfill(space, gas, STANDARD_PRESSURE_PA))
        atm = backfill(atm, fill)
        if _meets(m, atm, TARGET_SHARE):
            return steps
    limits = _limits(m, TARGET_SHARE)
    cycles = cycles_needed(atm, fill, low, *limits)
    hold = None
    if cycles is None:
        cycles = cycles_needed(atm, fill, low, 2.0 * fill.o2_ppm + 1.0, 2.0 * fill.h2o_ppm + 1.0) or 0
        after = purge(atm, fill, low, cycles)
        hold = _hold_seconds(m, space, after)
        if hold is None:
            raise ProcedureError(
                f"{space!r} cannot reach {limits[0]:g} ppm O2 / {limits[1]:g} ppm H2O with {gas} of "
                f"{100 * fill.purity:g} % ({fill.o2_ppm:g} ppm O2, {fill.h2o_ppm:g} ppm H2O) and no purifier",
                hint="fit a point-of-use gas purifier to the supply, a circulating purifier to the chamber, "
                "or use purer gas",
            )
    for _ in range(cycles):
        steps += [act.Evacuate(space, low), act.Backfill(space, gas, STANDARD_PRESSURE_PA)]
    if hold is not None:
        steps.append(act.Hold(space, hold))
    return steps


def pump_to_base(m: Machine, s: LineState, space: str) -> list[act.Action]:
    """Evacuate an apparatus to the recipe's base pressure (background vacuum)."""
    target = m.policy.base_pressure_pa
    return [] if s.atmospheres[space].pressure_pa <= target else [act.Evacuate(space, target)]


def load(containers: list[str], space: str) -> list[act.Action]:
    return [act.Load(name, space) for name in containers]


def open_all(containers: list[str]) -> list[act.Action]:
    return [act.OpenContainer(name) for name in containers]


def transfer(m: Machine, things: list[str], here: str, there: str) -> list[act.Action]:
    """Open the door between two spaces, move ``things`` across (glove work), close the door."""
    door = m.line.door_between(here, there)
    if door is None:
        raise ProcedureError(f"no door joins {here!r} and {there!r} on line {m.line.line!r}")
    return [act.OpenDoor(door), *(act.Move(name, there) for name in things), act.CloseDoor(door)]


def pack(items: list[str], container: str, closed: bool) -> list[act.Action]:
    """Put items into a container (opening it if needed) and close it."""
    steps: list[act.Action] = [act.OpenContainer(container)] if closed else []
    return steps + [act.Move(name, container) for name in items] + [act.CloseContainer(container)]


def set_heater(s: LineState, space: str, degc: float) -> list[act.Action]:
    return [] if abs(s.heaters.get(space, 25.0) - degc) < 1e-9 else [act.Heat(space, degc)]
