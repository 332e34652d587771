"""What-if sweeps: vary line and campaign parameters over a grid or a Latin hypercube, each point a Dask task.

A point is a whole plan (heuristic schedule, lower bound, FIFO) plus its replications on the
discrete-event replay, evaluated from the campaign file by whichever worker runs it. Every
point's random numbers come from ``seed`` and the point's index alone, and the table is sorted
by index, so the results are the same whatever the number of workers.

Parameters (docs/campaigns.md):

* ``operators`` — operators on shift (integer);
* ``lines`` — how many lines: the campaign's first line and copies of it (integer);
* ``pump_speed`` — a factor on the speed of every pump of every line (and its backing pump);
* ``purge_to`` — the pressure glove chambers are purged down to, Pa (every chamber with a purge_to);
* ``count`` — a factor on every order's count (rounded, at least 1): the campaign's size;
* ``fault_rate``, ``operator_sigma``, ``pump_spread`` — the replay's randomness.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from anodeline.campaign.errors import CampaignError
from anodeline.documents import SchemaCode, SchemaCodes, parse_document
from anodeline.documents.files import read_document

INTEGER = ("operators", "lines")
#: the range each parameter may take
RANGES: dict[str, tuple[float, float]] = {
    "operators": (1, 20), "lines": (1, 10), "pump_speed": (0.05, 20.0), "purge_to": (1.0, 1000.0),
    "count": (0.05, 20.0), "fault_rate": (0.0, 1.0), "operator_sigma": (0.0, 2.0), "pump_spread": (0.0, 1.0),
}  # fmt: skip


class Range(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    low: float
    high: float


class SweepFile(BaseModel):
    """A sweep file as written."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    sweep: str = Field(min_length=1)
    campaign: str = Field(min_length=1)
    method: str = "grid"
    samples: int = Field(default=8, ge=1, le=10_000)
    seed: int = 0
    replications: int = Field(default=10, ge=0, le=10_000)
    parameters: dict[str, list[float] | Range] = Field(min_length=1)


_CODE = SchemaCode("SWP001", "docs/campaigns.md (sweeps) lists every key", "sweep language (docs/campaigns.md)")
_CODES = SchemaCodes(SweepFile, _CODE, _CODE, _CODE, _CODE, _CODE, "a sweep must be a YAML mapping")


@dataclass(frozen=True)
class Sweep:
    name: str
    campaign: Path
    points: tuple[dict[str, float], ...]
    seed: int
    replications: int


def load_sweep(path: str | Path) -> Sweep:
    """Read a sweep file; raises :class:`CampaignError` (SWP001/SWP002, located) when it is unusable."""
    text = read_document(path, "sweep file", CampaignError)
    parsed = parse_document(text, _CODES, SweepFile)
    if parsed.value is None:
        first = parsed.violations[0]
        raise CampaignError(f"{first.code} {first.message}", violations=tuple(parsed.violations), hint=first.hint,
                            location=f"{path}:{first.line}:{first.column}")  # fmt: skip
    spec = parsed.value

    def bad(code: str, where: str, message: str, hint: str) -> CampaignError:
        line, column = parsed.source_map.locate(where)
        return CampaignError(f"{code} {message}", hint=hint, location=f"{path}:{line}:{column}")

    if spec.method not in ("grid", "lhs"):
        raise bad("SWP001", "method", f"unknown method {spec.method!r}", "use grid or lhs (a Latin hypercube)")
    for name, values in spec.parameters.items():
        where = f"parameters.{name}"
        if name not in RANGES:
            raise bad("SWP002", where, f"unknown parameter {name!r}", f"vary one of {', '.join(RANGES)}")
        low, high = RANGES[name]
        numbers = [values.low, values.high] if isinstance(values, Range) else values
        if not numbers or any(not math.isfinite(v) or not low <= v <= high for v in numbers):
            raise bad("SWP002", where, f"{name} must lie in [{low:g}, {high:g}], got {numbers}",
                      f"give values of {name} between {low:g} and {high:g}")  # fmt: skip
        if isinstance(values, Range) and values.low > values.high:
            raise bad("SWP002", where, f"{name}: low {values.low:g} is above high {values.high:g}", "swap them")
        if spec.method == "grid" and isinstance(values, Range):
            raise bad("SWP002", where, f"a grid needs a list of values for {name}", "write e.g. [1, 2, 3]")
    points = tuple(_grid(spec) if spec.method == "grid" else _latin(spec))
    return Sweep(spec.sweep, Path(path).parent / spec.campaign, points, spec.seed, spec.replications)


def _rounded(name: str, value: float) -> float:
    return float(round(value)) if name in INTEGER else value


def _grid(spec: SweepFile) -> Iterator[dict[str, float]]:
    names = list(spec.parameters)
    lists = [spec.parameters[n] for n in names]
    for combo in itertools.product(*(v if isinstance(v, list) else [v.low, v.high] for v in lists)):
        yield {n: _rounded(n, float(v)) for n, v in zip(names, combo, strict=True)}


def _latin(spec: SweepFile) -> Iterator[dict[str, float]]:
    """A Latin hypercube: each parameter's range cut in ``samples`` strata, one draw in each, shuffled."""
    rng = random.Random(spec.seed)
    columns: dict[str, list[float]] = {}
    for name, values in spec.parameters.items():
        if isinstance(values, list):
            low, high = min(values), max(values)
        else:
            low, high = values.low, values.high
        strata = [(k + rng.random()) / spec.samples for k in range(spec.samples)]
        rng.shuffle(strata)
        columns[name] = [_rounded(name, low + u * (high - low)) for u in strata]
    for k in range(spec.samples):
        yield {name: column[k] for name, column in columns.items()}


