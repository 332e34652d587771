"""What a batch made, and whether it passes: the electrode judged against spec and exposure.

The film properties come from the calibrated models (:mod:`anodeline.prediction`), with
the thickness the thickness monitor (QCM) measured, grown at the effective temperature of
the substrate's thermal history (setpoint + plasma heating at the layer's power over the
procedure's deposition time, then the anneal; ``thermal_history`` in the record). Damage from the atmosphere met on the
way comes from the exposure ledger's doses through :mod:`anodeline.physics.degradation`:

- σ25 of the electrolyte × ``conductivity_retention(dose)`` — the H2O/O2 dose the
  electrode met while unsealed after its electrolyte was deposited, for a dense film of the
  measured thickness (less surface per gram than the calibration powder);
- the lithium surface film: the foil's native film plus what the lithium's whole unsealed
  dose grew on it.

The verdict fails, with a reason for each, when: the run did not complete; σ25 is below
``spec.min_conductivity`` (or its claims floor, 1e-4 S/cm, when the spec states none) — the
reason gives P(σ25 ≥ spec) from the model's predictive distribution; σ25 is not predicted
because no data or prior supports the film's chemistry (it cannot be shown to meet the spec);
Ea is above ``spec.max_activation_energy``; the film is not amorphous (claims 14, 30, 46);
its thickness map (:mod:`anodeline.film_map`) varies more than ``spec.max_thickness_nonuniformity``;
or any air-sensitive item met O2 or H2O above the recipe's ``atmosphere.max_o2`` /
``max_h2o`` while unsealed (the exposure limit the interlocks enforce).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from anodeline.film_map import recipe_film_map
from anodeline.physics.degradation import conductivity_retention, lithium_film_nm
from anodeline.physics.deposition.film_map import FilmMap
from anodeline.prediction import RecipePrediction, conductivity_spec_s_per_cm
from anodeline.recipe.schema import Recipe
from anodeline.records.exposure import ExposureInterval


@dataclass(frozen=True)
class Exposure:
    """One item's exposure summary over the batch (while not sealed in a closed container)."""

    item: str
    max_o2_ppm: float
    max_h2o_ppm: float
    o2_dose_ppm_s: float
    h2o_dose_ppm_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "max_o2_ppm": self.max_o2_ppm,
            "max_h2o_ppm": self.max_h2o_ppm,
            "o2_dose_ppm_s": self.o2_dose_ppm_s,
            "h2o_dose_ppm_s": self.h2o_dose_ppm_s,
        }


def summarise(item: str, intervals: Iterable[ExposureInterval], since_s: float = 0.0) -> Exposure:
    """An item's exposure over its intervals starting at or after ``since_s``."""
    chosen = [i for i in intervals if i.end_s >= since_s]
    return Exposure(
        item=item,
        max_o2_ppm=max((i.max_o2_ppm for i in chosen), default=0.0),
        max_h2o_ppm=max((i.max_h2o_ppm for i in chosen), default=0.0),
        o2_dose_ppm_s=sum(i.o2_dose_ppm_s for i in chosen),
        h2o_dose_ppm_s=sum(i.h2o_dose_ppm_s for i in chosen),
    )


@dataclass(frozen=True)
class Electrode:
    """The finished negative electrode as the batch made it."""

    id: str
    layers: tuple[tuple[str, str, float], ...]  # (name, kind, measured thickness µm)
    thickness_um: float  # the top electrolyte film, as measured
    composition: Mapping[str, float]
    sigma25_s_per_cm: float | None  # None: not predicted (no data or prior supports the chemistry)
    sigma25_as_deposited_s_per_cm: float | None
    conductivity_retention: float
    ea_kj_per_mol: float | None
    amorphous: bool | None
    lithium_surface_film_nm: float
    #: the top film's thickness map at the measured centre thickness (min, max, nonuniformity)
    thickness_map: Mapping[str, float] = field(default_factory=dict)
    sigma25_p_meets_spec: float | None = None
    not_predicted: str | None = None
    #: the top film's substrate history: setpoint, plasma heating, effective temperature, anneal
    thermal_history: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "thickness_um": self.thickness_um,
            "layers": [{"name": n, "kind": k, "thickness_um": t} for n, k, t in self.layers],
            "composition": dict(self.composition),
            "sigma25_S_per_cm": self.sigma25_s_per_cm,
            "sigma25_as_deposited_S_per_cm": self.sigma25_as_deposited_s_per_cm,
            "conductivity_retention": self.conductivity_retention,
            "ea_kj_per_mol": self.ea_kj_per_mol,
            "amorphous": self.amorphous,
            "lithium_surface_film_nm": self.lithium_surface_film_nm,
            "thickness_map": dict(self.thickness_map),
            "sigma25_p_meets_spec": self.sigma25_p_meets_spec,
            "thermal_history": dict(self.thermal_history),
        } | ({"not_predicted": self.not_predicted} if self.not_predicted is not None else {})


@dataclass(frozen=True)
class Judgement:
    verdict: str  # pass | fail
    reasons: tuple[str, ...] = field(default_factory=tuple)


