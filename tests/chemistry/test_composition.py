"""Molar-mixture targets become atomic fractions; bad tokens are named."""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anodeline.chemistry.composition import ELEMENT_SYMBOLS, Mixture, parse_mixture
from anodeline.errors import FormulaError
from tests.conftest import ROOT

if TYPE_CHECKING:  # pragma: no cover
    from pymatgen.core import Composition


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


# --- the pure-Python formula reader against pymatgen (issue 9: validate without pymatgen) ---


def _pymatgen_fractions(mixture: Mixture) -> list[tuple[str, float]]:
    """The atomic fractions as the package computed them before issue 9: from pymatgen's Composition."""
    composition = mixture.composition  # built by pymatgen, component by component
    return list({str(el): float(amount) / composition.num_atoms for el, amount in composition.items()}.items())


def _pairs(composition: Composition) -> list[tuple[str, float]]:
    """A pymatgen Composition as (symbol, amount) pairs; deuterium and tritium keep their symbols."""
    return [(el.name, amount) for el, amount in composition.items()]


def _assert_same_as_pymatgen(text: str) -> None:
    mixture = parse_mixture(text)
    assert list(mixture.atomic_fractions.items()) == _pymatgen_fractions(mixture), text  # exact, same order
    if {"D", "T"} & {symbol for component in mixture.components for symbol, _ in component.amounts}:
        return  # hydrogen isotopes: the fractions come from pymatgen itself (composition.py)
    assert _pairs(mixture.composition) == list(mixture.amounts)
    for component in mixture.components:
        assert _pairs(component.composition) == list(component.amounts)


def _shipped_targets() -> list[str]:
    from anodeline.chemistry.dataset import load_patent_samples

    texts = {sample.target for sample in load_patent_samples()}
    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        texts |= set(re.findall(r"^\s*target:\s*['\"]?([^'\"#\s]+)", path.read_text(), flags=re.MULTILINE))
    return sorted(texts)


@pytest.mark.parametrize("text", _shipped_targets())
def test_every_shipped_target_reads_exactly_as_pymatgen_reads_it(text: str) -> None:
    _assert_same_as_pymatgen(text)


def test_element_symbols_are_pymatgens() -> None:
    from pymatgen.core.periodic_table import Element

    letters = string.ascii_lowercase
    candidates = [upper + lower for upper in string.ascii_uppercase for lower in ["", *letters]]
    assert {symbol for symbol in candidates if Element.is_valid_symbol(symbol)} == ELEMENT_SYMBOLS


_symbols = st.sampled_from(["Li", "S", "Si", "P", "O", "N", "Ge", "B", "Al", "D", "T", "I", "Cl", "Se", "Sn"])
_counts = st.one_of(
    st.just(""),
    st.integers(0, 40).map(str),
    st.decimals(0, 20, places=3, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from([".5", "0.000000001", "0.00000001", "3.9", "0.1", "1.0", "00", "007"]),
)
_formulas = st.lists(st.tuples(_symbols, _counts), min_size=1, max_size=5).map(
    lambda groups: "".join(symbol + count for symbol, count in groups)
)
_amounts = st.one_of(
    st.just(""),
    st.integers(1, 100).map(str),
    st.decimals("0.001", 100, places=3, allow_nan=False, allow_infinity=False).map(str),
)


def _mixture(components: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.lists(st.tuples(_amounts, components), min_size=1, max_size=4), st.sampled_from("-·*")).map(
        lambda mix: mix[1].join(amount + component for amount, component in mix[0])
    )


_nested = _mixture(st.one_of(_formulas, _mixture(_formulas).map(lambda inner: f"({inner})")))


@settings(max_examples=300, deadline=None)
@given(_nested)
def test_generated_mixtures_read_exactly_as_pymatgen_reads_them(text: str) -> None:
    try:
        parse_mixture(text)
    except FormulaError:
        return  # refused by the grammar before any formula reader (e.g. a zero molar amount)
    _assert_same_as_pymatgen(text)


def test_parsed_amounts_are_pymatgens_in_order_for_every_shipped_target() -> None:
    """target_family and target_atoms read ``Component.amounts`` instead of importing pymatgen: same elements,
    same order (the film fractions are summed in it) and the same floats."""
    import re

    from anodeline.chemistry.conductivity import _is_li2s
    from anodeline.chemistry.dataset import load_patent_samples
    from tests.conftest import EXAMPLES

    targets = {s.target for s in load_patent_samples()}
    for path in EXAMPLES.rglob("*.yaml"):
        targets |= {m.group(1).strip().strip("\"'") for m in re.finditer(r"target:\s*(.+)", path.read_text())}
    targets |= {"Li2S", "Li4S2", "70Li2S-30P2S5", "Li7P3S11", "Li2.9PO3.3N0.46", "Li6PS5Cl"}
    for target in sorted(targets):
        for component in parse_mixture(target).components:
            pymatgen = [(str(element), float(amount)) for element, amount in component.composition.items()]
            assert list(component.amounts) == pymatgen, target
            assert _is_li2s(component.amounts) == (component.composition.reduced_formula == "Li2S"), target
