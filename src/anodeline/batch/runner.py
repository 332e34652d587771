"""Run one batch: recipe + line → verified procedure → the twin (or hardware) → record and verdict.

Order matters and nothing moves before it is safe to: the recipe must be valid, the line
able to run its route, and the compiled procedure proven air-free by the verifier; only
then is a batch record created and the engine started. Every step is committed to the
record as it happens; if the engine fails unexpectedly the batch is aborted in the record
with the reason, so nothing that happened is lost.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anodeline.batch import targets as batch_targets
from anodeline.batch.commands import RecordsCommands
from anodeline.batch.journal import RecordsJournal
from anodeline.batch.materials import check_lot_records, check_lot_roles, lot_roles, register_materials
from anodeline.batch.operator import OperatorChoice
from anodeline.batch.outcome import Electrode, Exposure, Judgement, electrode_from, judge, summarise
from anodeline.batch.targets import TargetFinding
from anodeline.errors import AnodelineError
from anodeline.line import load_line
from anodeline.line.load import default_line_path
from anodeline.prediction import predict_recipe
from anodeline.procedure import can_run, compile_procedure, verify_procedure
from anodeline.recipe.validate import load_recipe
from anodeline.records.core import StoreCore
from anodeline.records.direct import open_run_store
from anodeline.records.errors import RecordsError
from anodeline.records.lease import LeaseKeeper
from anodeline.records.lengths import check_batch_strings
from anodeline.records.urls import make_default_folder, shown

if TYPE_CHECKING:  # pragma: no cover  (batch/cell.py is imported by a recipe with an assembly only)
    from anodeline.batch.cell import CellOutcome

Progress = Callable[[float, int, int, Any], None]


class BatchRefusedError(AnodelineError, ValueError):
    """The batch cannot start: the line cannot run the route, or the procedure is not air-free."""

    code = "BATCH"


@dataclass(frozen=True)
class BatchReport:
    """What ``anodeline run`` reports."""

    batch: str
    status: str
    verdict: str | None
    simulated_seconds: float
    wall_seconds: float
    steps: int
    electrode: Electrode | None
    exposure: tuple[Exposure, ...]
    reasons: tuple[str, ...]
    db: str
    audit_head: str | None = None
    line: str = ""
    faults: tuple[str, ...] = field(default_factory=tuple)
    backend: str = "twin"  # or the protocols of the equipment (opcua, modbus, modbus+opcua)
    endpoint: str | None = None
    cell: CellOutcome | None = None  # a recipe with an assembly section (claims 7, 23, 39)
    #: the planned use of each mounted target (:mod:`anodeline.batch.targets`) and the TGT001 warnings
    targets: tuple[TargetFinding, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        equipment = {} if self.backend == "twin" else {"backend": self.backend, "endpoint": self.endpoint}
        return {
            "batch": self.batch,
            "status": self.status,
            "verdict": self.verdict,
            "simulated_seconds": self.simulated_seconds,
            "wall_seconds": self.wall_seconds,
            "steps": self.steps,
            "electrode": self.electrode.to_dict() if self.electrode else None,
            "exposure": [e.to_dict() for e in self.exposure],
            "reasons": list(self.reasons),
            "line": self.line,
            "faults": list(self.faults),
            "db": self.db,
            "audit_head": self.audit_head,
            **equipment,  # a twin run's JSON stays as it was (tests/test_golden.py)
            **({"cell": self.cell.to_dict()} if self.cell is not None else {}),
            **({"targets": [t.to_dict() for t in self.targets]} if self.targets else {}),
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }


def run_batch(
    recipe_path: str | Path,
    *,
    line_path: str | Path | None = None,
    db_url: str | None = None,
    seed: int = 0,
    faults: Iterable[str] = (),
    lots: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    store: StoreCore | None = None,
    max_hours: float | None = None,
    actor: str = "anodeline",
    speed: float | None = None,
    authorize: Callable[[Any], str] | None = None,
    on_close: Callable[[StoreCore], None] | None = None,
    equipment: Any = None,
    clock: Any = None,
    operator: OperatorChoice | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> BatchReport:
    """Make the electrode of ``recipe_path`` on the twin; record it; judge it.

    ``actor`` is who started the batch (an authenticated user, or the unattended twin run);
    ``authorize(store)``, when given, authenticates the person starting it once every input check
    passed and the store is open, and returns their name (the actor). ``on_close(store)`` runs
    once the batch is recorded, or failed after the store was migrated (the CLI anchors the head).
    ``lots`` (role → lot id) are checked before anything is recorded: roles, materials, and an
    earlier batch's electrode used as a lot must have been released. ``max_hours`` limits the
    simulated run (default: 3 × the procedure's planned duration + one suspender hold,
    :mod:`anodeline.engine.duration`); a run that reaches it aborts with ``TIMEOUT``. ``speed``: run the
    twin on the wall clock at that many times real time (:class:`~anodeline.engine.clock.WallClock`)
    instead of simulated time, so that commands and crashes land mid-batch; the results are the same.
    With ``equipment`` (:class:`anodeline.equipment.backend.Equipment`, connected) the batch runs on
    its devices on ``clock`` (a wall clock) instead of the twin; the line snapshot of the record
    notes the equipment (backend, endpoints, server certificate thumbprints). ``operator``: who does the
    manual steps (default: the twin's simulated operator; ``manual``: prompts answered by people, which
    on the twin needs ``speed``: :mod:`anodeline.batch.operator`). The targets mounted on the sources
    (:mod:`anodeline.batch.targets`) are checked before the batch is recorded: one the batch would wear
    through refuses it (``TGT002``), one near its end of life is a warning passed to ``on_warning``
    (``TGT001``); the twin wears them from their recorded state and each deposition's use is recorded.
    """
    from anodeline.devices.sim.twin import build_twin
    from anodeline.engine import EngineSettings, SimClock, run_procedure
    from anodeline.engine.clock import WallClock

    faults = tuple(faults)
    if max_hours is not None and not (math.isfinite(max_hours) and max_hours > 0.0):
        raise BatchRefusedError(f"--max-hours {max_hours!r} is not a positive number of hours",
                                hint="give the longest the simulated run may take, e.g. --max-hours 24")  # fmt: skip
    if speed is not None and not (math.isfinite(speed) and speed > 0.0):
        raise BatchRefusedError(f"--speed {speed!r} is not a positive factor", hint="e.g. --speed 600: an hour in 6 s")
    operator = operator or OperatorChoice()
    operator.check(speed=speed, equipment=equipment is not None)
    max_run_s = max_hours * 3600.0 if max_hours is not None else None
    settings = (
        EngineSettings(max_run_s=max_run_s) if equipment is None else equipment.engine_settings(max_run_s=max_run_s)
    )
    recipe = load_recipe(recipe_path)
    if recipe.assembly is not None and equipment is None:  # the twin tests the cell: PyBaMM must be there
        from anodeline.cell.cycler import require_pybamm

        require_pybamm()
    check_lot_roles(recipe, lots or {})
    line = load_line(line_path or default_line_path(recipe.route))
    reason = can_run(recipe, line)
    if reason:
        raise BatchRefusedError(f"line {line.line!r} cannot run recipe {recipe.recipe!r}: {reason}",
                                hint="choose another line with --line")  # fmt: skip
    procedure = compile_procedure(recipe, line)
    verdict = verify_procedure(procedure, line)
    if not verdict.air_free:
        failure = verdict.failure
        why = f"step {failure.step}: {failure.rule} {failure.reason}" if failure else "unknown step"
        raise BatchRefusedError(f"the procedure is not air-free ({why})", hint="run 'anodeline verify' for the details")
    # build the twin once before anything is recorded: an unknown fault or fault target is a usage error
    build_twin(line, procedure, clock=SimClock(), seed=seed, faults=faults)
    snapshot = line.model_dump(mode="json")
    if equipment is not None:
        from anodeline.procedure.io import dump

        equipment.prepare(dump(procedure, "json"), seed)  # a twin server loads the batch's materials
        snapshot["equipment"] = equipment.metadata()
    prediction = predict_recipe(recipe)
    # a string too long for its column must stop the batch before its first row is written
    item_names = [spec.name for container in procedure.materials for spec in container.items]
    roles = [f"{role}-lot" for role in lot_roles(recipe)]
    check_batch_strings(recipe.recipe, recipe.route, (lots or {}).values(), [*item_names, *roles, "lithium-foil"])
    owned = store is None
    if store is None:  # SQLAlchemy only when needed: users (--as), prompts, a database to create or migrate
        make_default_folder(db_url)
        store = open_run_store(db_url, direct=authorize is None and not operator.manual)
    migrated = False
    leases = ExitStack()
    try:
        if not owned:
            store.migrate()
        migrated = True
        if authorize is not None:
            actor = authorize(store)
        check_lot_records(store, recipe, lots or {})
        mounted = store.mounted_targets()
        findings = tuple(batch_targets.plan(procedure, line, mounted))
        batch_targets.refuse_exhausted(findings)  # TGT002: the batch must not start
        warnings = tuple(f"{f.code} {f.message}" for f in findings if f.code is not None)
        for warning in warnings:
            if on_warning is not None:
                on_warning(warning)
        record = store.create_batch(
            recipe_id=recipe.recipe, recipe_snapshot=recipe.model_dump(mode="json"),
            line_snapshot=snapshot, route=recipe.route, seed=seed, actor=actor,
            procedure_snapshot=procedure.to_dict(),
        )  # fmt: skip
        batch_id = record.batch_id
        materials = register_materials(store, batch_id, recipe, procedure, lots or {})
        if recipe.assembly is not None:
            from anodeline.batch.cell import register_cell

            register_cell(store, batch_id, materials.item_ids, materials.electrode_id)
        journal = RecordsJournal(store, batch_id, materials.item_ids)
        # the batch's lease, held (renewed from a thread) until its end is recorded; a killed process
        # stops renewing it and the batch shows as interrupted (records/lease.py)
        held = LeaseKeeper(store, batch_id, owner=actor)
        held.__enter__()
        leases.callback(held.__exit__)
        wall = time.perf_counter()
        people = None
        if operator.manual:  # manual steps put to people as prompts, answered from any process
            from anodeline.records.store import Store  # prompts are written through the ORM

            if not isinstance(store, Store):
                raise BatchRefusedError("manual prompts need a store opened with open_store()",
                                        hint="pass store=open_store(url), or no store")  # fmt: skip
            people = partial(operator.build, store, batch_id, lambda: journal.current_step)
        try:
            if equipment is None:
                result = run_procedure(
                    procedure,
                    line,
                    seed=seed,
                    faults=faults,
                    journal=journal,
                    progress=progress,
                    settings=settings,
                    clock=WallClock(factor=1.0 / speed) if speed is not None else None,
                    commands=RecordsCommands(store, batch_id),
                    operator=None if people is None else lambda twin: people(twin.plant.apply),
                    charges=batch_targets.charges(mounted),
                )
            else:
                from anodeline.engine.run import run_on_devices

                devices = dict(equipment.devices)
                if people is not None:  # the PLC's operator gets the step too (its HMI shows it)
                    devices["operator"] = people(None, devices.get("operator"))
                result = run_on_devices(procedure, line, devices, clock, journal=journal, progress=progress,
                                        settings=settings, commands=RecordsCommands(store, batch_id))  # fmt: skip
        except Exception as exc:  # the record must say why the batch stopped, whatever it was
            abort_reasons = [f"engine failure: {exc!r}"]
            try:  # the telemetry held so far goes in while the batch can still take it
                journal.close()
            except RecordsError as lost:
                abort_reasons.append(f"telemetry since the last step not written: {lost}")
            store.abort_batch(batch_id, sim_s=journal.last_sim_s, reasons=abort_reasons)
            raise
        wall = time.perf_counter() - wall
        batch_targets.record_batch_use(store, batch_id, line, mounted, actor)  # what it took from its targets
        exposures = tuple(summarise(item, journal.intervals.get(item, [])) for item in sorted(journal.intervals))
        electrode = None
        if result.status == "complete":
            top = recipe.layers[-1].name
            since = journal.deposited_at.get(top, 0.0)
            work = journal.intervals.get(materials.workpiece, [])
            electrode = electrode_from(
                materials.electrode_id, recipe, prediction, journal.deposited_um,
                summarise(materials.workpiece, work, since), summarise(materials.workpiece, work),
            )  # fmt: skip
        judgement = judge(recipe, result.status, electrode, list(exposures))
        reasons = tuple(dict.fromkeys([*result.reasons, *judgement.reasons]))
        cell = None
        if recipe.assembly is not None and result.status == "complete":
            from anodeline.batch.cell import assess_cell

            cell = assess_cell(store, batch_id, recipe, electrode, journal.last_sim_s, on_twin=equipment is None)
        _finish(store, batch_id, result.status, judgement, reasons, journal.last_sim_s, electrode, cell)
        head = store.audit_head()
        return BatchReport(
            batch=batch_id, status=result.status, verdict=None if result.status == "held" else judgement.verdict,
            simulated_seconds=result.simulated_seconds, wall_seconds=wall, steps=result.steps_executed,
            electrode=electrode, exposure=exposures, reasons=reasons, db=shown(store.url),
            audit_head=head.hash if head else None, line=line.line, faults=faults,
            backend=equipment.backend if equipment is not None else "twin",
            endpoint=equipment.endpoint if equipment is not None else None, cell=cell, targets=findings,
            warnings=warnings,
        )  # fmt: skip
    finally:
        try:
            leases.close()  # after the batch's end is recorded: never 'interrupted' in between
            if migrated and on_close is not None:
                on_close(store)
        finally:
            if owned:
                store.close()


def _finish(
    store: StoreCore,
    batch_id: str,
    status: str,
    judgement: Judgement,
    reasons: tuple[str, ...],
    sim_s: float,
    electrode: Electrode | None,
    cell: CellOutcome | None = None,
) -> None:
    current = store.get_batch(batch_id).status
    if status == "complete" and current == "running":
        made = None
        if electrode is not None:  # the record keeps the electrode with its verdict and reasons
            made = {**electrode.to_dict(), "verdict": judgement.verdict, "reasons": list(judgement.reasons)}
            if cell is not None:  # the cell it went into, with its test (batch/cell.py)
                made["cell"] = cell.to_dict()
        store.finish_batch(batch_id, sim_s=sim_s, verdict=judgement.verdict, reasons=reasons, electrode=made)
    elif status == "held":
        if current == "running":  # the record shows the hold and why, awaiting a person's decision
            store.raise_alarm(batch_id, sim_s=sim_s, code="HELD", message="; ".join(reasons), hold=True)
    elif status == "stopped" and current in ("running", "held"):  # ISA-88 stop: its own final status
        store.stop_batch(batch_id, sim_s=sim_s, reasons=reasons or ("batch stopped",))
    elif current in ("created", "running", "held"):
        store.abort_batch(batch_id, sim_s=sim_s, reasons=reasons or (f"batch {status}",))
