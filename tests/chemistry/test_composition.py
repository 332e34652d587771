"""Molar-mixture targets become atomic fractions; bad tokens are named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.chemistry.composition import parse_mixture
from anodeline.errors import FormulaError


def test_bracketed_submixture_counts_as_one_component() -> None:
    # 57 Li2S + 38 SiS2 + 5 (Li2O + P2O5): Li 124, S 133, Si 38, P 10, O 30 of 335 atoms
    fractions = parse_mixture("57Li2S-38SiS2-5(Li2O-P2O5)").atomic_fractions
    assert fractions["Li"] == pytest.approx(124 / 335)
    assert fractions["S"] == pytest.approx(133 / 335)
    assert fractions["Si"] == pytest.approx(38 / 335)
    assert fractions["P"] == pytest.approx(10 / 335)
    assert fractions["O"] == pytest.approx(30 / 335)


@pytest.mark.parametrize(
    ("text", "element", "expected"),
    [
        ("57Li2S-38SiS2-5Li3PO4", "P", 5 / (114 + 15 + 57 + 76 + 38 + 5 + 20)),
        ("60Li2S-39.5GeS2-0.5Li4SiO4", "Ge", 39.5 / (120 + 2 + 60 + 79 + 39.5 + 0.5 + 2)),
        ("Li3PO3.9N0.1", "N", 0.1 / 8.0),
        ("33Li4GeS4·67Li3PS4", "Ge", 33 / (33 * 9 + 67 * 8)),
    ],
)
def test_mixtures_give_the_expected_fraction(text: str, element: str, expected: float) -> None:
    assert parse_mixture(text).atomic_fractions[element] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("57Li2S-38XyS2", "Xy"),
        ("57Li2S--38SiS2", ""),
        ("57Li2S-38SiS2-5(Li2O-P2O5", "("),
        ("57Li2S-38SiS2)", ")"),
        ("57", "57"),
        ("57Li2S-0SiS2", "0"),
        ("57li2s", "li2s"),
    ],
)
def test_errors_name_the_bad_token(text: str, token: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse_mixture(text)
    assert info.value.token == token or (token == "" and info.value.token == "")
    assert info.value.hint


amounts = st.floats(0.01, 100, allow_nan=False)


@given(
    st.lists(
        st.tuples(amounts, st.sampled_from(["Li2S", "SiS2", "P2S5", "Li3PO4", "GeS2", "Li2O"])), min_size=1, max_size=5
    )
)
def test_fractions_sum_to_one(parts: list[tuple[float, str]]) -> None:
    text = "-".join(f"{amount:.4f}{formula}" for amount, formula in parts)
    assert sum(parse_mixture(text).atomic_fractions.values()) == pytest.approx(1.0)
