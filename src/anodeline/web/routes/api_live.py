"""``/api/live``: the live line state, its server-sent event stream, and the last hour's trends.

The stream polls the records' change mark every ``live_poll_s`` (50 ms) and sends a ``state``
event when it moved (FastAPI's :class:`~fastapi.sse.EventSourceResponse`, with its keep-alive
comments), so a reading reaches the browser one poll after it is committed, from any process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from anodeline.records.live import change_mark
from anodeline.web import live
from anodeline.web.security import Context, SignedIn

router = APIRouter(prefix="/api/live", tags=["live"], responses={401: {}, 404: {}})

BatchParam = Annotated[str | None, Query(max_length=64, description="Batch id (default: the newest batch).")]


@router.get("")
def state(session: SignedIn, context: Context, batch: BatchParam = None) -> dict[str, Any]:
    """The line now: readings per space, doors, pumps, the step in hand, items, active alarms, hold."""
    return live.line_state(context.store, batch)


@router.get("/trends")
def trends(session: SignedIn, context: Context, batch: BatchParam = None) -> dict[str, Any]:
    """O2, H2O, dew point and pressure of each space over the last hour of the batch's clock."""
    from anodeline.records.live import newest_batch

    batch_id = batch or newest_batch(context.store)
    if batch_id is None:
        return {"batch": None, "spaces": {}}
    return {"batch": batch_id, "window_s": live.TREND_S, "spaces": live.trends(context.store, batch_id)}


def known_batch(context: Context, batch: BatchParam = None) -> str | None:
    """``batch`` if it exists (else 404 before a stream starts), or None: follow the newest batch."""
    if batch is not None:
        context.store.get_batch(batch)
    return batch


@router.get("/stream", response_class=EventSourceResponse)
async def stream(request: Request, session: SignedIn, context: Context,
                 batch: Annotated[str | None, Depends(known_batch)]) -> AsyncIterator[ServerSentEvent]:  # fmt: skip
    """``state`` events, one each time the records change (a step, readings, an alarm, a command)."""
    store, poll = context.store, context.settings.live_poll_s
    last: tuple[int, int] | None = None
    while not await request.is_disconnected():
        mark = await to_thread.run_sync(change_mark, store)
        if mark != last:
            last = mark
            data = await to_thread.run_sync(live.line_state, store, batch)
            yield ServerSentEvent(event="state", data=data, id=f"{mark[0]}.{mark[1]}")
        await anyio.sleep(poll)
