"""Sample the factors, run every point, rank the factors per output (SALib: Morris or Sobol).

* **Morris** elementary effects (Morris 1991; Campolongo et al. 2007's μ*): ``r`` trajectories
  of ``k + 1`` points on a 4-level grid; μ* is the mean absolute change of an output when one
  factor moves by 2/3 of its range, σ the spread of that change (interactions, non-linearity).
* **Sobol** indices (Saltelli 2002/2010 sampling, ``N (k + 2)`` points): S1 the share of an
  output's variance a factor explains alone, ST with its interactions.

Both from SALib (Herman & Usher, JOSS 2017). Every point runs with the same twin seed.
Points run one after another, or as Dask tasks on local processes (``workers > 1``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from anodeline.line.config import Line
from anodeline.recipe.schema import Recipe
from anodeline.sensitivity.evaluate import OUTPUTS, evaluate_point
from anodeline.sensitivity.factors import Factor, factors_for

Method = Literal["morris", "sobol"]
METHODS: tuple[str, ...] = ("morris", "sobol")
MORRIS_LEVELS = 4
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Study:
    recipe: str
    line: str
    method: str
    seed: int
    factors: tuple[Factor, ...]
    nominal: dict[str, float]
    rows: tuple[dict[str, float], ...]
    ranking: dict[str, list[dict[str, Any]]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "recipe": self.recipe,
            "line": self.line,
            "method": self.method,
            "seed": self.seed,
            "evaluations": len(self.rows),
            "incomplete_runs": sum(1 for row in self.rows if row["complete"] < 1.0),
            "factors": [factor.to_dict() for factor in self.factors],
            "nominal": self.nominal,
            "ranking": self.ranking,
        }


def _problem(factors: tuple[Factor, ...]) -> dict[str, Any]:
    return {"num_vars": len(factors), "names": [f.name for f in factors], "bounds": [list(f.bounds) for f in factors]}


def _sample(method: str, problem: dict[str, Any], size: int, seed: int) -> Any:
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, N=size, num_levels=MORRIS_LEVELS, seed=seed)
    from SALib.sample import sobol

    return sobol.sample(problem, size, calc_second_order=False, seed=seed)


def _evaluate_all(recipe: Recipe, line: Line, points: list[dict[str, float]], seed: int, workers: int,
                  progress: Progress | None) -> list[dict[str, float]]:  # fmt: skip
    if workers <= 1:
        rows = []
        for n, point in enumerate(points, start=1):
            rows.append(evaluate_point(recipe, line, point, seed))
            if progress is not None:
                progress(n, len(points))
        return rows
    import dask
    from dask import delayed

    rows = []
    chunk = 4 * workers
    for start in range(0, len(points), chunk):
        tasks = [delayed(evaluate_point)(recipe, line, point, seed) for point in points[start : start + chunk]]
        rows.extend(dask.compute(*tasks, scheduler="processes", num_workers=workers))
        if progress is not None:
            progress(len(rows), len(points))
    return rows


Ranking = dict[str, list[dict[str, Any]]]


def _rank(method: str, problem: dict[str, Any], samples: Any, rows: list[dict[str, float]],
          factors: tuple[Factor, ...], nominal: dict[str, float], seed: int) -> Ranking:  # fmt: skip
    import numpy as np

    ranking: dict[str, list[dict[str, Any]]] = {}
    for output in OUTPUTS:
        values = np.array([row[output] for row in rows], dtype=float)
        scale = abs(nominal[output]) or 1.0
        entries: list[dict[str, Any]] = []
        if method == "morris":
            from SALib.analyze import morris

            found = morris.analyze(problem, samples, values, num_levels=MORRIS_LEVELS, seed=seed)
            for i, factor in enumerate(factors):
                entries.append({"factor": factor.name, "kind": factor.kind, "mu_star": float(found["mu_star"][i]),
                                "mu_star_conf": float(found["mu_star_conf"][i]), "sigma": float(found["sigma"][i]),
                                "relative": float(found["mu_star"][i]) / scale})  # fmt: skip
            entries.sort(key=lambda e: -e["mu_star"])
        else:
            from SALib.analyze import sobol

            if float(np.var(values)) == 0.0:  # a constant output has no variance to share out
                entries = [{"factor": f.name, "kind": f.kind, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
                           for f in factors]  # fmt: skip
            else:
                found = sobol.analyze(problem, values, calc_second_order=False, seed=seed)
                for i, factor in enumerate(factors):
                    entries.append({"factor": factor.name, "kind": factor.kind, "S1": float(found["S1"][i]),
                                    "S1_conf": float(found["S1_conf"][i]), "ST": float(found["ST"][i]),
                                    "ST_conf": float(found["ST_conf"][i])})  # fmt: skip
            entries.sort(key=lambda e: -e["ST"])
        ranking[output] = entries
    return ranking


def run_study(recipe: Recipe, line: Line, method: str = "morris", size: int = 6, seed: int = 0, workers: int = 1,
              progress: Progress | None = None) -> Study:  # fmt: skip
    """Sample ``size`` Morris trajectories (or a Sobol base sample of ``size``, a power of 2) and rank."""
    factors = factors_for(recipe)
    problem = _problem(factors)
    samples = _sample(method, problem, size, seed)
    points = [{f.name: f.value(float(x)) for f, x in zip(factors, row, strict=True)} for row in samples]
    nominal = evaluate_point(recipe, line, {}, seed)
    rows = _evaluate_all(recipe, line, points, seed, workers, progress)
    ranking = _rank(method, problem, samples, rows, factors, nominal, seed)
    return Study(recipe.recipe, line.line, method, seed, factors, nominal, tuple(rows), ranking)
