"""The write path of a running batch: steps, telemetry and their audit entries on the DB-API cursor.

A step is written while the equipment waits, so its transaction is kept to the statements
themselves: the SQL below is fixed text per dialect, executed on the cursor of the
SQLAlchemy connection that holds the transaction (its pool, ``BEGIN IMMEDIATE`` and commit
stay SQLAlchemy's); many rows go in one ``executemany``, and PostgreSQL telemetry by ``COPY``.
Driver errors are wrapped into SQLAlchemy's exception classes, so the store translates them
as any other (:func:`anodeline.records.connection.translated_errors`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from anodeline.records.audit import APPEND_LOCK_KEY, ENTRY_COLUMNS, ChainMovedError, EntryRow
from anodeline.records.status import ACTIVE

_STEP_COLUMNS: Final = ('batch_id', '"index"', "action", "arguments", "manual", "started_sim_s", "ended_sim_s",
                        "outcome", "readings")  # fmt: skip
_STEP_TYPES: Final = ("varchar", "integer", "varchar", "text", "boolean", "float8", "float8", "varchar", "text")
_AUDIT_COLUMNS: Final = ", ".join(ENTRY_COLUMNS)
_ACTIVE_SQL: Final = ", ".join(f"'{status}'" for status in sorted(ACTIVE))
_AUDIT_TYPES: Final = ("integer", "varchar", "varchar", "varchar", "varchar", "text", "varchar", "varchar")
TELEMETRY_COPY: Final = "COPY telemetry (batch_id, channel, sim_s, value) FROM STDIN"


class Statements:
    """The hot statements in one dialect's placeholder style (``?`` for sqlite3, ``%s`` for psycopg)."""

    def __init__(self, dialect: str) -> None:
        pg = dialect == "postgresql"
        mark = [f"%s::{t}" for t in _STEP_TYPES] if pg else ["?"] * len(_STEP_TYPES)
        p = "%s" if pg else "?"
        #: A step row, inserted only while its batch is running or held: the status check is part of the
        #: insert (no read per step, and a batch another writer has just ended gets no further steps).
        self.step = (
            f"INSERT INTO steps ({', '.join(_STEP_COLUMNS)}) SELECT {', '.join(mark)} "
            f"WHERE EXISTS (SELECT 1 FROM batches WHERE id = {p} AND status IN ({_ACTIVE_SQL}))"
            + (" RETURNING id" if pg else "")
        )
        if pg:  # the append lock is taken by the insert itself (no round trip of its own), held to the commit
            casts = ", ".join(f"%s::{t}" for t in _AUDIT_TYPES)
            self.audit = (
                f"INSERT INTO audit_entries ({_AUDIT_COLUMNS}) SELECT {casts} "
                f"FROM (SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})) AS append_lock"
            )
        else:  # BEGIN IMMEDIATE already made this transaction the only writer
            self.audit = f"INSERT INTO audit_entries ({_AUDIT_COLUMNS}) VALUES ({', '.join([p] * 8)})"
        self.telemetry = f"INSERT INTO telemetry (batch_id, channel, sim_s, value) VALUES ({p}, {p}, {p}, {p})"
        self.status = f"SELECT status FROM batches WHERE id = {p}" + (" FOR SHARE" if pg else "")
        #: The batch's commands not taken yet, oldest first (columns in ``CommandRecord`` order), polled
        #: by the running engine at every step boundary.
        self.pending_commands = (
            "SELECT id, batch_id, verb, user_name, reason, issued_at, taken_at, outcome FROM commands "
            f"WHERE batch_id = {p} AND taken_at IS NULL ORDER BY id"
        )
        self.postgresql = pg


_STATEMENTS = {name: Statements(name) for name in ("sqlite", "postgresql")}


def statements(connection: Connection) -> Statements:
    return _STATEMENTS[connection.dialect.name]


@contextmanager
def cursor(connection: Connection) -> Iterator[Any]:
    """A DB-API cursor inside ``connection``'s transaction; driver errors leave as SQLAlchemy's."""
    dbapi = connection.dialect.loaded_dbapi
    raw = connection.connection.dbapi_connection
    assert raw is not None
    handle = raw.cursor()
    try:
        yield handle
    except dbapi.Error as exc:
        raise DBAPIError.instance(None, None, exc, dbapi.Error) from exc
    finally:
        handle.close()


def inserted_step(handle: Any, sql: Statements, row: Sequence[Any]) -> bool:
    """Insert a step row (``row`` in :data:`_STEP_COLUMNS` order, then the batch id); False if refused."""
    handle.execute(sql.step, row)
    if sql.postgresql:
        return handle.fetchone() is not None
    return bool(handle.rowcount == 1)


def insert_telemetry(handle: Any, sql: Statements, rows: Sequence[tuple[str, str, float, float]]) -> None:
    """Telemetry rows (batch, channel, time, value): ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""
    if sql.postgresql:
        with handle.copy(TELEMETRY_COPY) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        handle.executemany(sql.telemetry, rows)


def insert_audit(connection: Connection, handle: Any, sql: Statements, rows: Sequence[EntryRow]) -> None:
    """Audit entries from :meth:`~anodeline.records.audit.Tip.entry`; a sequence already taken (another
    writer appended meanwhile) is :class:`~anodeline.records.audit.ChainMovedError`."""
    try:
        if len(rows) == 1:
            handle.execute(sql.audit, rows[0])
        else:
            handle.executemany(sql.audit, rows)
    except connection.dialect.loaded_dbapi.IntegrityError as exc:
        raise ChainMovedError() from exc
