"""The substrate's temperature history while a film is made: setpoint, plasma heating, anneal.

A recipe states a substrate *setpoint* (the holder's temperature); during sputtering the
plasma heats the foil above it (:mod:`anodeline.physics.deposition.heating`). The film
model (:func:`anodeline.chemistry.properties.predict_film`) needs the temperature the film
actually grew at, so this module turns (method, setpoint, power, time, anneal) into:

- the steady state ``T_ss`` of the lumped model with the holder at the setpoint;
- the linearised time constant ``τ = C / (h_c + 4 ε σ T_ss³)``;
- the **effective deposition temperature**, the time average of the transient from the
  setpoint over the deposition::

      T_eff = T_ss − (T_ss − T_set) · τ / t_dep · (1 − exp(−t_dep / τ))

  (exact for the linearised model; with τ ≈ 1.3 s against hours of deposition it is T_ss
  within a few mK). This is the temperature the crystallisation and glass models see.

Only sputtering heats the substrate in this model (its power is the layer's ``power``, or
the rates model's default 100 W, est.). For vacuum evaporation the radiant heat of the boat,
for laser ablation the plume and for ion plating the plasma are not modelled (est.: no
stated power to drive them), so the effective temperature is the setpoint and
``plasma_heated`` is false. The anneal is a separate isothermal hold at
its stated temperature and time (the heater holds it; no plasma).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from anodeline.errors import ModelInputError
from anodeline.physics.deposition.heating import (
    DEFAULT_HEATING,
    KELVIN_OFFSET,
    STEFAN_BOLTZMANN_W_PER_M2_K4,
    SubstrateHeatingParams,
    heat_flux_w_per_m2,
)

#: Methods with a plasma at the substrate (heating modelled); the others keep the setpoint.
PLASMA_METHODS: frozenset[str] = frozenset({"sputtering"})


@dataclass(frozen=True)
class ThermalHistory:
    """What the substrate went through for one layer (°C, s, W)."""

    method: str
    setpoint_degc: float
    power_w: float
    deposition_s: float
    plasma_heated: bool
    steady_state_degc: float
    time_constant_s: float
    effective_degc: float
    anneal_degc: float | None = None
    anneal_s: float | None = None

    @property
    def plasma_rise_k(self) -> float:
        """How far the plasma lifts the film above the setpoint (effective − setpoint)."""
        return self.effective_degc - self.setpoint_degc

    def to_dict(self) -> dict[str, Any]:
        return {
            "setpoint_degc": self.setpoint_degc,
            "power_w": self.power_w if self.plasma_heated else None,
            "plasma_heated": self.plasma_heated,
            "steady_state_degc": self.steady_state_degc,
            "time_constant_s": self.time_constant_s,
            "effective_deposition_degc": self.effective_degc,
            "plasma_rise_k": self.plasma_rise_k,
            "deposition_s": self.deposition_s,
            "anneal_degc": self.anneal_degc,
            "anneal_s": self.anneal_s,
        }


def linearised_time_constant_s(temperature_degc: float, params: SubstrateHeatingParams) -> float:
    """``C / (h_c + 4 ε σ T³)``: the relaxation time of the lumped model near ``temperature_degc``."""
    t_k = temperature_degc + KELVIN_OFFSET
    radiative = 4.0 * params.emissivity * STEFAN_BOLTZMANN_W_PER_M2_K4 * t_k**3
    return params.areal_heat_capacity_j_per_m2_k / (params.contact_conductance_w_per_m2_k + radiative)


def steady_degc(power_w: float, params: SubstrateHeatingParams = DEFAULT_HEATING) -> float:
    """Steady state of the lumped model by Newton's method, in plain Python (no scipy on the predict path).

    The net cooling ``h_c (T − T_h) + ε σ (T⁴ − T_w⁴) − q`` is increasing and convex in T, so
    Newton from the conduction-only bound (radiation only lowers T) descends monotonically to
    the root; it equals :func:`anodeline.physics.deposition.heating.steady_state_temperature_degc`.
    """
    flux = heat_flux_w_per_m2(power_w, params)
    h, e_sigma = params.contact_conductance_w_per_m2_k, params.emissivity * STEFAN_BOLTZMANN_W_PER_M2_K4
    holder_k = params.holder_temperature_degc + KELVIN_OFFSET
    wall4 = (params.wall_temperature_degc + KELVIN_OFFSET) ** 4
    t_k = max(holder_k, params.wall_temperature_degc + KELVIN_OFFSET) + flux / h
    for _ in range(100):
        excess = h * (t_k - holder_k) + e_sigma * (t_k**4 - wall4) - flux
        step = excess / (h + 4.0 * e_sigma * t_k**3)
        t_k -= step
        if abs(step) < 1e-10:
            break
    return t_k - KELVIN_OFFSET


def time_averaged_degc(start_degc: float, steady_degc: float, tau_s: float, duration_s: float) -> float:
    """Mean of ``T_ss + (T0 − T_ss) exp(−t/τ)`` over ``[0, duration_s]`` (``T0`` at zero duration)."""
    if duration_s <= 0.0:
        return start_degc
    ratio = tau_s / duration_s
    return steady_degc - (steady_degc - start_degc) * ratio * -math.expm1(-1.0 / ratio)


def thermal_history(
    method: str,
    setpoint_degc: float,
    power_w: float,
    deposition_s: float,
    anneal_degc: float | None = None,
    anneal_s: float | None = None,
    params: SubstrateHeatingParams = DEFAULT_HEATING,
) -> ThermalHistory:
    """The layer's history: plasma-heated deposition from the setpoint (plasma methods), then the anneal."""
    for name, value in (("setpoint_degc", setpoint_degc), ("power_w", power_w), ("deposition_s", deposition_s)):
        if not math.isfinite(value):
            raise ModelInputError(f"{name} = {value!r} must be finite", location=name)
    if deposition_s < 0.0:
        raise ModelInputError(f"deposition time {deposition_s:g} s must be zero or positive", location="deposition_s")
    plasma = method in PLASMA_METHODS and power_w > 0.0
    held = replace(params, holder_temperature_degc=setpoint_degc)
    steady = steady_degc(power_w, held) if plasma else setpoint_degc
    tau = linearised_time_constant_s(steady, held)
    effective = time_averaged_degc(setpoint_degc, steady, tau, deposition_s) if plasma else setpoint_degc
    return ThermalHistory(
        method=method,
        setpoint_degc=setpoint_degc,
        power_w=power_w,
        deposition_s=deposition_s,
        plasma_heated=plasma,
        steady_state_degc=steady,
        time_constant_s=tau,
        effective_degc=effective,
        anneal_degc=anneal_degc,
        anneal_s=anneal_s,
    )
