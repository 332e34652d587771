"""Nominal target formulas written as molar mixtures, turned into atomic fractions.

Glass and thin-film papers write a target as a molar mixture of compounds:
``57Li2S-38SiS2-5Li3PO4`` is 57 mol Li2S + 38 mol SiS2 + 5 mol Li3PO4, and a bracket
groups a sub-mixture that counts as one component, so ``5(Li2O-P2O5)`` is 5 mol of
the 1:1 mixture Li2O + P2O5. Each formula is parsed by pymatgen's ``Composition``
(the materials field's standard); this module only reads the mixture grammar:

    mixture   := component (SEP component)*        SEP is '-', '·' or '*'
    component := [amount] (formula | '(' mixture ')')
    amount    := a decimal number (a leading number is the molar amount)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from anodeline.errors import FormulaError

if TYPE_CHECKING:  # pragma: no cover
    from pymatgen.core import Composition

_SEPARATORS = "-·*"
_AMOUNT = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)")
_FORMULA = re.compile(r"^(?:[A-Z][a-z]?(?:\d+(?:\.\d+)?|\.\d+)?)+$")


@dataclass(frozen=True)
class Component:
    """One compound of a mixture with its molar amount."""

    amount: float
    formula: str
    composition: Composition


@dataclass(frozen=True)
class Mixture:
    """A parsed target: its components and the total atomic composition."""

    text: str
    components: tuple[Component, ...]
    composition: Composition

    @property
    def atomic_fractions(self) -> dict[str, float]:
        """Element symbol → atomic fraction (sums to 1)."""
        total = self.composition.num_atoms
        return {str(el): float(amt) / total for el, amt in self.composition.items()}

    def fraction(self, *symbols: str) -> float:
        """Summed atomic fraction of the given elements (0 where absent)."""
        fractions = self.atomic_fractions
        return sum(fractions.get(symbol, 0.0) for symbol in symbols)


def _split_top_level(text: str, where: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise FormulaError(
                    f"unbalanced ')' at character {index + 1} of {where!r}",
                    token=")",
                    hint="every ')' needs an opening '('",
                )
        elif char in _SEPARATORS and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    if depth != 0:
        raise FormulaError(f"unbalanced '(' in {where!r}", token="(", hint="close every '(' with ')'")
    parts.append(text[start:])
    return parts


def _parse_formula(token: str, where: str) -> Composition:
    from pymatgen.core import Composition

    if not _FORMULA.match(token):
        raise FormulaError(
            f"{token!r} in {where!r} is not a chemical formula",
            token=token,
            hint="write element symbols with counts, e.g. Li2S or Li3PO3.9N0.1",
        )
    from pymatgen.core.periodic_table import Element

    for symbol in re.findall(r"[A-Z][a-z]?", token):
        if not Element.is_valid_symbol(symbol):
            raise FormulaError(
                f"{symbol!r} in {token!r} (target {where!r}) is not an element",
                token=symbol,
                hint="check the element symbols (case matters: Si, not SI)",
            )
    try:
        composition = Composition(token, strict=True)  # strict: no dummy species
    except (ValueError, KeyError) as exc:
        raise FormulaError(
            f"{token!r} in {where!r} is not a chemical formula ({exc})",
            token=token,
            hint="check the element symbols (case matters: Si, not SI)",
        ) from None
    return composition


def _parse_component(text: str, where: str) -> tuple[float, str, Composition]:
    token = text.strip()
    if not token:
        raise FormulaError(
            f"empty component in {where!r}",
            token=text,
            hint="remove the doubled or trailing separator",
        )
    amount = 1.0
    match = _AMOUNT.match(token)
    if match:
        amount = float(match.group(1))
        token = token[match.end() :].strip()
        if amount <= 0:
            raise FormulaError(
                f"molar amount {match.group(1)!r} in {where!r} must be positive",
                token=match.group(1),
                hint="drop components with zero amount",
            )
        if not token:
            raise FormulaError(
                f"amount {match.group(1)!r} in {where!r} has no formula after it",
                token=match.group(1),
                hint="write the compound after the amount, e.g. 5Li3PO4",
            )
    if token.startswith("("):
        if not token.endswith(")"):
            raise FormulaError(
                f"{token!r} in {where!r}: text after the closing bracket",
                token=token,
                hint="write an amount before the bracket, e.g. 5(Li2O-P2O5)",
            )
        inner = _parse_mixture(token[1:-1], where)
        return amount, token, inner
    return amount, token, _parse_formula(token, where)


def _parse_mixture(text: str, where: str) -> Composition:
    from pymatgen.core import Composition

    total = Composition()
    for part in _split_top_level(text, where):
        amount, _, composition = _parse_component(part, where)
        total += composition * amount
    return total


@lru_cache(maxsize=1024)
def parse_mixture(text: str) -> Mixture:
    """Parse a nominal target such as ``57Li2S-38SiS2-5(Li2O-P2O5)``.

    Raises :class:`FormulaError` naming the bad token.
    """
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("empty formula", hint="write a target such as 57Li2S-38SiS2-5Li3PO4")
    cleaned = re.sub(r"\s+", "", text)
    components = []
    for part in _split_top_level(cleaned, text):
        amount, formula, composition = _parse_component(part, text)
        components.append(Component(amount, formula, composition))
    from pymatgen.core import Composition

    total = Composition()
    for component in components:
        total += component.composition * component.amount
    return Mixture(text=text, components=tuple(components), composition=total)


def atomic_fractions(text: str) -> dict[str, float]:
    """Element symbol → atomic fraction of a target mixture."""
    return parse_mixture(text).atomic_fractions
