"""Database URLs and engines: SQLite (embedded, default) or PostgreSQL (plant), and error translation.

SQLite gets WAL (readers do not block the writer), foreign keys (off by default in
SQLite!) and ``BEGIN IMMEDIATE`` so that a transaction takes the write lock up front
and two writers queue instead of failing half-way when the audit head is read.
PostgreSQL URLs are sent to the psycopg 3 driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.pool import StaticPool

from anodeline.records.direct import SQLITE_TIMEOUT_S, prepare_sqlite
from anodeline.records.errors import RecordsError, driver_error, first_line
from anodeline.records.urls import DEFAULT_URL, make_default_folder, shown

__all__ = ["DEFAULT_URL", "driver_cursor", "make_default_folder", "make_engine", "normalise_url", "shown",
           "translated_errors"]  # fmt: skip

_CONNECT_TIMEOUT_S: Final = 5


def normalise_url(url: str | None) -> URL:
    """Parse ``url`` (default :data:`DEFAULT_URL`); ``postgresql://`` and ``postgres://`` use psycopg 3."""
    raw = url or DEFAULT_URL
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw.removeprefix("postgres://")
    try:
        parsed = make_url(raw)
    except (ArgumentError, ValueError) as exc:  # ValueError: e.g. an unclosed IPv6 bracket in the host
        raise RecordsError(
            f"{raw!r} is not a database URL", hint="use sqlite:///path/to/file.sqlite or postgresql://user@host/db"
        ) from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise RecordsError(
            f"the batch-record store supports SQLite and PostgreSQL, not {parsed.get_backend_name()!r}",
            hint="use sqlite:///anodeline.sqlite or postgresql://user@host:5432/db",
        )
    return parsed


def make_engine(url: URL, *, echo: bool = False) -> Engine:
    """An engine with the store's connection settings for ``url``'s backend."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = _CONNECT_TIMEOUT_S
    return create_engine(url, echo=echo, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(url: URL, echo: bool) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"poolclass": StaticPool} if in_memory else {}
    connect_args = {"check_same_thread": False, "timeout": SQLITE_TIMEOUT_S}
    engine = create_engine(url, echo=echo, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        prepare_sqlite(dbapi_connection, in_memory=in_memory)  # the sqlite3 store's settings, shared

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def translated_errors(url: URL) -> Iterator[None]:
    """Turn SQLAlchemy/driver errors into :class:`RecordsError` s that name the URL and the fix."""
    try:
        yield
    except RecordsError:
        raise
    except (IntegrityError, OperationalError, ProgrammingError) as exc:
        raise driver_error(shown(url), type(exc).__name__, first_line(exc), invalidated=exc.connection_invalidated,
                           full=str(exc.orig)) from exc  # fmt: skip
    except DBAPIError as exc:
        raise driver_error(shown(url), "Error", first_line(exc)) from exc
    except SQLAlchemyError as exc:
        raise RecordsError(f"the store at {shown(url)} failed: {exc}") from exc


@contextmanager
def driver_cursor(connection: Connection) -> Iterator[Any]:
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
