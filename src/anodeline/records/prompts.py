"""Operator prompts in the records database: opened by the running batch, answered by a person.

With ``run --operator manual`` each manual step (glove work, a load or an unload through a port,
a container sealed or unsealed, foil bonded, a move through a glove port) becomes a row of
``prompts`` (revision 0004) with its ``prompt.open`` audit entry: the batch, the step, the item,
what to do, when it was opened and its deadline (wall-clock UTC). A person answers from any
process — ``anodeline confirm BATCH STEP --as USER`` (``confirmed``) or ``--refuse --reason``
(``refused``) — and the running batch, which polls the row, takes the answer; a prompt still open
at its deadline is closed ``timeout`` by the batch, and one still open when the batch ends
(aborted on a device fault) ``withdrawn``. Every answer is a ``prompt.answer`` audit
entry (who, when, what, why) and the cross-check (:mod:`anodeline.records.crosscheck`) compares
every row with the chain.

One answer per prompt: an answer is an ``UPDATE … WHERE answered_at IS NULL``, so a confirm
racing the deadline or a second confirm finds the prompt answered and is refused (``PRM002``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from anodeline.records import audit
from anodeline.records.errors import RecordInputError, RecordNotFoundError, RecordRefusedError
from anodeline.records.models import Prompt
from anodeline.records.orm import load_batch

#: How a prompt closes: done by the person, refused by them (with a reason), not answered by its deadline,
#: or withdrawn by the batch (it ended, e.g. aborted on a device fault, while the prompt was open).
ANSWERS: Final = ("confirmed", "refused", "timeout", "withdrawn")
#: The batch statuses in which a prompt may be opened (the running process opens them).
_OPENABLE: Final = frozenset({"running", "held"})


@dataclass(frozen=True)
class PromptRecord:
    """One prompt and its answer (``answer`` None while open)."""

    prompt_id: int
    batch_id: str
    step: int
    item: str | None
    kind: str
    instructions: str
    opened_at: str
    deadline: str
    answered_at: str | None = None
    answer: str | None = None
    user: str | None = None
    reason: str | None = None

    @classmethod
    def of(cls, row: Prompt) -> PromptRecord:
        return cls(
            row.id, row.batch_id, row.step, row.item, row.kind, row.instructions, row.opened_at, row.deadline,
            row.answered_at, row.answer, row.user_name, row.reason,
        )  # fmt: skip

    @property
    def is_open(self) -> bool:
        return self.answer is None

    def overdue(self, now: datetime | None = None) -> bool:
        """True when the prompt is still open after its deadline."""
        return self.is_open and (now or datetime.now(UTC)) >= datetime.fromisoformat(self.deadline)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.prompt_id, "batch": self.batch_id, "step": self.step, "item": self.item, "kind": self.kind,
            "instructions": self.instructions, "opened_at": self.opened_at, "deadline": self.deadline,
            "answered_at": self.answered_at, "answer": self.answer, "user": self.user, "reason": self.reason,
        }  # fmt: skip


class PromptRefusedError(RecordRefusedError):
    """No open prompt to answer at that batch and step, or it is past its deadline (exit 1)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message, rule="PRM002", hint=hint)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def open_prompt(
    session: Session,
    batch_id: str,
    *,
    step: int,
    kind: str,
    instructions: str,
    item: str | None,
    timeout_s: float,
    actor: str,
    now: datetime | None = None,
) -> PromptRecord:
    """Open a prompt for step ``step`` of a running batch, answerable until ``timeout_s`` from now."""
    if not (timeout_s > 0.0):
        raise RecordInputError(f"a prompt's timeout must be a positive number of seconds, got {timeout_s!r}")
    batch = load_batch(session, batch_id)
    if batch.status not in _OPENABLE:
        raise RecordInputError(f"batch {batch_id!r} is {batch.status}: no prompt can be opened for it")
    opened = now or datetime.now(UTC)
    row = Prompt(
        batch_id=batch_id, step=step, item=item, kind=kind, instructions=instructions, opened_at=_iso(opened),
        deadline=_iso(opened + timedelta(seconds=timeout_s)),
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.append(
        session, actor=actor, kind="prompt.open", batch_id=batch_id,
        payload={"prompt_id": row.id, "step": step, "item": item, "kind": kind, "instructions": instructions,
                 "opened_at": row.opened_at, "deadline": row.deadline},
    )  # fmt: skip
    return PromptRecord.of(row)


def answer(
    session: Session,
    batch_id: str,
    step: int,
    *,
    answer: str,
    user: str,
    reason: str = "",
    now: datetime | None = None,
) -> PromptRecord:
    """Answer the open prompt of ``batch_id`` at ``step``: ``confirmed`` or ``refused`` (needs a reason).

    Refused (``PRM002``, exit 1) when no prompt of that step is open — never opened, answered
    already, or past its deadline (the running batch closes it ``timeout`` and holds).
    """
    if answer not in ("confirmed", "refused"):
        raise RecordInputError(f"a person answers 'confirmed' or 'refused', not {answer!r}")
    if answer == "refused" and not reason.strip():
        raise RecordInputError("a refusal needs a reason", hint="--reason 'why the step cannot be done'")
    load_batch(session, batch_id)
    row = session.scalars(
        select(Prompt).where(Prompt.batch_id == batch_id, Prompt.step == step).order_by(Prompt.id.desc()).limit(1)
    ).first()
    if row is None:
        raise PromptRefusedError(
            f"batch {batch_id!r} has no prompt at step {step}",
            "list what waits for an answer with 'anodeline prompts --batch BATCH'",
        )
    moment = now or datetime.now(UTC)
    if row.answer is None and moment >= datetime.fromisoformat(row.deadline):
        raise PromptRefusedError(
            f"the prompt of batch {batch_id!r} at step {step} passed its deadline {row.deadline}",
            "the batch holds on PROMPT-TIMEOUT; an engineer restarts it ('anodeline batch restart') to ask again",
        )
    return _close(session, row, answer=answer, user=user, reason=reason.strip() or None, moment=moment)


def expire(session: Session, prompt_id: int, *, actor: str, now: datetime | None = None) -> PromptRecord:
    """Close an open prompt past its deadline as ``timeout`` (the running batch does this, then holds)."""
    row = session.get(Prompt, prompt_id)
    if row is None:
        raise RecordNotFoundError("prompt", prompt_id)
    moment = now or datetime.now(UTC)
    return _close(session, row, answer="timeout", user=None, reason=f"not answered by {row.deadline}",
                  moment=moment, actor=actor)  # fmt: skip


def answer_at_equipment(
    session: Session, prompt_id: int, *, answer: str, reason: str, actor: str = "equipment"
) -> PromptRecord:
    """Close an open prompt with what the equipment reports (its operator counted the task done, or
    refused it) — or, ``actor`` ``simulated operator``, what the twin's ground truth says: no person
    answered here, so no user is named and ``reason`` says where it came from."""
    if answer not in ("confirmed", "refused"):
        raise RecordInputError(f"the equipment answers 'confirmed' or 'refused', not {answer!r}")
    row = session.get(Prompt, prompt_id)
    if row is None:
        raise RecordNotFoundError("prompt", prompt_id)
    return _close(session, row, answer=answer, user=None, reason=reason, moment=datetime.now(UTC), actor=actor)


def withdraw(session: Session, prompt_id: int, *, actor: str, reason: str) -> PromptRecord:
    """Close an open prompt the batch no longer waits for (it is ending) as ``withdrawn``."""
    row = session.get(Prompt, prompt_id)
    if row is None:
        raise RecordNotFoundError("prompt", prompt_id)
    return _close(session, row, answer="withdrawn", user=None, reason=reason, moment=datetime.now(UTC), actor=actor)


def withdraw_open(session: Session, batch_id: str, *, actor: str, reason: str) -> list[PromptRecord]:
    """Withdraw every prompt of ``batch_id`` still open (its process died: nobody waits for them)."""
    rows = session.scalars(select(Prompt).where(Prompt.batch_id == batch_id, Prompt.answered_at.is_(None)))
    return [
        _close(session, row, answer="withdrawn", user=None, reason=reason, moment=datetime.now(UTC), actor=actor)
        for row in list(rows)
    ]


def _close(
    session: Session,
    row: Prompt,
    *,
    answer: str,
    user: str | None,
    reason: str | None,
    moment: datetime,
    actor: str | None = None,
) -> PromptRecord:
    answered_at = _iso(moment)
    done = session.execute(
        update(Prompt)
        .where(Prompt.id == row.id, Prompt.answered_at.is_(None))
        .values(answered_at=answered_at, answer=answer, user_name=user, reason=reason)
        .execution_options(synchronize_session=False)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        session.refresh(row)
        raise PromptRefusedError(
            f"the prompt of batch {row.batch_id!r} at step {row.step} was answered already: {row.answer} "
            f"at {row.answered_at}" + (f" by {row.user_name}" if row.user_name else ""),
            "list the prompts with 'anodeline prompts --batch BATCH'",
        )
    session.refresh(row)
    audit.append(
        session, actor=actor or user or "anodeline", kind="prompt.answer", batch_id=row.batch_id,
        payload={"prompt_id": row.id, "answered_at": answered_at, "answer": answer, "user": user, "reason": reason},
    )  # fmt: skip
    return PromptRecord.of(row)


def get(session: Session, prompt_id: int) -> PromptRecord:
    row = session.get(Prompt, prompt_id)
    if row is None:
        raise RecordNotFoundError("prompt", prompt_id)
    return PromptRecord.of(row)


def listed(session: Session, batch_id: str | None = None, *, open_only: bool = False) -> list[PromptRecord]:
    """Prompts oldest first: of one batch or all, only the open ones or every one."""
    stmt = select(Prompt).order_by(Prompt.id)
    if batch_id is not None:
        stmt = stmt.where(Prompt.batch_id == batch_id)
    if open_only:
        stmt = stmt.where(Prompt.answered_at.is_(None))
    return [PromptRecord.of(r) for r in session.scalars(stmt)]
