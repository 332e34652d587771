"""Film growth rate per deposition method, and the time a film of given thickness takes.

Model (one equation per method; claims 16, 32, 48 name the four methods):

* **Sputtering** — rate ∝ RF/DC power at fixed target, geometry and gas:
  ``r = k_s · P``. ``k_s`` per material class is an estimate: a Seo & Martin (2011,
  doi:10.1021/ic101448m) style run gives a ~1 µm Li2S–GeS2 film at 50 W RF, 3.3 Pa Ar
  (the run time, ~4 h, is est.); LiPON-type targets give 1–3 nm/min at 2–3 W/cm² (est.).
* **Vacuum evaporation** — Hertz–Knudsen flux from the melt, cosine (Lambert) emission
  from a small source of area ``A`` seen on-axis at distance ``h``::

      Φ_src = α · p_v(T) / sqrt(2π m k_B T)            [atoms m⁻² s⁻¹]
      r     = Φ_src · A / (π h²) · (M / (ρ N_A))       [m s⁻¹]

  with lithium's vapour pressure ``log10 p[Pa] = 10.061 − 8023 / T`` (REFERENCES.md,
  Deposition). A 10 cm² source at 20 cm gives ~3 nm/s at 500 °C and ~43 nm/s at 600 °C.
  Sulfide glasses evaporate incongruently and have no vapour-pressure law here: their
  rate is a stated estimate.
* **Laser ablation** — ``r = d_pulse · f`` (0.01–0.1 nm per pulse at 5–10 Hz, est.).
* **Ion plating** — evaporation with the vapour ionised and the substrate biased; the
  bias re-sputters part of the film: ``r = η · r_evap`` (η est.).

Off-axis thickness of a cosine source over a parallel substrate: ``t/t0 = [1 + (x/h)²]^−2``.
Parameters and their sources are in the frozen dataclasses below; ``DEFAULT_PARAMS`` is
what a recipe without power, source temperature or pulse rate gets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal, get_args

from anodeline.errors import ModelInputError
from anodeline.physics.checks import require_positive

Method = Literal["sputtering", "vacuum-evaporation", "laser-ablation", "ion-plating"]
MaterialKind = Literal["lithium", "solid-electrolyte"]
METHODS: tuple[str, ...] = get_args(Method)
MATERIAL_KINDS: tuple[str, ...] = get_args(MaterialKind)

BOLTZMANN_J_PER_K = 1.380649e-23  # CODATA 2018 (exact)
AVOGADRO_PER_MOL = 6.02214076e23  # CODATA 2018 (exact)
ATOMIC_MASS_KG = 1.66053906660e-27  # CODATA 2018
KELVIN_OFFSET = 273.15

LITHIUM_MOLAR_MASS_G_PER_MOL = 6.941  # IUPAC standard atomic weight (conventional)
LITHIUM_DENSITY_G_PER_CM3 = 0.534  # CRC Handbook, 20 °C
#: log10 p[Pa] = A − B/T for liquid lithium (REFERENCES.md, Deposition).
LITHIUM_VAPOUR_A = 10.061
LITHIUM_VAPOUR_B_K = 8023.0


def _kind(material_kind: str) -> str:
    if material_kind not in MATERIAL_KINDS:
        raise ModelInputError(
            f"unknown material kind {material_kind!r}",
            hint=f"use one of {', '.join(MATERIAL_KINDS)}",
        )
    return material_kind


@dataclass(frozen=True)
class SputteringParams:
    """Sputtering: rate per watt of target power (same target size, gas and distance)."""

    power_w: float = 100.0  # default when a recipe states none (est., a 2–3 inch RF gun)
    #: Sulfide glass: 1 µm in ~4 h at 50 W → 1000 nm / 14 400 s / 50 W (Seo & Martin 2011 style run,
    #: time est.); 50 W on a 2-inch target is 2.5 W/cm² → 4.2 nm/min, ~2× LiPON's 1–3 nm/min (est.).
    electrolyte_nm_per_s_per_w: float = 1000.0 / 14_400.0 / 50.0
    #: Lithium: Ar⁺ yield ≈ 0.5 at 400 V (est.), 100 W → 1.6e18 ions/s, cosine spread at 5 cm over
    #: the Li atomic volume gives ~2 nm/s; halved for the extended target and back-scatter (est.).
    lithium_nm_per_s_per_w: float = 0.01
    source: str = "Seo & Martin 2011 (doi:10.1021/ic101448m); LiPON practice (est.)"

    def __post_init__(self) -> None:
        require_positive(power_w=self.power_w)


@dataclass(frozen=True)
class EvaporationParams:
    """Thermal (resistive or effusion-cell) evaporation geometry and source temperature."""

    source_temperature_degc: float = 550.0  # default for lithium (est.): ~12 nm/s at 20 cm
    source_area_cm2: float = 10.0  # REFERENCES.md reference geometry
    distance_cm: float = 20.0  # REFERENCES.md reference geometry
    evaporation_coefficient: float = 1.0  # clean liquid metal, α = 1 (Hertz–Knudsen upper bound)
    #: Sulfide glass from a boat or e-beam at ~1e-4 Pa: 0.1–1 nm/s typical of chalcogenide glasses (est.).
    electrolyte_rate_nm_per_s: float = 0.5
    source: str = "REFERENCES.md (Hertz–Knudsen, Li vapour pressure); sulfide rate (est.)"

    def __post_init__(self) -> None:
        require_positive(
            source_area_cm2=self.source_area_cm2,
            distance_cm=self.distance_cm,
            evaporation_coefficient=self.evaporation_coefficient,
            electrolyte_rate_nm_per_s=self.electrolyte_rate_nm_per_s,
        )
        if self.evaporation_coefficient > 1.0:
            raise ModelInputError(
                f"evaporation coefficient {self.evaporation_coefficient:g} is above 1",
                hint="α is a sticking/evaporation probability in (0, 1]",
            )
        if self.source_temperature_degc <= -KELVIN_OFFSET:
            raise ModelInputError(f"source temperature {self.source_temperature_degc:g} °C is below absolute zero")


@dataclass(frozen=True)
class LaserAblationParams:
    """Pulsed laser deposition: thickness per pulse times repetition rate."""

    pulse_rate_hz: float = 10.0  # top of the 5–10 Hz range (REFERENCES.md, est.)
    electrolyte_nm_per_pulse: float = 0.03  # inside 0.01–0.1 nm/pulse (est.)
    lithium_nm_per_pulse: float = 0.05  # inside 0.01–0.1 nm/pulse; light metal ablates readily (est.)
    source: str = "REFERENCES.md, Deposition (PLD 0.01–0.1 nm/pulse at 5–10 Hz, est.)"

    def __post_init__(self) -> None:
        require_positive(
            pulse_rate_hz=self.pulse_rate_hz,
            electrolyte_nm_per_pulse=self.electrolyte_nm_per_pulse,
            lithium_nm_per_pulse=self.lithium_nm_per_pulse,
        )


@dataclass(frozen=True)
class IonPlatingParams:
    """Ion plating: an evaporation source whose vapour is ionised; the substrate bias re-sputters a part."""

    evaporation: EvaporationParams = field(default_factory=EvaporationParams)
    #: Net fraction kept after bias re-sputtering, typically 70–90 % (est.).
    net_fraction: float = 0.8
    source: str = "estimate: evaporation rate × (1 − re-sputtered fraction)"

    def __post_init__(self) -> None:
        if not 0.0 < self.net_fraction <= 1.0:
            raise ModelInputError(f"ion-plating net fraction {self.net_fraction:g} is outside (0, 1]")


@dataclass(frozen=True)
class DepositionParams:
    """One parameter set per method; the defaults give a sensible time for a recipe that states none."""

    sputtering: SputteringParams = field(default_factory=SputteringParams)
    evaporation: EvaporationParams = field(default_factory=EvaporationParams)
    laser_ablation: LaserAblationParams = field(default_factory=LaserAblationParams)
    ion_plating: IonPlatingParams = field(default_factory=IonPlatingParams)

    def override(
        self,
        *,
        power_w: float | None = None,
        source_temperature_degc: float | None = None,
        pulse_rate_hz: float | None = None,
    ) -> DepositionParams:
        """The same set with a recipe's stated power, source temperature or pulse rate."""
        params = self
        if power_w is not None:
            params = replace(params, sputtering=replace(params.sputtering, power_w=power_w))
        if source_temperature_degc is not None:
            evaporation = replace(params.evaporation, source_temperature_degc=source_temperature_degc)
            plating = replace(params.ion_plating, evaporation=evaporation)
            params = replace(params, evaporation=evaporation, ion_plating=plating)
        if pulse_rate_hz is not None:
            params = replace(params, laser_ablation=replace(params.laser_ablation, pulse_rate_hz=pulse_rate_hz))
        return params


