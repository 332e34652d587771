"""The operator web HMI and HTTP API (``anodeline serve``): FastAPI routes over the same services as the CLI.

Routes are thin: they authenticate (server-side sessions, :mod:`anodeline.web.sessions`), check the
role (:data:`anodeline.records.auth.PERMISSIONS`) and the CSRF token, then call the records and batch
services. Errors are RFC 9457 problem documents (:mod:`anodeline.web.problems`). Pages are Jinja2
templates with htmx, served from the package (no CDN: the line may be offline). See docs/hmi.md.
"""
