"""The patent dataset: 47 table samples plus Examples 1–16, checked against the patent text."""

from __future__ import annotations

import pytest

from anodeline.chemistry.composition import parse_mixture
from anodeline.chemistry.dataset import (
    composition_samples,
    fit_samples,
    load_patent_samples,
    table_samples,
)
from anodeline.physics.deposition.transfer import METHODS


def test_tables_hold_47_samples_numbered_1_to_47() -> None:
    samples = table_samples()
    assert [s.sample for s in samples] == list(range(1, 48))
    tables = {t: sum(1 for s in samples if s.table == t) for t in range(1, 6)}
    assert tables == {1: 8, 2: 10, 3: 9, 4: 10, 5: 10}


@pytest.mark.parametrize(
    ("sample", "method", "target", "deposition", "anneal", "sigma", "ea"),
    [
        (1, "sputtering", "57Li2S-38SiS2-5(Li2O-P2O5)", 50, None, 7.0e-4, 36),
        (4, "sputtering", "57Li2S-38SiS2-5(Li2O-P2O5)", 25, 50, 6.0e-4, 37),
        (13, "sputtering", "57Li2S-38SiS2-5Li3PO3.9N0.1", 130, None, 1.8e-3, 34),
        (22, "laser-ablation", "57Li2S-38SiS2-5Li4SiO4", 25, 140, 1.7e-3, 34),
        (27, "vacuum-evaporation", "57Li2S-38SiS2-5Li3PO4", 160, None, 2.1e-3, 31),
        (35, "vacuum-evaporation", "60Li2S-39.5Ga2S3-0.5Li4SiO4", 120, None, 1.8e-3, 32),
        (43, "vacuum-evaporation", "55Li2S-44.5SiS2-0.5Li3PO4", 130, None, 1.8e-3, 33),
        (47, "ion-plating", "60Li2S-39.5SiS2-0.5Li3PO4", 25, 120, 1.9e-3, 32),
    ],
)
def test_table_rows_match_the_patent(
    sample: int, method: str, target: str, deposition: float, anneal: float | None, sigma: float, ea: float
) -> None:
    row = table_samples()[sample - 1]
    assert (row.method, row.target, row.deposition_setpoint_degc) == (method, target, deposition)
    assert row.anneal_temperature_degc == anneal
    assert row.sigma25_s_per_cm == pytest.approx(sigma)
    assert row.ea_kj_per_mol == ea


def test_every_row_parses_and_uses_a_known_method() -> None:
    for row in load_patent_samples():
        assert row.method in METHODS
        assert parse_mixture(row.target).fraction("Li") > 0


def test_example_1_is_the_room_temperature_measurement() -> None:
    example_1 = next(s for s in load_patent_samples() if s.example == 1 and s.sample is None)
    assert example_1.sigma25_s_per_cm == pytest.approx(3e-4)
    assert example_1.amorphous is True
    assert example_1.deposition_setpoint_degc == 25
    assert 40 < example_1.heating_temperature_degc < 46  # "room temperature" + plasma heating at 100 W (est.)
    assert example_1.film_fractions == {"Li": 0.42, "Si": 0.13, "S": 0.44, "P": 0.002, "O": 0.008}


def test_same_as_examples_are_not_independent_data() -> None:
    fit_ids = {s.id for s in fit_samples()}
    assert len(fit_ids) == 48  # 47 table samples + Example 1
    copies = [s for s in load_patent_samples() if s.same_as_example is not None]
    assert {s.example for s in copies} == set(range(2, 17))
    assert not fit_ids & {s.id for s in copies}


def test_four_examples_report_film_compositions() -> None:
    measured = {s.example: s.film_fractions for s in composition_samples()}
    assert sorted(measured) == [1, 3, 9, 11]
    assert measured[11] == {"Li": 0.41, "Si": 0.13, "S": 0.45, "P": 0.002, "O": 0.008}


def test_sputtered_films_sit_on_the_effective_temperature_axis() -> None:
    """The fit sees the plasma-heated temperature of a sputtered film, the setpoint of the others."""
    for row in table_samples():
        assert row.deposition_setpoint_degc is not None
        if row.method == "sputtering":
            assert row.deposition_temperature_degc > row.deposition_setpoint_degc + 15.0
        else:
            assert row.deposition_temperature_degc == row.deposition_setpoint_degc
