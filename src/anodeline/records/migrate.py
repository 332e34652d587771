"""Run the store's Alembic migrations programmatically — no alembic.ini at the repo root.

The environment lives in the package (``anodeline.records:migrations``), so an
installed wheel can migrate a plant database with ``Store.migrate()`` alone.

First use is commonly concurrent (several commands started at once on an empty plant
database), so migrations are serialised: across processes by a PostgreSQL advisory lock
held for the migration's transaction (SQLite's ``BEGIN IMMEDIATE`` takes the file's write
lock up front, which does the same), and within a process by a lock, because Alembic's
``context`` proxy is module-global. Whoever comes second finds the schema at head and
does nothing.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any, Final

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from anodeline.records.models import Base

SCRIPT_LOCATION = "anodeline.records:migrations"
#: The PostgreSQL advisory-lock key of "migrating the anodeline records", a fixed signed 64-bit number.
MIGRATION_LOCK_KEY: Final = int.from_bytes(
    hashlib.sha256(b"anodeline.records.migrate").digest()[:8], "big", signed=True
)
_IN_PROCESS = threading.Lock()


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
    with _IN_PROCESS, engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # released when the transaction ends
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
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
