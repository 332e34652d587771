"""What a resume asks about the step in flight (batch/location.py): the question, and the twin's answer."""

from __future__ import annotations

import pytest

from anodeline.batch.location import KIND, ask_the_twin, located, question
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.load import load_line
from anodeline.line.machine import Machine
from anodeline.line.state import LineState
from anodeline.procedure.model import Procedure
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe
from anodeline.records import Store, prompts
from tests.conftest import LINES, PATENT
from tests.records.conftest import new_batch


@pytest.fixture(scope="module")
def fig1() -> Line:
    return load_line(LINES / "fig1.yaml")


@pytest.fixture(scope="module")
def example_1(fig1: Line) -> Procedure:
    return compile_procedure(load_recipe(PATENT / "example-01.yaml"), fig1)


def _before(procedure: Procedure, line: Line, step: int) -> LineState:
    return procedure.state_after(Machine(line, procedure.policy), step)


@pytest.mark.parametrize(
    ("step", "name", "where"),
    [(0, "storage-1", "room"), (1, "source-1", "room"), (10, "base", "source-1 (in chamber-4)"),
     (23, "base", "apparatus-1"), (27, "storage-1", "chamber-5")],
)  # fmt: skip
def test_a_step_that_moves_an_item_or_a_container_asks_where_it_is(
    example_1: Procedure,
    fig1: Line,
    step: int,
    name: str,
    where: str,
) -> None:
    action = example_1.steps[step]
    q = question(step, action, _before(example_1, fig1, step))
    assert q is not None and (q.step, q.name, q.where) == (step, name, where)
    assert f"confirm that {name} is in {where}" in q.instructions and action.describe() in q.instructions


@pytest.mark.parametrize("step", [2, 3, 8, 9, 13, 14, 26])  # pump, fill, unseal, door, deposit, seal: nothing moves
def test_a_step_that_moves_nothing_asks_nothing(example_1: Procedure, fig1: Line, step: int) -> None:
    assert question(step, example_1.steps[step], _before(example_1, fig1, step)) is None


def test_the_twin_s_ground_truth_refuses_a_location_that_is_not_so(
    store: Store,
    example_1: Procedure,
    fig1: Line,
) -> None:
    """The person did the move before the crash: the item is where the step takes it, not where the journal has it."""
    new_batch(store, "B-1")
    before = _before(example_1, fig1, 10)
    q = question(10, example_1.steps[10], before)
    assert q is not None and isinstance(q.action, act.Move)
    truth = Machine(fig1, example_1.policy).apply(before, q.action)
    answer = ask_the_twin(store, "B-1", q, truth)
    assert not answer.confirmed and "base is in apparatus-1" in answer.text
    (prompt,) = store.read(lambda s: prompts.listed(s, "B-1"))
    assert (prompt.kind, prompt.answer, prompt.user) == (KIND, "refused", None)
    assert located(truth, "base") == "apparatus-1"
    assert store.verify().ok
