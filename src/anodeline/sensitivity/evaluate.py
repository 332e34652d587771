"""One point of a sensitivity study: the recipe and line with the factors applied, run on the twin.

Outputs (every one from the same models a batch uses, none fitted here):

* ``sigma25_S_per_cm`` — the top film's σ25 (:func:`anodeline.prediction.predict_layer`,
  at the effective plasma-heated temperature)
  × the sulfide's retention after the water/O2 dose its workpiece met while unsealed
  (:func:`anodeline.physics.degradation.conductivity_retention`; the whole run's dose, a
  slight overestimate against the batch record, which counts from the deposition on);
* ``max_o2_ppm``, ``max_h2o_ppm`` — the worst atmosphere any sensitive item met unsealed;
* ``cycle_time_h`` — the simulated batch time.

Every point runs with the same seed (common random numbers), so differences between points
come from the factors, not from the twin's noise.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from anodeline.devices.sim.params import TwinParams
from anodeline.errors import ModelDomainError
from anodeline.line.actions import Deposit
from anodeline.line.config import Line
from anodeline.physics.degradation import DEFAULT_SULFIDE, conductivity_retention
from anodeline.recipe.schema import Recipe
from anodeline.units import Q_

OUTPUTS: tuple[str, ...] = ("sigma25_S_per_cm", "max_o2_ppm", "max_h2o_ppm", "cycle_time_h")


def _recipe(recipe: Recipe, point: dict[str, float]) -> Recipe:
    index = max(i for i, layer in enumerate(recipe.layers) if layer.kind == "solid-electrolyte")
    top = recipe.layers[index]
    update: dict[str, Any] = {}
    if "thickness" in point:
        update["thickness"] = Q_(point["thickness"], "um")
    if "substrate_temperature" in point:
        update["substrate_temperature"] = Q_(point["substrate_temperature"], "degC")
    if "sputter_power" in point:
        update["power"] = Q_(point["sputter_power"], "W")
    layers = list(recipe.layers)
    layers[index] = top.model_copy(update=update)
    return recipe.model_copy(update={"layers": tuple(layers)})


def _line(line: Line, point: dict[str, float]) -> Line:
    if "gas_impurity" not in point:
        return line
    purity = Q_(1.0 - point["gas_impurity"], "dimensionless")
    supplies = {name: s.model_copy(update={"purity": purity}) for name, s in line.supplies.items()}
    return line.model_copy(update={"supplies": supplies})


def _twin(point: dict[str, float]) -> TwinParams:
    base = TwinParams()
    scale = {name: point.get(name, 1.0) for name in ("chamber_leak", "apparatus_leak", "operator_time",
                                                      "door_travel", "fill_flow")}  # fmt: skip
    return replace(
        base,
        chamber_leak_per_h=base.chamber_leak_per_h * scale["chamber_leak"],
        apparatus_leak_pa_m3_per_s=base.apparatus_leak_pa_m3_per_s * scale["apparatus_leak"],
        operator_median_s={k: v * scale["operator_time"] for k, v in base.operator_median_s.items()},
        door_travel_s=base.door_travel_s * scale["door_travel"],
        fill_flow_pa_m3_per_s=base.fill_flow_pa_m3_per_s * scale["fill_flow"],
    )


def evaluate_point(recipe: Recipe, line: Line, point: dict[str, float], seed: int = 0) -> dict[str, float]:
    """Outputs at ``point`` (factor name → value in the factor's unit); factors left out stay nominal."""
    from anodeline.engine import run_procedure
    from anodeline.film_map import substrate_area_cm2
    from anodeline.prediction import conductivity_spec_s_per_cm, predict_layer
    from anodeline.procedure import compile_procedure

    varied, plant = _recipe(recipe, point), _line(line, point)
    procedure = compile_procedure(varied, plant)
    result = run_procedure(procedure, plant, seed=seed, twin_params=_twin(point))
    top = [layer for layer in varied.layers if layer.kind == "solid-electrolyte"][-1]
    # the film at its effective (plasma-heated) temperature, as predict and the batch see it
    layer = predict_layer(top, conductivity_spec_s_per_cm(varied), substrate_area_cm2(varied))
    film = layer.film
    if film is None:
        raise ModelDomainError(layer.not_predicted or f"σ25 of {top.target} is not predicted", location=top.name)
    sulfide = replace(
        DEFAULT_SULFIDE,
        conductivity_loss_per_ppm_s=DEFAULT_SULFIDE.conductivity_loss_per_ppm_s * point.get("hydrolysis_rate", 1.0),
        o2_water_equivalent=point.get("sulfide_o2_equivalent", DEFAULT_SULFIDE.o2_water_equivalent),
    )
    deposits = [step for step in procedure.steps if isinstance(step, Deposit)]
    workpiece = result.exposure.get(deposits[-1].onto) if deposits else None
    retention = 1.0
    if workpiece is not None:
        retention = conductivity_retention(workpiece.h2o_dose_ppm_s, workpiece.o2_dose_ppm_s, sulfide,
                                           float(top.thickness.to("um").magnitude))  # fmt: skip
    exposures = list(result.exposure.values())
    return {
        "sigma25_S_per_cm": film.sigma25_s_per_cm * retention,
        "max_o2_ppm": max((e.max_o2_ppm for e in exposures), default=0.0),
        "max_h2o_ppm": max((e.max_h2o_ppm for e in exposures), default=0.0),
        "cycle_time_h": result.simulated_seconds / 3600.0,
        "complete": 1.0 if result.status == "complete" else 0.0,
    }