def electrode_from(
    electrode_id: str,
    recipe: Recipe,
    prediction: RecipePrediction,
    measured_um: Mapping[str, float],
    electrode_exposure: Exposure | None,
    lithium_exposure: Exposure | None,
) -> Electrode:
    """The electrode: predicted film at the measured thickness, degraded by its doses."""
    layers = tuple(
        (layer.name, layer.kind, measured_um.get(layer.name, float(layer.thickness.to("um").magnitude)))
        for layer in recipe.layers
    )
    top = prediction.electrolyte
    film = top.film
    thickness_um = measured_um.get(top.name, top.thickness_um)
    retention = 1.0
    if electrode_exposure is not None:
        retention = conductivity_retention(
            electrode_exposure.h2o_dose_ppm_s, electrode_exposure.o2_dose_ppm_s, film_thickness_um=thickness_um
        )
    # the foil's native film (Seo et al. 2022, est. 20 nm) plus what its unsealed dose grew on it
    surface_nm = lithium_film_nm(0.0)
    if lithium_exposure is not None:
        surface_nm = lithium_film_nm(lithium_exposure.h2o_dose_ppm_s, lithium_exposure.o2_dose_ppm_s)
    mapped = recipe_film_map(recipe, thickness_um)
    thickness_map = {} if mapped is None else _map_summary(mapped)
    thermal = {} if top.thermal is None else top.thermal.to_dict()
    if film is None:
        return Electrode(
            electrode_id, layers, thickness_um, {}, None, None, retention, None, None, surface_nm, thickness_map,
            not_predicted=top.not_predicted or "σ25 not predicted", thermal_history=thermal,
        )  # fmt: skip
    p_meets = None
    if retention > 0:
        spec = conductivity_spec_s_per_cm(recipe)
        p_meets = film.sigma25_distribution.shifted(math.log(retention)).p_at_least(spec)
    return Electrode(
        id=electrode_id,
        layers=layers,
        thickness_um=thickness_um,
        composition=dict(film.film_fractions),
        sigma25_s_per_cm=film.sigma25_s_per_cm * retention,
        sigma25_as_deposited_s_per_cm=film.sigma25_s_per_cm,
        conductivity_retention=retention,
        ea_kj_per_mol=film.ea_kj_per_mol,
        amorphous=film.amorphous,
        lithium_surface_film_nm=surface_nm,
        thickness_map=thickness_map,
        sigma25_p_meets_spec=0.0 if p_meets is None else p_meets,
        thermal_history=thermal,
    )


def _map_summary(mapped: FilmMap) -> dict[str, float]:
    summary = mapped.summary()
    return {key: summary[key] for key in ("min_um", "max_um", "nonuniformity")}


def judge(recipe: Recipe, status: str, electrode: Electrode | None, exposures: list[Exposure]) -> Judgement:
    """Pass only a complete run whose electrode meets the spec and whose items stayed within limits."""
    reasons: list[str] = []
    if status != "complete":
        reasons.append(f"the batch ended {status}, not complete")
    if electrode is not None:
        floor = conductivity_spec_s_per_cm(recipe)
        if electrode.sigma25_s_per_cm is None:
            reasons.append(f"{electrode.not_predicted or 'σ25 not predicted'}: the film cannot be shown to meet "
                           f"the spec {floor:.3g} S/cm")  # fmt: skip
        elif electrode.sigma25_s_per_cm < floor:
            chance = (
                ""
                if electrode.sigma25_p_meets_spec is None
                else f" (P(σ25 ≥ spec) = {electrode.sigma25_p_meets_spec:.2f})"
            )
            reasons.append(f"σ25 {electrode.sigma25_s_per_cm:.3g} S/cm is below the spec {floor:.3g} S/cm{chance}")
        spec = recipe.spec
        if spec.max_activation_energy is not None and electrode.ea_kj_per_mol is not None:
            ceiling = float(spec.max_activation_energy.to("kJ/mol").magnitude)
            if electrode.ea_kj_per_mol > ceiling:
                reasons.append(f"Ea {electrode.ea_kj_per_mol:.3g} kJ/mol is above the spec {ceiling:.3g} kJ/mol")
        if electrode.amorphous is False:
            reasons.append("the electrolyte film is not amorphous (claims 14, 30, 46)")
        spread = electrode.thickness_map.get("nonuniformity")
        if spec.max_thickness_nonuniformity is not None and spread is not None:
            limit = float(spec.max_thickness_nonuniformity.to("dimensionless").magnitude)
            if spread > limit:
                reasons.append(
                    f"film thickness varies ±{100 * spread:.2g} % over the substrate (spec ±{100 * limit:.2g} %)"
                )
    max_o2 = float(recipe.atmosphere.max_o2.to("ppm").magnitude)
    max_h2o = float(recipe.atmosphere.max_h2o.to("ppm").magnitude)
    for exposure in exposures:
        if exposure.max_o2_ppm > max_o2:
            reasons.append(f"{exposure.item} met {exposure.max_o2_ppm:.3g} ppm O2 unsealed (limit {max_o2:g} ppm)")
        if exposure.max_h2o_ppm > max_h2o:
            reasons.append(f"{exposure.item} met {exposure.max_h2o_ppm:.3g} ppm H2O unsealed (limit {max_h2o:g} ppm)")
    return Judgement("fail" if reasons else "pass", tuple(reasons))
