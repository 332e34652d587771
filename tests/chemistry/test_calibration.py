"""Calibration acceptance: leave-one-out errors on the patent data and the report files."""

from __future__ import annotations

from pathlib import Path

from anodeline.chemistry.calibration import calibrate, keep_unchanged
from anodeline.chemistry.conductivity import fitted_parameters


def test_loo_median_relative_error_of_sigma25_is_at_most_10_percent() -> None:
    result = calibrate(None)
    assert len(result.samples) == 48
    assert result.loo_sigma25_median_rel_error <= 0.10


def test_loo_ea_beats_the_training_mean_baseline() -> None:
    result = calibrate(None)
    assert result.loo_ea_mae_kj_per_mol < result.ea_mean_baseline_mae_kj_per_mol


def test_fitted_relaxation_is_physical() -> None:
    p = fitted_parameters()
    assert p.relaxation_gain > 0
    assert 0 <= p.anneal_efficiency <= 1
    assert p.ea_slope_kj_per_mol < 0  # higher σ25, lower Ea
    # sputtered films on the effective (plasma-heated, ~+20 K at 100 W) axis: 25 → ~45, 150 → ~167 °C
    low, high = p.heating_range_degc
    assert 40.0 < low < 46.0 and 160.0 < high < 170.0


def test_report_writes_plots_and_loo_table(tmp_path: Path) -> None:
    result = calibrate(tmp_path)
    names = {path.name for path in result.report_files}
    assert names == {"parity.png", "arrhenius.png", "loo.csv", "cv.csv"}
    assert len((tmp_path / "cv.csv").read_text().splitlines()) == 1 + 99  # 48 + 48 + 3 held-out films
    assert all(path.stat().st_size > 0 for path in result.report_files)
    assert len((tmp_path / "loo.csv").read_text().splitlines()) == 49
    assert result.as_dict()["report_files"]


def test_rewriting_keeps_numbers_within_the_solvers_tolerance() -> None:
    old = {"a": 1.0, "b": [2.0, 3.0], "c": {"d": 4.0}, "e": "x"}
    new = {"a": 1.0 + 1e-9, "b": (2.0 + 1e-8, 3.1), "c": {"d": 4.0 * (1 + 1e-7)}, "e": "y", "f": 5.0}
    assert keep_unchanged(old, new) == {"a": 1.0, "b": [2.0, 3.1], "c": {"d": 4.0}, "e": "y", "f": 5.0}
