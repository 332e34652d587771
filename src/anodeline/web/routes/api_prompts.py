"""``/api/prompts``: operator prompts (glove work, manual steps) waiting for an answer.

The seam for :mod:`anodeline.records.prompts` (built in parallel): the list reads it when it is
installed and is empty otherwise; answering (confirm/refuse) is wired once it has landed.
"""

from __future__ import annotations

from importlib import import_module
from typing import Annotated, Any

from fastapi import APIRouter, Query

from anodeline.web.security import Context, SignedIn

router = APIRouter(prefix="/api/prompts", tags=["prompts"], responses={401: {}})


def pending_prompts(context: Context, batch: str | None) -> list[dict[str, Any]]:
    """Open prompts (of ``batch``, or of every batch), oldest first; [] before prompts exist."""
    try:
        prompts: Any = import_module("anodeline.records.prompts")
    except ImportError:
        return []
    with context.store.session() as session:
        return [row.to_dict() for row in prompts.listed(session, batch, open_only=True)]


@router.get("")
def list_prompts(session: SignedIn, context: Context,
                 batch: Annotated[str | None, Query(max_length=64)] = None) -> list[dict[str, Any]]:  # fmt: skip
    """Prompts waiting for an answer: batch, step, item, instructions, deadline."""
    return pending_prompts(context, batch)
