"""Warm and cold restart of an interrupted batch on the in-process twin (``anodeline resume``).

A batch whose controlling process died shows as ``interrupted`` (records/lease.py). Resuming it:

1. takes the batch's lease (refused while a live process holds it);
2. rebuilds the procedure from the batch's recipe and line snapshots (it must equal the stored
   procedure snapshot) and the line's state from the step journal: the initial state with every
   step the journal shows ``done ok`` applied, in order, by the same Machine the verifier uses
   (for an in-process twin the twin died with the process: this is the twin rebuilt from the journal);
3. reconciles the step in flight (an intent without its end): a deposition or an anneal cut off
   cannot be finished from sensors — its film or heat history is unknown — so the step is marked
   ``cannot resume`` and the batch ends safely with its items quarantined (a recorded decision);
   any other step is simply re-checked by the engine from what the sensors read and commanded again
   (door, valve, pump and gas steps are idempotent);
4. reads the line once and runs again each done step whose effect lasts only while its device
   runs and that the sensors no longer confirm — a pump-down whose pump reads stopped (it died with
   the process, or make-safe isolated it) or whose gauge reads above its target
   (:mod:`anodeline.engine.lasting`); the re-run is journalled ``redone`` and named in the
   ``RESUMED`` alarm;
5. re-verifies the rest of the procedure — the re-runs, then the steps not done — air-free from the
   reconciled state, then goes on, recording into the same batch.

``cold``: abandon safely instead — make-safe every sensitive item, quarantine the items, end the
batch aborted with the decision as its reason.

A batch that ran on equipment (``run --devices``) resumes on that equipment, connected again by the
caller (``anodeline resume --certs/--user/--speed/--bindings``): the same server certificate as
recorded or refused (:mod:`anodeline.equipment.record`), the engine on the wall clock at the
recorded speed, the line's state read from the equipment at the first poll; a twin server is not
prepared again (its plant went on while nobody drove it). Make-safe of a cold restart or a
quarantine is commanded on the equipment too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anodeline.batch import location
from anodeline.batch import targets as batch_targets
from anodeline.batch.commands import RecordsCommands
from anodeline.batch.journal import RecordsJournal
from anodeline.batch.operator import OperatorChoice
from anodeline.batch.outcome import electrode_from, judge, summarise
from anodeline.batch.runner import BatchRefusedError, BatchReport, _finish
from anodeline.devices import naming
from anodeline.errors import AnodelineError
from anodeline.line import actions as act
from anodeline.records import Store
from anodeline.records.canonical import mapping_json, parse_json
from anodeline.records.connection import shown
from anodeline.records.exposure import ExposureInterval
from anodeline.records.lease import LeaseKeeper
from anodeline.records.stepjournal import JournalEntry, in_flight


class ResumeRefusedError(AnodelineError, ValueError):
    """The batch cannot be resumed as asked (exit 1)."""

    code = "RESUME"


@dataclass(frozen=True)
class Reconciled:
    """What the journal says: steps done, the step in flight, films made, where the clock stood."""

    done: int
    flying: JournalEntry | None
    films: dict[str, tuple[float, float]]  # layer → (µm, sim s)
    sim_s: float


def reconcile(journal: list[JournalEntry]) -> Reconciled:
    import json

    done_ok = [e for e in journal if e.phase == "done" and e.outcome == "ok"]
    indices = sorted({e.index for e in done_ok})
    done = 0
    while done in indices:
        done += 1
    films: dict[str, tuple[float, float]] = {}
    for entry in done_ok:
        data = json.loads(entry.action)
        if "film_um" in data:
            films[str(data["layer"])] = (float(data["film_um"]), float(data["film_at_s"]))
    sim_s = max((e.sim_s for e in journal), default=0.0)
    return Reconciled(done, in_flight(journal), films, sim_s)


def cannot_resume(action: act.Action, apparatus: set[str]) -> str | None:
    """Why step ``action`` cut off midway cannot be finished (None: it can be re-checked and done again)."""
    if isinstance(action, act.Deposit):
        return f"deposition of {action.layer} on {action.onto} cut off midway: the film made is unknown"
    if isinstance(action, act.Hold) and action.space in apparatus:
        return f"anneal in {action.space} interrupted: the heat history is unknown"
    return None


def resume_batch(
    store: Store,
    batch_id: str,
    *,
    authorize: Callable[[Store], str],
    cold: bool = False,
    seed: int | None = None,
    equipment: Any = None,
    operator: OperatorChoice | None = None,
    speed: float | None = None,
) -> BatchReport:
    """Resume (or, ``cold``, abandon) the interrupted ``batch_id`` on a twin rebuilt from its journal.

    ``equipment`` (connected, :class:`anodeline.equipment.backend.Equipment`): the batch ran on it
    and goes on there; required for such a batch, refused for a twin batch or another server.
    ``operator``: who confirms where the item of a step in flight that moved one is
    (:mod:`anodeline.batch.location`): the twin's ground truth (simulated, the default) or a person
    (``manual``: a prompt, waited for on the wall clock). ``speed`` (a twin batch): the rebuilt twin goes on
    on the wall clock at that many simulated seconds per second, and with ``manual`` the rest's glove
    work and manual steps are put to people as prompts (as ``run --operator manual --speed N``);
    without it the twin goes on on simulated time and only the location question is asked.
    """
    from anodeline.engine import SimClock
    from anodeline.engine.commands import remaining_refusal
    from anodeline.engine.lasting import Rerun, held_by_a_device, not_confirmed, read_line
    from anodeline.engine.run import continue_on_devices, continue_on_twin, rebuild_twin
    from anodeline.equipment.record import check_same_equipment, split_snapshot
    from anodeline.line.config import Line
    from anodeline.line.machine import Machine
    from anodeline.prediction import predict_recipe
    from anodeline.procedure import compile_procedure
    from anodeline.recipe.schema import Recipe

    batch = store.get_batch(batch_id)
    status = store.shown_status(batch)
    if status != "interrupted":
        raise ResumeRefusedError(
            f"batch {batch_id!r} is {status}; only an interrupted batch (no live process) is resumed",
            hint="a held batch that a process runs takes 'anodeline batch restart'",
        )
    line_data, recorded = split_snapshot(batch.line_data)
    check_same_equipment(batch_id, recorded, equipment)
    actor = authorize(store)
    operator = operator or OperatorChoice()
    recipe = Recipe.model_validate(batch.recipe_data)
    line = Line.model_validate(line_data)
    procedure = compile_procedure(recipe, line)
    if batch.procedure_data is not None and parse_json(mapping_json(procedure.to_dict())) != batch.procedure_data:
        raise ResumeRefusedError(f"batch {batch_id!r}: its recipe no longer compiles to the procedure it ran",
                                 hint="abandon it with --cold")  # fmt: skip
    state_of = reconcile(store.step_journal(batch_id))
    machine = Machine(line, procedure.policy)
    state = procedure.state_after(machine, state_of.done)
    apparatus = {name for name, space in line.spaces.items() if space.kind == "apparatus"}
    item_ids = {it.name: f"{batch_id}/{it.name}" for c in procedure.materials for it in c.items}
    flying = procedure.steps[state_of.flying.index] if state_of.flying is not None else None
    why_not = cannot_resume(flying, apparatus) if flying is not None else None
    asked = None  # where the item the step in flight moved is: the sensors cannot tell (batch/location.py)
    if not (cold or why_not) and flying is not None and state_of.flying is not None:
        asked = location.question(state_of.flying.index, flying, state)
    if asked is not None and equipment is not None and not operator.manual:
        raise ResumeRefusedError(
            f"batch {batch_id!r}: step {asked.step} moved {asked.name}, and on equipment no ground truth says "
            "where it is: a person confirms it", hint="resume with --operator manual (the default on equipment)"
        )  # fmt: skip
    from anodeline.records import prompts

    why = f"the process that asked died; the batch was resumed by {actor}" + (" (cold)" if cold else "")
    store.write(lambda s: prompts.withdraw_open(s, batch_id, actor=actor, reason=why))  # nobody waits for them
    if equipment is not None:
        clock = _wall_clock(equipment.speed, state_of.sim_s)
    else:
        clock = SimClock(start_s=state_of.sim_s) if speed is None else _wall_clock(speed, state_of.sim_s)
    twin_seed = (batch.seed or 0) if seed is None else seed
    mounted = store.mounted_targets()  # the targets the rest of the batch wears
    twin = (
        None
        if (cold or why_not or equipment is not None)
        else rebuild_twin(line, procedure, state, clock=clock, seed=twin_seed, charges=batch_targets.charges(mounted))
    )
    reruns: tuple[Rerun, ...] = ()
    if not (cold or why_not):  # what the sensors no longer confirm of the steps done is done again
        readings = read_line(twin.devices if twin is not None else equipment.devices)
        reruns = not_confirmed(line, procedure.steps, held_by_a_device(line, procedure.steps, state_of.done), readings)
    remaining = [*(r.action for r in reruns), *procedure.steps[state_of.done :]]
    refusal = None if (cold or why_not) else remaining_refusal(machine, state, remaining)
    decision = None
    if cold:
        decision = f"cold restart by {actor}: abandoned at step {state_of.done}; items quarantined"
    elif why_not is not None:
        decision = f"step {state_of.done} cannot resume ({why_not}); items quarantined by {actor}"
    elif refusal is not None:
        decision = f"the rest of the procedure is not air-free from the reconciled state ({refusal}); " \
                   f"items quarantined by {actor}"  # fmt: skip
    journal = RecordsJournal(store, batch_id, item_ids)
    journal.resumed = True
    for layer, (um, at) in state_of.films.items():
        journal.deposited_um[layer], journal.deposited_at[layer] = um, at
    wall = time.perf_counter()
    with LeaseKeeper(store, batch_id, owner=actor):  # held while a person is asked: the prompt waits
        if asked is not None and decision is None:
            if operator.manual:
                answer = location.ask_a_person(store, batch_id, asked, timeout_s=operator.timeout_s,
                                               notify=operator.notify)  # fmt: skip
            else:
                truth = twin.true_state() if twin is not None else state
                answer = location.ask_the_twin(store, batch_id, asked, truth)
            if not answer.confirmed:
                decision = (f"where {asked.name} is after step {asked.step} in flight was not confirmed "
                            f"({answer.text}); items quarantined by {actor}")  # fmt: skip
        flown = state_of.flying
        note = f"in flight: step {flown.index} {procedure.steps[flown.index].describe()}" if flown else "none in flight"
        if reruns:
            note += "; re-run: " + "; ".join(r.describe() for r in reruns)
        store.raise_alarm(batch_id, sim_s=state_of.sim_s, code="RESUMED",
                          message=f"resumed by {actor} from step {state_of.done} ({note})"
                          + (f"; decision: {decision}" if decision else ""))  # fmt: skip
        if decision is not None:
            report = _abandon(store, batch_id, procedure, line, state, state_of, clock, journal, decision, seed,
                              equipment)  # fmt: skip
        else:
            commands = RecordsCommands(store, batch_id)
            devices = dict(equipment.devices) if equipment is not None else {}
            if operator.manual and equipment is not None:  # prompts in the records, told to the PLC's operator too
                devices[naming.OPERATOR] = operator.build(
                    store, batch_id, lambda: journal.current_step, None, devices.get(naming.OPERATOR)
                )
            elif operator.manual and twin is not None and speed is not None:
                # the rest's glove work and manual steps go to people too, on the wall clock (as run --speed)
                twin.devices[naming.OPERATOR] = operator.build(
                    store, batch_id, lambda: journal.current_step, twin.plant.apply
                )
            if equipment is not None:
                result = continue_on_devices(procedure, line, state, state_of.done, devices, clock,
                                             journal=journal, settings=equipment.engine_settings(),
                                             commands=commands, reruns=tuple(r.index for r in reruns))  # fmt: skip
            else:
                result = continue_on_twin(
                    procedure, line, state, state_of.done, clock=clock, seed=twin_seed, journal=journal,
                    commands=commands, twin=twin, reruns=tuple(r.index for r in reruns),
                    charges=batch_targets.charges(mounted),
                )  # fmt: skip
            batch_targets.record_batch_use(store, batch_id, line, mounted, actor)  # the layers not yet booked
            exposures = _exposures(store, journal, item_ids)
            electrode = None
            materials_workpiece = _workpiece(procedure)
            if result.status == "complete":
                top = recipe.layers[-1].name
                work = exposures.get(f"{batch_id}/{materials_workpiece}", [])
                since = journal.deposited_at.get(top, 0.0)
                electrode = electrode_from(
                    f"{batch_id}/electrode", recipe, predict_recipe(recipe), journal.deposited_um,
                    summarise(f"{batch_id}/{materials_workpiece}", work, since),
                    summarise(f"{batch_id}/{materials_workpiece}", work),
                )  # fmt: skip
            summaries = tuple(summarise(item, ivs) for item, ivs in sorted(exposures.items()))
            judgement = judge(recipe, result.status, electrode, list(summaries))
            reasons = tuple(dict.fromkeys([*result.reasons, *judgement.reasons]))
            cell = None
            if recipe.assembly is not None and result.status == "complete":  # the twin's cell test
                from anodeline.batch.cell import assess_cell

                cell = assess_cell(store, batch_id, recipe, electrode, journal.last_sim_s, on_twin=equipment is None)
            _finish(store, batch_id, result.status, judgement, reasons, journal.last_sim_s, electrode, cell)
            head = store.audit_head()
            report = BatchReport(
                batch=batch_id, status=result.status,
                verdict=None if result.status == "held" else judgement.verdict,
                simulated_seconds=journal.last_sim_s, wall_seconds=time.perf_counter() - wall,
                steps=state_of.done + result.steps_executed, electrode=electrode, exposure=summaries,
                reasons=reasons, db=shown(store.url), audit_head=head.hash if head else None, line=line.line,
                backend=equipment.backend if equipment is not None else "twin",
                endpoint=equipment.endpoint if equipment is not None else None, cell=cell,
            )  # fmt: skip
    return report


def _wall_clock(speed: float, start_s: float) -> Any:
    """The wall clock at ``speed`` (equipment's, or a twin's run on the wall clock), going on from where the
    journal stopped."""
    from anodeline.engine.clock import WallClock

    return WallClock(1.0 / speed, start_s=start_s)


def _workpiece(procedure: Any) -> str:
    deposits = [a for a in procedure.steps if isinstance(a, act.Deposit)]
    return deposits[-1].onto if deposits else ""


def _exposures(store: Store, journal: RecordsJournal, item_ids: dict[str, str]) -> dict[str, list[ExposureInterval]]:
    """Every interval of each item: those stored before the crash and those of the resumed run."""
    found: dict[str, list[ExposureInterval]] = {}
    for item_id in item_ids.values():
        stored = [
            ExposureInterval(
                r.item_id, r.space, r.start_s, r.end_s, r.max_o2_ppm, r.max_h2o_ppm, r.o2_dose_ppm_s, r.h2o_dose_ppm_s
            )
            for r in store.exposures(item_id)
        ]
        if stored:
            found[item_id] = stored
    return found


def _abandon(
    store: Store,
    batch_id: str,
    procedure: Any,
    line: Any,
    state: Any,
    state_of: Reconciled,
    clock: Any,
    journal: RecordsJournal,
    decision: str,
    seed: int | None,
    equipment: Any = None,
) -> BatchReport:
    """Make safe (on the rebuilt twin, or the equipment), quarantine the items (the decision is the abort's
    reason), end aborted."""
    from anodeline.devices.sim.twin import build_twin
    from anodeline.engine.runner import Engine

    if equipment is None:
        twin = build_twin(line, procedure, clock=clock, seed=seed or 0)
        twin.plant.state = state
        devices, settings = twin.devices, None
    else:
        devices, settings = equipment.devices, equipment.engine_settings()
    engine = Engine(procedure, line, devices, clock, journal, settings=settings)
    engine.belief = engine.observed = state
    engine.batch.state = "held"  # the batch was left mid-procedure: make-safe from there

    def safe() -> Any:
        yield from engine._protect(None)  # the engine's own make-safe, on the rebuilt line

    clock.run(safe())
    if equipment is not None:
        engine.stop_devices()  # what the equipment was left doing (a source on, a valve filling) ends
    journal.batch_finished(clock.now, "aborted", [decision])
    store.abort_batch(batch_id, sim_s=journal.last_sim_s, reasons=[decision, *engine.reasons])
    head = store.audit_head()
    return BatchReport(
        batch=batch_id, status="aborted", verdict="fail", simulated_seconds=journal.last_sim_s, wall_seconds=0.0,
        steps=state_of.done, electrode=None, exposure=(), reasons=(decision, *engine.reasons), db=shown(store.url),
        audit_head=head.hash if head else None, line=line.line,
        backend=equipment.backend if equipment is not None else "twin",
        endpoint=equipment.endpoint if equipment is not None else None,
    )  # fmt: skip


__all__ = ["BatchRefusedError", "Reconciled", "ResumeRefusedError", "cannot_resume", "reconcile", "resume_batch"]
