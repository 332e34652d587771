"""Evacuate/backfill purging of an antechamber or load lock.

Gas dilution (ideal gas, same temperature, moles ∝ p·V; shared/REFERENCES.md): pumping
to ``p_low`` keeps the composition; backfilling to ``p_fill`` with fill gas of impurity
fraction x_f gives::

    x' = x·p_low/p_fill + x_f·(1 − p_low/p_fill)

so from air the residual O2 after n cycles is 209460 ppm·(p_low/p_fill)^n: 207, 0.204,
2.0e-4 ppm at 1 mbar.

Water does not leave that fast: after gas dilution what remains comes from water adsorbed
on the walls and the load. The walls are taken to hold a share ``s`` of the chamber's
water in fast linear equilibrium with the gas, so after each backfill the gas water moves
back from its diluted value x'_gas toward the pre-cycle value x by that share::

    x'_H2O = x'_gas + s·(x − x'_gas)      ⇔      x'_H2O − x_f = (x − x_f)·(f + s·(1 − f)),  f = p_low/p_fill

Monotone: more cycles and a lower ``p_low`` never leave more water. ``s`` is an estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.state import PPM, STANDARD_PRESSURE_PA, Atmosphere

#: Share of a chamber's water held on its walls and load (est.: chosen so that three 1 mbar
#: cycles from humid room air leave ~1.5 ppm H2O above the fill's own, in line with the
#: ~5 ppm spikes glove boxes show during transfers, shared/REFERENCES.md).
WALL_WATER_SHARE = 0.05


@dataclass(frozen=True)
class ImpuritySplit:
    """How a fill gas's impurity budget (1 − purity) divides among O2, H2O and N2 (shares, sum ≤ 1)."""

    o2: float
    h2o: float
    n2: float

    def __post_init__(self) -> None:
        shares = (self.o2, self.h2o, self.n2)
        if any(not math.isfinite(s) or s < 0.0 for s in shares) or sum(shares) > 1.0 + 1e-12:
            raise AtmosphereError(f"impurity split {shares} is not a set of shares summing to at most 1")


#: Typical split (est.): maximum impurities on argon 4.6–5.0 spec sheets are N2 ≈ 2/3 of the
#: total, O2 ≈ H2O for the rest (e.g. grade 4.6: O2 ≤ 5, H2O ≤ 5, N2 ≤ 20 ppm).
TYPICAL_SPLIT = ImpuritySplit(o2=0.2, h2o=0.2, n2=0.6)
#: Worst case for lithium: the whole budget harmful, shared equally between O2 and H2O.
HARMFUL_SPLIT = ImpuritySplit(o2=0.5, h2o=0.5, n2=0.0)


@dataclass(frozen=True)
class FillGas:
    """A bottled or piped fill gas: matrix name, purity (fraction) and its own impurities, ppm."""

    gas: str
    purity: float
    o2_ppm: float = 0.0
    h2o_ppm: float = 0.0
    n2_ppm: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 < self.purity <= 1.0:
            raise AtmosphereError(f"purity {self.purity!r} is not a fraction", hint="write e.g. 0.9999 (99.99 %)")
        impurities = (self.o2_ppm, self.h2o_ppm, self.n2_ppm)
        if any(not math.isfinite(x) or x < 0.0 for x in impurities):
            raise AtmosphereError(f"fill impurities {impurities} ppm must be >= 0")
        budget_ppm = (1.0 - self.purity) * PPM
        if sum(impurities) > budget_ppm * (1.0 + 1e-9) + 1e-9:
            raise AtmosphereError(
                f"fill impurities sum to {sum(impurities):.6g} ppm, more than the {budget_ppm:.6g} ppm "
                f"a purity of {self.purity:.6g} allows"
            )

    @classmethod
    def of(cls, gas: str, purity: float, split: ImpuritySplit = TYPICAL_SPLIT) -> FillGas:
        """A fill gas whose impurity budget (1 − purity) is divided by ``split`` (default :data:`TYPICAL_SPLIT`)."""
        if not 0.0 < purity <= 1.0:
            raise AtmosphereError(f"purity {purity!r} is not a fraction", hint="write e.g. 0.9999 (99.99 %)")
        budget_ppm = (1.0 - purity) * PPM
        return cls(gas, purity, split.o2 * budget_ppm, split.h2o * budget_ppm, split.n2 * budget_ppm)

    @classmethod
    def pure(cls, gas: str) -> FillGas:
        return cls(gas, 1.0)


def _mix_fraction(residual: float, fill: float, residual_share: float) -> float:
    return min(max(residual * residual_share + fill * (1.0 - residual_share), 0.0), PPM)


