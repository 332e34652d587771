"""Run a planned campaign on the twin: one plant per line, one clock, an engine per unit operation.

Every line gets one digital twin (:func:`anodeline.devices.sim.twin.build_twin`) holding the
materials of all its batches, renamed as in the merged proof; all lines share one SimPy clock.
Each task (:mod:`anodeline.campaign.tasks`) is a clock process that waits for its planned start
and for the tasks before it on every key of its footprint, takes an operator if it is manual
work, and then runs its steps with an unmodified :class:`~anodeline.engine.runner.Engine` —
the interlocks, the suspenders, the polling, holds and make-safe as in a single batch. Why an
engine per operation rather than per batch: the engine runs a procedure's steps one after the
other, with no point at which the campaign could make it wait for another batch; an operation
is the unit the plan schedules, so it is the unit that is gated. Between operations the
batch's *belief* (its model of the line: doors, containers, items) is handed on: the finished
operation's belief of what its footprint covers is merged into the batch's, so an operation
running beside another of the same batch (the outlet purge during the deposition) neither
sees nor overwrites the other's changes. Readings come from the shared plant, so every engine
sees what the other batches did to the atmospheres.

Each batch has its own record (created when its first operation starts, materials and
genealogy registered as ``anodeline run`` does): its steps are numbered as in its own
procedure, its materials keep their recipe names, the telemetry read while it runs is kept
in it, and it ends with its verdict.

A fault (``faults``: batch → twin faults, installed on the batch's line when its first
operation starts) ends the operation that meets it as in a single batch: alarm, make-safe,
abort. Its batch is aborted (its containers stay where they are, holding those spaces), the
devices of the failed operation's footprint are stopped (never another batch's: an engine's
``stop`` reaches only its own operation's equipment), and every task that waits on something
the batch will not release is held. The rest go on; batches not yet started on that line and
able to run on another line are re-planned there (:func:`_replan`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from anodeline.batch import targets as batch_targets
from anodeline.campaign.footprint import Footprint
from anodeline.campaign.load import Campaign
from anodeline.campaign.merge import MATERIAL_FIELDS, _materials
from anodeline.campaign.plan import Plan
from anodeline.campaign.problem import Problem
from anodeline.campaign.schedule import Schedule
from anodeline.campaign.tasks import Task, tasks
from anodeline.devices import naming
from anodeline.devices.protocols import Device, Reading
from anodeline.engine.journal import NullJournal
from anodeline.engine.runner import Engine, EngineSettings
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.state import LineState, frozen
from anodeline.procedure.model import Procedure
from anodeline.records import Store

#: the keys of a footprint that name a device, by their prefix
DEVICE_KEYS = ("door:", "pump:", "purifier:", "valve:", "heater:", "source:")


def _policy() -> Any:
    from anodeline.line.policy import AirPolicy

    return AirPolicy()


class OperationEngine(Engine):
    """The engine, for one unit operation on a line shared with other batches.

    One difference only: a single batch switches every glove chamber's purifier to its initial
    state when it starts; on a shared line that would undo another batch's purge, so here the
    purifiers are left to the operations that evacuate and fill their chambers.
    """

    def _start_purifiers(self) -> None:
        return


class _Shared:
    """A device another operation may be using: read and commanded as usual, but not stopped by this one.

    Its fault flag is not shown: a device that reports a fault ends the operation that owns it
    (the engine's rule), and an operation that needs it later waits on that one and is held; an
    operation that does not use it (a deposition while the inlet pump fails) goes on.
    """

    def __init__(self, device: Device) -> None:
        self.device = device

    @property
    def name(self) -> str:
        return self.device.name

    def read(self) -> dict[str, Reading]:
        return {k: v for k, v in self.device.read().items() if not k.endswith(".fault")}

    def set(self, value: Any) -> None:
        self.device.set(value)

    def stop(self) -> None:
        """Not ours to make safe: the operation that commands it does that."""


def _devices(devices: Mapping[str, Device], footprint: Footprint, operator: Device | None) -> dict[str, Device]:
    """The line's devices as one operation sees them: its own footprint's, its operator, the rest shared."""
    own = {key.split(":", 1)[1] for key in footprint if key.startswith(DEVICE_KEYS)}
    view: dict[str, Device] = {
        name: device if name in own or name == naming.MAINS else _Shared(device)
        for name, device in devices.items()
        if name != naming.OPERATOR
    }
    if operator is not None:
        view[naming.OPERATOR] = operator
    return view


def _plain_name(batch: str, name: str) -> str:
    return name.removeprefix(f"{batch}/")


def _plain(batch: str, action: act.Action) -> act.Action:
    """The step with the batch's materials under their recipe names (as its record keeps them)."""
    changes = {f: _plain_name(batch, getattr(action, f)) for f in MATERIAL_FIELDS if hasattr(action, f)}
    if isinstance(action, act.Move):
        changes["to"] = _plain_name(batch, action.to)
    return replace(action, **changes) if changes else action


class _OperationJournal:
    """One operation's engine journal, written into its batch's record (steps renumbered, names restored)."""

    def __init__(self, inner: Any, batch: str, offset: int) -> None:
        self.inner, self.batch, self.offset = inner, batch, offset

    def batch_started(self, procedure: Procedure, seed: int, faults: tuple[str, ...]) -> None:
        pass

    def batch_finished(self, sim_s: float, status: str, reasons: list[str]) -> None:
        pass

    def state_changed(self, sim_s: float, old: str, new: str, reason: str) -> None:
        if old != "idle" and new != "complete":  # the operation's own start and end are not the batch's
            self.inner.state_changed(sim_s, old, new, reason)

    def step_started(self, sim_s: float, index: int, action: act.Action) -> None:
        self.inner.step_started(sim_s, index + self.offset, _plain(self.batch, action))

    def step_finished(
        self, sim_s: float, index: int, action: act.Action, outcome: str, readings: dict[str, float]
    ) -> None:
        self.inner.step_finished(sim_s, index + self.offset, _plain(self.batch, action), outcome, readings)

    def telemetry(self, sim_s: float, readings: Mapping[str, float]) -> None:
        self.inner.telemetry(sim_s, readings)

    def alarm(self, sim_s: float, code: str, message: str, hold: bool) -> str:
        return str(self.inner.alarm(sim_s, code, message, hold))

    def alarm_cleared(self, sim_s: float, alarm_id: str) -> None:
        self.inner.alarm_cleared(sim_s, alarm_id)

    def exposure(self, sim_s: float, item: str, space: str, o2_ppm: float, h2o_ppm: float, sealed: bool) -> None:
        self.inner.exposure(sim_s, _plain_name(self.batch, item), space, o2_ppm, h2o_ppm, sealed)

    def deposited(self, sim_s: float, layer: str, item: str, thickness_um: float) -> None:
        self.inner.deposited(sim_s, layer, _plain_name(self.batch, item), thickness_um)


def _merge_belief(base: LineState, done: LineState, footprint: Footprint) -> LineState:
    """``base`` with what ``footprint`` covers taken from ``done`` (an operation's final belief)."""
    spaces = {k[6:] for k in footprint if k.startswith("space:")}
    doors = {k[5:] for k in footprint if k.startswith("door:")}
    names = {k[9:] for k in footprint if k.startswith("material:")}
    atmospheres = {**base.atmospheres, **{s: done.atmospheres[s] for s in spaces}}
    door_states = {**base.doors, **{d: done.doors[d] for d in doors if d in done.doors}}
    containers = {**base.containers, **{n: done.containers[n] for n in names if n in done.containers}}
    items = {**base.items, **{n: done.items[n] for n in names if n in done.items}}
    items.update({n: i for n, i in done.items.items() if i.location in names})  # carried in a moved container
    heaters = {**base.heaters, **{s: done.heaters[s] for s in spaces if s in done.heaters}}
    walls = {k: v for k, v in base.wall_h2o.items() if k not in spaces}
    walls.update({k: v for k, v in done.wall_h2o.items() if k in spaces})
    return LineState(frozen(atmospheres), frozen(door_states), frozen(containers), frozen(items), frozen(heaters),
                     frozen(walls))  # fmt: skip


@dataclass(frozen=True)
class BatchRun:
    """What became of one batch of the campaign."""

    batch: str
    recipe: str
    line: str
    status: str  # complete | aborted | held (waiting on something a failed batch holds) | cancelled
    verdict: str | None
    record: str | None
    start_s: float | None
    end_s: float | None
    reasons: tuple[str, ...] = ()
    replanned: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"batch": self.batch, "recipe": self.recipe, "status": self.status, "verdict": self.verdict,
                "line": self.line, "record": self.record, "start_s": self.start_s, "end_s": self.end_s,
                "replanned": self.replanned, "reasons": list(self.reasons)}  # fmt: skip


