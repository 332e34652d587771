"""Server-side sessions and the failed-login limiter, kept in the serving process's memory.

A session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie (Secure over TLS); the
server keeps who it belongs to and its CSRF token (synchronizer-token pattern, OWASP CSRF Cheat
Sheet), so logging out or restarting the server ends it. It ends after
:data:`~anodeline.web.settings.SESSION_IDLE_S` idle and :data:`~anodeline.web.settings.SESSION_MAX_S`
in all. Failed logins are counted per user name and per client address in a sliding window (NIST SP
800-63B §5.2.2: limit failed attempts); past the limit the login answers 429 without checking.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from anodeline.records.users import UserRecord
from anodeline.web.settings import SESSION_IDLE_S, SESSION_MAX_S

COOKIE = "anodeline_session"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class WebSession:
    """Who a session belongs to and its CSRF token."""

    token: str
    user: str
    full_name: str
    role: str
    csrf: str
    created: float
    seen: float


class SessionStore:
    """Live sessions by token (thread-safe: sync routes run in a thread pool)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._sessions: dict[str, WebSession] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def open(self, user: UserRecord) -> WebSession:
        now = self._clock()
        session = WebSession(secrets.token_urlsafe(32), user.name, user.full_name, user.role,
                             secrets.token_urlsafe(32), now, now)  # fmt: skip
        with self._lock:
            self._sessions[session.token] = session
        return session

    def get(self, token: str | None) -> WebSession | None:
        """The live session of ``token`` (its idle clock restarted), or None."""
        if not token:
            return None
        now = self._clock()
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            if now - session.seen > SESSION_IDLE_S or now - session.created > SESSION_MAX_S:
                del self._sessions[token]
                return None
            session = self._sessions[token] = replace(session, seen=now)
        return session

    def close(self, token: str) -> None:
        with self._lock:
            self._sessions.pop(token, None)


#: An address (a shared screen on the line) may fail this many times more than one user name.
ADDRESS_FACTOR = 4


class LoginLimiter:
    """Failed logins per key (``user:NAME``, ``addr:IP``) in a sliding window; an address gets
    :data:`ADDRESS_FACTOR` times the limit, so one person's typos do not lock a shared screen."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s = limit, window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._clock = clock

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def retry_after(self, *keys: str) -> int:
        """Seconds until a new attempt is allowed for every key (0: allowed now)."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.limit * (ADDRESS_FACTOR if key.startswith("addr:") else 1):
                    wait = max(wait, self.window_s - (now - times[0]))
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
