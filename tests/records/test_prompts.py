"""Prompts in the records: opened, answered once (confirmed, refused with a reason, timed out), audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from anodeline.records import RecordInputError, RecordNotFoundError, Store, prompts
from anodeline.records.prompts import PromptRecord, PromptRefusedError
from tests.records.conftest import new_batch

T0 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _open(s: Store, batch: str, step: int = 3, timeout_s: float = 600.0) -> PromptRecord:
    return s.write(
        lambda x: prompts.open_prompt(x, batch, step=step, kind="unseal", instructions="unseal the cassette",
                                      item=f"{batch}/foil", timeout_s=timeout_s, actor="anodeline", now=T0)
    )  # fmt: skip


def test_a_prompt_opens_with_its_deadline_and_is_listed_while_open(store: Store) -> None:
    batch = new_batch(store)
    prompt = _open(store, batch, timeout_s=90.0)
    assert prompt.is_open and prompt.step == 3 and prompt.kind == "unseal"
    assert datetime.fromisoformat(prompt.deadline) - datetime.fromisoformat(prompt.opened_at) == timedelta(seconds=90)
    assert store.read(lambda x: prompts.listed(x, open_only=True)) == [prompt]
    assert not prompt.overdue(T0 + timedelta(seconds=89)) and prompt.overdue(T0 + timedelta(seconds=90))


def test_a_confirmation_is_kept_with_who_and_when_and_closes_the_prompt(store: Store) -> None:
    batch = new_batch(store)
    opened = _open(store, batch)
    done = store.write(lambda x: prompts.answer(x, batch, 3, answer="confirmed", user="otto", now=T0))
    assert (done.answer, done.user, done.reason) == ("confirmed", "otto", None)
    assert store.read(lambda x: prompts.get(x, opened.prompt_id)) == done
    assert store.read(lambda x: prompts.listed(x, batch, open_only=True)) == []
    assert store.verify().ok


def test_a_second_answer_is_refused(store: Store) -> None:
    batch = new_batch(store)
    _open(store, batch)
    store.write(lambda x: prompts.answer(x, batch, 3, answer="refused", user="otto", reason="no gloves", now=T0))
    with pytest.raises(PromptRefusedError, match="answered already: refused"):
        store.write(lambda x: prompts.answer(x, batch, 3, answer="confirmed", user="erin", now=T0))


def test_a_refusal_needs_a_reason_and_an_answer_must_be_known(store: Store) -> None:
    batch = new_batch(store)
    _open(store, batch)
    with pytest.raises(RecordInputError, match="reason"):
        store.write(lambda x: prompts.answer(x, batch, 3, answer="refused", user="otto", reason="  "))
    with pytest.raises(RecordInputError, match="'confirmed' or 'refused'"):
        store.write(lambda x: prompts.answer(x, batch, 3, answer="timeout", user="otto"))


def test_no_prompt_at_that_step_or_batch_is_refused(store: Store) -> None:
    batch = new_batch(store)
    _open(store, batch)
    with pytest.raises(PromptRefusedError, match="no prompt at step 4") as refused:
        store.write(lambda x: prompts.answer(x, batch, 4, answer="confirmed", user="otto"))
    assert refused.value.rule == "PRM002"
    with pytest.raises(RecordNotFoundError):
        store.write(lambda x: prompts.answer(x, "B-none", 3, answer="confirmed", user="otto"))


def test_an_answer_after_the_deadline_is_refused_and_the_batch_closes_it_timeout(store: Store) -> None:
    batch = new_batch(store)
    opened = _open(store, batch, timeout_s=60.0)
    late = T0 + timedelta(seconds=61)
    with pytest.raises(PromptRefusedError, match="deadline"):
        store.write(lambda x: prompts.answer(x, batch, 3, answer="confirmed", user="otto", now=late))
    closed = store.write(lambda x: prompts.expire(x, opened.prompt_id, actor="anodeline", now=late))
    assert (closed.answer, closed.user) == ("timeout", None) and "not answered by" in (closed.reason or "")
    assert store.verify().ok


def test_a_prompt_is_opened_only_for_a_running_or_held_batch(store: Store) -> None:
    batch = new_batch(store, start=False)
    with pytest.raises(RecordInputError, match="created"):
        _open(store, batch)
    started = new_batch(store, "B-2")
    with pytest.raises(RecordInputError, match="positive"):
        _open(store, started, timeout_s=0.0)


def test_the_open_prompts_of_a_batch_whose_process_died_are_withdrawn(store: Store) -> None:
    batch = new_batch(store)
    _open(store, batch, step=1)
    store.write(lambda x: prompts.answer(x, batch, 1, answer="confirmed", user="otto", now=T0))
    _open(store, batch, step=2)
    withdrawn = store.write(lambda x: prompts.withdraw_open(x, batch, actor="erin", reason="resumed by erin"))
    assert [(p.step, p.answer, p.reason) for p in withdrawn] == [(2, "withdrawn", "resumed by erin")]
    assert [p.answer for p in store.read(lambda x: prompts.listed(x, batch))] == ["confirmed", "withdrawn"]
    assert store.verify().ok


def test_each_open_and_answer_is_an_audit_entry(store: Store) -> None:
    from sqlalchemy import select

    from anodeline.records.models import AuditEntry

    batch = new_batch(store)
    _open(store, batch)
    store.write(lambda x: prompts.answer(x, batch, 3, answer="confirmed", user="otto", now=T0))
    kinds = store.read(lambda x: list(x.scalars(select(AuditEntry.kind).where(AuditEntry.batch_id == batch))))
    assert kinds[-2:] == ["prompt.open", "prompt.answer"]
