"""Unit operations: a compiled procedure split into timed operations that hold spaces."""

from __future__ import annotations

from anodeline.engine.duration import planned_duration_s
from anodeline.line.load import load_line
from tests.campaign.conftest import template
from tests.conftest import LINES


def test_every_step_lands_in_exactly_one_operation_in_order() -> None:
    t = template("example-01")
    steps = [s for op in t.operations for s in op.steps]
    assert tuple(steps) == t.procedure.steps


def test_durations_are_the_engine_planned_duration_rounded_up_per_operation() -> None:
    t = template("example-01")
    total = planned_duration_s(t.procedure, load_line(LINES / "fig1.yaml"))
    assert total <= sum(op.duration_s for op in t.operations) < total + len(t.operations)


def test_the_outlet_purge_may_overlap_the_deposition_but_follows_the_order_of_shared_spaces() -> None:
    t = template("example-01")
    names = {op.name: op.index for op in t.operations}
    deposit, purge_out = names["deposit apparatus-1"], names["purge chamber-5"]
    order = set(t.precedence)
    assert (deposit, purge_out) not in order and (purge_out, deposit) not in order
    assert (purge_out, names["transfer apparatus-1>chamber-5"]) in order
    for before, after in t.precedence:
        assert before < after


def test_manual_operations_are_the_ones_with_glove_or_port_work() -> None:
    t = template("example-01")
    for op in t.operations:
        assert op.manual == any(s.manual or s.kind in ("open_door", "close_door") for s in op.steps)


def test_the_apparatus_hold_of_example_1_is_transfer_in_deposition_transfer_out() -> None:
    t = template("example-01")
    head, hold, tail = t.hold_bounds("apparatus-1")
    ops = {op.name: op.duration_s for op in t.operations}
    assert hold == ops["transfer apparatus-1>chamber-4"] + ops["deposit apparatus-1"] + ops[
        "transfer apparatus-1>chamber-5"]  # fmt: skip
    assert head == ops["load chamber-4"] + ops["purge chamber-4"] + ops["open chamber-4"]
    assert tail == ops["unload chamber-5"]
