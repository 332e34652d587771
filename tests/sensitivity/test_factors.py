"""Factors: every range inside the process window, log factors sampled as decades."""

from __future__ import annotations

import math

import pytest

from anodeline import window
from anodeline.recipe.validate import load_recipe
from anodeline.sensitivity.factors import factors_for
from tests.conftest import EXAMPLES

ALL = sorted((EXAMPLES / "patent").glob("*.yaml"))


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_every_example_gets_factors_inside_the_window(path: object) -> None:
    factors = factors_for(load_recipe(path))  # type: ignore[arg-type]
    names = [f.name for f in factors]
    assert len(names) == len(set(names)) and "thickness" in names and "chamber_leak" in names
    for factor in factors:
        assert factor.low < factor.high and factor.source
        if factor.name == "thickness":
            assert window.ELECTROLYTE_THICKNESS_UM.contains(factor.low)
            assert window.ELECTROLYTE_THICKNESS_UM.contains(factor.high)


def test_log_factors_sample_decades() -> None:
    factor = next(f for f in factors_for(load_recipe(ALL[0])) if f.name == "apparatus_leak")
    assert factor.bounds == (pytest.approx(-1.0), pytest.approx(1.0))
    assert factor.value(math.log10(3.0)) == pytest.approx(3.0)
