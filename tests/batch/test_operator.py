"""The manual operator: manual steps become prompts; answers from the database drive the batch."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from anodeline.batch.operator import ManualOperator, OperatorChoice, PromptUsageError, instructions
from anodeline.batch.runner import run_batch
from anodeline.line import actions as act
from anodeline.line.errors import InterlockError
from anodeline.records import Store, open_store, prompts
from anodeline.records.prompts import PromptRecord
from tests.conftest import EXAMPLES
from tests.records.conftest import new_batch

EX1 = EXAMPLES / "patent" / "example-01.yaml"
LOAD = act.Load("storage-1", "chamber-5")


def _answer(s: Store, batch: str, step: int, answer: str = "confirmed", reason: str = "") -> PromptRecord:
    return s.write(lambda x: prompts.answer(x, batch, step, answer=answer, user="otto", reason=reason))


def _operator(s: Store, batch: str, **kwargs: object) -> ManualOperator:
    return ManualOperator(s, batch, step=lambda: 4, **kwargs)  # type: ignore[arg-type]


def _reading(operator: ManualOperator, channel: str) -> float:
    return operator.read()[f"operator.{channel}"].value


def test_a_manual_step_opens_a_prompt_and_a_confirmation_does_it(store: Store) -> None:
    batch = new_batch(store)
    done: list[act.Action] = []
    operator = _operator(store, batch, apply=done.append)
    operator.set(LOAD)
    (prompt,) = store.read(lambda x: prompts.listed(x, batch, open_only=True))
    assert (prompt.step, prompt.kind, prompt.item) == (4, "load", "storage-1")
    assert prompt.instructions == instructions(LOAD) and "load port into chamber-5" in prompt.instructions
    assert _reading(operator, "prompting") == 1.0 and _reading(operator, "busy") == 1.0
    assert _reading(operator, "done") == 0.0
    _answer(store, batch, 4)
    operator._checked = -1e9  # the next read goes to the database (reads are at most every CHECK_S)
    assert _reading(operator, "done") == 1.0 and _reading(operator, "busy") == 0.0
    assert done == [LOAD]


def test_a_refusal_is_counted_with_who_and_why(store: Store) -> None:
    batch = new_batch(store)
    operator = _operator(store, batch)
    operator.set(LOAD)
    _answer(store, batch, 4, "refused", "the cassette is cracked")
    assert _reading(operator, "refused") == 1.0 and _reading(operator, "done") == 0.0
    assert "refused by otto: the cassette is cracked" in operator.last_answer


def test_a_prompt_not_answered_by_its_deadline_times_out_and_the_operator_counts_as_absent(store: Store) -> None:
    batch = new_batch(store)
    operator = _operator(store, batch, timeout_s=0.05)
    operator.set(LOAD)
    time.sleep(0.1)
    assert _reading(operator, "timed_out") == 1.0 and _reading(operator, "busy") == 1.0
    (closed,) = store.read(lambda x: prompts.listed(x, batch))
    assert closed.answer == "timeout" and "not answered within 0.05 s" in operator.last_answer
    assert store.verify().ok


def test_a_confirmed_step_the_plant_finds_impossible_counts_as_refused(store: Store) -> None:
    batch = new_batch(store)

    def impossible(action: act.Action) -> None:
        raise InterlockError("ACT003", "chamber-5 has no load port")

    operator = _operator(store, batch, apply=impossible)
    operator.set(LOAD)
    _answer(store, batch, 4)
    assert _reading(operator, "refused") == 1.0 and "impossible: chamber-5 has no load port" in operator.last_answer


def test_stopping_withdraws_the_open_prompt(store: Store) -> None:
    batch = new_batch(store)
    operator = _operator(store, batch)
    operator.set(LOAD)
    operator.stop()
    (closed,) = store.read(lambda x: prompts.listed(x, batch))
    assert closed.answer == "withdrawn"
    assert store.read(lambda x: prompts.listed(x, open_only=True)) == []


def test_a_manual_operator_on_the_twin_needs_a_speed_and_a_positive_timeout() -> None:
    with pytest.raises(PromptUsageError, match="needs --speed") as refused:
        OperatorChoice("manual").check(speed=None, equipment=False)
    assert refused.value.rule == "PRM001"
    OperatorChoice("manual").check(speed=None, equipment=True)  # equipment runs on the wall clock anyway
    OperatorChoice("manual").check(speed=10.0, equipment=False)
    with pytest.raises(PromptUsageError, match="--prompt-timeout"):
        OperatorChoice("manual", timeout_s=0.0).check(speed=10.0, equipment=False)
    with pytest.raises(PromptUsageError, match="not one of"):
        OperatorChoice("robot").check(speed=10.0, equipment=False)


def test_run_batch_refuses_a_manual_operator_without_speed_before_recording(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    with pytest.raises(PromptUsageError):
        run_batch(EX1, db_url=db, operator=OperatorChoice("manual"))
    assert not (tmp_path / "r.sqlite").exists()


def _manual_run(tmp_path: Path, answer: object, *, speed: float, timeout_s: float = 30.0) -> tuple[object, Store]:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    other = open_store(db)  # the person answers through a store of their own, as another process would
    report = run_batch(EX1, db_url=db, speed=speed, seed=1,
                       operator=OperatorChoice("manual", timeout_s, lambda p: answer(other, p)))  # fmt: skip
    return report, other


def test_every_manual_step_confirmed_the_batch_completes_with_its_prompts_recorded(tmp_path: Path) -> None:
    report, store = _manual_run(tmp_path, lambda s, p: _answer(s, p.batch_id, p.step), speed=5000.0)
    with store:
        assert (report.status, report.verdict) == ("complete", "pass"), report.reasons  # type: ignore[attr-defined]
        asked = store.read(lambda x: prompts.listed(x))
        kinds = {p.kind for p in asked}
        assert {"load", "unload", "open_container", "close_container", "move"} <= kinds
        assert {p.answer for p in asked} == {"confirmed"} and {p.user for p in asked} == {"otto"}
        manual_steps = [s.index for s in store.steps(report.batch) if s.manual]  # type: ignore[attr-defined]
        assert [p.step for p in asked] == manual_steps
        assert store.verify().ok


def test_a_refused_step_holds_the_batch_and_a_restart_asks_again(tmp_path: Path) -> None:
    def answer(s: Store, p: PromptRecord) -> None:
        if p.step == 1 and not any(q.answer == "refused" for q in s.read(lambda x: prompts.listed(x))):
            _answer(s, p.batch_id, p.step, "refused", "source container not on the trolley")
            s.issue_command(p.batch_id, verb="restart", user="erin", reason="container found")
        else:
            _answer(s, p.batch_id, p.step)

    report, store = _manual_run(tmp_path, answer, speed=5000.0)
    with store:
        assert report.status == "complete", report.reasons  # type: ignore[attr-defined]
        alarms = [(a.code, a.message) for a in store.alarms(report.batch)]  # type: ignore[attr-defined]
        refused = [m for c, m in alarms if c == "PROMPT-REFUSED"]
        assert refused and "refused by otto: source container not on the trolley" in refused[0]
        step_1 = [p.answer for p in store.read(lambda x: prompts.listed(x)) if p.step == 1]
        assert step_1 == ["refused", "confirmed"]  # asked again after the restart
        assert [c.outcome for c in store.commands(report.batch)] == ["restarted"]  # type: ignore[attr-defined]


def test_a_prompt_nobody_answers_holds_the_batch(tmp_path: Path) -> None:
    def answer(s: Store, p: PromptRecord) -> None:
        if p.step != 1:
            _answer(s, p.batch_id, p.step)

    report, store = _manual_run(tmp_path, answer, speed=40000.0, timeout_s=0.3)
    with store:
        assert (report.status, report.verdict) == ("held", None)  # type: ignore[attr-defined]
        codes = [a.code for a in store.alarms(report.batch)]  # type: ignore[attr-defined]
        assert "PROMPT-TIMEOUT" in codes and store.get_batch(report.batch).status == "held"  # type: ignore[attr-defined]
        step_1 = [p.answer for p in store.read(lambda x: prompts.listed(x)) if p.step == 1]
        assert step_1 == ["timeout"]
        assert store.verify().ok


class _PlcOperator:
    """The equipment's own operator device: takes the task, counts it done or refused."""

    def __init__(self) -> None:
        self.tasks: list[act.Action] = []
        self.done = self.refused = 0.0
        self.stopped = False

    name = "operator"

    def read(self) -> dict[str, object]:
        from anodeline.devices.protocols import Reading

        return {"operator.done": Reading(self.done, 0.0), "operator.refused": Reading(self.refused, 0.0)}

    def set(self, value: object) -> None:
        assert isinstance(value, act.Action)
        self.tasks.append(value)

    def stop(self) -> None:
        self.stopped = True


