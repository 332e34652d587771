"""What a recipe will make, before anything moves: film, deposition times and the cell.

Ties the models together for one recipe (no new physics here):

- film composition, σ25 (point, 90 % interval, P(σ25 ≥ spec)), Ea, amorphous, area resistance
  of each electrolyte layer — :func:`anodeline.chemistry.properties.predict_film`, calibrated on
  Tables 1–5 — or, where no data or prior supports it, the reason it is not predicted;
- σ at −20, 0 and 60 °C by the Arrhenius law of that model;
- deposition time of every layer — :mod:`anodeline.physics.deposition.rates` with the
  layer's stated power (sputtering) or the method's default parameters;
- the cell an electrode like this gives (claims 7, 23, 39) — :mod:`anodeline.cell`;
- the substrate's thermal history of each electrolyte layer (setpoint, plasma heating at the
  layer's power, anneal) — :mod:`anodeline.physics.deposition.thermal_history`; the film model
  sees the effective (plasma-heated, time-averaged) deposition temperature, not the setpoint;
- the top electrolyte film's thickness map over the substrate, and from it the range of
  area resistance and the electrode's through-film conductance — :mod:`anodeline.film_map`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from anodeline import window
from anodeline.cell.design import EXAMPLE_1_CELL, CellDesign, ElectrodeStack
from anodeline.cell.model import CellEstimate, estimate_cell
from anodeline.chemistry.properties import FilmPrediction, predict_film, sigma_at
from anodeline.errors import ModelDomainError
from anodeline.film_map import recipe_film_map, substrate_area_cm2
from anodeline.physics.deposition.film_map import FilmMap
from anodeline.physics.deposition.heating import DEFAULT_HEATING
from anodeline.physics.deposition.rates import DEFAULT_PARAMS, deposition_time_s
from anodeline.physics.deposition.thermal_history import ThermalHistory, thermal_history
from anodeline.recipe.schema import Layer, Recipe

#: Temperatures at which σ is reported besides 25 °C (cold start, freezing, hot operation).
REPORT_TEMPERATURES_DEGC: tuple[float, ...] = (-20.0, 0.0, 60.0)


@dataclass(frozen=True)
class LayerPrediction:
    """One layer: how long it takes, and for an electrolyte the film it gives."""

    name: str
    kind: str
    method: str
    thickness_um: float
    deposition_seconds: float
    film: FilmPrediction | None
    sigma_at_degc: tuple[tuple[float, float], ...]
    not_predicted: str | None = None  # why an electrolyte's film is not predicted (no data or prior)
    spec_s_per_cm: float | None = None  # the σ25 the recipe asks for (or the claims' floor)
    thermal: ThermalHistory | None = None  # the substrate's history (electrolyte layers)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "method": self.method,
            "thickness_um": self.thickness_um,
            "deposition_seconds": self.deposition_seconds,
        }
        if self.thermal is not None:
            data["thermal_history"] = self.thermal.to_dict()
        if self.not_predicted is not None:
            data.update(sigma25_S_per_cm=None, not_predicted=self.not_predicted)
        if self.film is not None:
            film = self.film
            data.update(
                composition=film.film_fractions,
                sigma25_S_per_cm=film.sigma25_s_per_cm,
                sigma25_interval_90_S_per_cm=list(film.sigma25_interval_90_s_per_cm),
                sigma25_spec_S_per_cm=self.spec_s_per_cm,
                sigma25_p_meets_spec=self.p_meets_spec,
                ea_kj_per_mol=film.ea_kj_per_mol,
                ea_uncertainty_kj_per_mol=film.ea_uncertainty_kj_per_mol,
                sigma0_S_per_cm=film.sigma0_s_per_cm,
                sigma_S_per_cm_at_degc={f"{t:g}": s for t, s in self.sigma_at_degc},
                amorphous=film.amorphous,
                crystallised_fraction=film.crystallised_fraction,
                crystal_phase=film.crystal_phase,
                glass_transition_degc=film.glass_transition_degc,
                area_resistance_ohm_cm2=film.area_resistance_ohm_cm2,
                in_domain=film.in_domain,
                warnings=list(film.warnings),
            )
        return data

    @property
    def p_meets_spec(self) -> float | None:
        """P(σ25 ≥ spec) of the film, when it is predicted."""
        if self.film is None or self.spec_s_per_cm is None:
            return None
        return self.film.p_at_least(self.spec_s_per_cm)


@dataclass(frozen=True)
class RecipePrediction:
    recipe: str
    layers: tuple[LayerPrediction, ...]
    cell: CellEstimate
    film_map: FilmMap | None = None
    area_cm2: float = 50.0

    @property
    def electrolyte(self) -> LayerPrediction:
        """The top electrolyte layer: the one the electrode's properties are judged by."""
        return [layer for layer in self.layers if layer.kind == "solid-electrolyte"][-1]

    @property
    def not_predicted(self) -> tuple[LayerPrediction, ...]:
        """Electrolyte layers whose film no data or prior supports."""
        return tuple(layer for layer in self.layers if layer.not_predicted is not None)

    @property
    def total_deposition_seconds(self) -> float:
        return sum(layer.deposition_seconds for layer in self.layers)

    def film_map_dict(self) -> dict[str, Any] | None:
        """Map summary with the area resistance range and conductance at the top film's σ25."""
        mapped, film = self.film_map, self.electrolyte.film
        if mapped is None or film is None:
            return None
        low, high = mapped.area_resistance_ohm_cm2(film.sigma25_s_per_cm)
        return {
            **mapped.summary(),
            "area_resistance_ohm_cm2": [low, high],
            "conductance_S": mapped.conductance_s(film.sigma25_s_per_cm, self.area_cm2),
            "area_cm2": self.area_cm2,
        }

    def to_dict(self) -> dict[str, Any]:
        cell = self.cell
        return {
            "recipe": self.recipe,
            "layers": [layer.to_dict() for layer in self.layers],
            "total_deposition_seconds": self.total_deposition_seconds,
            "film_map": self.film_map_dict(),
            "cell": {
                "capacity_ah": cell.capacity_ah,
                "energy_wh": cell.energy_wh,
                "areal_capacity_mah_per_cm2": cell.areal_capacity_mah_per_cm2,
                "faces": cell.faces,
                "repeat_unit_um": cell.repeat_unit_um,
                "stack_wh_per_l": cell.stack_wh_per_l,
                "packaged_wh_per_l": cell.packaged_wh_per_l,
                "n_p_ratio": cell.n_p_ratio,
            },
        }


