"""``/api/login``, ``/api/logout``, ``/api/me``: sessions for the records database's users."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from anodeline.records.auth import MAX_PASSWORD_LENGTH
from anodeline.records.errors import AccessRefusedError
from anodeline.web.problems import ProblemError
from anodeline.web.security import Context, SignedIn, Writer, client_address
from anodeline.web.sessions import COOKIE, WebSession

router = APIRouter(prefix="/api", tags=["session"])


class Credentials(BaseModel):
    user: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)]


class Me(BaseModel):
    user: str
    full_name: str
    role: str
    csrf: str


def _me(session: WebSession) -> Me:
    return Me(user=session.user, full_name=session.full_name, role=session.role, csrf=session.csrf)


def _same_origin(request: Request) -> bool:
    """A login posted from another site's page is refused (login CSRF); no Origin header: not a browser's
    cross-site form, allowed."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


@router.post("/login", responses={401: {}, 403: {}, 429: {}})
def login(credentials: Credentials, request: Request, response: Response, context: Context) -> Me:
    """Sign in with a records-database user: sets the session cookie, returns the CSRF token to send back."""
    from anodeline.records.auth import login as check_login

    if not _same_origin(request):
        raise ProblemError(403, "login from another site's page refused", kind="WEB_CSRF")
    keys = (f"user:{credentials.user}", f"addr:{client_address(request)}")
    wait = context.limiter.retry_after(*keys)
    if wait:
        context.store.record_refusal(user=credentials.user, action="login",
                                     reason=f"rate limited: {context.limiter.limit} failures in "
                                     f"{context.limiter.window_s / 60:g} min")  # fmt: skip
        raise ProblemError(429, "too many failed logins; try again later", kind="WEB_RATE",
                           hint=f"wait {wait} s or ask an admin", headers={"Retry-After": str(wait)})  # fmt: skip
    try:
        user = check_login(context.store, credentials.user, credentials.password)
    except AccessRefusedError:
        context.limiter.failed(*keys)
        raise
    context.limiter.succeeded(keys[0])
    session = context.sessions.open(user)
    response.set_cookie(COOKIE, session.token, httponly=True, samesite="strict", secure=context.settings.tls,
                        path="/")  # fmt: skip
    return _me(session)


@router.post("/logout", status_code=204, responses={401: {}, 403: {}})
def logout(session: Writer, response: Response, context: Context) -> Response:
    """End the session."""
    context.sessions.close(session.token)
    response.status_code = 204
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/me", responses={401: {}})
def me(session: SignedIn) -> Me:
    """Who is signed in, their role and the session's CSRF token."""
    return _me(session)