def test_on_equipment_the_step_goes_to_the_plc_too_and_its_count_closes_the_prompt(store: Store) -> None:
    batch = new_batch(store)
    plc = _PlcOperator()
    operator = _operator(store, batch, inner=plc)
    operator.set(LOAD)
    assert plc.tasks == [LOAD]  # the HMI shows it; a served twin's plant does it
    assert _reading(operator, "done") == 0.0
    plc.done = 1.0  # confirmed at the HMI (or done by the served twin's operator)
    assert _reading(operator, "done") == 1.0
    (closed,) = store.read(lambda x: prompts.listed(x, batch))
    assert (closed.answer, closed.user, closed.reason) == ("confirmed", None, "done at the equipment")
    operator.set(LOAD)
    _answer(store, batch, 4)  # a person answers first: theirs is taken, and the PLC's later count is not double
    assert _reading(operator, "done") == 2.0
    operator.set(LOAD)
    plc.refused = 1.0  # the plant found the step impossible
    assert _reading(operator, "refused") == 1.0 and "refused by the equipment" in operator.last_answer
    operator.stop()
    assert plc.stopped and store.verify().ok


class _TellablePlc(_PlcOperator):
    """A PLC whose operator is told of a confirmation (the served twin's ``ConfirmTask``): it counts it later."""

    def __init__(self) -> None:
        super().__init__()
        self.told = 0

    def confirm(self) -> None:
        self.told += 1


def test_a_person_confirming_first_tells_the_plc_and_its_late_count_is_not_the_next_steps(store: Store) -> None:
    batch = new_batch(store)
    plc = _TellablePlc()
    operator = _operator(store, batch, inner=plc)
    operator.set(LOAD)
    _answer(store, batch, 4)
    assert _reading(operator, "done") == 1.0 and plc.told == 1
    operator.set(LOAD)  # the next manual step, before the PLC's count of the first arrived
    plc.done = 1.0  # ... it arrives now: not an answer to this prompt
    assert _reading(operator, "done") == 1.0 and store.read(lambda x: prompts.listed(x, batch, open_only=True))
    plc.done = 2.0  # the HMI confirms this one
    assert _reading(operator, "done") == 2.0 and plc.told == 1
