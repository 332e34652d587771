"""Opening a store for reading: never create a database, never migrate one.

``batches``, ``record``, ``audit verify``, ``users list`` only read. Opening a SQLite URL
creates the file, so a typo (``--db sqlite:///typo.sqlite``) used to answer "intact: 0
entries". Here a missing file, a database without the schema and one at another schema revision
are each a :class:`~anodeline.records.errors.RecordsError` (exit 2) that says which and what to
do; only the commands that write (``run``, ``users add``, ``sign``) create and migrate.
"""

from __future__ import annotations

from pathlib import Path

from anodeline.records import migrate
from anodeline.records.connection import normalise_url, shown, translated_errors
from anodeline.records.errors import RecordsError, SchemaMissingError
from anodeline.records.store import Store, open_store


class DatabaseMissingError(RecordsError):
    """A read command was pointed at a SQLite file that does not exist."""

    code = "RECORDS_MISSING"

    def __init__(self, path: str) -> None:
        self.rule = "REC001"
        super().__init__(
            f"no batch-record database at {path}",
            hint="check --db / ANODELINE_DB (default sqlite:///runs/anodeline.sqlite); a database is created by "
            "the first command that writes ('anodeline run', 'anodeline users add')",
        )


def sqlite_path(url: str | None) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL or an in-memory SQLite)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def open_existing(url: str | None) -> Store:
    """Open the store at ``url`` for reading: it must exist and be at the packaged head revision."""
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise DatabaseMissingError(str(path))
    store = open_store(url)
    try:
        check_schema(store)
    except BaseException:
        store.close()
        raise
    return store


def check_schema(store: Store) -> None:
    """Raise :class:`SchemaMissingError` unless the database is at the packaged head revision
    (read with SQLAlchemy and from the version files, without importing Alembic)."""
    head = migrate.packaged_head() or migrate.head_revision()
    with translated_errors(store.url):
        revision = migrate.stored_revision(store.engine)
    if revision == head:
        return
    reason = (
        "no batch-record schema (not an anodeline database, or an empty one)"
        if revision is None
        else f"schema revision {revision}, this anodeline reads {head}"
    )
    hint = "a command that writes ('anodeline run', 'anodeline users add') creates or migrates it"
    raise SchemaMissingError(shown(store.url), reason, hint=hint, rule="REC002")
