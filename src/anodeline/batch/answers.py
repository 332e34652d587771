"""Prompts waiting for a person, and answering one: what ``anodeline prompts``/``confirm`` and the web app do.

A prompt waits only while a live process runs its batch (``running`` or ``held`` as shown: an
interrupted batch's process is gone, and its open prompts are withdrawn when it is resumed). The
person is authenticated and authorised (``confirm``) by the caller; :func:`answer_prompt` records the
answer with its audit entry (:func:`anodeline.records.prompts.answer`), refused (``PRM002``) when
nothing waits for it.
"""

from __future__ import annotations

from typing import Final

from anodeline.records import Store
from anodeline.records import prompts as book
from anodeline.records.prompts import PromptRecord

#: Statuses (as shown) in which a process waits for answers.
WAITING: Final = frozenset({"running", "held"})


def waiting_prompts(store: Store, batch_id: str | None = None) -> list[PromptRecord]:
    """Open prompts, oldest first, of the batches a live process runs (of ``batch_id`` only, if given)."""
    rows = store.read(lambda s: book.listed(s, batch_id, open_only=True))
    shown = {b: store.shown_status(store.get_batch(b)) for b in {p.batch_id for p in rows}}
    return [p for p in rows if shown[p.batch_id] in WAITING]


def answer_prompt(store: Store, batch_id: str, step: int, *, answer: str, user: str, reason: str = "") -> PromptRecord:
    """``user``'s answer (``confirmed`` or ``refused``, the latter with a reason) to the prompt at ``step``."""
    shown = store.shown_status(store.get_batch(batch_id))
    if shown not in WAITING:  # ended, or its process died: nobody waits for the answer
        raise book.PromptRefusedError(
            f"batch {batch_id!r} is {shown}: no process waits for an answer",
            "an interrupted batch is resumed ('anodeline resume'); its open prompts are then withdrawn",
        )
    return store.write(lambda s: book.answer(s, batch_id, step, answer=answer, user=user, reason=reason))
