"""The electrode outcome and its verdict against spec and exposure."""

from __future__ import annotations

import pytest

from anodeline.batch.outcome import Exposure, electrode_from, judge, summarise
from anodeline.prediction import predict_recipe
from anodeline.recipe.validate import load_recipe
from anodeline.records.exposure import ExposureInterval
from anodeline.units import Q_
from tests.conftest import EXAMPLES

RECIPE = load_recipe(EXAMPLES / "patent" / "example-17.yaml")
PREDICTION = predict_recipe(RECIPE)
CLEAN = Exposure("base", max_o2_ppm=0.5, max_h2o_ppm=0.5, o2_dose_ppm_s=100.0, h2o_dose_ppm_s=100.0)


def test_a_clean_complete_batch_passes() -> None:
    electrode = electrode_from("b/electrode", RECIPE, PREDICTION, {"electrolyte": 0.98}, CLEAN, CLEAN)
    assert electrode.thickness_um == pytest.approx(0.98)
    assert electrode.conductivity_retention == pytest.approx(1.0, abs=1e-3)
    assert judge(RECIPE, "complete", electrode, [CLEAN]).verdict == "pass"


def test_water_dose_lowers_conductivity_and_can_fail_the_spec() -> None:
    wet = Exposure("base", 5.0, 9.0, 1e3, 5e6)  # within the ceilings but a long, wet exposure
    electrode = electrode_from("b/electrode", RECIPE, PREDICTION, {}, wet, wet)
    assert electrode.sigma25_s_per_cm < electrode.sigma25_as_deposited_s_per_cm
    assert electrode.lithium_surface_film_nm > 0
    judgement = judge(RECIPE, "complete", electrode, [wet])
    assert judgement.verdict == "fail" and "below the spec" in judgement.reasons[0]


def test_an_excursion_above_the_limit_fails_with_the_item_named() -> None:
    spike = Exposure("target-li", max_o2_ppm=25.0, max_h2o_ppm=1.0, o2_dose_ppm_s=10.0, h2o_dose_ppm_s=1.0)
    electrode = electrode_from("b/electrode", RECIPE, PREDICTION, {}, CLEAN, CLEAN)
    judgement = judge(RECIPE, "complete", electrode, [CLEAN, spike])
    assert judgement.verdict == "fail"
    assert any("target-li" in reason and "O2" in reason for reason in judgement.reasons)


def test_an_incomplete_batch_fails() -> None:
    judgement = judge(RECIPE, "aborted", None, [])
    assert judgement.verdict == "fail" and "aborted" in judgement.reasons[0]


def test_summary_takes_the_intervals_after_a_time() -> None:
    intervals = [
        ExposureInterval("x", "chamber-4", 0.0, 100.0, 3.0, 4.0, 30.0, 40.0),
        ExposureInterval("x", "chamber-5", 500.0, 600.0, 1.0, 2.0, 10.0, 20.0),
    ]
    everything, late = summarise("x", intervals), summarise("x", intervals, since_s=400.0)
    assert (everything.max_h2o_ppm, everything.h2o_dose_ppm_s) == (4.0, 60.0)
    assert (late.max_h2o_ppm, late.h2o_dose_ppm_s) == (2.0, 20.0)


def test_a_film_no_data_supports_fails_with_sigma25_not_predicted() -> None:
    layer = RECIPE.layers[-1].model_copy(update={"target": "90Li2S-10SiS2"})
    recipe = RECIPE.model_copy(update={"layers": (*RECIPE.layers[:-1], layer)})
    electrode = electrode_from("b/electrode", recipe, predict_recipe(recipe), {}, CLEAN, CLEAN)
    assert electrode.sigma25_s_per_cm is None and electrode.to_dict()["sigma25_S_per_cm"] is None
    judgement = judge(recipe, "complete", electrode, [CLEAN])
    assert judgement.verdict == "fail" and "σ25 not predicted" in judgement.reasons[0]


def test_the_electrode_carries_the_chance_of_meeting_the_spec() -> None:
    electrode = electrode_from("b/electrode", RECIPE, PREDICTION, {}, CLEAN, CLEAN)
    assert electrode.sigma25_p_meets_spec is not None and 0.99 < electrode.sigma25_p_meets_spec <= 1.0


def test_a_film_outside_its_uniformity_spec_fails_and_a_farther_source_passes() -> None:
    spec = RECIPE.spec.model_copy(update={"max_thickness_nonuniformity": Q_(3.0, "%")})
    close = RECIPE.model_copy(update={"spec": spec})
    electrode = electrode_from("b/electrode", close, PREDICTION, {"electrolyte": 0.98}, CLEAN, CLEAN)
    assert electrode.thickness_map["max_um"] == pytest.approx(0.98)
    judgement = judge(close, "complete", electrode, [CLEAN])
    assert judgement.verdict == "fail" and "over the substrate (spec ±3 %)" in judgement.reasons[0]
    geometry = RECIPE.deposition.geometry.model_copy(update={"throw_distance": Q_(60.0, "cm")})
    far = close.model_copy(update={"deposition": RECIPE.deposition.model_copy(update={"geometry": geometry})})
    electrode = electrode_from("b/electrode", far, PREDICTION, {"electrolyte": 0.98}, CLEAN, CLEAN)
    assert electrode.thickness_map["nonuniformity"] < 0.03
    assert judge(far, "complete", electrode, [CLEAN]).verdict == "pass"
