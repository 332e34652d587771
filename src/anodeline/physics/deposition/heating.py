"""Substrate heating by the plasma during sputtering: a lumped (one-node) thermal model.

An estimate, not a measurement. The foil stack is one isothermal node of areal heat
capacity ``C`` (J m⁻² K⁻¹). A fraction ``f`` of the target power reaches it (ion and
electron bombardment, condensation energy, plasma radiation); it loses heat by contact
conduction to the cooled holder and by radiation from its front face to the chamber::

    C dT/dt = f P / A − h_c (T − T_holder) − ε σ (T⁴ − T_wall⁴)

Steady state solves the right-hand side = 0 (Brent's method); the transient is
integrated from ``T(0)`` (scipy ``solve_ivp``, LSODA). With the defaults (100 W RF,
10 % to a 100 × 50 mm foil, 100 W m⁻² K⁻¹ contact on a water-cooled holder) the rise is
~20 K and the time constant ``C / h_c`` ≈ 1.3 s, so the foil follows the power almost at
once. Sources: the energy fraction reaching a magnetron substrate is a few to ~15 % of
the discharge power (Thornton 1978; Kersten et al., Vacuum 63 (2001) 385; est.); foil-on-
plate contact conductance in vacuum 50–500 W m⁻² K⁻¹ without clamping or gas (est.).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from anodeline.errors import ModelInputError

STEFAN_BOLTZMANN_W_PER_M2_K4 = 5.670374419e-8  # CODATA 2018
KELVIN_OFFSET = 273.15

#: Volumetric heat capacities, J cm⁻³ K⁻¹ (density × specific heat, CRC Handbook, 25 °C).
COPPER_J_PER_CM3_K = 8.96 * 0.385
LITHIUM_J_PER_CM3_K = 0.534 * 3.58


def areal_heat_capacity_j_per_m2_k(copper_um: float = 10.0, lithium_um: float = 50.0) -> float:
    """Heat capacity per area of a Cu/Li laminate (defaults: Example 1's 10 µm Cu + 50 µm Li)."""
    if copper_um < 0.0 or lithium_um < 0.0 or copper_um + lithium_um <= 0.0:
        raise ModelInputError(f"layer thicknesses {copper_um:g} µm Cu, {lithium_um:g} µm Li are impossible")
    j_per_cm2_k = (COPPER_J_PER_CM3_K * copper_um + LITHIUM_J_PER_CM3_K * lithium_um) * 1e-4
    return j_per_cm2_k * 1e4


@dataclass(frozen=True)
class SubstrateHeatingParams:
    """Parameters of the lumped substrate model; every one but the geometry is an estimate."""

    power_fraction_to_substrate: float = 0.10  # Thornton 1978; Kersten et al. 2001 (a few to ~15 %, est.)
    substrate_area_cm2: float = 50.0  # Example 1: 100 mm × 50 mm foil
    contact_conductance_w_per_m2_k: float = 100.0  # unclamped foil on a metal holder in vacuum (est.)
    emissivity: float = 0.2  # front face, oxidised-free Li / sulfide film (est.)
    holder_temperature_degc: float = 20.0  # water-cooled holder (est.)
    wall_temperature_degc: float = 25.0  # chamber walls (est.)
    areal_heat_capacity_j_per_m2_k: float = areal_heat_capacity_j_per_m2_k()  # Example 1 laminate, CRC data
    source: str = "lumped model (est.): Thornton 1978, Kersten et al. 2001; CRC heat capacities"

    def __post_init__(self) -> None:
        if not 0.0 <= self.power_fraction_to_substrate <= 1.0:
            raise ModelInputError(f"power fraction {self.power_fraction_to_substrate:g} is outside [0, 1]")
        if not 0.0 <= self.emissivity <= 1.0:
            raise ModelInputError(f"emissivity {self.emissivity:g} is outside [0, 1]")
        for name in ("substrate_area_cm2", "contact_conductance_w_per_m2_k", "areal_heat_capacity_j_per_m2_k"):
            value = getattr(self, name)
            if not (value > 0.0 and math.isfinite(value)):
                raise ModelInputError(f"{name} = {value:g} must be positive", location=name)
        for name in ("holder_temperature_degc", "wall_temperature_degc"):
            if getattr(self, name) <= -KELVIN_OFFSET:
                raise ModelInputError(f"{name} is below absolute zero", location=name)


DEFAULT_HEATING = SubstrateHeatingParams()


def heat_flux_w_per_m2(power_w: float, params: SubstrateHeatingParams = DEFAULT_HEATING) -> float:
    """Heat flux into the substrate: the fraction of the target power over the substrate area."""
    if power_w < 0.0 or not math.isfinite(power_w):
        raise ModelInputError(f"power {power_w:g} W must be zero or positive", location="power_w")
    return params.power_fraction_to_substrate * power_w / (params.substrate_area_cm2 * 1e-4)


def _net_heating_w_per_m2(temperature_k: float, flux_w_per_m2: float, params: SubstrateHeatingParams) -> float:
    holder_k = params.holder_temperature_degc + KELVIN_OFFSET
    wall_k = params.wall_temperature_degc + KELVIN_OFFSET
    conduction = params.contact_conductance_w_per_m2_k * (temperature_k - holder_k)
    radiation = params.emissivity * STEFAN_BOLTZMANN_W_PER_M2_K4 * (temperature_k**4 - wall_k**4)
    return flux_w_per_m2 - conduction - radiation


def steady_state_temperature_degc(power_w: float, params: SubstrateHeatingParams = DEFAULT_HEATING) -> float:
    """Temperature at which conduction and radiation carry away the plasma heat flux."""
    from scipy.optimize import brentq

    flux = heat_flux_w_per_m2(power_w, params)
    low_k = min(params.holder_temperature_degc, params.wall_temperature_degc) + KELVIN_OFFSET
    # Conduction alone would reach holder + flux/h_c; radiation only lowers it.
    high_k = max(params.holder_temperature_degc, params.wall_temperature_degc) + KELVIN_OFFSET
    high_k += flux / params.contact_conductance_w_per_m2_k + 1.0
    root_k = brentq(_net_heating_w_per_m2, low_k, high_k, args=(flux, params), xtol=1e-9)
    return float(root_k) - KELVIN_OFFSET


def time_constant_s(params: SubstrateHeatingParams = DEFAULT_HEATING) -> float:
    """Conduction time constant ``C / h_c`` (radiation makes the real one slightly shorter)."""
    return params.areal_heat_capacity_j_per_m2_k / params.contact_conductance_w_per_m2_k


def substrate_temperature_degc(
    t_s: float,
    power_w: float,
    params: SubstrateHeatingParams = DEFAULT_HEATING,
    initial_temperature_degc: float | None = None,
) -> float:
    """Substrate temperature ``t_s`` seconds after the plasma is switched on at ``power_w``.

    Starts from ``initial_temperature_degc`` (default: the holder temperature).
    """
    if t_s < 0.0 or not math.isfinite(t_s):
        raise ModelInputError(f"time {t_s:g} s must be zero or positive", location="t_s")
    flux = heat_flux_w_per_m2(power_w, params)
    start_degc = params.holder_temperature_degc if initial_temperature_degc is None else initial_temperature_degc
    if start_degc <= -KELVIN_OFFSET:
        raise ModelInputError(f"initial temperature {start_degc:g} °C is below absolute zero")
    if t_s == 0.0:
        return start_degc
    # Beyond 40 time constants the transient is below 1e-17 of the step: return the steady state.
    if t_s > 40.0 * time_constant_s(params):
        return steady_state_temperature_degc(power_w, params)
    capacity = params.areal_heat_capacity_j_per_m2_k
    start_k = start_degc + KELVIN_OFFSET
    # Below 1e-4 time constants one Euler step is exact to ~1e-8 of the step (and LSODA dislikes such spans).
    if t_s < 1e-4 * time_constant_s(params):
        return start_degc + _net_heating_w_per_m2(start_k, flux, params) / capacity * t_s
    from scipy.integrate import solve_ivp

    solution = solve_ivp(
        lambda _t, y: [_net_heating_w_per_m2(y[0], flux, params) / capacity],
        (0.0, t_s),
        [start_k],
        method="LSODA",
        rtol=1e-9,
        atol=1e-9,
    )
    if not solution.success:  # pragma: no cover - LSODA on a smooth scalar ODE
        raise ModelInputError(f"substrate heating integration failed: {solution.message}")
    return float(solution.y[0, -1]) - KELVIN_OFFSET
