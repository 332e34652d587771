"""Hostile recipes (tests/corpus/bounds/recipes): every limit and quantity out of its range is a located error.

Each corpus file is examples/patent/example-01.yaml with one hand edit and a first line
``# expect: CODE path``; the recipe must be refused with that code at that path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import anodeline.cli.validate  # noqa: F401 - registers validate
from anodeline import window
from anodeline.cli.app import app
from anodeline.physics.atmosphere.humidity import frost_point_to_ppmv
from anodeline.recipe.validate import validate_file, validate_text
from tests.conftest import EXAMPLES
from tests.corpus import expected

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "bounds" / "recipes"
CASES = sorted(CORPUS.glob("*.yaml"))
EX1 = (EXAMPLES / "patent" / "example-01.yaml").read_text()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_hostile_recipe_is_refused_at_its_location(path: Path) -> None:
    report = validate_file(path)
    assert not report.valid
    found = {(v.code, v.path): v for v in report.errors}
    for code, where in expected(path):
        assert (code, where) in found, f"{code} at {where} not reported; got {sorted(found)}"
        violation = found[(code, where)]
        assert violation.line > 2 and violation.column >= 1  # inside the document, not the header
        assert violation.message and violation.hint and violation.source


def test_validate_command_reports_every_hostile_recipe_without_a_traceback() -> None:
    result = CliRunner().invoke(app, ["validate", "--json", *map(str, CASES)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an escaped error
    reports = {Path(r["file"]).name: r for r in json.loads(result.stdout)["recipes"]}
    for path in CASES:
        report = reports[path.name]
        assert not report["valid"]
        found = {(v["code"], v["path"]) for v in report["violations"] if v["line"] > 2}
        assert set(expected(path)) <= found, path.name


def test_the_corpus_covers_the_issue() -> None:
    names = {p.stem for p in CASES}
    assert {"substrate-minus-300-degC", "substrate-minus-500-degC", "substrate-10-K", "negative-min-conductivity",
            "width-inf-mm", "film-thickness-nan", "max-h2o-20000-ppm", "max-o2-1e6-ppm"} <= names  # fmt: skip


def test_limits_of_the_shipped_examples_are_inside_the_bounds() -> None:
    for path in sorted((EXAMPLES / "patent").glob("*.yaml")):
        codes = {v.code for v in validate_file(path).violations}
        assert not codes & {"SCH006", "ATM007", "ATM009", "TMP006"}, path.name


def test_the_water_bound_is_the_frost_point_of_the_claims() -> None:
    assert frost_point_to_ppmv(window.DRY_AIR_DEW_POINT_MAX_DEGC) <= window.MAX_H2O_PPM.high
    assert window.MAX_O2_PPM.high == pytest.approx((1 - window.GAS_PURITY_MIN) * 1e6)


@given(ppm=st.floats(0.0, 1e6, allow_nan=False))
def test_an_oxygen_limit_is_an_error_exactly_above_100_ppm(ppm: float) -> None:
    text = EX1.replace(
        "atmosphere: {gas: Ar, purity: 99.99 %}", f"atmosphere: {{gas: Ar, purity: 99.99 %, max_o2: {ppm!r} ppm}}"
    )
    codes = {v.code for v in validate_text(text).errors}
    assert ("ATM009" in codes) is (ppm > window.IMPURITY_MAX_PPM)


@given(degc=st.floats(-1000.0, 4.99, allow_nan=False))
def test_no_substrate_below_room_temperature_validates(degc: float) -> None:
    text = EX1.replace("substrate_temperature: 25 degC", f"substrate_temperature: {degc!r} degC")
    report = validate_text(text)
    assert not report.valid
    assert {v.code for v in report.errors} & {"SCH006", "TMP006"}
