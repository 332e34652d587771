"""Chamber gas, purity, dry-air dew point, impurity limits, process gas and vacuum."""

from __future__ import annotations

from collections.abc import Iterator

from anodeline import window
from anodeline.chemistry import gases
from anodeline.documents.violations import Severity
from anodeline.recipe.rules.base import Finding, rule
from anodeline.recipe.schema import Recipe

E, W = Severity.ERROR, Severity.WARNING

_GAS_SOURCE = "claims 10, 11, 26, 27, 42 and 43"


@rule(
    "ATM001", E, "Chamber gas not allowed",
    description="Glove chambers and the apparatus are filled with He, N2, Ne, Ar, Kr, a mixture of two or "
    "more of these (written Ar+He), or dry air with a dew point of −50 °C or below.",
    source=_GAS_SOURCE,
    hint="use He, N2, Ne, Ar, Kr, a mixture such as Ar+He, or dry-air with dew_point <= -50 degC",
)  # fmt: skip
def chamber_gas(recipe: Recipe) -> Iterator[Finding]:
    parts = gases.components(recipe.atmosphere.gas)
    if parts == (gases.DRY_AIR,):
        return
    if not parts:
        yield Finding("atmosphere.gas", "the chamber gas is empty")
    elif gases.DRY_AIR in parts:
        yield Finding("atmosphere.gas", "dry air cannot be part of a mixture; the claims mix only inert gases")
    else:
        unknown = [part for part in parts if part not in gases.CHAMBER_GASES]
        if unknown:
            yield Finding("atmosphere.gas", f"{', '.join(unknown)} is not among He, N2, Ne, Ar, Kr or dry-air")


@rule(
    "ATM002", E, "Gas purity below 99.99 %",
    description="The gas must be at least 99.99 % pure so that its water does not degrade lithium.",
    source="patent description (purity at least 99.99 %); Example 1 (argon of 99.99 % purity)",
    hint="use gas of 99.99 % purity or better (grade 4.0 or higher)",
)  # fmt: skip
def purity(recipe: Recipe) -> Iterator[Finding]:
    value = float(recipe.atmosphere.purity.to("dimensionless").magnitude)  # at most 100 %: its type says so
    if value < window.GAS_PURITY_MIN - 1e-12:
        yield Finding("atmosphere.purity", f"purity {100 * value:g} % is below {100 * window.GAS_PURITY_MIN:g} %")


@rule(
    "ATM003", E, "Dry air without a dew point",
    source=_GAS_SOURCE,
    hint="state atmosphere.dew_point, at or below -50 degC",
)  # fmt: skip
def dry_air_needs_dew_point(recipe: Recipe) -> Iterator[Finding]:
    if gases.is_dry_air(recipe.atmosphere.gas) and recipe.atmosphere.dew_point is None:
        yield Finding("atmosphere", "dry air is allowed only with a stated dew point of -50 °C or below")


@rule(
    "ATM004", E, "Dry air dew point above −50 °C",
    source=_GAS_SOURCE,
    hint="dry the air to a dew point of -50 degC or below",
)  # fmt: skip
def dry_air_dew_point(recipe: Recipe) -> Iterator[Finding]:
    dew_point = recipe.atmosphere.dew_point
    if gases.is_dry_air(recipe.atmosphere.gas) and dew_point is not None:
        degc = float(dew_point.to("degC").magnitude)
        if degc > window.DRY_AIR_DEW_POINT_MAX_DEGC:
            yield Finding("atmosphere.dew_point", f"dew point {degc:g} °C is above -50 °C")


@rule(
    "ATM005", E, "Deposition gas reacts with lithium",
    description="The deposition itself runs in a gas inactive to lithium: He, Ne, Ar, Kr or their mixtures. "
    "Dry air carries 21 % O2 and cannot be a sputtering or ablation atmosphere over lithium.",
    source="patent description (deposition atmosphere: He, Ne, Ar, Kr or mixtures)",
    hint="set deposition.process_gas to Ar (or He, Ne, Kr)",
)  # fmt: skip
def process_gas(recipe: Recipe) -> Iterator[Finding]:
    if recipe.deposition.process_gas is None:
        # the chamber gas is used; ATM001 already names unknown gases, only dry air is new here
        if gases.is_dry_air(recipe.atmosphere.gas):
            yield Finding("deposition", "without a process_gas the deposition would run in dry air")
        return
    bad = [part for part in gases.components(recipe.process_gas) if part not in gases.CHAMBER_GASES]
    if bad:
        yield Finding("deposition.process_gas", f"{', '.join(bad)} cannot be the deposition gas")


