"""A request-body size limit that answers with a problem document (ASGI middleware).

A declared ``Content-Length`` over the limit is refused before the body is read; a body streamed
without one is counted as it arrives and refused when it passes the limit.
"""

from __future__ import annotations

import json
from typing import Any

from anodeline.web.problems import MEDIA_TYPE, ProblemError

Scope = dict[str, Any]


class BodyLimit:
    """Refuse request bodies larger than ``limit`` bytes with 413 and a problem document."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    def _problem(self) -> ProblemError:
        return ProblemError(413, f"the request body is larger than {self.limit // 1024} KiB", kind="WEB_SIZE",
                            hint="a recipe or a command is a few kB: check what is sent")  # fmt: skip

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            problem = self._problem()
            body = json.dumps({"type": f"/problems/{problem.kind}", "title": "Too large", "status": 413,
                               "detail": problem.detail, "instance": scope.get("path", ""), "code": problem.kind,
                               "hint": problem.hint, "violations": []}).encode()  # fmt: skip
            headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 413, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        received = 0

        async def counted() -> Any:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise self._problem()
            return message

        await self.app(scope, counted, send)
