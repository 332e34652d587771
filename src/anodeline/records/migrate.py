"""Run the store's Alembic migrations programmatically — no alembic.ini at the repo root.

The environment lives in the package (``anodeline.records:migrations``), so an
installed wheel can migrate a plant database with ``Store.migrate()`` alone.
"""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from anodeline.records.models import Base

SCRIPT_LOCATION = "anodeline.records:migrations"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (and at ``connection`` if given)."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_head(engine: Engine) -> None:
    """Bring the database to the newest schema revision (a fresh database gets everything)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def head_revision() -> str | None:
    """The newest revision shipped with the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_diff(engine: Engine) -> list[Any]:
    """Differences between the models and the database (empty when they agree)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))