DEFAULT_PARAMS = DepositionParams()


def lithium_vapour_pressure_pa(temperature_k: float) -> float:
    """Vapour pressure of liquid lithium, ``log10 p[Pa] = 10.061 − 8023/T`` (REFERENCES.md)."""
    require_positive(temperature_k=temperature_k)
    return 10.0 ** (LITHIUM_VAPOUR_A - LITHIUM_VAPOUR_B_K / temperature_k)


def hertz_knudsen_flux_per_m2_s(
    pressure_pa: float, temperature_k: float, molar_mass_g_per_mol: float, coefficient: float = 1.0
) -> float:
    """Atoms leaving a surface per m² per s: ``α p / sqrt(2π m k_B T)``."""
    require_positive(temperature_k=temperature_k, molar_mass_g_per_mol=molar_mass_g_per_mol)
    if pressure_pa < 0.0:
        raise ModelInputError(f"vapour pressure {pressure_pa:g} Pa is negative")
    mass_kg = molar_mass_g_per_mol * ATOMIC_MASS_KG
    return coefficient * pressure_pa / math.sqrt(2.0 * math.pi * mass_kg * BOLTZMANN_J_PER_K * temperature_k)


def lithium_evaporation_rate_nm_per_s(params: EvaporationParams = DEFAULT_PARAMS.evaporation) -> float:
    """On-axis lithium growth rate from a small cosine source (Hertz–Knudsen × A / πh²)."""
    temperature_k = params.source_temperature_degc + KELVIN_OFFSET
    flux = hertz_knudsen_flux_per_m2_s(
        lithium_vapour_pressure_pa(temperature_k),
        temperature_k,
        LITHIUM_MOLAR_MASS_G_PER_MOL,
        params.evaporation_coefficient,
    )
    atoms_per_s = flux * params.source_area_cm2 * 1e-4
    arrival_per_m2_s = atoms_per_s / (math.pi * (params.distance_cm * 1e-2) ** 2)
    atomic_volume_m3 = LITHIUM_MOLAR_MASS_G_PER_MOL / (LITHIUM_DENSITY_G_PER_CM3 * 1e6) / AVOGADRO_PER_MOL
    return arrival_per_m2_s * atomic_volume_m3 * 1e9


