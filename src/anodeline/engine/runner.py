"""The engine: runs a procedure on devices, step by step, under the interlocks and the suspenders.

Before every action it polls every device, overlays the readings on its model of the line
(:mod:`anodeline.engine.observe`) and asks the Machine whether the action is safe — at the
recipe's limits and at the suspender ceiling. A refusal holds the batch instead of acting.
Device faults (timeouts, a stuck door, a stopped pump, lost power, impure gas) abort it,
after protecting every sensitive item it can. States follow :mod:`anodeline.engine.states`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

from anodeline.devices.protocols import Device, Health, Supervised
from anodeline.engine import commanded, execute, supervision
from anodeline.engine.clock import Clock
from anodeline.engine.commands import Commands, NoCommands
from anodeline.engine.duration import LIMIT_FACTOR, default_time_limit_s
from anodeline.engine.errors import DeviceFaultError, PromptUnanswered, StepInterrupted
from anodeline.engine.journal import Journal
from anodeline.engine.observe import Overlay, equivalent_ppm
from anodeline.engine.states import BatchStateMachine
from anodeline.engine.suspenders import (
    Exposure,
    Suspenders,
    ceiling_machine,
    exposures,
    protective_actions,
    scaled,
    tripped,
    undo,
)
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.errors import InterlockError
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.line.transitions import NOT_PHYSICAL
from anodeline.procedure.model import Procedure
from anodeline.records.exposure import ExposureLedger

Progress = Callable[[float, int, int, act.Action], None]
Steps = Generator[Any, Any, None]


@dataclass(frozen=True)
class EngineSettings:
    """Polling and limits of a run."""

    suspenders: Suspenders = field(default_factory=Suspenders)
    #: Model and measurement of an exposed item's O2 or H2O disagree (alarm ``MODEL-SENSOR``) beyond this share
    #: of the recipe's limit plus ``model_tolerance_rel`` of the model's value (clean runs of the shipped lines
    #: stay within 0.6 ppm: analyser noise and drift, the purifier working between two steps).
    model_tolerance_share: float = 0.2
    model_tolerance_rel: float = 0.25
    period_s: float = 30.0  # poll period while nothing sensitive is exposed at pressure
    exposed_period_s: float = 10.0  # while a sensitive item is unsealed in a glove chamber
    #: The run aborts (alarm ``TIMEOUT``) when a step would start later than this after the run began;
    #: None: 3 × the procedure's planned duration + one suspender hold (:mod:`anodeline.engine.duration`).
    max_run_s: float | None = None
    #: Added to every device wait's timeout: the round trip of a link to equipment (0 for the twin in-process;
    #: a scaled rehearsal against a served twin multiplies the link's wall latency by its speed).
    link_margin_s: float = 0.0
    #: How long a flag may read off before the engine believes it (clock seconds; 0 for the twin in-process).
    #: A PLC's inputs follow its outputs a scan later, and a link adds its sampling interval: a pump just
    #: switched on may still read stopped once (:meth:`Engine.reads_off`).
    scan_grace_s: float = 0.0
    #: The shortest wait between two polls in a device wait (clock seconds; 0 for the twin in-process): on
    #: equipment, no shorter than the link brings new samples (polling faster reads the same cache again).
    min_period_s: float = 0.0


class Engine:
    """One batch: a procedure, the devices of a line, a clock and a journal."""

    def __init__(
        self,
        procedure: Procedure,
        line: Line,
        devices: Mapping[str, Device],
        clock: Clock,
        journal: Journal,
        *,
        progress: Progress | None = None,
        settings: EngineSettings | None = None,
        commands: Commands | None = None,
    ) -> None:
        self.procedure, self.line, self.devices, self.clock, self.journal = procedure, line, devices, clock, journal
        self.commands: Commands = commands or NoCommands()
        self.first_step = 0  # a resumed batch starts at the first step its journal does not show done
        #: Done steps a resume runs again first (their effect not confirmed by the sensors, :mod:`.lasting`);
        #: journalled ``redone``, not counted as steps executed.
        self.reruns: tuple[int, ...] = ()
        #: The line as the journal left it (a resumed batch): what a step in flight began from.
        self.resumed_from: LineState | None = None
        self.progress = progress
        self.settings = settings or EngineSettings()
        given = self.settings.max_run_s
        self.max_run_s = given if given is not None else default_time_limit_s(procedure, line, self.settings.suspenders)
        self.machine = Machine(line, procedure.policy)
        self.ceiling = ceiling_machine(self.machine, self.settings.suspenders)
        self.resume_policy = scaled(procedure.policy, self.settings.suspenders.resume_share)
        self.belief: LineState = procedure.initial_state(self.machine)
        self.observed: LineState = self.belief
        self.readings: dict[str, float] = {}
        self._device_list = tuple(devices.values())
        self._overlay = Overlay(line)
        self._exposed: tuple[LineState | None, list[Exposure]] = (None, [])  # (observed state, its exposures)
        self.batch = BatchStateMachine(self._state_changed)
        self.reasons: list[str] = []
        self.steps_executed = 0
        self.films: dict[str, float] = {}
        self.ledgers: dict[str, ExposureLedger] = {}
        self.trips: dict[str, str] = {}
        self.status = "idle"
        self._power_fault_raised = False
        self._faults_raised: set[str] = set()
        self._fault_channels: tuple[int, tuple[str, ...]] = (-1, ())  # (how many channels, the .fault ones)
        self._disagreements: dict[tuple[str, str], str] = {}  # (space, O2|H2O) → open MODEL-SENSOR alarm
        #: Devices behind a link (OPC UA, Modbus) and what is wrong with them now (:mod:`.supervision`).
        self._supervised = tuple(d for d in devices.values() if isinstance(d, Supervised))
        self.health: tuple[Health, ...] = ()
        self._off_since: dict[str, float] = {}  # flag → when it was first read off (clock), for reads_off

    # --- devices and readings ------------------------------------------------------------------
    def command(self, device: str, value: Any) -> None:
        if self._off_since:  # what its flags read before this command is not its outcome
            prefix = f"{device}."
            self._off_since = {k: t for k, t in self._off_since.items() if not k.startswith(prefix)}
        self.devices[device].set(value)

    def stop_devices(self) -> None:
        """Every device to its safe state (``stop()``: pumps isolate, valves close, sources off, heaters ambient)."""
        for device in self.devices.values():
            device.stop()

    def reads_off(self, key: str) -> bool:
        """The flag ``key`` reads off now and has read off for ``scan_grace_s`` (a reading one scan late is not off).

        A missing reading is not off (stale data is supervision's business, :mod:`.supervision`).
        """
        value = self.readings.get(key)
        if value is None or value >= 0.5:
            self._off_since.pop(key, None)
            return False
        since = self._off_since.setdefault(key, self.clock.now)
        return self.clock.now - since >= self.settings.scan_grace_s

    def poll(self) -> LineState:
        """Read every device, journal the samples, update the observed state, exposures and trips."""
        now = self.clock.now
        readings: dict[str, float] = {}
        for device in self._device_list:
            for channel, reading in device.read().items():
                readings[channel] = reading[0]  # Reading.value
        self.journal.telemetry(now, readings)  # one call per poll; the dict is not changed afterwards
        self.readings = readings
        if self._supervised:
            self.health = tuple(h for d in self._supervised if (h := d.health()) is not None)
        self.observed = self._overlay(self.belief, readings)
        exposed = self._exposures()
        self._record_exposure(now, exposed)
        if self.batch.state == "running":
            for space, why in tripped(self.ceiling.policy, self.observed, exposed).items():
                self.trips.setdefault(space, why)
        if readings.get("mains.power", 1.0) < 0.5 and not self._power_fault_raised:
            self._power_fault_raised = True
            raise DeviceFaultError("POWER", "mains power lost: pumps, valves, purifiers, heaters and sources stopped")
        self._check_fault_flags(readings)
        return self.observed

    def _check_fault_flags(self, readings: Mapping[str, float]) -> None:
        """A device that raises its ``.fault`` flag ends the batch (alarm ``DEVICE-FAULT``, make-safe, abort).

        Whether or not the step in hand needs that device: equipment that reports a fault is
        not trusted for the rest of the batch, and the fault must be in the record.
        """
        if self.batch.state in ("aborting", "aborted"):
            return
        if self._fault_channels[0] != len(readings):  # the channels change only when a device's do: look again
            found = tuple(channel for channel in readings if channel.endswith(".fault"))
            self._fault_channels = (len(readings), found)
        for channel in self._fault_channels[1]:
            value = readings.get(channel, 0.0)
            if value >= 0.5 and channel not in self._faults_raised:
                self._faults_raised.add(channel)
                device = channel.removesuffix(".fault")
                raise DeviceFaultError("DEVICE-FAULT", f"{device} reports a fault ({channel} = {value:g})")

    def _exposures(self) -> list[Exposure]:
        """:func:`~anodeline.engine.suspenders.exposures` of the observed state, worked out once per state."""
        state = self.observed
        if self._exposed[0] is not state:
            self._exposed = (state, exposures(state))
        return self._exposed[1]

    def _record_exposure(self, now: float, exposed: list[Exposure]) -> None:
        """Journal what each sensitive item meets, as measured; the model only cross-checks it."""
        disagreeing: set[tuple[str, str]] = set()
        for name, atm, container, space in exposed:
            o2, h2o = equivalent_ppm(atm)
            sealed = container is not None
            self.journal.exposure(now, name, space, o2, h2o, sealed)
            ledger = self.ledgers.get(name) or self.ledgers.setdefault(name, ExposureLedger(name))
            ledger.observe(now, space, o2, h2o, sealed=sealed)
            if not sealed:
                disagreeing |= self._cross_check(now, name, space, (o2, h2o))
        for key in set(self._disagreements) - disagreeing:  # model and sensor agree again
            self.journal.alarm_cleared(now, self._disagreements.pop(key))

    def _cross_check(self, now: float, item: str, space: str, measured: tuple[float, float]) -> set[tuple[str, str]]:
        """Compare an exposed item's measured O2/H2O with the model's belief; alarm ``MODEL-SENSOR`` if far apart."""
        modelled = equivalent_ppm(self.belief.exposure(item)[0])
        limits = (self.machine.policy.max_o2_ppm, self.machine.policy.max_h2o_ppm)
        found: set[tuple[str, str]] = set()
        s = self.settings
        for what, value, model, limit in zip(("O2", "H2O"), measured, modelled, limits, strict=True):
            tolerance = s.model_tolerance_share * limit + s.model_tolerance_rel * model
            if abs(value - model) <= tolerance:
                continue
            key = (space, what)
            found.add(key)
            if key not in self._disagreements:
                message = (
                    f"{space}: measured {value:.3g} ppm {what} around {item!r}, the model expects {model:.3g} ppm "
                    f"(tolerance {tolerance:.3g} ppm); the record keeps the measurement"
                )
                self._disagreements[key] = self.journal.alarm(now, "MODEL-SENSOR", message, False)
        return found

    def period(self) -> float:
        """Poll faster while a sensitive item is unsealed at pressure in a glove chamber."""
        vacuum = self.machine.policy.vacuum_below_pa
        for _name, atm, container, where in self._exposures():
            space = self.line.spaces.get(where)
            if container is None and atm.pressure_pa >= vacuum and space is not None and space.kind == "glove-chamber":
                return self.settings.exposed_period_s
        return self.settings.period_s

    def wait_until(
        self,
        label: str,
        done: Callable[[], bool],
        timeout_s: float,
        eta: Callable[[], float] | None = None,
        fault: Callable[[], str | None] | None = None,
        *,
        period: float | None = None,
        code: str = "TIMEOUT",
    ) -> Steps:
        """Poll until ``done()``; a ``fault()`` message or the timeout raises :class:`DeviceFaultError`."""
        t0 = self.clock.now
        timeout_s += self.settings.link_margin_s
        while True:
            self.poll()
            self._check_health()
            if done():
                return
            message = fault() if fault is not None else None
            if message:
                raise DeviceFaultError("DEVICE", message)
            elapsed = self.clock.now - t0
            if elapsed >= timeout_s:
                raise DeviceFaultError(code, f"{label}: not done after {elapsed:.0f} s (timeout {timeout_s:.0f} s)")
            dt = period or self.period()
            if eta is not None:
                dt = min(dt, max(eta() + 0.25, 0.5))
            dt = max(dt, self.settings.min_period_s)
            yield self.clock.timeout(min(dt, timeout_s - elapsed + 0.01))

    def pause(self, seconds: float, *, interruptible: bool = False) -> Steps:
        """Wait ``seconds``, polling on the way; an ``interruptible`` wait ends early when a suspender trips."""
        end = self.clock.now + seconds
        while self.clock.now < end:
            self.poll()
            self._check_health()
            if interruptible and self.trips:
                raise StepInterrupted("; ".join(self.trips.values()))
            yield self.clock.timeout(min(self.period(), end - self.clock.now))
        self.poll()

    def _check_health(self) -> None:
        """Interrupt the running step while the equipment cannot be trusted (the run loop then holds)."""
        if self.health and self.batch.state == "running":
            raise StepInterrupted(supervision.describe(self)[1])

    def record_film(self, action: act.Deposit, thickness_um: float) -> None:
        self.films[action.layer] = thickness_um
        self.journal.deposited(self.clock.now, action.layer, action.onto, thickness_um)

    # --- checks ----------------------------------------------------------------------------
    def check(self, observed: LineState, action: act.Action) -> tuple[InterlockError | None, LineState]:
        """The Machine's verdict on ``action`` from the observed state, at the limits then at the ceiling."""
        try:
            predicted = self.machine.apply(observed, action)
            self.ceiling.apply(observed, action)
        except InterlockError as refusal:
            return refusal, observed
        return None, predicted

    # --- the batch -------------------------------------------------------------------------
    def _state_changed(self, old: str, new: str, reason: str) -> None:
        self.status = new
        self.journal.state_changed(self.clock.now, old, new, reason)

    def run(self) -> Steps:
        """The batch, as a clock process."""
        steps = self.procedure.steps
        plan = [*self.reruns, *range(self.first_step, len(steps))]  # step indices, in the order run
        at, index, started, t0, interrupted = 0, self.first_step, False, self.clock.now, False
        self.batch.to("running", f"procedure {self.procedure.name} on {self.line.line}")
        try:
            self._start_purifiers()
            while at < len(plan):
                index = plan[at]
                action, redo = steps[index], at < len(self.reruns)
                if self.clock.now - t0 > self.max_run_s:
                    raise DeviceFaultError("TIMEOUT", self._over_time(index))
                observed = self.poll()
                if self.health:
                    if not (yield from supervision.hold(self, action, interrupted)):
                        return
                    interrupted = False
                    continue
                pending = self.commands.pending()  # ISA-88 commands from another process, at each step boundary
                if pending:
                    if not (yield from commanded.obey(self, pending[0], index)):
                        return
                    continue
                if self.trips:
                    why = "; ".join(self.trips.values())
                    spaces = set(self.trips)
                    if not (yield from self._hold("SUSPEND", f"above the ceiling: {why}", spaces, action)):
                        return
                    continue
                resumed = redo or self._first_resumed(index)
                if resumed and isinstance(action, act.Evacuate):
                    observed = self._pumped_from(observed, action)
                refusal, predicted = self.check(observed, action)
                if refusal is not None and resumed and not redo and self._met_already(observed, action):
                    self.journal.step_started(self.clock.now, index, action)
                    self.belief = observed
                    self.steps_executed += 1
                    self.journal.step_finished(self.clock.now, index, action, "ok", dict(self.readings))
                    at += 1
                    continue
                if refusal is not None and resumed:
                    refusal, predicted = self._restart_pump(observed, action, refusal, predicted)
                if refusal is not None:
                    text = f"step {index} {action.describe()} refused: {refusal.rule} {refusal.reason}"
                    exposed = set(tripped(self.ceiling.policy, observed))  # make those safe too, at once
                    if not (yield from self._hold(refusal.rule, text, exposed, action)):
                        return
                    continue
                if self.progress is not None:
                    self.progress(self.clock.now, index, len(steps), action)
                self.journal.step_started(self.clock.now, index, action)
                started = True
                try:
                    yield from execute.execute(self, action, predicted)
                except StepInterrupted:  # a long wait cut short: hold now, then repeat the step
                    self.journal.step_finished(self.clock.now, index, action, "interrupted", dict(self.readings))
                    started, interrupted = False, True
                    continue
                except PromptUnanswered as unanswered:  # a person refused the step, or nobody answered: hold
                    self.journal.step_finished(self.clock.now, index, action, "interrupted", dict(self.readings))
                    started = False
                    if not (yield from commanded.held(self, unanswered.message, index, unanswered.alarm)):
                        return
                    continue
                self.belief = predicted
                interrupted = False
                self.steps_executed += 0 if redo else 1
                self.journal.step_finished(self.clock.now, index, action, "redone" if redo else "ok",
                                           dict(self.readings))  # fmt: skip
                started = False
                at += 1
            self.poll()
            self.batch.to("complete", "every step done")
        except DeviceFaultError as fault:
            if started:
                self.journal.step_finished(self.clock.now, index, steps[index], "failed", dict(self.readings))
            yield from self._abort(fault)

    def _first_resumed(self, index: int) -> bool:
        """``index`` is a resumed batch's first step not done (the step in flight when its process died)."""
        return index == self.first_step and self.first_step > 0 and not self.steps_executed

    def _met_already(self, observed: LineState, action: act.Action) -> bool:
        """A resumed batch's first step that the equipment finished while nobody drove it: done, not refused.

        On equipment the plant goes on when the controlling process dies: a pump left running takes
        its space below the step's target (the Machine would refuse to evacuate *up* to it, ACT005),
        a valve left open fills it. The step's aim is met; the engine goes on from what it reads. A
        pump-down counts only while its pump still reads running: a vacuum nothing holds is lost
        (:meth:`_restart_pump` runs the step again instead).
        """
        atmosphere = observed.atmospheres.get(getattr(action, "space", ""))
        if atmosphere is None:
            return False
        if isinstance(action, act.Evacuate):
            pump = self.line.spaces[action.space].pump or ""
            running = self.readings.get(f"{pump}.running", 0.0) >= 0.5
            return running and atmosphere.pressure_pa <= action.pressure_pa
        if isinstance(action, act.Backfill):
            return atmosphere.pressure_pa >= action.pressure_pa * execute.BACKFILL_AIM and atmosphere.gas == action.gas
        return False

    def _pumped_from(self, observed: LineState, action: act.Evacuate) -> LineState:
        """A resumed pump-down is checked with the walls' water as it was when the pump-down began.

        The Machine keeps the H2O a space held before its pump-down as the walls' water, which comes
        back on the next fill (``wall_h2o``, :func:`anodeline.line.transitions.backfill`). A dew point
        read half-way down is the walls' water coming off into a thinning gas — the residual gas of a
        pumped space is mostly water (O'Hanlon, *A User's Guide to Vacuum Technology*, §4.3) — not
        what they hold: taken as the reference, a fill after the deposition would read tens of ppm
        (AIR001). The journal's line, before the step, says what the walls held.
        """
        before = self.resumed_from
        space = action.space
        if before is None or space in observed.wall_h2o or space not in before.atmospheres:
            return observed
        return observed.with_wall_h2o(space, before.wall_h2o.get(space, before.atmospheres[space].h2o_ppm))

    def _restart_pump(
        self, observed: LineState, action: act.Action, refusal: InterlockError, predicted: LineState
    ) -> tuple[InterlockError | None, LineState]:
        """A resumed pump-down whose space is already at its target but whose pump is not confirmed running:
        run it again — pump on, wait for the gauge — checked as a pump-down to the pressure read now
        (the Machine refuses one *up* to the target, ACT005). Other refusals stand."""
        if not isinstance(action, act.Evacuate) or refusal.rule != NOT_PHYSICAL:
            return refusal, predicted
        pressure = observed.atmospheres[action.space].pressure_pa
        if not 0.0 < pressure <= action.pressure_pa:
            return refusal, predicted
        again, held = self.check(observed, dataclasses.replace(action, pressure_pa=pressure))
        return (refusal, predicted) if again is not None else (None, held)

    def _over_time(self, index: int) -> str:
        limit_h = self.max_run_s / 3600.0
        why = (
            "its --max-hours" if self.settings.max_run_s is not None
            else f"{LIMIT_FACTOR:g} × the planned duration + one suspender hold"
        )  # fmt: skip
        return f"TIMEOUT: the run reached its time limit of {limit_h:.3g} h ({why}) before step {index}"

    def _start_purifiers(self) -> None:
        for config in self.line.spaces.values():
            if config.purifier and config.kind == "glove-chamber":
                self.command(config.purifier, config.initial != "air")

    def _hold(self, code: str, reason: str, spaces: set[str], action: act.Action) -> Generator[Any, Any, bool]:
        """Hold (making safe the tripped ``spaces``); True when the batch may go on, False when it stays held."""
        alarm_id = self.journal.alarm(self.clock.now, code, reason, True)
        self.reasons.append(reason)
        self.batch.to("holding", reason)
        made = (yield from self._protect(spaces)) if spaces else []
        self.trips.clear()
        self.batch.to("held", reason)
        s = self.settings.suspenders
        t0, ok_since = self.clock.now, None
        while self.clock.now - t0 < s.max_hold_s:
            yield self.clock.timeout(self.settings.period_s)
            observed = self.poll()
            if spaces:
                ok = all(self.resume_policy.is_inactive(observed.atmospheres[sp]) for sp in spaces)
            else:
                ok = self.check(observed, action)[0] is None
            ok_since = (ok_since if ok_since is not None else self.clock.now) if ok else None
            if ok_since is None or self.clock.now - ok_since < (s.settle_s if spaces else 0.0):
                continue
            self.batch.to("restarting", "cleared")
            if (yield from self._undo(made)):
                self.journal.alarm_cleared(self.clock.now, alarm_id)
                self.trips.clear()
                self.batch.to("running", "resumed")
                return True
            self.batch.to("holding", "could not restore the state before the hold")
            self.batch.to("held", reason)
            ok_since = None
        self.reasons.append(f"the hold did not clear within {s.max_hold_s:.0f} s; the batch waits for a person")
        return False

    def _protect(self, spaces: set[str] | None) -> Generator[Any, Any, list[tuple[act.Action, LineState]]]:
        """Make safe: seal or put away the sensitive items, then close doors (each step checked by the Machine).

        The Machine lets these steps through even when the chamber is already beyond the limits
        (:meth:`anodeline.line.machine.Machine.makes_safe`). The outcome is journalled as an
        alarm: ``MAKE-SAFE`` when every step was done and nothing is left exposed, else
        ``MAKE-SAFE-FAILED`` naming what could not be done and what is still exposed.
        """
        made: list[tuple[act.Action, LineState]] = []
        failed: list[str] = []
        skip_manual = self.readings.get("operator.busy", 0.0) > 0.5
        for action in protective_actions(self.line, self.observed, spaces):
            if action.manual and skip_manual:
                failed.append(f"could not {action.describe()} to make safe: the operator does not answer")
                continue
            observed = self.poll()
            try:
                predicted = self.machine.apply(observed, action)
            except InterlockError as refusal:
                failed.append(f"could not {action.describe()} to make safe: {refusal.reason}")
                continue
            try:
                yield from execute.execute(self, action, predicted)
            except DeviceFaultError as fault:
                failed.append(f"could not {action.describe()} to make safe: {fault.message}")
                continue
            made.append((action, observed))
            self.belief = predicted
        self._report_make_safe(spaces, [a for a, _ in made], failed)
        return made

    def _report_make_safe(self, spaces: set[str] | None, made: list[act.Action], failed: list[str]) -> None:
        state = self.poll()
        left = [why for space, why in tripped(self.ceiling.policy, state).items() if spaces is None or space in spaces]
        where = ", ".join(sorted(spaces)) if spaces is not None else "every space"
        done = ", ".join(a.describe() for a in made) or "nothing to do"
        if not (made or failed or left):
            return  # nothing was exposed there: nothing to report
        if failed or left:
            message = f"make-safe in {where} incomplete: done {done}; " + "; ".join([*failed, *left])
            self.reasons.extend([*failed, *(f"still exposed after make-safe: {why}" for why in left)])
            self.journal.alarm(self.clock.now, "MAKE-SAFE-FAILED", message, True)
        else:
            self.journal.alarm(self.clock.now, "MAKE-SAFE", f"made safe in {where}: {done}", False)

    def _undo(self, made: list[tuple[act.Action, LineState]]) -> Generator[Any, Any, bool]:
        for action, before in reversed(made):
            inverse = undo(action, before)
            if inverse is None:
                continue
            refusal, predicted = self.check(self.poll(), inverse)
            if refusal is not None:
                return False
            yield from execute.execute(self, inverse, predicted)
            self.belief = predicted
        made.clear()
        return True

    def _abort(self, fault: DeviceFaultError) -> Steps:
        reason = fault.message
        self.journal.alarm(self.clock.now, fault.alarm, reason, False)
        self.reasons.append(reason)
        self.batch.to("aborting", reason)
        self._power_fault_raised = True
        try:
            yield from self._protect(None)
        finally:
            self.stop_devices()
            self.poll()
            self.batch.to("aborted", reason)
