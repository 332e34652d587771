"""Electronic signatures: printed name, time and meaning linked to the record's content; release
rules; an unreleased electrode refused as an input of another batch."""

from __future__ import annotations

import pytest

from anodeline.records import Store
from anodeline.records.errors import RecordRefusedError
from anodeline.records.users import UserRecord
from tests.records.conftest import new_batch, release, tamper

QA = UserRecord("qa1", "Quinn Assurance", "qa", False, "")
ENGINEER = UserRecord("eng1", "Erin Engineer", "engineer", False, "")


def _users(s: Store) -> None:
    for u in (QA, ENGINEER):
        s.add_user(u.name, full_name=u.full_name, role=u.role, password_hash="h", actor="root")


def _finished(s: Store, batch: str = "B-1", verdict: str = "pass") -> str:
    new_batch(s, batch)
    s.register_item(f"{batch}/electrode", kind="electrode", batch_id=batch)
    s.finish_batch(batch, sim_s=50, verdict=verdict)
    return batch


def test_a_signature_carries_name_time_meaning_and_the_content_hash(store: Store) -> None:
    _users(store)
    batch = _finished(store)
    content = store.content_sha256(batch)
    sig = store.sign(batch, user=ENGINEER, meaning="review")
    assert (sig.printed_name, sig.meaning, sig.content_sha256) == ("Erin Engineer", "review", content)
    assert sig.signed_at.endswith("+00:00")
    assert store.signatures(batch) == [sig] and not store.released(batch)
    assert store.verify().ok


def test_the_content_hash_changes_when_the_record_does(store: Store) -> None:
    _users(store)
    batch = _finished(store)
    sig = store.sign(batch, user=QA, meaning="review")
    tamper(store, "UPDATE batches SET verdict = 'fail'")
    assert store.content_sha256(batch) != sig.content_sha256


def test_a_running_batch_cannot_be_signed(store: Store) -> None:
    _users(store)
    new_batch(store)
    with pytest.raises(RecordRefusedError, match="once the batch has ended") as caught:
        store.sign("B-1", user=QA, meaning="review")
    assert caught.value.rule == "SIG001"


def test_a_failed_batch_cannot_be_released(store: Store) -> None:
    _users(store)
    batch = _finished(store, verdict="fail")
    with pytest.raises(RecordRefusedError, match="passing verdict") as caught:
        store.sign(batch, user=QA, meaning="release")
    assert caught.value.rule == "SIG002"
    store.sign(batch, user=QA, meaning="review")  # a failed batch is reviewed


def test_a_signature_is_given_once_and_a_batch_released_once(store: Store) -> None:
    _users(store)
    batch = _finished(store)
    store.sign(batch, user=QA, meaning="release")
    store.add_user("qa2", full_name="Other QA", role="qa", password_hash="h", actor="root")
    with pytest.raises(RecordRefusedError, match="already carries") as caught:
        store.sign(batch, user=UserRecord("qa2", "Other QA", "qa", False, ""), meaning="release")
    assert caught.value.rule == "SIG003"
    assert store.released(batch) and store.released_batches() == {batch}


def test_an_unreleased_electrode_is_refused_as_an_input_and_a_released_one_goes_once(store: Store) -> None:
    _users(store)
    first = _finished(store, "B-1")
    new_batch(store, "B-2")
    store.register_item("B-2/base", kind="base", batch_id="B-2")
    with pytest.raises(RecordRefusedError, match="was not released") as caught:
        store.link("B-1/electrode", "B-2/base", batch_id="B-2")
    assert caught.value.rule == "LOT001"
    release(store, first, qa="qa1")
    store.link("B-1/electrode", "B-2/base", batch_id="B-2")
    store.register_item("B-2/other", kind="base", batch_id="B-2")
    with pytest.raises(RecordRefusedError, match="already went into") as again:
        store.link("B-1/electrode", "B-2/other", batch_id="B-2")
    assert again.value.rule == "LOT003"


def _with_a_prompt_and_a_command(s: Store, batch: str = "B-1") -> str:
    from anodeline.records import prompts

    new_batch(s, batch)
    s.write(lambda x: prompts.open_prompt(x, batch, step=0, kind="load", instructions="load storage-1",
                                          item="storage-1", timeout_s=600.0, actor="engine"))  # fmt: skip
    s.write(lambda x: prompts.answer(x, batch, 0, answer="confirmed", user="op1"))
    command = s.issue_command(batch, verb="hold", user="op1", reason="analyser to check")
    s.take_command(command.command_id, outcome="held")
    s.finish_batch(batch, sim_s=50, verdict="pass")
    return batch


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE prompts SET answer = 'refused', reason = 'not done'",  # an answer rewritten after signing
        "UPDATE prompts SET user_name = 'op2'",
        "DELETE FROM prompts",
        "UPDATE commands SET reason = 'routine'",
        "UPDATE commands SET outcome = 'refused: not held'",
        "DELETE FROM commands",
    ],
)
def test_a_prompt_answer_or_a_command_edited_after_signing_changes_the_content_hash(store: Store, edit: str) -> None:
    _users(store)
    batch = _with_a_prompt_and_a_command(store)
    sig = store.sign(batch, user=ENGINEER, meaning="review")
    assert store.content_sha256(batch) == sig.content_sha256
    tamper(store, edit)
    assert store.content_sha256(batch) != sig.content_sha256


def test_a_prompt_added_behind_the_store_s_back_changes_the_hash_of_a_batch_without_any(store: Store) -> None:
    """A batch without prompts hashes as before they were hashed; adding one still shows."""
    _users(store)
    batch = _finished(store)
    sig = store.sign(batch, user=ENGINEER, meaning="review")
    tamper(store, "INSERT INTO prompts (batch_id, step, item, kind, instructions, opened_at, deadline, answered_at, "
                  "answer, user_name, reason) VALUES ('B-1', 0, NULL, 'load', 'x', '2026-12-01T00:00:00+00:00', "
                  "'2026-12-01T01:00:00+00:00', NULL, NULL, NULL, NULL)")  # fmt: skip
    assert store.content_sha256(batch) != sig.content_sha256
