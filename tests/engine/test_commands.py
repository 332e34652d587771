"""ISA-88 commands from people: hold, restart, stop and abort through the engine's Commands seam."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from anodeline.engine import MemoryJournal, SimClock, run_procedure
from anodeline.engine.commands import ListCommands, OperatorCommand, remaining_refusal
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.machine import Machine
from anodeline.procedure.model import Procedure


@dataclass
class Timed:
    """Commands that become pending at given simulated times (another process sending them mid-batch)."""

    clock: SimClock
    plan: list[tuple[float, OperatorCommand]]
    outcomes: list[tuple[str, str, float]] = field(default_factory=list)

    def pending(self) -> Sequence[OperatorCommand]:
        return tuple(c for t, c in self.plan if t <= self.clock.now)

    def taken(self, command: OperatorCommand, outcome: str) -> None:
        self.plan = [(t, c) for t, c in self.plan if c is not command]
        self.outcomes.append((command.verb, outcome, self.clock.now))


def _cmd(ref: str, verb: str, user: str = "otto") -> OperatorCommand:
    return OperatorCommand(ref, verb, user, f"{verb} for the test")


def test_hold_then_restart_completes_with_the_hold_recorded(example_1: Procedure, fig1: Line) -> None:
    clock, journal = SimClock(), MemoryJournal()
    commands = Timed(clock, [(3000.0, _cmd("1", "hold")), (6000.0, _cmd("2", "restart", "erin"))])
    result = run_procedure(example_1, fig1, journal=journal, clock=clock, commands=commands)
    assert result.status == "complete", result.reasons
    assert [(verb, outcome) for verb, outcome, _t in commands.outcomes] == [("hold", "held"), ("restart", "restarted")]
    states = [new for _t, _old, new, _why in journal.states]
    assert states[:5] == ["running", "holding", "held", "restarting", "running"]
    hold = next(a for a in journal.alarms.values() if a["code"] == "HOLD-CMD")
    assert hold["hold"] and hold["cleared"] is not None and "otto" in hold["message"]
    assert result.exposure["base"].max_o2_ppm < 1.0  # made safe while held, and restored


def test_stop_ends_stopped_with_everything_made_safe(example_1: Procedure, fig1: Line) -> None:
    clock, journal = SimClock(), MemoryJournal()
    commands = Timed(clock, [(3000.0, _cmd("1", "stop"))])
    result = run_procedure(example_1, fig1, journal=journal, clock=clock, commands=commands)
    assert result.status == "stopped"
    assert [new for _t, _o, new, _w in journal.states][-2:] == ["stopping", "stopped"]
    assert "STOP-CMD" in journal.alarm_codes
    assert any("stop by otto" in r for r in result.reasons)


@pytest.mark.parametrize("when", ["running", "held"])
def test_abort_aborts_running_or_held(example_1: Procedure, fig1: Line, when: str) -> None:
    clock, journal = SimClock(), MemoryJournal()
    plan = [(3000.0, _cmd("1", "abort", "erin"))]
    if when == "held":
        plan = [(2000.0, _cmd("0", "hold")), *plan]
    commands = Timed(clock, plan)
    result = run_procedure(example_1, fig1, journal=journal, clock=clock, commands=commands)
    assert result.status == "aborted"
    assert "ABORT-CMD" in journal.alarm_codes
    assert commands.outcomes[-1][:2] == ("abort", "aborted")


def test_restart_while_running_is_refused_and_the_batch_goes_on(example_1: Procedure, fig1: Line) -> None:
    commands = ListCommands([_cmd("1", "restart", "erin")])
    result = run_procedure(example_1, fig1, commands=commands)
    assert result.status == "complete"
    assert commands.outcomes == [("restart", "refused: the batch is running, not held")]


def test_a_held_batch_without_restart_stays_held(example_1: Procedure, fig1: Line) -> None:
    commands = ListCommands([_cmd("1", "hold")])
    result = run_procedure(example_1, fig1, commands=commands)
    assert result.status == "held"
    assert any("no restart within" in r for r in result.reasons)


def test_remaining_refusal_names_the_step_that_would_break(example_1: Procedure, fig1: Line) -> None:
    machine = Machine(fig1, example_1.policy)
    start = example_1.initial_state(machine)
    assert remaining_refusal(machine, start, example_1.steps) is None
    # skipping the first half (say, a resume that thinks steps ran that did not) is refused
    opened = next(i for i, a in enumerate(example_1.steps) if isinstance(a, act.OpenDoor) and i > 3)
    assert remaining_refusal(machine, start, example_1.steps[opened:]) is not None
