"""The dependencies every route declares: the app's context, the signed-in user, the CSRF check, the role.

Order of the checks on a state-changing request: a live session (else 401), the CSRF token in the
``X-CSRF-Token`` header equal to the session's (else 403), the account still enabled (else 401 and
the session ends), then the route's action against :data:`anodeline.records.auth.PERMISSIONS`
through :func:`anodeline.records.auth.check_role` (else 403, recorded as ``auth.refused``).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from anodeline.records import Store
from anodeline.records.users import UserRecord
from anodeline.web.problems import ProblemError
from anodeline.web.sessions import COOKIE, CSRF_HEADER, LoginLimiter, SessionStore, WebSession
from anodeline.web.settings import WebSettings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class WebContext:
    """What every request shares: the settings, the records store, the sessions and the login limiter."""

    settings: WebSettings
    store: Store
    sessions: SessionStore
    limiter: LoginLimiter
    templates: Any


def web_context(request: Request) -> WebContext:
    context: WebContext = request.app.state.web
    return context


Context = Annotated[WebContext, Depends(web_context)]


def optional_session(request: Request, context: Context) -> WebSession | None:
    return context.sessions.get(request.cookies.get(COOKIE))


def signed_in(session: Annotated[WebSession | None, Depends(optional_session)]) -> WebSession:
    """The request's session; 401 without one."""
    if session is None:
        raise ProblemError(401, "sign in first: this route needs a session", kind="WEB_SESSION",
                           hint="POST /api/login with your name and password")  # fmt: skip
    return session


SignedIn = Annotated[WebSession, Depends(signed_in)]


def writer(request: Request, session: SignedIn, context: Context) -> WebSession:
    """The session of a state-changing request, its CSRF token checked and its account still enabled."""
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
            raise ProblemError(403, "missing or wrong CSRF token", kind="WEB_CSRF",
                               hint=f"send the session's token in the {CSRF_HEADER} header (GET /api/me)")  # fmt: skip
    row = context.store.user_credentials(session.user)
    if row is None or row[0].disabled:
        context.sessions.close(session.token)
        raise ProblemError(401, f"the account {session.user!r} is disabled", kind="USR001",
                           hint="ask an admin")  # fmt: skip
    return session


Writer = Annotated[WebSession, Depends(writer)]


def user_of(session: WebSession) -> UserRecord:
    return UserRecord(session.user, session.full_name, session.role, False, "")


def require(context: WebContext, session: WebSession, action: str, batch_id: str | None = None) -> UserRecord:
    """The session's user if their role may do ``action`` (a refusal is recorded and answers 403)."""
    from anodeline.records.auth import check_role

    return check_role(context.store, user_of(session), action, batch_id=batch_id)


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"
