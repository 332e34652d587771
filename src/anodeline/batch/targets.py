"""A batch's targets: the life it will take from each mounted target before it starts, and what it took.

Before a batch starts (``run``) or when a recipe is checked against a records database
(``validate --line LINE --db URL``), every deposition of the procedure is matched to the source the
engine will use (:func:`anodeline.devices.naming.source_for`) and to the target mounted on it
(:mod:`anodeline.records.targets`). Its planned use is the deposition ended on thickness with the
rate falling as the target wears (:func:`anodeline.physics.deposition.erosion.planned_use`), the
depositions of one source adding up:

* ``TGT002`` (error): the planned use exceeds what the target has left — the batch does not start;
* ``TGT001`` (warning): less than 10 % of its life would remain after the batch (est. threshold).

After the batch, each deposition step recorded takes from its target ``use rate × its seconds``
(kWh of power for a sputter target; grams for an evaporation charge, whose emission rate is constant
while its film rate falls), written as a ``target_usage`` row (``target.use`` in the audit chain).
A source without a mounted target is not booked (the twin then takes it as fresh).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from anodeline.devices import naming
from anodeline.documents.source import SourceMap
from anodeline.documents.violations import Severity, Violation
from anodeline.errors import AnodelineError
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.physics.deposition.erosion import NEAR_END_SHARE, Charge, planned_use, use_rate_per_s
from anodeline.physics.deposition.rates import DEFAULT_PARAMS, deposition_rate_nm_per_s, params_for
from anodeline.procedure.model import Procedure
from anodeline.recipe.schema import Recipe
from anodeline.records.core import StoreCore
from anodeline.records.targets import TargetRecord
from anodeline.records.values import StepRecord

NEAR_END = "TGT001"
EXHAUSTED = "TGT002"
HINT = "mount a new one: anodeline targets install ID --source SOURCE --material MATERIAL (docs/cli.md)"


@dataclass(frozen=True)
class TargetFinding:
    """One deposition's planned use of a mounted target, and what it leaves."""

    code: str | None  # None: fine; TGT001 warning; TGT002 error
    layer: str
    source: str
    target_id: str
    use: float
    unit: str
    remaining_before: float
    remaining_after: float
    capacity: float
    drift: float  # relative rate change over the deposition

    @property
    def is_error(self) -> bool:
        return self.code == EXHAUSTED

    @property
    def message(self) -> str:
        head = (
            f"layer {self.layer!r}: target {self.target_id} on {self.source} has {self.remaining_before:.3g} "
            f"{self.unit} of {self.capacity:.3g} {self.unit} left"
        )
        if self.code == EXHAUSTED:
            return f"{head}; the deposition needs {self.use:.3g} {self.unit}"
        share = max(self.remaining_after, 0.0) / self.capacity
        return f"{head}; after this batch ({self.use:.3g} {self.unit}) {share:.0%} of its life remains"

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code, "layer": self.layer, "source": self.source, "target": self.target_id,
            "use": self.use, "unit": self.unit, "remaining_before": self.remaining_before,
            "remaining_after": self.remaining_after, "capacity": self.capacity, "rate_drift": self.drift,
        }  # fmt: skip


def _deposits(procedure: Procedure) -> Iterable[act.Deposit]:
    return (step for step in procedure.steps if isinstance(step, act.Deposit))


def _fresh_rate(method: str, material: str, power_w: float) -> float:
    return deposition_rate_nm_per_s(method, material, params_for(power_w))


def plan(
    procedure: Procedure, line: Line, mounted: Mapping[str, TargetRecord], worn: dict[str, Charge] | None = None
) -> list[TargetFinding]:
    """The planned use of every mounted target the procedure deposits from, in step order.

    ``worn`` (source → charge) carries the wear from one procedure to the next when several batches
    are planned together (a campaign); it is updated in place.
    """
    charges: dict[str, Charge] = {} if worn is None else worn
    found: list[TargetFinding] = []
    for deposit in _deposits(procedure):
        source = naming.source_for(line, deposit.space, deposit.method, deposit.material)
        record = mounted.get(source or "")
        if source is None or record is None:
            continue
        charge = charges.get(source) or record.charge()
        power = deposit.power_w or DEFAULT_PARAMS.sputtering.power_w
        use = planned_use(
            charge, deposit.material, deposit.thickness_um, _fresh_rate(deposit.method, deposit.material, power), power
        )
        after = charge.capacity - charge.used - use.use
        code = EXHAUSTED if use.exceeds else (NEAR_END if after < NEAR_END_SHARE * charge.capacity else None)
        found.append(
            TargetFinding(
                code, deposit.layer, source, record.target_id, use.use, record.unit, charge.remaining, after,
                charge.capacity, use.drift,
            )
        )  # fmt: skip
        charges[source] = charge.after(use.use)
    return found