def _degc(quantity: Any) -> float:
    return float(quantity.to("degC").magnitude)


def conductivity_spec_s_per_cm(recipe: Recipe) -> float:
    """The σ25 a recipe asks for: ``spec.min_conductivity``, or the claims' floor (1e-4 S/cm)."""
    spec = recipe.spec.min_conductivity
    return float(spec.to("S/cm").magnitude) if spec is not None else window.CONDUCTIVITY_MIN_S_PER_CM


def layer_thermal_history(layer: Layer, deposition_s: float, area_cm2: float) -> ThermalHistory:
    """The substrate's history for ``layer``: setpoint, plasma heating at its power over its time, anneal."""
    params = DEFAULT_PARAMS
    if layer.power is not None:
        params = params.override(power_w=float(layer.power.to("W").magnitude))
    anneal = _degc(layer.anneal.temperature) if layer.anneal is not None else None
    anneal_s = float(layer.anneal.duration.to("s").magnitude) if layer.anneal is not None else None
    heating = replace(DEFAULT_HEATING, substrate_area_cm2=area_cm2)
    return thermal_history(
        layer.method, _degc(layer.substrate_temperature), params.sputtering.power_w, deposition_s,
        anneal, anneal_s, heating,
    )  # fmt: skip


def predict_layer(layer: Layer, spec_s_per_cm: float, area_cm2: float) -> LayerPrediction:
    """One layer's deposition time and, for an electrolyte, its film at the effective temperature."""
    thickness_um = float(layer.thickness.to("um").magnitude)
    params = DEFAULT_PARAMS
    if layer.power is not None:
        params = params.override(power_w=float(layer.power.to("W").magnitude))
    seconds = deposition_time_s(layer.method, layer.kind, thickness_um, params)
    if layer.kind != "solid-electrolyte":
        return LayerPrediction(layer.name, layer.kind, layer.method, thickness_um, seconds, None, ())
    history = layer_thermal_history(layer, seconds, area_cm2)
    try:
        film = predict_film(
            layer.target, layer.method, history.effective_degc, history.anneal_degc, thickness_um,
            deposition_time_s=seconds, anneal_time_s=history.anneal_s,
        )  # fmt: skip
    except ModelDomainError as exc:
        reason = f"σ25 not predicted: {exc.message}"
        return LayerPrediction(
            layer.name, layer.kind, layer.method, thickness_um, seconds, None, (), reason, thermal=history
        )
    at = tuple((t, sigma_at(film, t)) for t in REPORT_TEMPERATURES_DEGC)
    return LayerPrediction(
        layer.name, layer.kind, layer.method, thickness_um, seconds, film, at, None, spec_s_per_cm, history
    )


def predict_recipe(recipe: Recipe) -> RecipePrediction:
    """Predict every layer and the cell of a (validated) recipe."""
    spec = conductivity_spec_s_per_cm(recipe)
    area = substrate_area_cm2(recipe)
    layers = tuple(predict_layer(layer, spec, area) for layer in recipe.layers)
    design = CellDesign.from_assembly(recipe.assembly) if recipe.assembly is not None else EXAMPLE_1_CELL
    cell = estimate_cell(ElectrodeStack.from_recipe(recipe), design)
    return RecipePrediction(recipe.recipe, layers, cell, recipe_film_map(recipe), area)
