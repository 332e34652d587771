"""Damage done to lithium and to the sulfide film by water (and oxygen) met on the way.

Every function takes a cumulative dose ``D = ∫ x(H2O) dt`` in ppm·s (mole fraction at
~1 atm total pressure; :func:`dose_from_partial_pressure_ppm_s` converts a vacuum
partial pressure), so an exposure ledger sums doses and asks once. All outputs are
non-decreasing in dose.

**Lithium surface film** (LiOH / Li2O / Li2CO3). Dry N2, O2 and CO2 barely react with Li
at room temperature; water drives the corrosion (Markowitz & Boryta 1962). Linear rate
per ppm from Seo et al. 2022 (arXiv:2209.10138): ~24 nm/min in room air at ~50 % RH,
~12 000 ppmv H2O at 20 °C → ``k = 24 / 60 / 12 000 = 3.33e-5 nm s⁻¹ ppm⁻¹`` (1 ppm →
0.12 nm/h; −50 °C frost point, 38.9 ppmv → 4.7 nm/h). Once the film is thick, water must
diffuse through it (D ≈ 5.1e-12 cm²/s, Otero et al. 2016) and growth turns parabolic.
Both rates scale with the water partial pressure, so the Deal–Grove form holds in dose,
starting from the native film ``x0`` every real foil carries::

    x² + A x = A k D_eff + x0² + A x0,      D_eff = D_H2O + r_O2 · D_O2

with ``A`` the linear-to-parabolic transition thickness (est. 100 nm; it implies a water
concentration at the film surface of ~1e17 cm⁻³ per ppm, a few % of LiOH sites in room
air — plausible for a hygroscopic hydroxide). Default regime: ``"deal-grove"``; it is the
linear law within 5 % below ~5 nm (every glove-box exposure) and bends below it for air
exposures. ``regime="linear"`` gives the upper bound ``x = x0 + k D_eff``.

Native film ``x0 = 20 nm`` (est.): Seo et al. 2022 find "a few tens of nm" of lithium oxides
and carbonates even on lithium cleaned and polished inside a glove box (XPS and
ellipsometry); 20 nm is the low end, as-received foil may carry more. Growth on top of it is
slower than on clean lithium (the water must already cross x0).

O2: dry O2 does not visibly react with lithium at room temperature; moisture is needed
(Markowitz & Boryta 1962). Read as "< 10 nm in 24 h in dry O2 at 1 atm" (est. reading of a
qualitative result, no rate is published): ``r_O2 ≤ 10 / (k · 1e6 · 86 400) ≈ 3.5e-6``; 3e-6 is
used. The former 0.01 made dry air's O2 (209 460 ppm) count 50× more than its water at a
−50 °C dew point (38.9 ppm); now its O2 counts 0.63 ppm-equivalent, 1/60 of its water.

**Sulfide hydrolysis** (Li3PS4-type glass + H2O → H2S). Yersak et al., Front. Energy Res.
2022 (doi:10.3389/fenrg.2022.882508): Li3PS4 + LiI powder, 30 min at −40 °C dew point
(126.8 ppmv; D = 228 240 ppm·s) → 0.1 cm³/g H2S and > 50 % conductivity loss. Model (est.)::

    V_H2S = V_max (1 − exp(−k_H2S D / V_max))      (linear, capped by the sulfur content)
    σ/σ0  = exp(−k_σ D),   k_σ = −ln(0.45) / 228 240 ppm·s

**Powder against dense film** (estimate, surface-area argument). Hydrolysis at these doses
is surface-limited: 0.1 cm³/g of H2S is 4.5e-6 mol/g, on ~2 m²/g of milled powder a reacted
depth of ~0.06 nm of Li3PS4 — the damage scales with the area exposed per gram. A dense film
of thickness t exposes one face: ``S_film = 1 / (ρ t)`` (ρ = 1.9 g/cm³, est. for these
glasses), 0.53 m²/g at 1 µm. A milled glass powder: ``S_powder`` = 2 m²/g (est.: 6/(ρ d) =
0.63 m²/g geometric for d = 5 µm, × ~3 roughness). Both the H2S per gram and the reacted
volume fraction (taken to cost the same σ per reacted fraction, est.) scale by
``f = min(1, S_film / S_powder)`` — 0.26 for 1 µm, so a 1 µm film is ~4× less sensitive
than the calibration powder, not "far" less; a 0.2 µm film is as sensitive as the powder.
The calibration is one dew point (Yersak et al. studied −76 to −40 °C; only the −40 °C
figures are quoted here), so the linear-in-dose law is not tested across dew points.

**Li3N**: N2 reacts with lithium in moist air or when the lithium is heated (Markowitz &
Boryta, J. Chem. Eng. Data 7 (1962) 586): :func:`lithium3n_risk` warns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from anodeline.chemistry.gases import DRY_AIR, components
from anodeline.errors import ModelInputError
from anodeline.physics.checks import require_non_negative, require_positive
from anodeline.window import LITHIUM_MELTING_DEGC, ROOM_TEMPERATURE_DEGC

LithiumRegime = Literal["deal-grove", "linear"]

STANDARD_PRESSURE_PA = 101_325.0
MOLAR_VOLUME_STP_CM3 = 22_414.0  # ideal gas at 0 °C, 1 atm (CODATA)

#: Room-air reference of the lithium rate (Seo et al. 2022): ~50 % RH at 20 °C ≈ 12 000 ppmv H2O.
ROOM_AIR_H2O_PPM = 12_000.0
ROOM_AIR_LITHIUM_NM_PER_MIN = 24.0
#: Yersak et al. 2022 calibration point: 30 min at −40 °C frost point (126.8 ppmv, Murphy & Koop 2005).
YERSAK_DOSE_PPM_S = 126.8 * 30.0 * 60.0
YERSAK_H2S_CM3_PER_G = 0.1


@dataclass(frozen=True)
class LithiumCorrosionParams:
    """Lithium surface-film growth per ppm·s of water (and O2 as a small water-equivalent)."""

    #: 24 nm/min at ~12 000 ppmv H2O (Seo et al. 2022, arXiv:2209.10138), scaled linearly.
    linear_nm_per_ppm_s: float = ROOM_AIR_LITHIUM_NM_PER_MIN / 60.0 / ROOM_AIR_H2O_PPM
    #: Linear→parabolic transition thickness A of the Deal–Grove form (est.; diffusion through LiOH,
    #: D ≈ 5.1e-12 cm²/s, Otero et al. 2016).
    transition_nm: float = 100.0
    #: Water-equivalents of one ppm O2: dry O2 shows no visible reaction at room temperature (Markowitz &
    #: Boryta 1962), read as < 10 nm in 24 h at 1 atm → ≤ 3.5e-6 (est. reading of a qualitative result).
    o2_water_equivalent: float = 3e-6
    #: Native film of lithium oxides/carbonates: "a few tens of nm" even after cleaning in a glove box
    #: (Seo et al. 2022); 20 nm, the low end (est.).
    native_film_nm: float = 20.0
    source: str = "Seo et al. 2022 (arXiv:2209.10138); Otero et al. 2016; Markowitz & Boryta 1962; A, r_O2, x0 est."

    def __post_init__(self) -> None:
        require_positive(linear_nm_per_ppm_s=self.linear_nm_per_ppm_s, transition_nm=self.transition_nm)
        require_non_negative(o2_water_equivalent=self.o2_water_equivalent, native_film_nm=self.native_film_nm)


@dataclass(frozen=True)
class SulfideHydrolysisParams:
    """H2S release and conductivity loss of a Li3PS4-type sulfide per ppm·s of water."""

    h2s_cm3_per_g_per_ppm_s: float = YERSAK_H2S_CM3_PER_G / YERSAK_DOSE_PPM_S  # Yersak et al. 2022
    #: Cap: every S of Li3PS4 (215.3 g/mol, 4 S) leaves as H2S, 4 × 22 414 / 215.3 cm³/g (stoichiometry).
    h2s_capacity_cm3_per_g: float = 4.0 * MOLAR_VOLUME_STP_CM3 / 215.3
    #: σ retention 0.45 at the Yersak dose (">50 % loss", read as 55 %, est.).
    conductivity_loss_per_ppm_s: float = -math.log(0.45) / YERSAK_DOSE_PPM_S
    o2_water_equivalent: float = 0.0  # sulfides react with O2 far slower than with H2O (est.)
    source: str = "Yersak et al., Front. Energy Res. 2022, doi:10.3389/fenrg.2022.882508 (linear-in-dose est.)"

    def __post_init__(self) -> None:
        require_positive(
            h2s_cm3_per_g_per_ppm_s=self.h2s_cm3_per_g_per_ppm_s,
            h2s_capacity_cm3_per_g=self.h2s_capacity_cm3_per_g,
            conductivity_loss_per_ppm_s=self.conductivity_loss_per_ppm_s,
        )
        require_non_negative(o2_water_equivalent=self.o2_water_equivalent)


DEFAULT_LITHIUM = LithiumCorrosionParams()
#: Clean lithium (no native film): the growth law alone, as the rate references measure it.
CLEAN_LITHIUM = LithiumCorrosionParams(native_film_nm=0.0)
DEFAULT_SULFIDE = SulfideHydrolysisParams()

#: Sulfide glass density (g/cm³, est.: Li2S–SiS2 / Li2S–P2S5 glasses are 1.8–2.0).
SULFIDE_DENSITY_G_PER_CM3 = 1.9
#: Specific surface of the milled calibration powder (m²/g, est.: 6/(ρd) = 0.63 for d = 5 µm, × ~3 roughness).
POWDER_SPECIFIC_AREA_M2_PER_G = 2.0


def dense_film_factor(
    thickness_um: float | None,
    density_g_per_cm3: float = SULFIDE_DENSITY_G_PER_CM3,
    powder_area_m2_per_g: float = POWDER_SPECIFIC_AREA_M2_PER_G,
) -> float:
    """Damage of a dense film per dose relative to the calibration powder: ``min(1, S_film / S_powder)``.

    ``None`` is the powder itself (1.0). A film exposes one face, ``S_film = 1 / (ρ t)``.
    """
    if thickness_um is None:
        return 1.0
    require_positive(thickness_um=thickness_um, density_g_per_cm3=density_g_per_cm3,
                     powder_area_m2_per_g=powder_area_m2_per_g)  # fmt: skip
    film_m2_per_g = 1.0 / (density_g_per_cm3 * 1e6 * thickness_um * 1e-6)
    return min(1.0, film_m2_per_g / powder_area_m2_per_g)


def dose_ppm_s(ppm: float, seconds: float) -> float:
    """Dose of a constant mole fraction held for ``seconds``."""
    require_non_negative(ppm=ppm, seconds=seconds)
    return ppm * seconds


def dose_from_partial_pressure_ppm_s(partial_pressure_pa: float, seconds: float) -> float:
    """Dose of a gas at ``partial_pressure_pa`` (e.g. residual water in vacuum), as ppm of 1 atm · s."""
    require_non_negative(partial_pressure_pa=partial_pressure_pa, seconds=seconds)
    return partial_pressure_pa / STANDARD_PRESSURE_PA * 1e6 * seconds


def lithium_film_nm(
    h2o_dose_ppm_s: float,
    o2_dose_ppm_s: float = 0.0,
    params: LithiumCorrosionParams = DEFAULT_LITHIUM,
    regime: LithiumRegime = "deal-grove",
) -> float:
    """Surface-film thickness on lithium after the doses: the native film plus what they grew on it."""
    require_non_negative(h2o_dose_ppm_s=h2o_dose_ppm_s, o2_dose_ppm_s=o2_dose_ppm_s)
    dose = h2o_dose_ppm_s + params.o2_water_equivalent * o2_dose_ppm_s
    linear_nm = params.linear_nm_per_ppm_s * dose
    x0, a = params.native_film_nm, params.transition_nm
    if regime == "linear":
        return x0 + linear_nm
    if regime != "deal-grove":
        raise ModelInputError(f"unknown lithium growth regime {regime!r}", hint="use 'deal-grove' or 'linear'")
    # Growth y = x − x0 solves y² + b·y = A·k·D with b = 2·x0 + A; written to stay accurate when A·k·D ≪ b².
    half_b = x0 + 0.5 * a
    c = a * linear_nm
    return x0 + c / (half_b + math.sqrt(half_b * half_b + c))


def lithium_rate_nm_per_h(h2o_ppm: float, params: LithiumCorrosionParams = DEFAULT_LITHIUM) -> float:
    """Initial (linear-regime) film growth rate on fresh lithium at a steady water level."""
    require_non_negative(h2o_ppm=h2o_ppm)
    return params.linear_nm_per_ppm_s * h2o_ppm * 3600.0


def h2s_released_cm3_per_g(
    h2o_dose_ppm_s: float,
    o2_dose_ppm_s: float = 0.0,
    params: SulfideHydrolysisParams = DEFAULT_SULFIDE,
    film_thickness_um: float | None = None,
) -> float:
    """H2S (cm³ at STP) released per gram of sulfide by the dose; linear, capped by the sulfur content.

    ``film_thickness_um``: a dense film of that thickness (:func:`dense_film_factor`); ``None``: the powder.
    """
    require_non_negative(h2o_dose_ppm_s=h2o_dose_ppm_s, o2_dose_ppm_s=o2_dose_ppm_s)
    dose = (h2o_dose_ppm_s + params.o2_water_equivalent * o2_dose_ppm_s) * dense_film_factor(film_thickness_um)
    cap = params.h2s_capacity_cm3_per_g
    return cap * -math.expm1(-params.h2s_cm3_per_g_per_ppm_s * dose / cap)


def conductivity_retention(
    h2o_dose_ppm_s: float,
    o2_dose_ppm_s: float = 0.0,
    params: SulfideHydrolysisParams = DEFAULT_SULFIDE,
    film_thickness_um: float | None = None,
) -> float:
    """σ/σ0 of the sulfide after the dose: ``exp(−k_σ f D)``, in [0, 1] (f: :func:`dense_film_factor`)."""
    require_non_negative(h2o_dose_ppm_s=h2o_dose_ppm_s, o2_dose_ppm_s=o2_dose_ppm_s)
    dose = (h2o_dose_ppm_s + params.o2_water_equivalent * o2_dose_ppm_s) * dense_film_factor(film_thickness_um)
    return math.exp(-params.conductivity_loss_per_ppm_s * dose)


def lithium3n_risk(gas: str, temperature_degc: float) -> str | None:
    """A warning when lithium meets nitrogen hot enough to grow Li3N, else ``None``.

    Dry N2 barely reacts with lithium at room temperature (≤ 35 °C, the patent's room
    temperature), so N2 is allowed by claims 10, 11; heated lithium nitrides, and molten
    lithium (≥ 179 °C) burns in N2 (Markowitz & Boryta 1962). Dry air is 78 % N2.
    """
    names = components(gas)
    carries_nitrogen = "N2" in names or DRY_AIR in names or "air" in {name.lower() for name in names}
    if not carries_nitrogen:
        return None
    if temperature_degc >= LITHIUM_MELTING_DEGC:
        return (
            f"lithium at {temperature_degc:g} °C in {gas} is at or above its melting point "
            f"({LITHIUM_MELTING_DEGC:g} °C): Li3N forms rapidly (Markowitz & Boryta 1962); use Ar or He"
        )
    if temperature_degc > ROOM_TEMPERATURE_DEGC.high:
        return (
            f"heating lithium to {temperature_degc:g} °C in {gas} grows a Li3N film (Markowitz & Boryta 1962); "
            "heat in Ar, He, Ne or Kr instead"
        )
    return None
