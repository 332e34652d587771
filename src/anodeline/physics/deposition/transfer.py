"""Target-to-film composition transfer per deposition method.

Model (per-element retention, one set per method)::

    n_film[e] = Σ_bond r[method, e, bond] · n_target[e, bond]
    x_film[e] = n_film[e] / Σ_e' n_film[e']

``n_target[e, bond]`` counts the atoms of element ``e`` in the target's sulfide
components (no O or N: Li2S, SiS2, GeS2, P2S5, Ga2S3) or in its oxide/oxynitride
components (P2O5, Li2O-P2O5, Li3PO4, Li4SiO4, Li3PO3.9N0.1…). ``r`` is a retention
(sticking × transfer) coefficient relative to silicon (r = 1 for sulfide-bound Si).

Why split by bonding: the patent's measured films (Examples 1, 3, 9, 11) carry Li:Si:S
of the target's Li2S + SiS2 part, while P and O arrive ~10× depleted. A physical reading
is that the oxide dopant leaves the target partly as volatile P–O molecules that do not
stick (or are pumped away), whereas the sulfide network transfers nearly congruently.
Retention is therefore an attribute of the element *and* the component it comes from, so
P in P2S5 (a sulfide network former) is not wiped out by the P-in-P2O5 coefficient.

Fitted parameters, per calibrated method (4): ln r for sulfide Li, sulfide S, oxide-bound
network former (P, Si, B, Ge in an oxide) and oxide anion (O, N). They are fitted by
least squares to the atomic fractions of two examples per method — Examples 1 and 9 for
sputtering, 3 and 11 for laser ablation (2 films × 4 independent fractions = 8 numbers
for 4 parameters per method; 8 parameters over 4 films in all). That is thin calibration:
the reported fractions have two significant figures, so read the coefficients as ±5 %.

Assumptions (est., no measured composition in the patent):
- vacuum evaporation and ion plating use the geometric mean of the sputtering and
  laser-ablation coefficients (both are vapour routes from the same target; the patent
  says their results were "the same as Example 1");
- sulfide-bound network formers other than Si (Ge, Ga, P, B) transfer like Si (r = 1);
- oxide-bound Li transfers like sulfide Li; N transfers like O.

The fit runs once, in ``anodeline calibrate --write``; predictions read the coefficients
from the shipped calibration (:mod:`anodeline.chemistry.shipped`) and refit only when the
dataset changed since.

Source: CA 2,350,384 C, Examples 1, 3, 9 and 11 (``shared/seed``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from anodeline.errors import AnodelineError

#: Methods of claims 16, 32 and 48, as anodeline names them.
METHODS: tuple[str, ...] = ("sputtering", "vacuum-evaporation", "laser-ablation", "ion-plating")
_ALIASES = {"vapor-evaporation": "vacuum-evaporation", "vapour-evaporation": "vacuum-evaporation"}
#: Methods whose coefficients were fitted to a measured film composition.
CALIBRATED_METHODS: tuple[str, ...] = ("sputtering", "laser-ablation")
_ANIONS = frozenset({"O", "N"})
_PARAMETER_NAMES: tuple[str, ...] = ("Li", "S", "former_in_oxide", "anion_in_oxide")


class UnknownMethodError(AnodelineError, ValueError):
    """A deposition method anodeline has no model for."""

    code = "METHOD"


def normalise_method(method: str) -> str:
    """Canonical method name (``"Vacuum evaporation"`` → ``"vacuum-evaporation"``)."""
    key = method.strip().lower().replace("_", "-").replace(" ", "-")
    key = _ALIASES.get(key, key)
    if key not in METHODS:
        raise UnknownMethodError(
            f"unknown deposition method {method!r}",
            hint=f"use one of {', '.join(METHODS)} (claims 16, 32, 48)",
        )
    return key


@dataclass(frozen=True)
class RetentionCoefficients:
    """Retention of each (element, bonding) class relative to sulfide-bound Si, for one method."""

    method: str
    li: float
    s: float
    former_in_oxide: float
    anion_in_oxide: float
    calibrated: bool
    source: str

    def for_atom(self, element: str, in_oxide: bool) -> float:
        """Retention of one atom of ``element`` arriving from a sulfide or oxide component."""
        if element == "Li":
            return self.li
        if element == "S":
            return self.s
        if in_oxide:
            return self.anion_in_oxide if element in _ANIONS else self.former_in_oxide
        return 1.0  # sulfide network formers (Si, Ge, Ga, P, B) transfer like Si (est. except Si)

    def as_dict(self) -> dict[str, float]:
        return {
            "Li": self.li,
            "S": self.s,
            "former_in_oxide": self.former_in_oxide,
            "anion_in_oxide": self.anion_in_oxide,
        }


@dataclass(frozen=True)
class TransferResidual:
    """Predicted minus measured film fraction of one element in one example."""

    example: int
    method: str
    element: str
    measured: float
    predicted: float

    @property
    def residual(self) -> float:
        return self.predicted - self.measured


def target_atoms(target: str) -> dict[tuple[str, bool], float]:
    """Atoms per formula unit of the target, keyed by (element, from an oxide/oxynitride component)."""
    from anodeline.chemistry.composition import parse_mixture

    atoms: dict[tuple[str, bool], float] = {}
    for component in parse_mixture(target).components:  # parsed amounts: pymatgen's, without importing it
        in_oxide = any(el in _ANIONS for el, _ in component.amounts)
        for el, amount in component.amounts:
            key = (el, in_oxide)
            atoms[key] = atoms.get(key, 0.0) + amount * component.amount
    return atoms


def _apply(atoms: Mapping[tuple[str, bool], float], coefficients: RetentionCoefficients) -> dict[str, float]:
    film: dict[str, float] = {}
    for (element, in_oxide), n in atoms.items():
        film[element] = film.get(element, 0.0) + coefficients.for_atom(element, in_oxide) * n
    total = sum(film.values())
    return {el: n / total for el, n in sorted(film.items())}


def _fit_method(method: str, examples: tuple[tuple[str, Mapping[str, float]], ...]) -> RetentionCoefficients:
    import numpy as np
    from scipy.optimize import least_squares

    # Weight by the acceptance tolerance so that the 0.002-level P and O count as much as Li.
    tolerance = {"Li": 0.02, "Si": 0.02, "S": 0.02, "P": 0.005, "O": 0.005}
    atoms = [target_atoms(target) for target, _ in examples]

    def coefficients(log_r: np.ndarray) -> RetentionCoefficients:
        r = np.exp(log_r)
        return RetentionCoefficients(method, float(r[0]), float(r[1]), float(r[2]), float(r[3]), True, "")

    def residuals(log_r: np.ndarray) -> np.ndarray:
        c = coefficients(log_r)
        out = []
        for atom, (_, measured) in zip(atoms, examples, strict=True):
            predicted = _apply(atom, c)
            out += [(predicted.get(el, 0.0) - x) / tolerance[el] for el, x in measured.items()]
        return np.asarray(out)

    fit = least_squares(residuals, np.zeros(len(_PARAMETER_NAMES)))
    c = coefficients(fit.x)
    sources = ", ".join(f"Example {n}" for n, (m, _, _) in sorted(_measured_examples().items()) if m == method)
    return RetentionCoefficients(method, c.li, c.s, c.former_in_oxide, c.anion_in_oxide, True, f"fitted to {sources}")


@cache
def _measured_examples() -> dict[int, tuple[str, str, dict[str, float]]]:
    """Example number → (method, target, measured film fractions) from the patent dataset.

    Targets: the patent names Examples 1–8 only "Li2S-SiS2-P2O5-based"; the dataset uses the
    project's nominal ``57Li2S-38SiS2-5P2O5`` for them and Table 1's ``57Li2S-38SiS2-5(Li2O-P2O5)``
    for Examples 9–16.
    """
    from anodeline.chemistry.dataset import composition_samples

    return {s.example: (s.method, s.target, dict(s.film_fractions or {})) for s in composition_samples()}


@cache
def retention_coefficients() -> dict[str, RetentionCoefficients]:
    """The coefficients predictions use: shipped (:mod:`anodeline.chemistry.shipped`) or, if stale, fitted now."""
    from anodeline.chemistry import shipped

    data = shipped.calibration()
    if data is None:
        return fit_retention_coefficients()
    stored = {method: RetentionCoefficients(**values) for method, values in data["transfer"].items()}
    if set(stored) != set(METHODS):
        shipped.warn_stale(f"{shipped.FILE_NAME} has transfer methods {sorted(stored)}, the model {sorted(METHODS)}")
        return fit_retention_coefficients()
    order = (*CALIBRATED_METHODS, *(m for m in METHODS if m not in CALIBRATED_METHODS))
    return {method: stored[method] for method in order}


@cache
def fit_retention_coefficients() -> dict[str, RetentionCoefficients]:
    """Fitted now (scipy: sputtering, laser ablation) and assumed (vacuum evaporation, ion plating) coefficients."""
    measured = _measured_examples()
    fitted = {
        method: _fit_method(
            method,
            tuple((target, film) for m, target, film in measured.values() if m == method),
        )
        for method in CALIBRATED_METHODS
    }
    a, b = fitted["sputtering"], fitted["laser-ablation"]
    mean = {k: math.sqrt(a.as_dict()[k] * b.as_dict()[k]) for k in _PARAMETER_NAMES}
    assumed = {
        method: RetentionCoefficients(
            method,
            mean["Li"],
            mean["S"],
            mean["former_in_oxide"],
            mean["anion_in_oxide"],
            False,
            "assumed (est.): geometric mean of sputtering and laser ablation; no measured composition",
        )
        for method in METHODS
        if method not in fitted
    }
    return fitted | assumed


def film_composition(target: str, method: str) -> dict[str, float]:
    """Predicted film atomic fractions (sum to 1) for a target deposited by ``method``.

    >>> round(film_composition("57Li2S-38SiS2-5(Li2O-P2O5)", "sputtering")["Li"], 2)
    0.43
    """
    return _apply(target_atoms(target), retention_coefficients()[normalise_method(method)])


def transfer_residuals() -> tuple[TransferResidual, ...]:
    """Predicted minus measured fractions for the calibration examples (1, 3, 9, 11)."""
    rows = []
    for example, (method, target, measured) in sorted(_measured_examples().items()):
        predicted = film_composition(target, method)
        rows += [TransferResidual(example, method, el, x, predicted.get(el, 0.0)) for el, x in measured.items()]
    return tuple(rows)
