"""RFC 9457 problem documents: every error the API returns, never a traceback.

``{"type", "title", "status", "detail", "instance"}`` plus ``code`` (the registry code: USR001,
CMD001, SIG002…), ``hint`` (what to do) and, for a bad recipe, ``violations`` with their lines.
Records errors map to statuses once, here: not found 404, refused by a rule 409, bad values 422,
authentication 401, role 403, store unreachable 503.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from anodeline.errors import AnodelineError

MEDIA_TYPE: Final = "application/problem+json"
_TITLES: Final = {
    400: "Bad request", 401: "Not signed in", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
    409: "Refused", 413: "Too large", 415: "Unsupported media type", 422: "Invalid input",
    429: "Too many attempts", 500: "Internal error", 503: "Records unavailable",
}  # fmt: skip


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    code: str = ""
    hint: str = ""
    violations: list[dict[str, Any]] = Field(default_factory=list)


class ProblemError(Exception):
    """Raised by a route to answer with a problem document."""

    def __init__(
        self, status: int, detail: str, *, kind: str = "", hint: str = "", headers: dict[str, str] | None = None,
        violations: list[dict[str, Any]] | None = None,
    ) -> None:  # fmt: skip
        self.status, self.detail, self.kind, self.hint = status, detail, kind, hint
        self.headers = headers or {}
        self.violations = violations or []
        super().__init__(detail)


def problem_response(
    request: Request, status: int, detail: str, *, kind: str = "", hint: str = "",
    headers: dict[str, str] | None = None, violations: list[dict[str, Any]] | None = None,
) -> JSONResponse:  # fmt: skip
    body = Problem(
        type=f"/problems/{kind}" if kind else "about:blank", title=_TITLES.get(status, "Error"), status=status,
        detail=detail, instance=request.url.path, code=kind, hint=hint, violations=violations or [],
    )  # fmt: skip
    return JSONResponse(body.model_dump(), status_code=status, headers=headers, media_type=MEDIA_TYPE)


def status_of(exc: AnodelineError) -> int:
    """The HTTP status of an anodeline error (the module docstring's table)."""
    from anodeline.records.errors import (
        AccessRefusedError,
        RecordInputError,
        RecordNotFoundError,
        RecordRefusedError,
        StoreUnavailableError,
    )

    if isinstance(exc, AccessRefusedError):
        return 401 if exc.rule == "USR001" else 403
    if isinstance(exc, RecordNotFoundError):
        return 404
    if isinstance(exc, RecordRefusedError):
        return 409
    if isinstance(exc, StoreUnavailableError):
        return 503
    if isinstance(exc, RecordInputError | ValueError):
        return 422
    return 409


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` with a problem document."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.status, exc.detail, kind=exc.kind, hint=exc.hint,
                                headers=exc.headers, violations=exc.violations)  # fmt: skip

    @app.exception_handler(AnodelineError)
    async def _anodeline(request: Request, exc: AnodelineError) -> JSONResponse:
        kind = getattr(exc, "rule", "") or exc.code
        where = f"{exc.location}: " if exc.location else ""
        return problem_response(request, status_of(exc), where + exc.message, kind=kind, hint=exc.hint)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        malformed = any(e.get("type") == "json_invalid" for e in errors)
        violations = [
            {"location": ".".join(str(p) for p in e.get("loc", ())), "message": str(e.get("msg", ""))} for e in errors
        ]
        first = violations[0] if violations else {"location": "", "message": "invalid request"}
        detail = f"{first['location']}: {first['message']}" if first["location"] else first["message"]
        if malformed:
            return problem_response(request, 400, f"the body is not valid JSON ({detail})", kind="WEB_JSON",
                                    hint="send a JSON object, Content-Type: application/json")  # fmt: skip
        return problem_response(request, 422, detail, kind="WEB_INPUT", violations=violations,
                                hint="see /openapi.json for the fields this route takes")  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(request, exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        from anodeline.cli.app import describe

        message, hint = describe(exc)
        return problem_response(request, 500, message, kind="WEB_INTERNAL", hint=hint)
