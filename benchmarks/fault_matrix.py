"""The fault matrix: every fault × every shipped line × leak sizes 1×–1000×, on the twin.

For each shipped line, the patent example that runs on it; for each fault kind every target
it can hit (each door, pump, glove chamber, supply) and, for leaks, each size (multiples of the
ISO 10648-2 class 1 rate) striking at the run start and at the moment a sensitive item is first
unsealed in that chamber (from a clean run). Each row: the outcome, the worst O2/H2O any
sensitive item met unsealed as recorded (measured, atmosphere-equivalent ppm), the alarms, and
whether the recorded exposure stayed within the recipe's limits (make-safe held it).

Run: ``.venv/bin/python benchmarks/fault_matrix.py [--quick]`` (a few minutes; ``--quick``:
fig1 only). docs/engine.md quotes its table.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from anodeline.devices.sim.faults import FaultError
from anodeline.engine import MemoryJournal, run_procedure
from anodeline.line.config import Line
from anodeline.line.load import load_line
from anodeline.procedure.model import Procedure
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe

ROOT = Path(__file__).resolve().parents[1]
#: Each shipped line and the patent example that runs on it.
CASES = {
    "fig1": "example-01.yaml",
    "single-port": "example-01.yaml",
    "two-apparatus": "two-apparatus-01.yaml",
}
LEAK_SCALES = (1.0, 10.0, 100.0, 1000.0)


@dataclass(frozen=True)
class Row:
    line: str
    fault: str
    outcome: str  # complete | held | aborted | refused
    worst_o2_ppm: float
    worst_h2o_ppm: float
    within_limits: bool
    alarms: tuple[str, ...]
    note: str = ""

    def cells(self) -> list[str]:
        held = "yes" if self.within_limits else "NO"
        return [self.line, self.fault, self.outcome, f"{self.worst_o2_ppm:.3g}", f"{self.worst_h2o_ppm:.3g}", held,
                ",".join(dict.fromkeys(self.alarms)) or "-"]  # fmt: skip


def load_case(line_name: str) -> tuple[Line, Procedure]:
    line = load_line(ROOT / "examples" / "lines" / f"{line_name}.yaml")
    return line, compile_procedure(load_recipe(ROOT / "examples" / "patent" / CASES[line_name]), line)


def first_unsealed(journal: MemoryJournal) -> dict[str, float]:
    """When a sensitive item is first unsealed in each space (from a clean run's exposures)."""
    found: dict[str, float] = {}
    for sim_s, _item, space, _o2, _h2o, sealed in journal.exposures:
        if not sealed:
            found.setdefault(space, sim_s)
    return found


def faults_for(line: Line, procedure: Procedure) -> Iterator[str]:
    """Every fault the twin knows, at every target it can hit on this line."""
    clean = MemoryJournal()
    run_procedure(procedure, line, journal=clean)
    exposed_at = first_unsealed(clean)
    for chamber, space in line.spaces.items():
        if space.kind != "glove-chamber":
            continue
        for scale in LEAK_SCALES:
            yield f"leak:{chamber}*{scale:g}"
            if chamber in exposed_at:
                yield f"leak:{chamber}@{exposed_at[chamber]:.0f}*{scale:g}"
    yield from (f"impure-gas:{name}" for name in line.supplies)
    yield from (f"stuck-door:{name}" for name in line.doors)
    yield from (f"pump-failure:{name}" for name in line.pumps)
    yield "power-loss"
    yield "operator-absent"


def run_case(line: Line, procedure: Procedure, fault: str, seed: int = 0) -> Row:
    journal = MemoryJournal()
    try:
        result = run_procedure(procedure, line, seed=seed, faults=[fault], journal=journal)
    except FaultError as refused:  # not applicable to this line/procedure: refused before the run
        return Row(line.line, fault, "refused", 0.0, 0.0, True, (), refused.message)
    o2 = max((e.max_o2_ppm for e in result.exposure.values()), default=0.0)
    h2o = max((e.max_h2o_ppm for e in result.exposure.values()), default=0.0)
    policy = procedure.policy
    within = o2 <= policy.max_o2_ppm and h2o <= policy.max_h2o_ppm
    return Row(line.line, fault, result.status, o2, h2o, within, tuple(journal.alarm_codes))


def matrix(lines: tuple[str, ...] = tuple(CASES)) -> list[Row]:
    rows: list[Row] = []
    for name in lines:
        line, procedure = load_case(name)
        rows.extend(run_case(line, procedure, fault) for fault in faults_for(line, procedure))
    return rows


def markdown(rows: list[Row]) -> str:
    head = ["line", "fault", "outcome", "worst O2 ppm", "worst H2O ppm", "within limits", "alarms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    start = time.perf_counter()
    rows = matrix(("fig1",) if "--quick" in argv else tuple(CASES))
    print(markdown(rows))
    breached = [r for r in rows if not r.within_limits]
    outcomes = {o: sum(1 for r in rows if r.outcome == o) for o in ("complete", "held", "aborted", "refused")}
    names = ", ".join(f"{r.line} {r.fault}" for r in breached) or "none"
    print(f"\n{len(rows)} runs in {time.perf_counter() - start:.0f} s: {outcomes}; "
          f"{len(breached)} beyond the recipe limits: {names}")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
