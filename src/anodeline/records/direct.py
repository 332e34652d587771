"""The sqlite3 store: a SQLite file already at the schema's head, written without SQLAlchemy.

``anodeline run`` spends more instructions importing SQLAlchemy (≈ 1.2 G: the library, its ORM,
the declarative models) than on the batch's records themselves. A SQLite database that exists
and is at the packaged head revision needs none of it: :func:`open_run_store` opens such a file
with sqlite3 as a :class:`DirectStore`, which runs the same statements as the SQLAlchemy store
(:class:`~anodeline.records.core.StoreCore`, :mod:`anodeline.records.bulk`) under the same
contract: the connection settings below are the SQLAlchemy engine's too (WAL, ``synchronous=NORMAL``,
foreign keys on, 30 s busy timeout), every transaction starts with ``BEGIN IMMEDIATE`` (one
writer at a time, so concurrent writers into one file keep one audit sequence), and a durable
one (a step's intent, the lease) commits with ``synchronous=FULL``. Creating or migrating a
database, PostgreSQL, an in-memory database and every other URL go to SQLAlchemy
(:func:`anodeline.records.store.open_store`).

The revision is read from ``alembic_version`` with sqlite3 and compared with :data:`HEAD_REVISION`,
the newest migration's id written here (``tests/records/test_direct.py`` fails when a migration is
added and this is not updated).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from anodeline.records.bulk import STATEMENTS, Tx
from anodeline.records.core import StoreCore
from anodeline.records.errors import RecordsError, driver_error, first_line
from anodeline.records.urls import SqliteURL, plain_sqlite_file, shown

#: The newest revision in ``anodeline/records/migrations/versions`` (Alembic's head).
HEAD_REVISION: Final = "0006"
#: sqlite3's busy timeout: a writer waits this long for another's transaction (both stores).
SQLITE_TIMEOUT_S: Final = 30


def prepare_sqlite(connection: Any, *, in_memory: bool) -> None:
    """The settings of every SQLite connection either store opens (``isolation_level=None``: each
    transaction's ``BEGIN IMMEDIATE`` is the store's own)."""
    connection.isolation_level = None
    cursor = connection.cursor()
    if not in_memory:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sqlite_revision(connection: sqlite3.Connection) -> str | None:
    """The revision in ``alembic_version`` (None: no such table, no row, or several)."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if found is None:
        return None
    rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


class DirectStore(StoreCore):
    """A SQLite file at :data:`HEAD_REVISION`, on one sqlite3 connection (shared by the lease's thread
    under the store's lock)."""

    _one_connection = True

    def __init__(self, url: SqliteURL, connection: sqlite3.Connection) -> None:
        super().__init__(url)
        self._connection = connection

    def close(self) -> None:
        self._connection.close()

    def migrate(self) -> None:
        """Nothing to do: the store was opened at the schema's head (a schema never moves back)."""

    def schema_revision(self) -> str | None:
        with self._translated(), self._lock:
            return sqlite_revision(self._connection)

    @contextmanager
    def _tx(self, durable: bool) -> Iterator[Tx]:
        raw = self._connection
        if durable:
            raw.execute("PRAGMA synchronous=FULL")  # not inside a transaction: set before, reset after
        try:
            cursor = raw.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
                yield Tx(cursor, STATEMENTS["sqlite"], sqlite3.IntegrityError)
                cursor.execute("COMMIT")
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise
            finally:
                cursor.close()
        finally:
            if durable:
                raw.execute("PRAGMA synchronous=NORMAL")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except RecordsError:
            raise
        except sqlite3.Error as exc:
            raise driver_error(shown(self.url), type(exc).__name__, first_line(exc)) from exc


def open_direct(url: str | None) -> DirectStore | None:
    """A :class:`DirectStore` on ``url`` when it is a plain SQLite file that exists and is at
    :data:`HEAD_REVISION`; None otherwise (the caller opens the SQLAlchemy store, which creates or
    migrates)."""
    parsed = plain_sqlite_file(url)
    if parsed is None or not Path(parsed.database).is_file():
        return None
    try:
        connection = sqlite3.connect(parsed.database, timeout=SQLITE_TIMEOUT_S, check_same_thread=False)
    except sqlite3.Error:
        return None  # the SQLAlchemy store says what is wrong
    try:
        prepare_sqlite(connection, in_memory=False)
        at_head = sqlite_revision(connection) == HEAD_REVISION
    except sqlite3.Error:
        at_head = False
    if not at_head:
        connection.close()
        return None
    return DirectStore(parsed, connection)


def open_run_store(url: str | None, *, direct: bool = True) -> StoreCore:
    """The store a batch writes through, at the schema's head: :class:`DirectStore` for a SQLite file
    already there (unless ``direct`` is False: the caller needs the ORM's users or prompts), else the
    SQLAlchemy store, migrated (a new file, an older schema, PostgreSQL)."""
    found = open_direct(url) if direct else None
    if found is not None:
        return found
    from anodeline.records.store import open_migrated

    return open_migrated(url)