def charges(mounted: Mapping[str, TargetRecord]) -> dict[str, Charge]:
    """Source device → the physics' view of its mounted target (what the twin wears)."""
    return {source: record.charge() for source, record in mounted.items()}


@dataclass(frozen=True)
class Use:
    target_id: str
    layer: str
    amount: float
    seconds: float


def used(steps: Iterable[StepRecord], line: Line, mounted: Mapping[str, TargetRecord]) -> list[Use]:
    """What the batch's recorded deposition steps took from the mounted targets."""
    out: list[Use] = []
    for step in steps:
        if step.action != "deposit":
            continue
        args = step.arguments_data
        try:
            method, material, space = str(args["method"]), str(args["material"]), str(args["space"])
            layer, power = str(args["layer"]), float(args.get("power_w", 0.0) or 0.0)
        except (KeyError, TypeError, ValueError, AttributeError):  # a step of another shape: nothing to book
            continue
        source = naming.source_for(line, space, method, material)
        record = mounted.get(source or "")
        if record is None:
            continue
        power = power or DEFAULT_PARAMS.sputtering.power_w
        rate = use_rate_per_s(record.charge(), material, power, _fresh_rate(method, material, power))
        seconds = max(step.ended_sim_s - step.started_sim_s, 0.0)
        out.append(Use(record.target_id, layer, rate * seconds, seconds))
    return out


class TargetExhaustedError(AnodelineError, ValueError):
    """A batch's depositions would need more of a mounted target than it has left (exit 1)."""

    code = "TARGET"

    def __init__(self, message: str, *, hint: str = HINT) -> None:
        self.rule = EXHAUSTED
        super().__init__(message, hint=hint)


def refuse_exhausted(findings: Iterable[TargetFinding]) -> None:
    """Raise :class:`TargetExhaustedError` for the first deposition that needs more than its target has left."""
    for finding in findings:
        if finding.is_error:
            raise TargetExhaustedError(finding.message)


def violations(
    recipe: Recipe, line: Line, mounted: Mapping[str, TargetRecord], source_map: SourceMap
) -> list[Violation]:
    """``validate --db``: the planned use of the mounted targets as located findings (TGT001, TGT002)."""
    from anodeline.procedure import compile_procedure

    try:
        procedure = compile_procedure(recipe, line)
    except AnodelineError:  # the fit checks report why the recipe does not compile for the line
        return []
    index = {layer.name: i for i, layer in enumerate(recipe.layers)}
    out: list[Violation] = []
    for finding in plan(procedure, line, mounted):
        if finding.code is None:
            continue
        path = f"layers[{index[finding.layer]}]" if finding.layer in index else "layers"
        row, column = source_map.locate(path)
        severity = Severity.ERROR if finding.is_error else Severity.WARNING
        out.append(Violation(severity, finding.code, path, row, column, finding.message, HINT,
                             "docs/models/deposition.md (target erosion)"))  # fmt: skip
    return out


def record_batch_use(
    store: StoreCore, batch_id: str, line: Line, mounted: Mapping[str, TargetRecord], actor: str
) -> None:
    """Book what ``batch_id``'s recorded depositions took from the mounted targets, once per layer (a resumed
    batch books the layers its first process did not)."""
    booked = store.booked_layers(batch_id)
    for use in used(store.steps(batch_id), line, mounted):
        if use.layer in booked:
            continue
        booked.add(use.layer)
        store.record_target_use(batch_id, use.target_id, layer=use.layer, amount=use.amount, seconds=use.seconds,
                                actor=actor)  # fmt: skip
