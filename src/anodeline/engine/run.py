"""``run_procedure``: one batch on the digital twin (or on devices you pass), with a journal."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from anodeline.devices import naming
from anodeline.devices.protocols import Device
from anodeline.devices.sim.faults import Fault
from anodeline.devices.sim.params import TwinParams
from anodeline.devices.sim.twin import Twin, build_twin
from anodeline.engine.clock import Clock, SimClock
from anodeline.engine.commands import Commands
from anodeline.engine.journal import Journal, NullJournal
from anodeline.engine.result import ExposureSummary, RunResult
from anodeline.engine.runner import Engine, EngineSettings, Progress
from anodeline.line.config import Line
from anodeline.line.state import LineState
from anodeline.physics.deposition.erosion import Charge
from anodeline.procedure.model import Procedure


def run_procedure(
    procedure: Procedure,
    line: Line,
    *,
    seed: int = 0,
    faults: Iterable[str | Fault] = (),
    journal: Journal | None = None,
    clock: Clock | None = None,
    progress: Progress | None = None,
    settings: EngineSettings | None = None,
    commands: Commands | None = None,
    operator: Callable[[Twin], Device] | None = None,
    twin_params: TwinParams | None = None,
    charges: Mapping[str, Charge] | None = None,
) -> RunResult:
    """Run ``procedure`` on the twin of ``line`` (simulated clock unless given); same seed → same result.

    ``operator(twin)``, given, replaces the twin's simulated operator (people answering prompts:
    :class:`anodeline.batch.operator.ManualOperator`). ``twin_params`` replaces the twin's estimated
    device behaviour (``anodeline sensitivity`` varies it). ``charges``: how worn each source's target or
    charge is (:func:`anodeline.devices.sim.twin.build_twin`).
    """
    clock = clock or SimClock()
    journal = journal or NullJournal()
    twin = build_twin(line, procedure, clock=clock, seed=seed, faults=faults, params=twin_params, charges=charges)
    if operator is not None:
        twin.devices[naming.OPERATOR] = operator(twin)
    engine = Engine(
        procedure, line, twin.devices, clock, journal, progress=progress, settings=settings, commands=commands
    )
    return _run(engine, clock, journal, seed, tuple(str(f) for f in twin.faults), twin.true_state)


def continue_on_twin(
    procedure: Procedure,
    line: Line,
    state: LineState,
    first_step: int,
    *,
    clock: Clock,
    seed: int = 0,
    journal: Journal | None = None,
    progress: Progress | None = None,
    settings: EngineSettings | None = None,
    commands: Commands | None = None,
    twin: Twin | None = None,
    reruns: tuple[int, ...] = (),
    charges: Mapping[str, Charge] | None = None,
) -> RunResult:
    """Go on with ``procedure`` from step ``first_step`` on a twin rebuilt in ``state`` (a warm restart).

    The twin's plant is set to ``state`` (what the journal says the line was after the steps done);
    the engine believes the same, reads the sensors at its first poll, and checks every step as usual.
    ``twin``: the one :func:`rebuild_twin` made (its sensors read by the caller to reconcile);
    ``reruns``: done steps to run again first (:mod:`anodeline.engine.lasting`).
    """
    journal = journal or NullJournal()
    twin = twin or rebuild_twin(line, procedure, state, clock=clock, seed=seed, charges=charges)
    engine = Engine(
        procedure, line, twin.devices, clock, journal, progress=progress, settings=settings, commands=commands
    )
    _resumed(engine, state, first_step, reruns)
    return _run(engine, clock, journal, seed, (), twin.true_state)


def rebuild_twin(
    line: Line,
    procedure: Procedure,
    state: LineState,
    *,
    clock: Clock,
    seed: int = 0,
    charges: Mapping[str, Charge] | None = None,
) -> Twin:
    """A fresh twin whose plant is in ``state`` (every pump, valve, source and heater off: they died with the
    process that ran them); ``charges``: the mounted targets' wear (:mod:`anodeline.batch.targets`)."""
    twin = build_twin(line, procedure, clock=clock, seed=seed, charges=charges)
    twin.plant.state = state
    return twin


def _resumed(engine: Engine, state: LineState, first_step: int, reruns: tuple[int, ...]) -> None:
    engine.belief = engine.observed = engine.resumed_from = state
    engine.first_step = first_step
    engine.reruns = reruns


def run_on_devices(
    procedure: Procedure,
    line: Line,
    devices: Mapping[str, Device],
    clock: Clock,
    *,
    journal: Journal | None = None,
    progress: Progress | None = None,
    settings: EngineSettings | None = None,
    commands: Commands | None = None,
) -> RunResult:
    """Run ``procedure`` on given devices (hardware); the final state is what the engine observed."""
    journal = journal or NullJournal()
    engine = Engine(procedure, line, devices, clock, journal, progress=progress, settings=settings, commands=commands)
    return _run(engine, clock, journal, 0, (), lambda: engine.observed)


def continue_on_devices(
    procedure: Procedure,
    line: Line,
    state: LineState,
    first_step: int,
    devices: Mapping[str, Device],
    clock: Clock,
    *,
    journal: Journal | None = None,
    settings: EngineSettings | None = None,
    commands: Commands | None = None,
    reruns: tuple[int, ...] = (),
) -> RunResult:
    """Go on with ``procedure`` from ``first_step`` on equipment (a warm restart): the engine believes ``state``
    (the journal's), reads the devices at its first poll, and checks every step as usual; ``reruns``: done
    steps to run again first (:mod:`anodeline.engine.lasting`)."""
    journal = journal or NullJournal()
    engine = Engine(procedure, line, devices, clock, journal, settings=settings, commands=commands)
    _resumed(engine, state, first_step, reruns)
    return _run(engine, clock, journal, 0, (), lambda: engine.observed)


def _run(
    engine: Engine, clock: Clock, journal: Journal, seed: int, faults: tuple[str, ...], final: Callable[[], LineState]
) -> RunResult:
    journal.batch_started(engine.procedure, seed, faults)
    start_s, wall0 = clock.now, time.perf_counter()
    clock.run(engine.run())
    status = engine.status if engine.status in ("complete", "held", "aborted", "stopped") else "held"
    journal.batch_finished(clock.now, status, list(engine.reasons))
    exposure = {
        item: ExposureSummary(
            item,
            max((i.max_o2_ppm for i in ledger.intervals), default=0.0),
            max((i.max_h2o_ppm for i in ledger.intervals), default=0.0),
            ledger.o2_dose_ppm_s,
            ledger.h2o_dose_ppm_s,
        )
        for item, ledger in sorted(engine.ledgers.items())
    }
    return RunResult(
        status=status,
        simulated_seconds=clock.now - start_s,
        steps_executed=engine.steps_executed,
        reasons=tuple(engine.reasons),
        final_state=final(),
        thickness_um=MappingProxyType(dict(engine.films)),
        exposure=MappingProxyType(exposure),
        wall_seconds=time.perf_counter() - wall0,
    )
