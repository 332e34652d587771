"""The ISA-88 state table: legal transitions pass, illegal ones are refused."""

from __future__ import annotations

import pytest

from anodeline.engine.errors import IllegalTransitionError
from anodeline.engine.states import FINAL, STATES, TRANSITIONS, BatchStateMachine, is_legal


def test_the_table_names_only_known_states() -> None:
    assert set(STATES) == {
        "idle", "running", "holding", "held", "restarting", "stopping", "stopped", "aborting", "aborted", "complete",
    }  # fmt: skip
    assert all(targets <= set(STATES) for targets in TRANSITIONS.values())
    assert all(not TRANSITIONS[state] for state in FINAL)


@pytest.mark.parametrize(("old", "new"), [(o, n) for o in STATES for n in STATES if not is_legal(o, n)])
def test_an_illegal_transition_is_refused(old: str, new: str) -> None:
    machine = BatchStateMachine()
    machine.state = old
    with pytest.raises(IllegalTransitionError):
        machine.to(new)
    assert machine.state == old


def test_a_hold_and_restart_is_a_legal_path_and_is_reported() -> None:
    seen: list[tuple[str, str, str]] = []
    machine = BatchStateMachine(lambda old, new, why: seen.append((old, new, why)))
    for state in ("running", "holding", "held", "restarting", "running", "complete"):
        machine.to(state, "because")
    assert [new for _, new, _ in seen] == ["running", "holding", "held", "restarting", "running", "complete"]


def test_abort_is_reachable_from_every_active_state() -> None:
    for state in ("idle", "running", "holding", "held", "restarting", "stopping"):
        assert is_legal(state, "aborting")