def evacuate(atm: Atmosphere, to_pa: float) -> Atmosphere:
    """Pump ``atm`` down to ``to_pa``: the composition stays, the pressure drops."""
    if not math.isfinite(to_pa) or to_pa < 0.0:
        raise AtmosphereError(f"cannot evacuate to {to_pa!r} Pa", hint="use a pressure >= 0 Pa, e.g. 100 Pa (1 mbar)")
    if to_pa > atm.pressure_pa:
        raise AtmosphereError(
            f"cannot evacuate from {atm.pressure_pa:.6g} Pa up to {to_pa:.6g} Pa", hint="use backfill to raise pressure"
        )
    return atm.with_pressure(to_pa)


def backfill(atm: Atmosphere, fill: FillGas, to_pa: float = STANDARD_PRESSURE_PA) -> Atmosphere:
    """Fill ``atm`` with ``fill`` up to ``to_pa``; residual and fill moles mix (ideal gas, moles ∝ p).

    The matrix gas becomes the fill's once the fill brings at least half the moles.
    """
    if not math.isfinite(to_pa) or to_pa <= 0.0 or to_pa < atm.pressure_pa:
        raise AtmosphereError(
            f"cannot backfill from {atm.pressure_pa:.6g} Pa to {to_pa!r} Pa",
            hint="the fill pressure must be positive and not below the present pressure",
        )
    share = atm.pressure_pa / to_pa
    return Atmosphere(
        gas=fill.gas if share <= 0.5 else atm.gas,
        pressure_pa=to_pa,
        o2_ppm=_mix_fraction(atm.o2_ppm, fill.o2_ppm, share),
        h2o_ppm=_mix_fraction(atm.h2o_ppm, fill.h2o_ppm, share),
        n2_ppm=_mix_fraction(atm.n2_ppm, fill.n2_ppm, share),
    )


def purge_cycle(
    atm: Atmosphere,
    fill: FillGas,
    low_pa: float,
    fill_pa: float = STANDARD_PRESSURE_PA,
    wall_water_share: float = WALL_WATER_SHARE,
) -> Atmosphere:
    """One evacuate/backfill cycle, with water returned from the walls (see the module docstring)."""
    return wall_water_return(backfill(evacuate(atm, low_pa), fill, fill_pa), atm.h2o_ppm, wall_water_share)


def wall_water_return(gas: Atmosphere, h2o_before_ppm: float, wall_water_share: float = WALL_WATER_SHARE) -> Atmosphere:
    """``gas`` after re-equilibrating with walls that held water at ``h2o_before_ppm`` (the pre-evacuation level).

    x'_H2O = x_gas + s·(x_before − x_gas); for a caller that evacuates and backfills in separate steps.
    """
    if not 0.0 <= wall_water_share < 1.0:
        raise AtmosphereError(f"wall water share {wall_water_share!r} must be in [0, 1)")
    h2o_ppm = gas.h2o_ppm + wall_water_share * (h2o_before_ppm - gas.h2o_ppm)
    return replace(gas, h2o_ppm=min(max(h2o_ppm, 0.0), PPM))


def purge_history(
    start: Atmosphere,
    fill: FillGas,
    low_pa: float,
    cycles: int,
    fill_pa: float = STANDARD_PRESSURE_PA,
    wall_water_share: float = WALL_WATER_SHARE,
) -> list[Atmosphere]:
    """The states before the first cycle and after each of ``cycles`` cycles (``cycles + 1`` items)."""
    if cycles < 0:
        raise AtmosphereError(f"{cycles} purge cycles", hint="use 0 or more cycles")
    states = [start]
    for _ in range(cycles):
        states.append(purge_cycle(states[-1], fill, low_pa, fill_pa, wall_water_share))
    return states


def purge(
    start: Atmosphere,
    fill: FillGas,
    low_pa: float,
    cycles: int,
    fill_pa: float = STANDARD_PRESSURE_PA,
    wall_water_share: float = WALL_WATER_SHARE,
) -> Atmosphere:
    """The atmosphere after ``cycles`` evacuate (to ``low_pa``) / backfill (to ``fill_pa``) cycles."""
    return purge_history(start, fill, low_pa, cycles, fill_pa, wall_water_share)[-1]


def cycles_needed(
    start: Atmosphere,
    fill: FillGas,
    low_pa: float,
    o2_max_ppm: float,
    h2o_max_ppm: float,
    fill_pa: float = STANDARD_PRESSURE_PA,
    max_cycles: int = 20,
    wall_water_share: float = WALL_WATER_SHARE,
) -> int | None:
    """The fewest cycles that bring O2 and H2O to or below their limits.

    ``None`` when no number up to ``max_cycles`` does, which is always the case when the
    fill gas itself carries at least the limit (the residuals only approach the fill's).
    """

    def meets(atm: Atmosphere) -> bool:
        return atm.o2_ppm <= o2_max_ppm and atm.h2o_ppm <= h2o_max_ppm

    if meets(start):
        return 0
    if fill.o2_ppm >= o2_max_ppm or fill.h2o_ppm >= h2o_max_ppm:
        return None
    atm = start
    for cycle in range(1, max_cycles + 1):
        atm = purge_cycle(atm, fill, low_pa, fill_pa, wall_water_share)
        if meets(atm):
            return cycle
    return None