def evaluate(campaign_path: str, point: dict[str, float], replications: int, seed: int) -> dict[str, Any]:
    """One point: the campaign with the point's parameters, planned and replayed (runs on a Dask worker)."""
    from anodeline.campaign.load import load_campaign
    from anodeline.campaign.plan import plan, with_replications
    from anodeline.campaign.replay import Randomness

    campaign = load_campaign(campaign_path)
    lines = dict(campaign.lines)
    if "lines" in point:
        first = next(iter(lines.values()))
        lines = {first.line: first}
        for k in range(2, int(point["lines"]) + 1):
            lines[f"{first.line}-{k}"] = first.model_copy(update={"line": f"{first.line}-{k}"})
    if set(point) & {"pump_speed", "purge_to", "lines"}:
        campaign = campaign.with_lines({name: _changed(line, point) for name, line in lines.items()})
    if "count" in point:
        orders = tuple(replace(o, count=max(1, round(o.count * point["count"]))) for o in campaign.orders)
        campaign = replace(campaign, orders=orders)
    problem = campaign.problem(operators=int(point["operators"]) if "operators" in point else None)
    result = plan(problem)
    u = campaign.spec.uncertainty
    randomness = Randomness(point.get("operator_sigma", u.operator_sigma), point.get("pump_spread", u.pump_spread),
                            point.get("fault_rate", u.fault_rate), u.fault_hold_s)  # fmt: skip
    row: dict[str, Any] = dict(point)
    batches = len(problem.batches)
    row.update({"batches": batches, "makespan_h": result.schedule.makespan_s / 3600,
                "lower_bound_h": result.bound.seconds / 3600, "fifo_h": result.fifo.makespan_s / 3600,
                "throughput_per_day": batches / (result.schedule.makespan_s / 86400),
                "bottleneck": result.bound.bottleneck})  # fmt: skip
    if replications:
        rep = with_replications(result, randomness, replications, seed).uncertain
        assert rep is not None
        row.update({"median_h": rep.median_s / 3600, "p90_h": rep.p90_s / 3600,
                    "p_meet_due": min(rep.meet_due.values(), default=1.0)})  # fmt: skip
    return row


def _changed(line: Any, point: dict[str, float]) -> Any:
    from anodeline.units import Q_

    update: dict[str, Any] = {}
    if "pump_speed" in point:
        factor = point["pump_speed"]
        update["pumps"] = {name: pump.model_copy(update={
            "speed": pump.speed * factor,
            "backing_speed": None if pump.backing_speed is None else pump.backing_speed * factor})
            for name, pump in line.pumps.items()}  # fmt: skip
    if "purge_to" in point:
        purge_to = Q_(point["purge_to"], "Pa")
        update["spaces"] = {name: space.model_copy(update={"purge_to": purge_to}) if space.purge_to is not None
                            else space for name, space in line.spaces.items()}  # fmt: skip
    return line.model_copy(update=update)


def run_sweep(sweep: Sweep, scheduler: str | None = None, workers: int = 2, processes: bool = True,
              progress: Callable[[int, int], None] | None = None,
              connect_timeout_s: float = 5.0) -> list[dict[str, Any]]:  # fmt: skip
    """Every point as a Dask task (a LocalCluster of ``workers`` unless ``scheduler`` is given); rows by index.

    A ``scheduler`` that does not answer within ``connect_timeout_s`` is one clear :class:`CampaignError`.
    """
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None)
            client = Client(cluster)
        else:
            try:
                client = Client(scheduler, timeout=f"{connect_timeout_s:g}s")
            except (OSError, TimeoutError) as exc:
                raise CampaignError(f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                                    hint="start one with 'dask scheduler' or leave --scheduler out "
                                    "for a local cluster") from None  # fmt: skip
        with client:
            futures = [client.submit(evaluate, str(sweep.campaign), point, sweep.replications,
                                     sweep.seed + 1000 * index, key=f"point-{index}-{sweep.name}", pure=False)
                       for index, point in enumerate(sweep.points)]  # fmt: skip
            index_of = {f.key: i for i, f in enumerate(futures)}
            rows: dict[int, dict[str, Any]] = {}
            for n, future in enumerate(as_completed(futures), start=1):
                rows[index_of[future.key]] = future.result()
                if progress is not None:
                    progress(n, len(futures))
    finally:
        if cluster is not None:
            cluster.close()
    return [{"point": i, **rows[i]} for i in sorted(rows)]


def write_report(rows: list[dict[str, Any]], sweep: Sweep, folder: Path) -> list[Path]:
    """``sweep.csv`` and, per parameter, throughput and makespan against it (PNG)."""
    import csv

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "sweep.csv"
    keys = list(dict.fromkeys(k for row in rows for k in row))
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, keys)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in row.items()})
    written = [table]
    for name in sweep.points[0] if sweep.points else {}:
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
        xs = [row[name] for row in rows]
        left.scatter(xs, [row["throughput_per_day"] for row in rows])
        left.set_xlabel(name)
        left.set_ylabel("throughput, batches / day")
        right.scatter(xs, [row["makespan_h"] for row in rows], label="planned")
        if "p90_h" in rows[0]:
            right.scatter(xs, [row["p90_h"] for row in rows], marker="x", label="replay p90")
        right.set_xlabel(name)
        right.set_ylabel("makespan, h")
        right.legend(fontsize=8)
        fig.suptitle(f"{sweep.name}: against {name}")
        fig.tight_layout()
        path = folder / f"sweep-{name}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)
    return written