@rule(
    "ATM006", W, "Nitrogen as the deposition gas",
    description="N2 is allowed in the glove chambers, but the description names only noble gases for the "
    "deposition atmosphere: nitrogen can be incorporated in the film and, with heated or plasma-activated "
    "lithium, forms Li3N.",
    source="patent description (deposition atmosphere); Markowitz & Boryta, J. Chem. Eng. Data 7 (1962) 586",
    hint="set deposition.process_gas to Ar (the chambers may stay under N2)",
)  # fmt: skip
def nitrogen_process_gas(recipe: Recipe) -> Iterator[Finding]:
    if gases.contains_nitrogen(recipe.process_gas):
        path = "deposition.process_gas" if recipe.deposition.process_gas else "atmosphere.gas"
        yield Finding(path, f"deposition would run in {recipe.process_gas}")


@rule(
    "ATM007", E, "Water limit looser than dry air at a −50 °C dew point",
    description="atmosphere.max_h2o is the ceiling the interlocks hold the chambers to. Above 38.9 ppmv "
    "(frost point −50 °C at 1 atm, Murphy & Koop 2005) it is looser than the driest gas the claims accept, "
    "and the plan would purge less than the claims require.",
    source=window.MAX_H2O_PPM.source,
    hint="set max_h2o to 38.9 ppm or less (10 ppm, a −60 °C frost point, is the default)",
)  # fmt: skip
def water_limit(recipe: Recipe) -> Iterator[Finding]:
    ppm = float(recipe.atmosphere.max_h2o.to("ppm").magnitude)
    if not window.MAX_H2O_PPM.contains(ppm):
        yield Finding("atmosphere.max_h2o", f"max_h2o {ppm:g} ppm allows more water than a -50 °C dew point")


@rule(
    "ATM009", E, "Oxygen limit looser than the impurities of 99.99 % gas",
    description="atmosphere.max_o2 is the ceiling the interlocks hold the chambers to. Gas of the 99.99 % "
    "purity the patent requires carries at most 100 ppm of anything else; a looser O2 limit would accept "
    "an atmosphere no allowed gas can be.",
    source=window.MAX_O2_PPM.source,
    hint="set max_o2 to 100 ppm or less (10 ppm is the default)",
)  # fmt: skip
def oxygen_limit(recipe: Recipe) -> Iterator[Finding]:
    ppm = float(recipe.atmosphere.max_o2.to("ppm").magnitude)
    if not window.MAX_O2_PPM.contains(ppm):
        yield Finding("atmosphere.max_o2", f"max_o2 {ppm:g} ppm is above the {window.IMPURITY_MAX_PPM:g} ppm "
                      "of impurities in 99.99 % gas")  # fmt: skip


@rule(
    "VAC001", E, "Background vacuum worse than 1.33e-4 Pa",
    description="The background pressure of the deposition must be 1.33e-4 Pa (1e-6 Torr) or lower: a "
    "poorer vacuum lets water oxidise the lithium under the growing film.",
    source="patent description (background vacuum not higher than 1.33e-4 Pa)",
    hint="pump the apparatus to 1.33e-4 Pa or below before depositing (a turbo or cryo pump is needed)",
)  # fmt: skip
def base_pressure(recipe: Recipe) -> Iterator[Finding]:
    pa = float(recipe.deposition.base_pressure.to("Pa").magnitude)
    if pa > window.BASE_PRESSURE_MAX_PA:
        yield Finding(
            "deposition.base_pressure", f"base pressure {pa:g} Pa is above {window.BASE_PRESSURE_MAX_PA:g} Pa"
        )


@rule(
    "VAC003", E, "Working pressure not above the base pressure",
    description="The process gas is admitted after the apparatus reaches its base pressure, so the working "
    "pressure (e.g. 0.5 Pa Ar for sputtering) must be above it.",
    source="physics (process gas raises the pressure from the background vacuum)",
    hint="set working_pressure above base_pressure (sputtering typically 0.1–3 Pa)",
)  # fmt: skip
def working_pressure(recipe: Recipe) -> Iterator[Finding]:
    working, base = recipe.deposition.working_pressure, recipe.deposition.base_pressure
    if working is not None and working <= base:
        yield Finding("deposition.working_pressure", f"working pressure {working:~P} is not above {base:~P}")
