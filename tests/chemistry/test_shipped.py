"""Shipped calibration: equals a fresh fit, is keyed by the dataset, never used stale, loads without scipy."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anodeline.chemistry import bootstrap, conductivity, properties, shipped
from anodeline.chemistry.calibration import calibration_payload, dumps_calibration, write_calibration
from anodeline.chemistry.dataset import fit_samples
from anodeline.physics.deposition import transfer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "patent").glob("*.yaml"))
#: Shipped parameters are the fit's floats written with repr: they round-trip exactly on the
#: machine that wrote them. The fit stops at scipy's default ``xtol=1e-8`` (relative step), so a
#: fresh fit under another scipy/numpy/BLAS lands within ~1e-8 of it (measured 8e-9 with scipy
#: 1.17.1 / numpy 2.4.6 against the file written under an older pair). 1e-6 still catches any
#: change of data, model or bounds, which moves the parameters by percent.
REL_TOL = 1e-6


def _clear_caches() -> None:
    for cached in (
        shipped.calibration,
        conductivity.fitted_parameters,
        properties.loo_uncertainties,
        properties.shipped_calibration,
        bootstrap.shipped_bootstrap,
        transfer.retention_coefficients,
    ):
        cached.cache_clear()


@pytest.fixture
def fresh_fit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Predict from a fresh fit: the shipped file is treated as absent."""
    _clear_caches()
    monkeypatch.setattr(shipped, "calibration", lambda: None)
    yield
    monkeypatch.undo()
    _clear_caches()


def _close(a: Any, b: Any, where: str = "") -> None:
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-300), f"{where}: {a!r} != {b!r}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for key in a:
            _close(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def _refit_predictions(refits: list[list[float]]) -> list[list[float]]:
    """ln σ25 of every refit at every patent film (what prediction takes from the refits)."""
    like = conductivity.fresh_parameters()
    conditions = [conductivity.condition_of(s) for s in fit_samples()]
    return [[conductivity.ln_sigma25(c, bootstrap.from_vector(v, like)) for c in conditions] for v in refits]


def test_the_shipped_file_equals_a_fresh_fit_on_the_same_dataset() -> None:
    on_disk = json.loads(shipped.shipped_path().read_text(encoding="utf-8"))
    fresh = calibration_payload()
    assert on_disk["dataset"]["sha256"] == fresh["dataset"]["sha256"] == shipped.dataset_sha256()
    assert on_disk["format"] == shipped.FORMAT
    shipped_refits, fresh_refits = on_disk["bootstrap"].pop("refits"), fresh["bootstrap"].pop("refits")
    _close(on_disk, fresh, "calibrated.json")
    # a bootstrap resample can leave a parameter unidentified (e.g. E_r when no film below 100 °C
    # was drawn): the solver stops anywhere along that flat valley, so the refits are compared by
    # what they predict, which the valley does not change
    assert len(shipped_refits) == len(fresh_refits) == bootstrap.BOOTSTRAP_REFITS
    for b, (old, new) in enumerate(
        zip(_refit_predictions(shipped_refits), _refit_predictions(fresh_refits), strict=True)
    ):
        assert max(abs(x - y) for x, y in zip(old, new, strict=True)) < 1e-5, f"refit {b}"


def test_the_shipped_file_is_written_deterministically(tmp_path: Path) -> None:
    payload = json.loads(shipped.shipped_path().read_text(encoding="utf-8"))
    text = dumps_calibration(payload)
    assert text == dumps_calibration(json.loads(text))
    assert text.endswith("\n") and list(json.loads(text)) == sorted(payload)
    written = write_calibration(tmp_path / "calibrated.json")
    assert written.read_text(encoding="utf-8") == dumps_calibration(json.loads(written.read_text(encoding="utf-8")))


def test_prediction_reads_the_shipped_parameters_without_fitting(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_caches()

    def no_fit(*args: object, **kwargs: object) -> None:
        raise AssertionError("fitted although the shipped calibration matches the dataset")

    monkeypatch.setattr(conductivity, "fit_parameters", no_fit)
    monkeypatch.setattr(bootstrap, "fit_parameters", no_fit)
    monkeypatch.setattr(transfer, "_fit_method", no_fit)
    try:
        film = properties.predict_film("57Li2S-38SiS2-5P2O5", "sputtering", 45.0)  # 25 °C + plasma heating
    finally:
        monkeypatch.undo()
        _clear_caches()
    assert film.sigma25_s_per_cm > 0 and film.in_domain


@pytest.mark.parametrize("recipe_path", EXAMPLES, ids=lambda p: p.stem)
def test_predictions_from_shipped_parameters_equal_a_fresh_fit(
    recipe_path: Path, request: pytest.FixtureRequest
) -> None:
    from anodeline.prediction import predict_recipe
    from anodeline.recipe.validate import load_recipe

    recipe = load_recipe(recipe_path)
    _clear_caches()
    from_shipped = predict_recipe(recipe).to_dict()
    request.getfixturevalue("fresh_fit")
    from_fit = predict_recipe(recipe).to_dict()
    _close(from_shipped, from_fit, recipe_path.name)


def test_an_edited_dataset_falls_back_to_fitting_with_one_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_caches()
    monkeypatch.setattr(shipped, "dataset_sha256", lambda: "0" * 64)
    try:
        with pytest.warns(shipped.StaleCalibrationWarning, match="refitting") as caught:
            first = properties.predict_film("57Li2S-38SiS2-5P2O5", "sputtering", 25.0)
            properties.predict_film("57Li2S-38SiS2-5P2O5", "laser-ablation", 150.0)
            transfer.film_composition("57Li2S-38SiS2-5P2O5", "ion-plating")
        assert len([w for w in caught if issubclass(w.category, shipped.StaleCalibrationWarning)]) == 1
        assert shipped.calibration() is None
    finally:
        monkeypatch.undo()
        _clear_caches()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = properties.predict_film("57Li2S-38SiS2-5P2O5", "sputtering", 25.0)
    _close(first.as_dict(), again.as_dict())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json", "cannot be read"),
        (json.dumps({"format": 999, "dataset": {"sha256": "x"}}), "format"),
        (json.dumps({"format": 1, "dataset": {"sha256": "f" * 64}}), "format"),
        (json.dumps({"format": shipped.FORMAT, "dataset": {"sha256": "abc"}}), "fitted on another dataset"),
    ],
)
def test_an_unusable_shipped_file_is_reported_not_used(text: str, reason: str) -> None:
    with pytest.warns(shipped.StaleCalibrationWarning, match=reason):
        assert shipped.parse(text, "f" * 64) is None


