"""Operator prompts (glove work, manual steps): the ones waiting for an answer, and answering one.

The list and the answer are :mod:`anodeline.batch.answers`, what ``anodeline prompts`` and
``anodeline confirm`` use. Answering is the ``confirm`` action (operator or engineer); a refusal
needs a reason and holds the batch (PROMPT-REFUSED).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from anodeline.web.problems import ProblemError
from anodeline.web.routes.api_batches import BatchId
from anodeline.web.security import Context, SignedIn, Writer, require

router = APIRouter(tags=["prompts"], responses={401: {}})


class AnswerIn(BaseModel):
    answer: Literal["confirmed", "refused"]
    reason: Annotated[str, Field(max_length=500, description="Why the step is refused (or a note).")] = ""


def pending_prompts(context: Context, batch: str | None) -> list[dict[str, Any]]:
    """Open prompts of the batches a live process runs (of ``batch`` only, if given), oldest first."""
    from anodeline.batch.answers import waiting_prompts

    if batch is not None:
        context.store.get_batch(batch)
    return [p.to_dict() for p in waiting_prompts(context.store, batch)]


@router.get("/api/prompts", responses={404: {}})
def list_prompts(session: SignedIn, context: Context,
                 batch: Annotated[str | None, Query(max_length=64)] = None) -> list[dict[str, Any]]:  # fmt: skip
    """Prompts waiting for an answer: batch, step, item, what to do, deadline."""
    return pending_prompts(context, batch)


@router.post("/api/batches/{batch_id}/prompts/{step}", responses={403: {}, 404: {}, 409: {}, 422: {}})
def answer(
    batch_id: BatchId, step: Annotated[int, Path(ge=0, le=100_000)], body: AnswerIn, session: Writer, context: Context
) -> dict[str, Any]:
    """Answer the prompt at ``step``: ``confirmed`` (done) or ``refused`` with a reason (the batch holds)."""
    from anodeline.batch.answers import answer_prompt
    from anodeline.records.anchors import anchor_head

    if body.answer == "refused" and not body.reason.strip():
        raise ProblemError(422, "a refusal needs a reason", kind="WEB_INPUT", hint="say why the step cannot be done")
    context.store.get_batch(batch_id)
    user = require(context, session, "confirm", batch_id)
    try:
        prompt = answer_prompt(context.store, batch_id, step, answer=body.answer, user=user.name, reason=body.reason)
    finally:
        anchor_head(context.store, f"web confirm {batch_id} step {step} by {user.name}", context.settings.anchor_log)
    return prompt.to_dict()
