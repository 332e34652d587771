"""``/api/batches``: the batch list with filters, one record, its plots, exports and alarms (any role)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel

from anodeline.records.search import MAX_LIMIT, BatchQuery, find_batches
from anodeline.web import views
from anodeline.web.problems import ProblemError
from anodeline.web.security import Context, SignedIn

router = APIRouter(prefix="/api/batches", tags=["batches"], responses={401: {}, 404: {}})

BatchId = Annotated[str, Path(min_length=1, max_length=64, description="Batch id, e.g. B-1a2b3c4d5e6f")]
Status = Literal["created", "running", "held", "completed", "stopped", "aborted"]  # records.status.STATUSES
Verdict = Literal["pass", "fail"]


class BatchRow(BaseModel):
    batch: str
    recipe: str
    route: str
    status: str
    verdict: str | None
    created_at: str
    ended_at: str | None
    simulated_seconds: float | None
    released: bool


class BatchList(BaseModel):
    total: int
    limit: int
    offset: int
    batches: list[BatchRow]


def batch_query(
    recipe: Annotated[str | None, Query(max_length=128)] = None,
    status: Status | None = None,
    verdict: Verdict | None = None,
    lot: Annotated[str | None, Query(max_length=64, description="Batches that used this lot (recall).")] = None,
    since: Annotated[datetime | None, Query(description="Created at or after (ISO 8601, UTC if no zone).")] = None,
    until: Annotated[datetime | None, Query(description="Created before.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> BatchQuery:
    from anodeline.records.values import as_utc

    return BatchQuery(recipe or None, status, verdict, lot or None, as_utc(since), as_utc(until), limit, offset)


def list_page(context: Context, query: BatchQuery) -> BatchList:
    """The batch list as the API answers it (the HTML list renders the same)."""
    page = find_batches(context.store, query)
    return BatchList(total=page.total, limit=query.limit, offset=query.offset,
                     batches=[BatchRow(**b.to_dict()) for b in page.batches])  # fmt: skip


@router.get("")
def list_batches(session: SignedIn, context: Context, query: Annotated[BatchQuery, Depends(batch_query)]) -> BatchList:
    """Batches newest first, filtered by recipe, status, verdict, lot (recall) and creation date."""
    return list_page(context, query)


@router.get("/{batch_id}")
def get_record(batch_id: BatchId, session: SignedIn, context: Context) -> dict[str, Any]:
    """The batch record: electrode, steps, readings, alarms, genealogy both ways, exposure, signatures,
    commands and the audit status (``anodeline record --json``)."""
    return views.record(context.store, batch_id, anchor_log=context.settings.anchor_log)


@router.get("/{batch_id}/alarms")
def get_alarms(batch_id: BatchId, session: SignedIn, context: Context) -> list[dict[str, Any]]:
    """The batch's alarms, active ones with ``cleared_s`` null."""
    context.store.get_batch(batch_id)
    return [
        {"id": a.alarm_id, "code": a.code, "message": a.message, "hold": a.hold, "raised_s": a.raised_sim_s,
         "cleared_s": a.cleared_sim_s}
        for a in context.store.alarms(batch_id)
    ]  # fmt: skip


@router.get("/{batch_id}/signatures")
def get_signatures(batch_id: BatchId, session: SignedIn, context: Context) -> list[dict[str, Any]]:
    """The electronic signatures: printed name, UTC time, meaning, content hash at signing."""
    context.store.get_batch(batch_id)
    return [s.to_dict() for s in context.store.signatures(batch_id)]


@router.get("/{batch_id}/plots")
def list_plots(batch_id: BatchId, session: SignedIn, context: Context) -> list[str]:
    """Names of the record's plots (one per space, then ``exposure``)."""
    return views.plot_list(context.store, batch_id, anchor_log=context.settings.anchor_log)


@router.get("/{batch_id}/plots/{name}", response_class=Response, responses={200: {"content": {"image/png": {}}}})
def get_plot(
    batch_id: BatchId, name: Annotated[str, Path(max_length=64)], session: SignedIn, context: Context
) -> Response:
    """One plot as PNG."""
    png = views.plot(context.store, batch_id, name, anchor_log=context.settings.anchor_log)
    if png is not None:
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})
    raise ProblemError(404, f"batch {batch_id!r} has no plot {name!r}", kind="WEB_PLOT",
                       hint=f"GET /api/batches/{batch_id}/plots lists them")  # fmt: skip


@router.get("/{batch_id}/export.{fmt}", response_class=PlainTextResponse,
            responses={200: {"content": {"text/html": {}, "text/csv": {}}}})  # fmt: skip
def get_export(batch_id: BatchId, fmt: Literal["html", "csv"], session: SignedIn, context: Context) -> Response:
    """The self-contained HTML report with plots, or the telemetry as CSV (``record --export``)."""
    text = views.export(context.store, batch_id, fmt, anchor_log=context.settings.anchor_log)
    media = "text/html" if fmt == "html" else "text/csv"
    disposition = f'attachment; filename="{batch_id}.{fmt}"' if fmt == "csv" else f'inline; filename="{batch_id}.html"'
    return Response(text, media_type=f"{media}; charset=utf-8", headers={"Content-Disposition": disposition})
