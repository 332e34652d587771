"""The HTML pages and their htmx fragments, rendered on the server from the same services as the API.

Pages redirect to ``/login`` without a session; fragments (``/ui/…``) answer 401. Everything a page
changes goes through the JSON API (``app.js`` posts with the session's CSRF token), so the API's
checks are the only ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from html import escape
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from anodeline.records.auth import PERMISSIONS
from anodeline.records.search import BatchQuery
from anodeline.records.status import STATUSES
from anodeline.web import live, views
from anodeline.web.routes.api_batches import BatchId, Status, Verdict, list_page
from anodeline.web.routes.api_prompts import pending_prompts
from anodeline.web.security import Context, SignedIn, optional_session
from anodeline.web.sparkline import sparkline

router = APIRouter(include_in_schema=False)

LABELS = {"o2": "O2", "h2o": "H2O", "pressure": "pressure", "dew-point": "dew point"}


def fmt(value: float | None, measure: str = "") -> str:
    """A reading with its unit, as the mimic shows it."""
    if value is None:
        return "-"
    if measure == "dew-point":
        return f"{value:.1f} °C"
    number = f"{value:.2e}" if abs(value) >= 1000 or (value != 0 and abs(value) < 0.01) else f"{value:.3g}"
    unit = {"o2": " ppm", "h2o": " ppm", "pressure": " Pa"}.get(measure, "")
    return number + unit


def short(text: str, width: int = 26) -> str:
    """``text`` cut to ``width`` characters (an item's name in a mimic box)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def render(request: Request, context: Context, name: str, **values: Any) -> HTMLResponse:
    session = values.get("session")
    role = session.role if session is not None else None
    response: HTMLResponse = context.templates.TemplateResponse(
        request, name,
        {"fmt": fmt, "labels": LABELS, "describe": live.describe_step, "dict": dict, "short": short,
         "can": lambda action: role in PERMISSIONS.get(action, frozenset()), **values},
    )  # fmt: skip
    return response


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/line", status_code=303)


@router.get("/login")
def login_page(request: Request, context: Context, next: Annotated[str, Query(max_length=200)] = "/line") -> Response:
    target = next if next.startswith("/") and not next.startswith("//") else "/line"
    if optional_session(request, context) is not None:
        return RedirectResponse(target, status_code=303)
    return render(request, context, "login.html", session=None, next=target)


@router.get("/line")
def line_page(
    request: Request, context: Context, batch: Annotated[str | None, Query(max_length=64)] = None
) -> Response:
    from anodeline.web.mimic import layout

    session = optional_session(request, context)
    if session is None:
        return _login_redirect(request)
    state = live.line_state(context.store, batch)
    mimic = None if state["batch"] is None else layout(context.store.get_batch(state["batch"]).line_data)
    return render(request, context, "line.html", session=session, active="line", state=state, mimic=mimic,
                  requested=batch, banner_batch=state["batch"])  # fmt: skip


@router.get("/batches")
def batches_page(request: Request, context: Context) -> Response:
    session = optional_session(request, context)
    if session is None:
        return _login_redirect(request)
    page = list_page(context, BatchQuery())
    return render(request, context, "batches.html", session=session, active="batches", page=page, statuses=STATUSES)


@router.get("/batches/{batch_id}")
def batch_page(request: Request, batch_id: BatchId, context: Context) -> Response:
    from anodeline.records.errors import RecordNotFoundError
    from anodeline.records.signatures import MEANING_TEXT

    session = optional_session(request, context)
    if session is None:
        return _login_redirect(request)
    try:
        record = views.record(context.store, batch_id, anchor_log=context.settings.anchor_log)
    except RecordNotFoundError:
        return HTMLResponse(f"<p>No batch {escape(batch_id)}. <a href='/batches'>Batches</a></p>", status_code=404)
    plots = views.plot_names({**record, "sensors": context.store.get_batch(batch_id).line_data.get("sensors") or {}})
    meanings = [(m, t) for m, t in MEANING_TEXT.items() if session.role in PERMISSIONS[f"sign:{m}"]]
    return render(request, context, "batch.html", session=session, active="batches", record=record, plots=plots,
                  meanings=meanings, signable=bool(meanings), banner_batch=batch_id)  # fmt: skip


@router.get("/recipes")
def recipes_page(request: Request, context: Context) -> Response:
    session = optional_session(request, context)
    if session is None:
        return _login_redirect(request)
    return render(request, context, "recipes.html", session=session, active="recipes")


# ---- htmx fragments ---------------------------------------------------------------------------


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
    except ValueError:
        return None


@router.get("/ui/batches")
def batch_rows(
    request: Request, session: SignedIn, context: Context,
    recipe: Annotated[str, Query(max_length=128)] = "", status: Annotated[str, Query(max_length=16)] = "",
    verdict: Annotated[str, Query(max_length=8)] = "", lot: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[str, Query(max_length=10)] = "", until: Annotated[str, Query(max_length=10)] = "",
) -> Response:  # fmt: skip
    chosen_status: Status | None = status if status in STATUSES else None
    chosen_verdict: Verdict | None = verdict if verdict in ("pass", "fail") else None  # type: ignore[assignment]
    query = BatchQuery(recipe.strip() or None, chosen_status, chosen_verdict, lot.strip() or None, _day(since),
                       _day(until))  # fmt: skip
    return render(request, context, "_batch_rows.html", session=session, page=list_page(context, query))


@router.get("/ui/banner")
def banner(request: Request, session: SignedIn, context: Context,
           batch: Annotated[str | None, Query(max_length=64)] = None) -> Response:  # fmt: skip
    from anodeline.records.errors import RecordNotFoundError

    try:
        state = live.line_state(context.store, batch)
    except RecordNotFoundError:
        state = None
    return render(request, context, "_banner.html", session=session, state=state)


@router.get("/ui/prompts")
def prompts(request: Request, session: SignedIn, context: Context,
            batch: Annotated[str | None, Query(max_length=64)] = None) -> Response:  # fmt: skip
    from anodeline.records.errors import RecordNotFoundError

    try:
        waiting = pending_prompts(context, batch or None)
    except RecordNotFoundError:
        waiting = []
    return render(request, context, "_prompts.html", session=session, prompts=waiting)


@router.get("/ui/trends")
def trends(request: Request, session: SignedIn, context: Context,
           batch: Annotated[str | None, Query(max_length=64)] = None) -> Response:  # fmt: skip
    from anodeline.records.live import newest_batch

    batch_id = batch or newest_batch(context.store)
    spaces: list[tuple[str, list[tuple[str, Any]]]] = []
    if batch_id is not None:
        data = live.trends(context.store, batch_id)
        t1 = max((t for m in data.values() for s in m.values() for t, _ in s[-1:]), default=0.0)
        for space in sorted(data):
            lines: list[tuple[str, Any]] = [(m, sparkline(data[space][m], t0=max(0.0, t1 - live.TREND_S), t1=t1))
                     for m in ("o2", "h2o", "dew-point", "pressure") if m in data[space]]  # fmt: skip
            spaces.append((space, lines))
    return render(request, context, "_trends.html", session=session, spaces=spaces)
