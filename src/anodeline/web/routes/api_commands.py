"""ISA-88 commands and electronic signatures: the state-changing batch routes.

A command is sent as the session's user (operator: hold, stop; engineer: also restart, abort),
through :func:`anodeline.batch.commands.send_command`, the CLI's service. Signing re-authenticates
(21 CFR 11.200(a)(1)): the password is given again with the signature and the meaning is chosen
explicitly; failed passwords count against the login limiter.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from anodeline.records.auth import MAX_PASSWORD_LENGTH
from anodeline.records.errors import AccessRefusedError
from anodeline.web.problems import ProblemError
from anodeline.web.routes.api_batches import BatchId
from anodeline.web.security import Context, Writer, client_address, require

router = APIRouter(prefix="/api/batches", tags=["commands"], responses={401: {}, 403: {}, 404: {}, 409: {}})

Verb = Literal["hold", "restart", "stop", "abort"]
Meaning = Literal["review", "approve", "release"]


class CommandIn(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=500, description="Why, in a few words (audited).")]


class SignatureIn(BaseModel):
    meaning: Meaning
    password: Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)]


@router.post("/{batch_id}/commands/{verb}")
def send(batch_id: BatchId, verb: Verb, body: CommandIn, session: Writer, context: Context) -> dict[str, Any]:
    """Hold, restart, stop or abort a batch (taken by its process at the next step boundary)."""
    from anodeline.batch.commands import send_command
    from anodeline.records.anchors import anchor_head

    if not body.reason.strip():
        raise ProblemError(422, "the reason is empty", kind="WEB_INPUT", hint="say why, in a few words")
    context.store.get_batch(batch_id)
    user = require(context, session, verb, batch_id)
    try:
        sent = send_command(context.store, batch_id, verb=verb, user=user.name, reason=body.reason)
    finally:
        anchor_head(context.store, f"web batch {verb} {batch_id} by {user.name}", context.settings.anchor_log)
    return {**sent.to_dict(), "said": sent.said}


@router.post("/{batch_id}/signatures")
def sign(batch_id: BatchId, body: SignatureIn, request: Request, session: Writer, context: Context) -> dict[str, Any]:
    """Sign the record as the session's user, password given again; returns name, UTC time and meaning."""
    from anodeline.records.anchors import anchor_head
    from anodeline.records.auth import authenticate

    context.store.get_batch(batch_id)
    action = f"sign:{body.meaning}"
    require(context, session, action, batch_id)
    keys = (f"user:{session.user}", f"addr:{client_address(request)}")
    wait = context.limiter.retry_after(*keys)
    if wait:
        raise ProblemError(429, "too many failed passwords; try again later", kind="WEB_RATE",
                           headers={"Retry-After": str(wait)})  # fmt: skip
    try:
        user = authenticate(context.store, session.user, body.password, action=action, batch_id=batch_id)
    except AccessRefusedError:
        context.limiter.failed(*keys)
        anchor_head(context.store, f"web refused {action} by {session.user}", context.settings.anchor_log)
        raise
    signature = context.store.sign(batch_id, user=user, meaning=body.meaning)
    anchor_head(context.store, f"web sign {batch_id} {body.meaning}", context.settings.anchor_log)
    return {"batch": batch_id, "role": user.role, **signature.to_dict()}
