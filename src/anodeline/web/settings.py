"""Settings of the web app: typed, frozen, refusing an unsafe combination before anything listens."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final

from anodeline.errors import AnodelineError

#: Largest request body accepted (JSON, forms); a recipe is a few kB.
MAX_BODY_BYTES: Final = 256 * 1024
#: Failed logins allowed per user name, and per client address, in :data:`LOGIN_WINDOW_S`.
LOGIN_FAILURES: Final = 5
LOGIN_WINDOW_S: Final = 15 * 60.0
#: A session ends after this long without a request, and in any case after :data:`SESSION_MAX_S`.
SESSION_IDLE_S: Final = 30 * 60.0
SESSION_MAX_S: Final = 12 * 3600.0
#: How often the live stream looks for a change in the records (seconds).
LIVE_POLL_S: Final = 0.05


class WebSettingsError(AnodelineError, ValueError):
    """The serve options are unsafe or inconsistent (exit 2)."""

    code = "WEB_SETTINGS"


@dataclass(frozen=True)
class WebSettings:
    """What ``anodeline serve`` was given. ``db_url`` None: ``$ANODELINE_DB`` or the default store."""

    db_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    tls_cert: str | None = None
    tls_key: str | None = None
    anchor_log: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    login_failures: int = LOGIN_FAILURES
    login_window_s: float = LOGIN_WINDOW_S
    live_poll_s: float = LIVE_POLL_S

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise WebSettingsError(f"--port {self.port} is not a TCP port", hint="use 1-65535, e.g. --port 8000")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise WebSettingsError("--tls-cert and --tls-key go together", hint="give both files, or neither")

    @property
    def tls(self) -> bool:
        """Served over HTTPS: session cookies are then ``Secure``."""
        return self.tls_cert is not None

    @property
    def loopback(self) -> bool:
        """True when only this machine can connect (the default)."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @property
    def address(self) -> str:
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"