def sputtering_rate_nm_per_s(material_kind: str, params: SputteringParams = DEFAULT_PARAMS.sputtering) -> float:
    """Sputtered film growth rate, proportional to the target power."""
    per_w = params.lithium_nm_per_s_per_w if _kind(material_kind) == "lithium" else params.electrolyte_nm_per_s_per_w
    return per_w * params.power_w


def evaporation_rate_nm_per_s(material_kind: str, params: EvaporationParams = DEFAULT_PARAMS.evaporation) -> float:
    """Evaporated film growth rate: Hertz–Knudsen for lithium, the stated estimate for a sulfide."""
    if _kind(material_kind) == "lithium":
        return lithium_evaporation_rate_nm_per_s(params)
    return params.electrolyte_rate_nm_per_s


def laser_ablation_rate_nm_per_s(
    material_kind: str, params: LaserAblationParams = DEFAULT_PARAMS.laser_ablation
) -> float:
    """Pulsed-laser film growth rate: thickness per pulse × repetition rate."""
    per_pulse = params.lithium_nm_per_pulse if _kind(material_kind) == "lithium" else params.electrolyte_nm_per_pulse
    return per_pulse * params.pulse_rate_hz


def ion_plating_rate_nm_per_s(material_kind: str, params: IonPlatingParams = DEFAULT_PARAMS.ion_plating) -> float:
    """Ion-plated film growth rate: the evaporation rate less the bias re-sputtering."""
    return params.net_fraction * evaporation_rate_nm_per_s(material_kind, params.evaporation)


def deposition_rate_nm_per_s(method: str, material_kind: str, params: DepositionParams = DEFAULT_PARAMS) -> float:
    """Film growth rate of ``material_kind`` (``'lithium'`` | ``'solid-electrolyte'``) by ``method``."""
    if method == "sputtering":
        return sputtering_rate_nm_per_s(material_kind, params.sputtering)
    if method == "vacuum-evaporation":
        return evaporation_rate_nm_per_s(material_kind, params.evaporation)
    if method == "laser-ablation":
        return laser_ablation_rate_nm_per_s(material_kind, params.laser_ablation)
    if method == "ion-plating":
        return ion_plating_rate_nm_per_s(material_kind, params.ion_plating)
    raise ModelInputError(
        f"unknown deposition method {method!r}",
        hint=f"use one of {', '.join(METHODS)} (claims 16, 32, 48)",
    )


def params_for(power_w: float = 0.0) -> DepositionParams:
    """The default parameters with a stated sputtering power (``0``: none stated)."""
    return DEFAULT_PARAMS if power_w == 0.0 else DEFAULT_PARAMS.override(power_w=power_w)


def time_for_thickness_s(thickness_um: float, rate_nm_per_s: float) -> float:
    """Seconds to grow ``thickness_um`` at ``rate_nm_per_s``."""
    if thickness_um < 0.0:
        raise ModelInputError(f"film thickness {thickness_um:g} µm is negative")
    require_positive(rate_nm_per_s=rate_nm_per_s)
    return thickness_um * 1000.0 / rate_nm_per_s


def deposition_time_s(
    method: str, material_kind: str, thickness_um: float, params: DepositionParams = DEFAULT_PARAMS
) -> float:
    """Seconds to deposit ``thickness_um`` of ``material_kind`` by ``method``."""
    return time_for_thickness_s(thickness_um, deposition_rate_nm_per_s(method, material_kind, params))


def uniformity(x_over_h: float) -> float:
    """Relative thickness ``t/t0 = [1 + (x/h)²]^−2`` of a small cosine source at lateral offset x, height h."""
    return float((1.0 + x_over_h * x_over_h) ** -2)
