"""Nominal target formulas written as molar mixtures, turned into atomic fractions.

Glass and thin-film papers write a target as a molar mixture of compounds:
``57Li2S-38SiS2-5Li3PO4`` is 57 mol Li2S + 38 mol SiS2 + 5 mol Li3PO4, and a bracket
groups a sub-mixture that counts as one component, so ``5(Li2O-P2O5)`` is 5 mol of
the 1:1 mixture Li2O + P2O5. Each formula is parsed by pymatgen's ``Composition``
(the materials field's standard); this module only reads the mixture grammar:

    mixture   := component (SEP component)*        SEP is '-', '·' or '*'
    component := [amount] (formula | '(' mixture ')')
    amount    := a decimal number (a leading number is the molar amount)

Formulas are read by a small parser here that mirrors pymatgen's ``Composition(formula,
strict=True)`` arithmetic step by step (the same symbols, the same float operations in the same
order, the same 1e-8 amount tolerance), so that ``validate`` does not import pymatgen (0.1 s);
tests/chemistry/test_composition.py checks it equal, bit for bit, to pymatgen on every example
and on Hypothesis-generated mixtures. :attr:`Mixture.composition` and
:attr:`Component.composition` are still pymatgen ``Composition`` objects, built on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from anodeline.errors import FormulaError

if TYPE_CHECKING:  # pragma: no cover
    from pymatgen.core import Composition

_SEPARATORS = "-·*"
_AMOUNT = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)")
_FORMULA = re.compile(r"^(?:[A-Z][a-z]?(?:\d+(?:\.\d+)?|\.\d+)?)+$")


#: The element symbols pymatgen's ``Element.is_valid_symbol`` accepts (its periodic table with
#: deuterium and tritium); a test checks the set against pymatgen over every one- and two-letter symbol.
_SYMBOLS_TEXT = (
    "Ac Ag Al Am Ar As At Au B Ba Be Bh Bi Bk Br C Ca Cd Ce Cf Cl Cm Cn Co Cr Cs Cu D Db Ds Dy Er Es "
    "Eu F Fe Fl Fm Fr Ga Gd Ge H He Hf Hg Ho Hs I In Ir K Kr La Li Lr Lu Lv Mc Md Mg Mn Mo Mt N Na Nb "
    "Nd Ne Nh Ni No Np O Og Os P Pa Pb Pd Pm Po Pr Pt Pu Ra Rb Re Rf Rg Rh Rn Ru S Sb Sc Se Sg Si Sm "
    "Sn Sr T Ta Tb Tc Te Th Ti Tl Tm Ts U V W Xe Y Yb Zn Zr"
)
ELEMENT_SYMBOLS = frozenset(_SYMBOLS_TEXT.split())
#: Deuterium and tritium: pymatgen files them as elements of their own that print and index as
#: hydrogen, so its sums over a mixture with them are not mirrored here; such a target's
#: fractions are computed by pymatgen itself (as before issue 9).
_ISOTOPES = frozenset({"D", "T"})
#: pymatgen's ``Composition.amount_tolerance``: an element with less is dropped.
_AMOUNT_TOLERANCE = 1e-8
_GROUP = re.compile(r"([A-Z][a-z]?)(\d+(?:\.\d+)?|\.\d+)?")

#: (element symbol, amount) pairs in pymatgen's order (first appearance).
Amounts = tuple[tuple[str, float], ...]


def _kept(amounts: dict[str, float]) -> Amounts:
    """What ``Composition(amounts)`` keeps: amounts at or above the tolerance, in order."""
    return tuple((symbol, amount) for symbol, amount in amounts.items() if abs(amount) >= _AMOUNT_TOLERANCE)


def _times(amounts: Amounts, factor: float) -> Amounts:
    """``Composition * factor``."""
    return _kept({symbol: amount * factor for symbol, amount in amounts})


def _plus(left: Amounts, right: Amounts) -> Amounts:
    """``Composition + Composition``."""
    total = dict(left)
    for symbol, amount in right:
        total[symbol] = total.get(symbol, 0.0) + amount
    return _kept(total)


@dataclass(frozen=True)
class Component:
    """One compound of a mixture with its molar amount."""

    amount: float
    formula: str
    amounts: Amounts

    @cached_property
    def composition(self) -> Composition:
        """The compound as a pymatgen ``Composition`` (imports pymatgen on first use)."""
        return _pymatgen_component(self.formula)


@dataclass(frozen=True)
class Mixture:
    """A parsed target: its components and the total atomic composition."""

    text: str
    components: tuple[Component, ...]
    amounts: Amounts

    @cached_property
    def composition(self) -> Composition:
        """The total as a pymatgen ``Composition`` (imports pymatgen on first use)."""
        from pymatgen.core import Composition

        total = Composition()
        for component in self.components:
            total += component.composition * component.amount
        return total

    @property
    def atomic_fractions(self) -> dict[str, float]:
        """Element symbol → atomic fraction (sums to 1)."""
        if any(symbol in _ISOTOPES for component in self.components for symbol, _ in component.amounts):
            composition = self.composition
            return {str(el): float(amount) / composition.num_atoms for el, amount in composition.items()}
        total: float = 0
        for _, amount in self.amounts:
            total += abs(amount)
        return {symbol: float(amount) / total for symbol, amount in self.amounts}

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


def _parse_formula(token: str, where: str) -> Amounts:
    if not _FORMULA.match(token):
        raise FormulaError(
            f"{token!r} in {where!r} is not a chemical formula",
            token=token,
            hint="write element symbols with counts, e.g. Li2S or Li3PO3.9N0.1",
        )
    for symbol in re.findall(r"[A-Z][a-z]?", token):
        if symbol not in ELEMENT_SYMBOLS:
            raise FormulaError(
                f"{symbol!r} in {token!r} (target {where!r}) is not an element",
                token=symbol,
                hint="check the element symbols (case matters: Si, not SI)",
            )
    amounts: dict[str, float] = {}
    for symbol, count in _GROUP.findall(token):  # as pymatgen: a repeated element adds up
        amounts[symbol] = amounts.get(symbol, 0.0) + (float(count) if count else 1.0) * 1
    return _kept(amounts)


def _parse_component(text: str, where: str) -> tuple[float, str, Amounts]:
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


def _parse_mixture(text: str, where: str) -> Amounts:
    total: Amounts = ()
    for part in _split_top_level(text, where):
        amount, _, amounts = _parse_component(part, where)
        total = _plus(total, _times(amounts, amount))
    return total


def _pymatgen_component(formula: str) -> Composition:
    """A component already checked by :func:`_parse_component`, as pymatgen reads it."""
    from pymatgen.core import Composition

    if not formula.startswith("("):
        return Composition(formula, strict=True)  # strict: no dummy species
    total = Composition()
    for part in _split_top_level(formula[1:-1], formula):
        token = part.strip()
        match = _AMOUNT.match(token)
        amount = float(match.group(1)) if match else 1.0
        total += _pymatgen_component(token[match.end() :].strip() if match else token) * amount
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
    total: Amounts = ()
    for part in _split_top_level(cleaned, text):
        amount, formula, amounts = _parse_component(part, text)
        components.append(Component(amount, formula, amounts))
        total = _plus(total, _times(amounts, amount))
    return Mixture(text=text, components=tuple(components), amounts=total)


def atomic_fractions(text: str) -> dict[str, float]:
    """Element symbol → atomic fraction of a target mixture."""
    return parse_mixture(text).atomic_fractions