def test_a_missing_shipped_file_is_reported_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shipped.calibration.cache_clear()
    monkeypatch.setattr(shipped, "shipped_path", lambda: tmp_path / "absent.json")
    try:
        with pytest.warns(shipped.StaleCalibrationWarning, match="absent.json"):
            assert shipped.calibration() is None
    finally:
        monkeypatch.undo()
        shipped.calibration.cache_clear()


def test_the_dataset_hash_ignores_line_endings_and_sees_any_edit() -> None:
    text = shipped.dataset_text()
    assert shipped.sha256_of(text) == shipped.sha256_of(text.replace("\n", "\r\n"))
    assert shipped.sha256_of(text) != shipped.sha256_of(text.replace("3e-4", "3.1e-4", 1))
    assert len(shipped.dataset_sha256()) == 64


def _modules_after(*argv: str) -> set[str]:
    """Modules loaded by ``anodeline ARGV`` run in a fresh interpreter (names printed at exit)."""
    runner = (
        "import sys\n"
        "from anodeline.cli import main\n"
        f"sys.argv = ['anodeline', *{list(argv)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", runner], capture_output=True, text=True, cwd=ROOT, check=False)
    line = [row for row in done.stderr.splitlines() if row.startswith("MODULES ")]
    assert line, done.stderr
    return set(line[-1].split()[1:])


def _bare_scipy() -> set[str]:
    """What ``import scipy`` alone loads: pint's compat module does that to set HAS_SCIPY."""
    code = "import sys, scipy; print(' '.join(m for m in sys.modules if m.startswith('scipy')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("command", ["validate", "predict"])
def test_validate_and_predict_do_not_import_scipy_numerics(command: str) -> None:
    modules = _modules_after(command, "examples/patent/example-01.yaml")
    assert "anodeline.chemistry.shipped" in modules or command == "validate"
    loaded = {m for m in modules if m == "scipy" or m.startswith("scipy.")} - _bare_scipy()
    assert not loaded, sorted(loaded)[:10]
