"""Security headers on every response (a pure ASGI middleware: it leaves streamed responses alone)."""

from __future__ import annotations

from typing import Any, Final

#: Content Security Policy: scripts and styles from this server only (htmx and app.js are packaged).
CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class SecurityHeaders:
    """Add CSP, nosniff, referrer policy and no-store (and HSTS over TLS) where a response has none."""

    def __init__(self, app: Any, *, tls: bool) -> None:
        self.app = app
        headers = {
            b"content-security-policy": CSP.encode(), b"x-content-type-options": b"nosniff",
            b"referrer-policy": b"same-origin", b"cache-control": b"no-store",
        }  # fmt: skip
        if tls:
            headers[b"strict-transport-security"] = b"max-age=31536000"
        self.headers = headers

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers.items() if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
