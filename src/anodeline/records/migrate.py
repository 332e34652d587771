"""Run the store's Alembic migrations programmatically — no alembic.ini at the repo root.

The environment lives in the package (``anodeline.records:migrations``), so an
installed wheel can migrate a plant database with ``Store.migrate()`` alone.

First use is commonly concurrent (several commands started at once on an empty plant
database), so migrations are serialised: across processes by a PostgreSQL advisory lock
held for the migration's transaction (SQLite's ``BEGIN IMMEDIATE`` takes the file's write
lock up front, which does the same), and within a process by a lock, because Alembic's
``context`` proxy is module-global. Whoever comes second finds the schema at head and
does nothing.

Alembic (~0.2 s to import) is imported only when a migration is due: :func:`upgrade_head`
first reads the database's revision with plain SQLAlchemy and compares it with the newest
revision among the packaged version files (read as text, :func:`packaged_head`); a database
already at head costs one query.
"""

from __future__ import annotations

import hashlib
import re
import threading
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:  # pragma: no cover
    from alembic.config import Config

SCRIPT_LOCATION = "anodeline.records:migrations"
#: The PostgreSQL advisory-lock key of "migrating the anodeline records", a fixed signed 64-bit number.
MIGRATION_LOCK_KEY: Final = int.from_bytes(
    hashlib.sha256(b"anodeline.records.migrate").digest()[:8], "big", signed=True
)
_IN_PROCESS = threading.Lock()


#: Alembic's table of the applied revision (its default name; env.py does not change it).
VERSION_TABLE: Final = "alembic_version"
_REVISION = re.compile(r"^revision(?:\s*:\s*[^=]+)?\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?:\s*:\s*[^=]+)?\s*=\s*(.+)$", re.MULTILINE)


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (and at ``connection`` if given)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_head(engine: Engine) -> None:
    """Bring the database to the newest schema revision (a fresh database gets everything).

    A database already at the packaged head is left alone without importing Alembic.
    """
    head = packaged_head()
    if head is not None and stored_revision(engine) == head:
        return  # nothing due (a schema never moves back, so no lock is needed to know it)
    from alembic import command

    with _IN_PROCESS, engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # released when the transaction ends
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        command.upgrade(alembic_config(connection), "head")


def head_revision() -> str | None:
    """The newest revision shipped with the package (as Alembic reads the scripts)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@lru_cache(maxsize=1)
def packaged_head() -> str | None:
    """The packaged head read from the version files' ``revision``/``down_revision`` lines, without Alembic.

    None when the files do not give exactly one head (then :func:`upgrade_head` asks Alembic);
    tests/records/test_migrate.py checks it equals :func:`head_revision`.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in resources.files("anodeline.records").joinpath("migrations", "versions").iterdir():
        if not script.name.endswith(".py") or script.name.startswith("_"):
            continue
        source = script.read_text(encoding="utf-8")
        found, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if found is None or down is None:
            return None
        revisions.add(found.group(1))
        parents.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revision(engine: Engine) -> str | None:
    """The revision in the database's version table, by plain SQLAlchemy (None: no table or no row, or several)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return str(rows[0]) if len(rows) == 1 else None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when never migrated)."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_diff(engine: Engine) -> list[Any]:
    """Differences between the models and the database (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from anodeline.records.models import Base

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))