@dataclass(frozen=True)
class CampaignRun:
    campaign: str
    status: str  # complete | incomplete
    makespan_s: float
    planned_makespan_s: int
    batches: tuple[BatchRun, ...]
    changeovers: tuple[dict[str, Any], ...] = ()
    wall_seconds: float = 0.0
    db: str = ""
    audit_head: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"campaign": self.campaign, "status": self.status, "makespan_s": round(self.makespan_s, 1),
                "planned_makespan_s": self.planned_makespan_s, "batches": [b.to_dict() for b in self.batches],
                "changeovers": list(self.changeovers), "db": self.db, "audit_head": self.audit_head}  # fmt: skip


@dataclass
class _Batch:
    """A batch while the campaign runs: its procedure, belief, record and progress."""

    id: str
    line: str
    procedure: Procedure  # renamed
    plain: Procedure  # as compiled (recipe names)
    belief: LineState | None = None
    record: str | None = None
    journal: Any = None
    materials: Any = None
    started_s: float | None = None
    ended_s: float = 0.0
    status: str = "waiting"
    reasons: list[str] = field(default_factory=list)
    running: int = 0
    left: int = 0
    replanned: bool = False


def run_campaign(
    campaign: Campaign,
    plan: Plan,
    store: Store,
    *,
    seed: int = 0,
    faults: Mapping[str, Sequence[str]] | None = None,
    settings: EngineSettings | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> CampaignRun:
    """Run ``plan`` of ``campaign`` on the twin, each batch into its own record in ``store``."""
    return _Floor(campaign, plan, store, seed, dict(faults or {}), settings or EngineSettings(), progress).run()


class _Floor:
    def __init__(self, campaign: Campaign, plan: Plan, store: Store, seed: int, faults: dict[str, Sequence[str]],
                 settings: EngineSettings, progress: Callable[[float, str], None] | None) -> None:  # fmt: skip
        import simpy

        from anodeline.devices.sim.faults import parse_fault
        from anodeline.devices.sim.operator import SimOperator
        from anodeline.devices.sim.twin import build_twin
        from anodeline.engine.clock import SimClock

        self.campaign, self.plan, self.store, self.seed = campaign, plan, store, seed
        self.problem: Problem = plan.problem
        self.schedule: Schedule = plan.schedule
        self.settings, self.progress = settings, progress
        self.faults = {batch: tuple(parse_fault(f) for f in specs) for batch, specs in faults.items()}
        self._check_faults()
        self.clock = SimClock()
        self.env = self.clock.env
        self.lines: dict[str, Line] = {name: campaign.lines[name] for name in self.problem.lines}
        self.batches: dict[str, _Batch] = {}
        for b in self.problem.batches:
            self.batches[b.id] = self._batch(b.id, self.schedule.assignment[b.id])
        self.mounted = self._check_targets()
        self.twins = {}
        self.operators: dict[str, list[Any]] = {}
        for name, model in self.lines.items():
            # the materials of every batch that may come to this line (a re-plan can move one here)
            mine = [bb for bb in self.batches.values() if name in self.problem.by_id[bb.id].options]
            everything = tuple(mat for bb in mine for mat in bb.procedure.materials)
            policy = mine[0].procedure.policy if mine else _policy()
            loaded = Procedure(f"{self.problem.name}@{name}", name, "campaign", policy, everything, ())
            twin = build_twin(model, loaded, clock=self.clock, seed=seed, charges=batch_targets.charges(self.mounted))
            self.twins[name] = twin
            units = [twin.operator] + [SimOperator(naming.OPERATOR, twin.plant, seed + 7919 * k)
                                       for k in range(1, self.problem.operators)]  # fmt: skip
            self.operators[name] = units
        self.operator_pool = simpy.PriorityResource(self.env, capacity=self.problem.operators)
        self.free_units = list(range(self.problem.operators))
        self.done: dict[int, Any] = {}
        self.tasks: list[Task] = []
        self.cancelled: set[int] = set()
        self.changeovers: list[dict[str, Any]] = []
        self.faulted_lines: set[str] = set()
        self.offset = 0

    def _check_faults(self) -> None:
        """A fault names a batch of the campaign, strikes during it (not the line from the start) and applies."""
        from anodeline.devices.sim.faults import FaultError

        for batch, found in self.faults.items():
            if batch not in self.problem.by_id:
                known = ", ".join(b.id for b in self.problem.batches[:5])
                raise FaultError(f"the campaign has no batch {batch!r}", hint=f"name a batch, e.g. {known}")
            line = self.campaign.lines[self.schedule.assignment[batch]]
            for fault in found:
                if fault.kind.alter is not None:
                    raise FaultError(f"fault {fault} changes the line itself from the start, not one batch",
                                     hint="in a campaign inject faults that strike during a batch: pump-failure, "
                                          "stuck-door, leak, power-loss, operator-absent")  # fmt: skip
                fault.check_applies(line, self.problem.template(batch, line.line).procedure)

    def _check_targets(self) -> dict[str, Any]:
        """The mounted targets; the campaign is refused (TGT002, before any record) when its batches,
        in their planned order, would wear one through (docs/models/deposition.md)."""
        mounted = self.store.mounted_targets()
        worn: dict[str, Any] = {}
        ordered = sorted(self.batches.values(), key=lambda b: self.schedule.batch_span(b.id)[0])
        for b in ordered:
            batch_targets.refuse_exhausted(batch_targets.plan(b.plain, self.lines[b.line], mounted, worn))
        return mounted

    def _batch(self, batch: str, line: str) -> _Batch:
        template = self.problem.template(batch, line)
        plain = template.procedure
        renamed = Procedure(f"{batch}: {plain.name}", plain.line, plain.route, plain.policy,
                            tuple(_materials(batch, plain.materials)), (), (), plain.recipe)  # fmt: skip
        return _Batch(batch, line, renamed, plain, left=len(template.operations))

    # --- the run ---------------------------------------------------------------------------------
    def run(self) -> CampaignRun:
        wall = time.perf_counter()
        self._start(tasks(self.problem, self.schedule, self.lines))
        self.env.run()
        for b in self.batches.values():
            if b.status in ("waiting", "running"):
                b.status = "held"
                b.reasons.append("waits for a space, door or device that a failed batch holds")
        results = tuple(self._finish(b) for b in self.batches.values())
        head = self.store.audit_head()
        ends = [b.end_s for b in results if b.end_s is not None and b.status == "complete"]
        status = "complete" if all(b.status == "complete" for b in results) else "incomplete"
        from anodeline.records.connection import shown

        return CampaignRun(self.problem.name, status, max(ends, default=0.0), self.schedule.makespan_s, results,
                           tuple(self.changeovers), time.perf_counter() - wall, shown(self.store.url),
                           head.hash if head else None)  # fmt: skip

    def _start(self, found: list[Task]) -> None:
        base = len(self.tasks)
        for t in found:
            shifted = replace(t, index=base + t.index, after=tuple(base + a for a in t.after))
            self.tasks.append(shifted)
            self.done[shifted.index] = self.env.event()
        for t in self.tasks[base:]:
            self.env.process(self._task(t))

    def _task(self, t: Task) -> Any:
        waits = [self.done[a] for a in t.after]
        if waits:
            yield self.env.all_of(waits)
        if t.start_s > self.env.now:
            yield self.env.timeout(t.start_s - self.env.now)
        if t.index in self.cancelled:
            return
        if t.op < 0:
            ok = yield from self._changeover(t)
        else:
            b = self.batches[t.batch]
            if b.status in ("aborted", "held"):
                return
            if t.manual:
                with self.operator_pool.request(priority=t.start_s) as request:
                    yield request
                    unit = self.free_units.pop(0)
                    try:
                        ok = yield from self._operation(t, b, self.operators[t.line][unit])
                    finally:
                        self.free_units.append(unit)
            else:
                ok = yield from self._operation(t, b, None)
        if ok:
            self.done[t.index].succeed()

    def _operation(self, t: Task, b: _Batch, operator: Any) -> Any:
        if b.record is None:
            self._open_record(b, t.line)
        assert b.belief is not None
        b.status, b.running = "running", b.running + 1
        template = self.problem.template(b.id, b.line)
        op = template.operations[t.op]
        procedure = replace(b.procedure, name=f"{b.id}: {op.name}", steps=t.steps,
                            notes=tuple(f"{b.id}: {op.name}" for _ in t.steps))  # fmt: skip
        twin = self.twins[t.line]
        devices = _devices(twin.devices, t.footprint, operator)
        journal = _OperationJournal(b.journal, b.id, t.offset)
        settings = self.settings
        if settings.max_run_s is None:  # the engine's rule on the operation's planned time (from its real state)
            from anodeline.engine.duration import LIMIT_FACTOR

            limit = LIMIT_FACTOR * max(t.end_s - t.start_s, 60) + settings.suspenders.max_hold_s
            settings = replace(settings, max_run_s=limit)
        engine = OperationEngine(procedure, self.lines[t.line], devices, self.clock, journal, settings=settings)
        engine.belief = engine.observed = b.belief
        if self.progress is not None:
            self.progress(self.env.now, t.note)
        yield from engine.run()
        b.running -= 1
        b.ended_s = self.env.now
        if engine.status != "complete":
            b.status = "aborted" if engine.status == "aborted" else "held"
            b.reasons.extend(engine.reasons)
            self._replan(t.line)
            return False
        b.belief = _merge_belief(b.belief, engine.belief, t.footprint)
        b.left -= 1
        if b.status in ("aborted", "held"):  # another operation of the batch failed meanwhile: go no further
            return False
        if b.left == 0:
            b.status = "complete"
        elif b.running == 0:
            b.status = "waiting"
        return True

    def _open_record(self, b: _Batch, line: str) -> None:
        from anodeline.batch.journal import RecordsJournal
        from anodeline.batch.materials import register_materials
        from anodeline.line.machine import Machine

        order = self.campaign.orders[self.problem.by_id[b.id].order]
        recipe = order.recipe_model
        assert recipe is not None
        record = self.store.create_batch(
            recipe_id=recipe.recipe, recipe_snapshot=recipe.model_dump(mode="json"),
            line_snapshot=self.lines[line].model_dump(mode="json"), route=recipe.route, seed=self.seed,
            procedure_snapshot=b.plain.to_dict(),
        )  # fmt: skip
        b.record = record.batch_id
        b.materials = register_materials(self.store, b.record, recipe, b.plain, {})
        if recipe.assembly is not None:  # claims 7, 23, 39: the cell it goes into (batch/cell.py)
            from anodeline.batch.cell import register_cell

            register_cell(self.store, b.record, b.materials.item_ids, b.materials.electrode_id)
        b.journal = RecordsJournal(self.store, b.record, b.materials.item_ids)
        self.store.start_batch(b.record, sim_s=self.env.now)
        b.started_s = self.env.now
        b.belief = b.procedure.initial_state(Machine(self.lines[line], b.procedure.policy))
        twin = self.twins[line]
        for fault in self.faults.get(b.id, ()):
            fault.install(twin)

    def _changeover(self, t: Task) -> Any:
        """Vent the apparatus and swap its sources (a technician, :data:`SOURCE_SWAP_S`), then purge it back."""
        from anodeline.campaign.setups import SOURCE_SWAP_S
        from anodeline.line.machine import Machine
        from anodeline.physics.atmosphere.state import room_air

        line = self.lines[t.line]
        yield self.env.timeout(SOURCE_SWAP_S)
        plant = self.twins[t.line].plant
        plant.advance()
        plant.state = plant.state.with_atmosphere(t.space, room_air())  # opened to the room for the swap
        policy = self.problem.template(t.batch, t.line).procedure.policy
        procedure = Procedure(f"changeover {t.space}", t.line, "campaign", policy, (), t.steps)
        devices = _devices(self.twins[t.line].devices, t.footprint, None)
        engine = OperationEngine(procedure, line, devices, self.clock, NullJournal(), settings=self.settings)
        engine.belief = engine.observed = Machine(line, policy).initial_state().with_atmosphere(t.space, room_air())
        start = self.env.now - SOURCE_SWAP_S
        yield from engine.run()
        self.changeovers.append({"line": t.line, "space": t.space, "before": t.batch, "start_s": round(start, 1),
                                 "end_s": round(self.env.now, 1), "status": engine.status})  # fmt: skip
        if engine.status != "complete":
            self._replan(t.line)
        return engine.status == "complete"

    # --- a failed batch: the rest re-planned ---------------------------------------------------------
    def _replan(self, line: str) -> None:
        """Batches not yet started on ``line`` that another line can run are re-planned onto the other lines.

        The failed batch keeps what it holds until a person clears it, so ``line`` takes no new
        batch. The others are scheduled by the same heuristic on the remaining lines, from now on
        (after the batches those lines are running, by their plan), proved air-free, and started.
        """
        from anodeline.campaign.heuristic import heuristic
        from anodeline.campaign.merge import verify_schedule

        self.faulted_lines.add(line)
        healthy = tuple(n for n in self.problem.lines if n not in self.faulted_lines)
        movable = [b for b in self.problem.batches if self.batches[b.id].line == line
                   and self.batches[b.id].record is None and self.batches[b.id].status == "waiting"
                   and any(n in b.options for n in healthy)]  # fmt: skip
        if not movable or not healthy:
            return
        busy = [t.end_s for t in self.tasks if t.line in healthy and t.index not in self.cancelled]
        origin = max([int(self.env.now) + 1, *busy])
        off = tuple((max(a - origin, 0), z - origin) for a, z in self.problem.off_shift if z > origin)
        batches = tuple(replace(b, options={n: t for n, t in b.options.items() if n in healthy},
                                due_s=None if b.due_s is None else b.due_s - origin) for b in movable)  # fmt: skip
        sub = replace(self.problem, batches=batches, lines=healthy, off_shift=off)
        schedule = heuristic(sub)
        proofs = verify_schedule(sub, schedule, {n: self.lines[n] for n in healthy})
        if not all(v.air_free for _, v in proofs.values()):
            return  # not proven: they stay held
        moved = {b.id for b in movable}
        for t in self.tasks:
            if t.batch in moved:
                self.cancelled.add(t.index)
        shifted = replace(schedule, placed=tuple(replace(p, start_s=p.start_s + origin, end_s=p.end_s + origin)
                                                 for p in schedule.placed),
                          changeovers=tuple(replace(c, start_s=c.start_s + origin, end_s=c.end_s + origin)
                                            for c in schedule.changeovers))  # fmt: skip
        for b in movable:
            new_line = schedule.assignment[b.id]
            self.batches[b.id] = replace(self._batch(b.id, new_line), replanned=True)
        self._start(self._after_running(tasks(sub, shifted, {n: self.lines[n] for n in healthy})))

    def _after_running(self, found: list[Task]) -> list[Task]:
        """New tasks also wait for the last task already on each key of their line (in their planned order)."""
        last: dict[tuple[str, str], int] = {}
        for t in self.tasks:
            if t.index not in self.cancelled:
                for key in t.footprint:
                    last[(t.line, key)] = t.index
        base = len(self.tasks)
        out = []
        for t in found:
            extra = {last[(t.line, k)] - base for k in t.footprint if (t.line, k) in last}
            out.append(replace(t, after=tuple(sorted(set(t.after) | extra))))
        return out

    # --- records ------------------------------------------------------------------------------------
    def _finish(self, b: _Batch) -> BatchRun:
        from anodeline.batch.outcome import electrode_from, judge, summarise
        from anodeline.batch.runner import _finish
        from anodeline.prediction import predict_recipe

        order = self.campaign.orders[self.problem.by_id[b.id].order]
        recipe = order.recipe_model
        assert recipe is not None
        verdict = None
        if b.record is not None:
            journal = b.journal
            journal.batch_finished(b.ended_s, b.status, b.reasons)
            exposures = [summarise(item, journal.intervals.get(item, [])) for item in sorted(journal.intervals)]
            electrode = None
            if b.status == "complete":
                top = recipe.layers[-1].name
                since = journal.deposited_at.get(top, 0.0)
                work = journal.intervals.get(b.materials.workpiece, [])
                electrode = electrode_from(b.materials.electrode_id, recipe, predict_recipe(recipe),
                                           journal.deposited_um, summarise(b.materials.workpiece, work, since),
                                           summarise(b.materials.workpiece, work))  # fmt: skip
            judgement = judge(recipe, b.status, electrode, exposures)
            reasons = tuple(dict.fromkeys([*b.reasons, *judgement.reasons]))
            ended_s = max(journal.last_sim_s, b.ended_s)
            cell = None
            if recipe.assembly is not None and b.status == "complete":  # the twin's cell test (batch/cell.py)
                from anodeline.batch.cell import assess_cell

                cell = assess_cell(self.store, b.record, recipe, electrode, ended_s, on_twin=True)
            batch_targets.record_batch_use(self.store, b.record, self.lines[b.line], self.mounted, "anodeline")
            _finish(self.store, b.record, b.status, judgement, reasons, ended_s, electrode, cell)
            verdict = None if b.status == "held" else judgement.verdict
            b.reasons = list(reasons)
        return BatchRun(b.id, order.recipe, b.line, b.status, verdict, b.record, b.started_s,
                        b.ended_s if b.record is not None else None, tuple(b.reasons), b.replanned)  # fmt: skip
