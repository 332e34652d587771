"""Source wear: a sputter target erodes, an evaporation charge empties, and the rate falls with it.

Two kinds of consumable, each with a capacity and what it has used:

* **Sputter target** (``sputtering``), used in kWh of target power. The erosion groove
  (racetrack) deepens with the energy put through the target, and the rate per watt falls
  with the groove depth (Gurvitch, J. Vac. Sci. Technol. A 1 (1983), doi:10.1116/1.572467:
  a reproducible rate-efficiency vs groove-depth curve per material). Taken linear in the
  energy used ``E`` of the capacity ``C`` (groove depth ∝ E, est.)::

      r(E) = r_fresh · (1 − β · E / C),     β = 0.20 at end of life (est.)

  Over a deposition at power ``P`` the energy rises as ``E(t) = E0 + P·t``, so the rate
  drifts down during the run; the film is the exact integral of the linear rate.
  Capacity: a 2-inch (50.8 mm) × 3 mm pressed sulfide target holds 6.1 cm³ × 1.9 g/cm³ ≈ 11.5 g;
  a planar magnetron uses ≤ 30 % of it before the groove breaks through (≈ 25 %, est.), ≈ 2.9 g;
  RF sputtering at ~400 V with a yield of ~0.5 atom/ion (est.) removes ≈ 0.5–1 g/kWh of a
  21.5 g/mol-per-atom Li2S–SiS2 glass, so the life is ≈ 3–6 kWh: **5 kWh** (est.).
* **Evaporation charge** (``vacuum-evaporation``, ``ion-plating``), used in grams. A small
  cosine source of emitted mass ``m`` deposits on-axis at distance ``h`` the thickness
  ``dt = dm / (ρ π h²)`` (the on-axis share of a Lambert emitter, the geometry of
  :mod:`anodeline.physics.deposition.rates`). As the charge empties the melt surface sinks
  ``d = D · m_used / C`` below the crucible lip (a cylindrical crucible: same melt area), so
  the rate at the flux the source is driven at falls as the inverse square::

      r(m) = r_fresh · (h / (h + D · m / C))²,    dm/dt = r_fresh · ρ π h²  (constant)

  Capacity: a 10 cm² crucible filled 1 cm deep (D = 1 cm, est.) holds 10 cm³ × 0.534 g/cm³
  (CRC) ≈ 5.3 g of lithium: **5 g** (est.). A sulfide charge: 10 g (est.).

Laser-ablation targets are not tracked (a rastered PLD target wears evenly; no rate law here).
Units at the edges: capacities and uses are floats in kWh or g, times in s, rates in nm/s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from anodeline.errors import ModelInputError
from anodeline.physics.checks import require_non_negative, require_positive
from anodeline.physics.deposition.rates import DEFAULT_PARAMS, LITHIUM_DENSITY_G_PER_CM3

ChargeKind = Literal["sputter-target", "evaporation-charge"]
CHARGE_KINDS: tuple[ChargeKind, ...] = ("sputter-target", "evaporation-charge")
UNITS: dict[str, str] = {"sputter-target": "kWh", "evaporation-charge": "g"}

#: Share of the fresh rate a sputter target has lost at the end of its life (est.; Gurvitch 1983's
#: rate efficiency falls with groove depth; 10–30 % over a planar target's life is typical, est.).
SPUTTER_RATE_LOSS_AT_END = 0.20
#: Default life of a 2-inch × 3 mm sulfide (or Li) target, kWh (est., derivation in the docstring).
DEFAULT_TARGET_KWH = 5.0
#: Default lithium charge of a 10 cm² × 1 cm crucible, g (est.); a sulfide charge, g (est.).
DEFAULT_LITHIUM_CHARGE_G = 5.0
DEFAULT_SULFIDE_CHARGE_G = 10.0
#: Depth the melt surface sinks from full to empty, cm (est.: a crucible filled 1 cm deep).
FILL_DEPTH_CM = 1.0
#: Density of a Li2S–SiS2 / Li2S–P2S5 glass, g/cm³ (1.8–2.0 reported for sulfide glasses, est.).
SULFIDE_DENSITY_G_PER_CM3 = 1.9
#: A target is near the end of its life when less than this share would remain after the batch (est.).
NEAR_END_SHARE = 0.10
#: Largest capacity accepted: 10 000 kWh of target or 100 kg of charge (a production cathode is ~1000 kWh).
MAX_CAPACITY: dict[str, float] = {"sputter-target": 1.0e4, "evaporation-charge": 1.0e5}

SPUTTER_METHODS = ("sputtering",)
EVAPORATION_METHODS = ("vacuum-evaporation", "ion-plating")


def kind_for(method: str) -> ChargeKind | None:
    """The consumable a source of ``method`` wears (None: not tracked, laser ablation)."""
    if method in SPUTTER_METHODS:
        return "sputter-target"
    if method in EVAPORATION_METHODS:
        return "evaporation-charge"
    return None


def default_capacity(kind: str, material: str = "lithium") -> float:
    """The estimated capacity of a fresh ``kind`` of ``material`` (kWh or g)."""
    if kind == "sputter-target":
        return DEFAULT_TARGET_KWH
    return DEFAULT_LITHIUM_CHARGE_G if material == "lithium" else DEFAULT_SULFIDE_CHARGE_G


def density_g_per_cm3(material: str) -> float:
    """Density of the deposited material (``lithium`` | ``solid-electrolyte``)."""
    return LITHIUM_DENSITY_G_PER_CM3 if material == "lithium" else SULFIDE_DENSITY_G_PER_CM3


@dataclass(frozen=True)
class Charge:
    """A consumable on a source: its kind, capacity and what it has used (kWh or g)."""

    kind: ChargeKind
    capacity: float
    used: float = 0.0
    distance_cm: float = DEFAULT_PARAMS.evaporation.distance_cm  # source → substrate (evaporation)

    def __post_init__(self) -> None:
        if self.kind not in CHARGE_KINDS:
            raise ModelInputError(
                f"unknown consumable kind {self.kind!r}", hint=f"use one of {', '.join(CHARGE_KINDS)}"
            )
        require_positive(capacity=self.capacity, distance_cm=self.distance_cm)
        require_non_negative(used=self.used)
        if self.capacity > MAX_CAPACITY[self.kind]:
            raise ModelInputError(
                f"capacity {self.capacity:g} {self.unit} of a {self.kind} is above {MAX_CAPACITY[self.kind]:g}",
                hint="state the consumable's real life (a 2-inch target: ~5 kWh; a crucible: a few grams)",
            )

    @property
    def unit(self) -> str:
        return UNITS[self.kind]

    @property
    def remaining(self) -> float:
        return max(self.capacity - self.used, 0.0)

    @property
    def used_share(self) -> float:
        return self.used / self.capacity

    def rate_factor(self, used: float | None = None) -> float:
        """Rate relative to a fresh consumable after ``used`` (default: its own use); floored at end of life."""
        share = min((self.used if used is None else used) / self.capacity, 1.0)
        if self.kind == "sputter-target":
            return 1.0 - SPUTTER_RATE_LOSS_AT_END * share
        h = self.distance_cm
        return (h / (h + FILL_DEPTH_CM * share)) ** 2

    def after(self, used: float) -> Charge:
        """The same consumable having used ``used`` more."""
        require_non_negative(used=used)
        return Charge(self.kind, self.capacity, self.used + used, self.distance_cm)


def use_rate_per_s(charge: Charge, material: str, power_w: float, fresh_rate_nm_per_s: float) -> float:
    """How fast the source uses its consumable while on: kWh/s (``P``) or g/s (``r_fresh ρ π h²``)."""
    if charge.kind == "sputter-target":
        require_positive(power_w=power_w)
        return power_w / 3.6e6
    require_positive(fresh_rate_nm_per_s=fresh_rate_nm_per_s)
    h_cm = charge.distance_cm
    return fresh_rate_nm_per_s * 1e-7 * density_g_per_cm3(material) * math.pi * h_cm * h_cm


def film_nm(charge: Charge, fresh_rate_nm_per_s: float, use_per_s: float, dt_s: float) -> float:
    """Film grown in ``dt_s`` from ``charge`` (its ``used`` at the start), the rate drifting as it wears.

    Exact for both laws: the sputter rate is linear in the energy used (trapezoid), the evaporation
    rate the inverse square of the melt depth (closed-form integral). Past the capacity the rate stays
    at its end-of-life value (a batch that would go there is refused before it starts).
    """
    if dt_s <= 0.0:
        return 0.0
    u0, cap = charge.used, charge.capacity
    if use_per_s <= 0.0 or u0 >= cap:
        return fresh_rate_nm_per_s * charge.rate_factor(u0) * dt_s
    end = min(u0 + use_per_s * dt_s, cap)  # the wearing part, then the end-of-life floor
    inside = (end - u0) / use_per_s
    if charge.kind == "sputter-target":
        grown = inside * (charge.rate_factor(u0) + charge.rate_factor(end)) / 2.0
    else:  # ∫ h²/(h + D u/C)² dt with u = u0 + k t
        h, depth = charge.distance_cm, FILL_DEPTH_CM
        grown = h * h * cap / (depth * use_per_s) * (1.0 / (h + depth * u0 / cap) - 1.0 / (h + depth * end / cap))
    return fresh_rate_nm_per_s * (grown + charge.rate_factor(cap) * max(dt_s - inside, 0.0))


@dataclass(frozen=True)
class PlannedUse:
    """What a deposition will take from a consumable: time, use, and the rate drift over it."""

    seconds: float
    use: float  # kWh or g
    rate_factor_start: float
    rate_factor_end: float
    exceeds: bool  # more than the remaining life

    @property
    def drift(self) -> float:
        """Relative rate change over the deposition (negative: the rate falls)."""
        return self.rate_factor_end / self.rate_factor_start - 1.0


def planned_use(
    charge: Charge, material: str, thickness_um: float, fresh_rate_nm_per_s: float, power_w: float
) -> PlannedUse:
    """The deposition of ``thickness_um`` ended on thickness (the QCM loop): how long, and how much it uses."""
    require_non_negative(thickness_um=thickness_um)
    require_positive(fresh_rate_nm_per_s=fresh_rate_nm_per_s)
    use_per_s = use_rate_per_s(charge, material, power_w, fresh_rate_nm_per_s)
    want_nm = thickness_um * 1000.0
    # film_nm is increasing in t: bisection on [0, the time at the end-of-life rate] (monotone, 60 halvings)
    hi = want_nm / (fresh_rate_nm_per_s * charge.rate_factor(charge.capacity)) + 1e-9
    lo = 0.0
    for _ in range(60):
        mid = (lo + hi) / 2.0
        if film_nm(charge, fresh_rate_nm_per_s, use_per_s, mid) < want_nm:
            lo = mid
        else:
            hi = mid
    seconds = hi
    use = use_per_s * seconds
    return PlannedUse(seconds, use, charge.rate_factor(), charge.rate_factor(charge.used + use), use > charge.remaining)
