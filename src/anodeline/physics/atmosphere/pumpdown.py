"""Rough pump-down of a chamber at constant pumping speed with a constant gas load.

Mass balance of an ideal gas at constant temperature (shared/REFERENCES.md; O'Hanlon,
*A User's Guide to Vacuum Technology*, ch. on pumpdown)::

    V·dp/dt = Q − S·p

V chamber volume, m³; S effective pumping speed at the chamber, m³/s; Q gas load
(outgassing + leaks), Pa·m³/s. With p(0) = p0::

    p(t) = Q/S + (p0 − Q/S)·exp(−S·t/V)
    t    = (V/S)·ln((p0 − Q/S)/(p − Q/S))          (Q = 0: t = (V/S)·ln(p0/p))

and the ultimate pressure is Q/S. Valid in the viscous/transition range of a roughing
pump whose speed is flat over the range (real pump-downs take 2–3× the ideal time, since
the speed falls towards the pump's base pressure and outgassing falls with time); high
vacuum (1e-4 Pa) needs a turbo or cryo pump and a time-dependent outgassing: that is
:class:`PumpSet`, below.

**Two-stage pump set** (:class:`PumpSet`; O'Hanlon, *A User's Guide to Vacuum
Technology*, chs. on outgassing and high-vacuum pumpdown). A high-vacuum pump (turbo,
speed S, base pressure p_u) cannot work from atmosphere: its backing pump (speed S_b, base
pressure p_bu) first roughs the chamber down to the crossover pressure p_x, with the
single-stage law above (Q_b = S_b·p_bu + leak; the outgassing is lumped into p_bu, it is
< 1 % of S_b·p above p_x = 10 Pa)::

    t_r = (V/S_b)·ln((p0 − Q_b/S_b)/(p_x − Q_b/S_b))

Below p_x the turbo pumps against a gas load dominated by wall outgassing that decays with
the time u the walls have been under vacuum (unbaked metal, water desorption)::

    V·dp/dt = A·q1·(t1/u)^α + S·p_u + leak − S·p,      u = t_w + τ

A wall area (default 6·V^(2/3), a cube, est.), q1 the outgassing after t1 = 1 h, α ≈ 1,
τ the time since the high-vacuum stage began and t_w the roughing time of the set from
1 atm (the 1/t clock starts when pumping starts; est.: a set roughed from a partial vacuum
is taken to have walls of the same age at crossover). Since V/S (0.5 s for 150 L at
300 L/s) ≪ u (≥ minutes), the solution is the quasi-static outgassing pressure plus the
exact exponential decay of the initial excess::

    p_s(u) = p_c + (A·q1·t1^α/S)·u^(−α),      p_c = p_u + leak/S
    p(τ)   = p_s(u0 + τ) + (p_start − p_s(u0))·e^(−S·τ/V)

exact for a constant load, and within α·V/(S·u) (< 0.1 % after crossover here) of the
outgassing part otherwise. A stage that starts below p_s (walls already conditioned: the
pump was stopped and restarted in vacuum) starts at the equivalent age u0 where
p_s(u0) = p_start, so pumping never raises the pressure and splitting a span in two gives
the same answer. The set's ultimate pressure is p_c (outgassing → 0 as u → ∞).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from anodeline.physics.atmosphere.errors import AtmosphereError, UnreachablePressureError

#: Outgassing of unbaked stainless steel for the constant-load law, Pa·m³/(s·m²)
#: (est., order of magnitude from vacuum handbooks (O'Hanlon); it falls roughly as 1/t, so
#: with :data:`UNBAKED_STAINLESS_OUTGASSING_1H_PA_M3_PER_S_M2` this is the value after ~10 h).
STAINLESS_OUTGASSING_PA_M3_PER_S_M2 = 1e-6
#: Outgassing of unbaked, cleaned stainless steel after t1 = 1 h of pumping, Pa·m³/(s·m²)
#: (est.: ≈ 1e-8 mbar·L/(s·cm²), the order of the unbaked-steel tables of O'Hanlon and of
#: Grinham & Chew, Appl. Sci. Converg. Technol. 26 (2017) 95; cross-check: an unbaked
#: chamber with S/A ≈ 0.2 m³/(s·m²) sits near 1e-4 Pa after ~1 h of pumping).
UNBAKED_STAINLESS_OUTGASSING_1H_PA_M3_PER_S_M2 = 1e-5
#: t1 of the outgassing law q(t) = q1·(t1/t)^α, s.
OUTGASSING_T1_S = 3600.0
#: Exponent α of the outgassing law: ≈ 1 for unbaked metals (water desorption; O'Hanlon).
OUTGASSING_EXPONENT = 1.0
#: Turbo start / crossover pressure, Pa (est.: turbos take over from the backing pump at 1–10 Pa).
CROSSOVER_PA = 10.0
#: Base pressure of a dry scroll backing pump, Pa (est.: 1–2 Pa on data sheets).
BACKING_ULTIMATE_PA = 1.0


def _check_positive(name: str, value: float) -> None:
    if not math.isfinite(value) or value <= 0.0:
        raise AtmosphereError(f"{name} = {value!r} must be positive")


def _check_load(gas_load_pa_m3_per_s: float) -> None:
    if not math.isfinite(gas_load_pa_m3_per_s) or gas_load_pa_m3_per_s < 0.0:
        raise AtmosphereError(f"gas load {gas_load_pa_m3_per_s!r} Pa·m³/s must be >= 0")


def gas_load(
    area_m2: float = 0.0,
    outgassing_pa_m3_per_s_m2: float = STAINLESS_OUTGASSING_PA_M3_PER_S_M2,
    leak_pa_m3_per_s: float = 0.0,
) -> float:
    """Gas load Q = outgassing rate × wall area + leak rate, Pa·m³/s."""
    load = area_m2 * outgassing_pa_m3_per_s_m2 + leak_pa_m3_per_s
    _check_load(load)
    return load


def ultimate_pressure(speed_m3_per_s: float, gas_load_pa_m3_per_s: float = 0.0) -> float:
    """The pressure the chamber tends to, Pa: Q/S."""
    _check_positive("pumping speed", speed_m3_per_s)
    _check_load(gas_load_pa_m3_per_s)
    return gas_load_pa_m3_per_s / speed_m3_per_s


def pressure_at(
    seconds: float, volume_m3: float, speed_m3_per_s: float, p0_pa: float, gas_load_pa_m3_per_s: float = 0.0
) -> float:
    """Chamber pressure, Pa, ``seconds`` after the pump starts at ``p0_pa``."""
    _check_positive("volume", volume_m3)
    _check_positive("start pressure", p0_pa)
    if not math.isfinite(seconds) or seconds < 0.0:
        raise AtmosphereError(f"time {seconds!r} s must be >= 0")
    floor_pa = ultimate_pressure(speed_m3_per_s, gas_load_pa_m3_per_s)
    return floor_pa + (p0_pa - floor_pa) * math.exp(-speed_m3_per_s * seconds / volume_m3)


def pumpdown_time(
    volume_m3: float, speed_m3_per_s: float, p0_pa: float, p_pa: float, gas_load_pa_m3_per_s: float = 0.0
) -> float:
    """Seconds to pump ``volume_m3`` from ``p0_pa`` down to ``p_pa``.

    Raises :class:`UnreachablePressureError` (a ``ValueError``) when ``p_pa`` ≤ Q/S.
    """
    _check_positive("volume", volume_m3)
    _check_positive("start pressure", p0_pa)
    _check_positive("target pressure", p_pa)
    if p_pa > p0_pa:
        raise AtmosphereError(
            f"target {p_pa:.6g} Pa is above the start pressure {p0_pa:.6g} Pa", hint="a pump only lowers pressure"
        )
    floor_pa = ultimate_pressure(speed_m3_per_s, gas_load_pa_m3_per_s)
    if p_pa <= floor_pa:
        raise UnreachablePressureError(p_pa, floor_pa)
    return volume_m3 / speed_m3_per_s * math.log((p0_pa - floor_pa) / (p_pa - floor_pa))


def _check_non_negative(name: str, value: float) -> None:
    if not math.isfinite(value) or value < 0.0:
        raise AtmosphereError(f"{name} = {value!r} must be >= 0")


@dataclass(frozen=True)
class PumpSet:
    """The pumps of one chamber; a high-vacuum pump with a backing pump, or a rough pump alone.

    ``backing_speed_m3_per_s`` None: a rough pump, the single-stage law of
    :func:`pressure_at` with Q = S·p_ult + leak (its base pressure lumps the outgassing,
    which is < 1 % of S·p above ~10 Pa, so glove-chamber pump-downs are unchanged). Otherwise
    the two-stage model of the module docstring: roughing by the backing pump down to
    ``crossover_pa``, then the high-vacuum pump against a decaying wall outgassing.
    """

    volume_m3: float
    speed_m3_per_s: float
    ultimate_pa: float
    backing_speed_m3_per_s: float | None = None
    crossover_pa: float = CROSSOVER_PA
    backing_ultimate_pa: float = BACKING_ULTIMATE_PA
    wall_area_m2: float | None = None
    outgassing_1h_pa_m3_per_s_m2: float = UNBAKED_STAINLESS_OUTGASSING_1H_PA_M3_PER_S_M2
    outgassing_exponent: float = OUTGASSING_EXPONENT

    def __post_init__(self) -> None:
        _check_positive("volume", self.volume_m3)
        _check_positive("pumping speed", self.speed_m3_per_s)
        _check_non_negative("ultimate pressure", self.ultimate_pa)
        if self.backing_speed_m3_per_s is None:
            return
        _check_positive("backing pump speed", self.backing_speed_m3_per_s)
        _check_positive("crossover pressure", self.crossover_pa)
        _check_non_negative("backing pump ultimate pressure", self.backing_ultimate_pa)
        if self.backing_ultimate_pa >= self.crossover_pa:
            raise AtmosphereError(
                f"backing pump ultimate {self.backing_ultimate_pa:g} Pa is not below the crossover "
                f"{self.crossover_pa:g} Pa",
                hint="the backing pump must reach the high-vacuum pump's crossover pressure",
            )
        if self.wall_area_m2 is not None:
            _check_positive("wall area", self.wall_area_m2)
        _check_non_negative("outgassing rate", self.outgassing_1h_pa_m3_per_s_m2)
        _check_positive("outgassing exponent", self.outgassing_exponent)

    # --- derived numbers -------------------------------------------------------------------
    @property
    def two_stage(self) -> bool:
        """A high-vacuum pump with a backing pump (else a rough pump alone)."""
        return self.backing_speed_m3_per_s is not None

    @property
    def area_m2(self) -> float:
        """Wall area, m²: as given, or a cube of the same volume, 6·V^(2/3) (est.)."""
        return self.wall_area_m2 if self.wall_area_m2 is not None else 6.0 * self.volume_m3 ** (2.0 / 3.0)

    @property
    def wall_age_at_crossover_s(self) -> float:
        """t_w: how long the walls have been under vacuum when the stage begins (roughing from 1 atm), s."""
        if self.backing_speed_m3_per_s is None:
            return 0.0
        floor = self.backing_ultimate_pa
        return self.volume_m3 / self.backing_speed_m3_per_s * math.log((101325.0 - floor) / (self.crossover_pa - floor))

    def ultimate(self, leak_pa_m3_per_s: float = 0.0) -> float:
        """The pressure the set tends to, Pa: p_u + leak/S (outgassing decays to nothing)."""
        _check_load(leak_pa_m3_per_s)
        return self.ultimate_pa + leak_pa_m3_per_s / self.speed_m3_per_s

    def _outgassing_coefficient(self) -> float:
        """A·q1·t1^α/S, so that the quasi-static outgassing pressure is this × u^(−α), Pa·s^α."""
        t1 = OUTGASSING_T1_S**self.outgassing_exponent
        return self.area_m2 * self.outgassing_1h_pa_m3_per_s_m2 * t1 / self.speed_m3_per_s

    def _backing_load(self, leak_pa_m3_per_s: float) -> float:
        assert self.backing_speed_m3_per_s is not None
        return self.backing_speed_m3_per_s * self.backing_ultimate_pa + leak_pa_m3_per_s

    def _stage_start(self, p_pa: float, elapsed_s: float, floor_pa: float) -> float:
        """Wall age u0 at which the stage starts: its own, or older if the pressure says so (equivalent age)."""
        age = self.wall_age_at_crossover_s + elapsed_s
        coefficient, alpha = self._outgassing_coefficient(), self.outgassing_exponent
        if coefficient <= 0.0 or p_pa >= floor_pa + coefficient * age**-alpha:
            return age
        return max(age, (coefficient / (p_pa - floor_pa)) ** (1.0 / alpha))

    def _high_vacuum(
        self, p_pa: float, seconds: float, elapsed_s: float, leak_pa_m3_per_s: float
    ) -> tuple[float, float]:
        floor = self.ultimate(leak_pa_m3_per_s)
        decay = math.exp(-self.speed_m3_per_s * seconds / self.volume_m3)
        if p_pa <= floor:  # below even the pump's base pressure: the outgassing is long gone
            return floor + (p_pa - floor) * decay, elapsed_s + seconds
        coefficient, alpha = self._outgassing_coefficient(), self.outgassing_exponent
        u0 = self._stage_start(p_pa, elapsed_s, floor)
        slow0 = floor + coefficient * u0**-alpha
        slow = floor + coefficient * (u0 + seconds) ** -alpha
        return slow + (p_pa - slow0) * decay, u0 + seconds - self.wall_age_at_crossover_s

    # --- the model ---------------------------------------------------------------------------
    def pressure_after(
        self, p0_pa: float, seconds: float, high_vacuum_elapsed_s: float = 0.0, leak_pa_m3_per_s: float = 0.0
    ) -> tuple[float, float]:
        """Pressure, Pa, ``seconds`` after ``p0_pa`` with the pumps running, and the new stage clock, s.

        ``high_vacuum_elapsed_s`` is how long the high-vacuum stage has run (0 when it has not
        begun; always 0 for a rough pump); above the crossover it restarts at 0.
        """
        _check_positive("start pressure", p0_pa)
        if not math.isfinite(seconds) or seconds < 0.0:
            raise AtmosphereError(f"time {seconds!r} s must be >= 0")
        _check_non_negative("high-vacuum time", high_vacuum_elapsed_s)
        _check_load(leak_pa_m3_per_s)
        if self.backing_speed_m3_per_s is None:
            load = self.speed_m3_per_s * self.ultimate_pa + leak_pa_m3_per_s
            return pressure_at(seconds, self.volume_m3, self.speed_m3_per_s, p0_pa, load), 0.0
        if p0_pa <= self.crossover_pa:
            return self._high_vacuum(p0_pa, seconds, high_vacuum_elapsed_s, leak_pa_m3_per_s)
        backing, load = self.backing_speed_m3_per_s, self._backing_load(leak_pa_m3_per_s)
        if self.crossover_pa <= load / backing:  # the leak keeps the backing pump above the crossover
            return pressure_at(seconds, self.volume_m3, backing, p0_pa, load), 0.0
        rough_s = pumpdown_time(self.volume_m3, backing, p0_pa, self.crossover_pa, load)
        if seconds <= rough_s:
            return pressure_at(seconds, self.volume_m3, backing, p0_pa, load), 0.0
        return self._high_vacuum(self.crossover_pa, seconds - rough_s, 0.0, leak_pa_m3_per_s)

    def time_to(
        self, p0_pa: float, target_pa: float, leak_pa_m3_per_s: float = 0.0, high_vacuum_elapsed_s: float = 0.0
    ) -> float:
        """Seconds to pump from ``p0_pa`` down to ``target_pa`` (the inverse of :meth:`pressure_after`).

        Raises :class:`UnreachablePressureError` (a ``ValueError``) when ``target_pa`` is at or
        below what the set reaches with this leak.
        """
        _check_positive("start pressure", p0_pa)
        _check_positive("target pressure", target_pa)
        _check_non_negative("high-vacuum time", high_vacuum_elapsed_s)
        _check_load(leak_pa_m3_per_s)
        if target_pa > p0_pa:
            raise AtmosphereError(
                f"target {target_pa:.6g} Pa is above the start pressure {p0_pa:.6g} Pa",
                hint="a pump only lowers pressure",
            )
        if self.backing_speed_m3_per_s is None:
            load = self.speed_m3_per_s * self.ultimate_pa + leak_pa_m3_per_s
            return pumpdown_time(self.volume_m3, self.speed_m3_per_s, p0_pa, target_pa, load)
        rough_s, p_pa, elapsed_s = 0.0, p0_pa, high_vacuum_elapsed_s
        if p0_pa > self.crossover_pa:
            backing, load = self.backing_speed_m3_per_s, self._backing_load(leak_pa_m3_per_s)
            if target_pa >= self.crossover_pa or self.crossover_pa <= load / backing:
                if target_pa < self.crossover_pa:
                    raise UnreachablePressureError(target_pa, load / backing, hint="the leak beats the backing pump")
                return pumpdown_time(self.volume_m3, backing, p0_pa, target_pa, load)
            rough_s, p_pa, elapsed_s = (
                pumpdown_time(self.volume_m3, backing, p0_pa, self.crossover_pa, load),
                self.crossover_pa,
                0.0,
            )
        floor = self.ultimate(leak_pa_m3_per_s)
        if target_pa <= floor:
            raise UnreachablePressureError(target_pa, floor)
        return rough_s + self._high_vacuum_time(p_pa, target_pa, elapsed_s, floor)

    def _high_vacuum_time(self, p_pa: float, target_pa: float, elapsed_s: float, floor: float) -> float:
        """τ with p(τ) = target in the high-vacuum stage: Newton on a convex, falling p(τ) (from the left)."""
        if p_pa <= target_pa:
            return 0.0
        coefficient, alpha = self._outgassing_coefficient(), self.outgassing_exponent
        k = self.speed_m3_per_s / self.volume_m3
        u0 = self._stage_start(p_pa, elapsed_s, floor)
        excess = p_pa - (floor + coefficient * u0**-alpha)
        tau = 0.0
        for _ in range(200):
            outgassing = coefficient * (u0 + tau) ** -alpha
            transient = excess * math.exp(-k * tau)
            residual = floor + outgassing + transient - target_pa
            slope = -alpha * outgassing / (u0 + tau) - k * transient
            if residual <= 0.0 or slope >= 0.0:
                break
            step = -residual / slope
            tau += step
            if step <= 1e-12 * (1.0 + tau):
                break
        return tau
