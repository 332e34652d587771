"""The FastAPI application: routers, problem handlers, security headers, templates and static files.

:func:`create_app` takes the settings and (for tests) an open store; ``anodeline serve`` runs it
under uvicorn. The records store is opened and migrated once, when the app is made.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from anodeline.records import Store
from anodeline.web import problems
from anodeline.web.headers import SecurityHeaders
from anodeline.web.limits import BodyLimit
from anodeline.web.routes import api_auth, api_batches, api_commands, api_live, api_prompts, api_recipes, pages
from anodeline.web.security import WebContext
from anodeline.web.sessions import LoginLimiter, SessionStore
from anodeline.web.settings import WebSettings


def open_records(settings: WebSettings) -> Store:
    """The records store of ``settings`` (created and migrated when missing, as ``anodeline run`` does)."""
    from anodeline.cli.access import write_store

    return write_store(settings.db_url)


def create_app(settings: WebSettings | None = None, store: Store | None = None) -> FastAPI:
    """The web app over ``store`` (default: opened from ``settings.db_url``)."""
    settings = settings or WebSettings()
    store = store or open_records(settings)
    package = files("anodeline.web")
    app = FastAPI(
        title="anodeline",
        summary="Operator HMI and HTTP API of an air-free thin-film lithium-anode line",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=str(package / "templates"))
    app.state.web = WebContext(settings, store, SessionStore(), LoginLimiter(settings.login_failures,
                               settings.login_window_s), templates)  # fmt: skip
    problems.install(app)
    for router in (api_auth.router, api_batches.router, api_commands.router, api_live.router, api_recipes.router,
                   api_prompts.router, pages.router):  # fmt: skip
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(package / "static")), name="static")
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)

    app.add_middleware(SecurityHeaders, tls=settings.tls)

    return app
