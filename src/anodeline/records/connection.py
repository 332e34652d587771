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

from sqlalchemy import Engine, create_engine, event
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

from anodeline.records.errors import RecordConflictError, RecordsError, SchemaMissingError, StoreUnavailableError

#: One default location for every command, ``make demo`` and the README tour (relative to the working
#: folder); ``--db`` or ``$ANODELINE_DB`` choose another.
DEFAULT_URL: Final = "sqlite:///runs/anodeline.sqlite"
_CONNECT_TIMEOUT_S: Final = 5
_MISSING_SCHEMA_MARKERS: Final = ("no such table", "undefinedtable", "does not exist")


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


def make_default_folder(url: str | None) -> None:
    """Create the folder of the default SQLite file (``runs/``) when ``url`` is the default.

    Only the default's: a folder named in a mistyped ``--db`` is not created (the store then says
    it cannot open the file).
    """
    if url is None or url == DEFAULT_URL:
        from pathlib import Path

        Path(str(make_url(DEFAULT_URL).database)).parent.mkdir(parents=True, exist_ok=True)


def shown(url: URL) -> str:
    """The URL as it may appear in messages and logs: password hidden."""
    return url.render_as_string(hide_password=True)


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
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

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
    except IntegrityError as exc:
        raise RecordConflictError(
            f"the store at {shown(url)} refused the write: {_first_line(exc)}",
            hint="ids must be unique and refer to rows that exist (batch, item, lot)",
        ) from exc
    except (OperationalError, ProgrammingError) as exc:
        text = _first_line(exc)
        if any(marker in text.lower() for marker in _MISSING_SCHEMA_MARKERS) and not exc.connection_invalidated:
            if _is_connect_failure(exc):
                raise StoreUnavailableError(shown(url), text) from exc
            raise SchemaMissingError(shown(url), text) from exc
        if isinstance(exc, OperationalError):
            raise StoreUnavailableError(shown(url), text) from exc
        raise RecordsError(f"the store at {shown(url)} failed: {text}") from exc
    except DBAPIError as exc:
        raise RecordsError(f"the store at {shown(url)} failed: {_first_line(exc)}") from exc
    except SQLAlchemyError as exc:
        raise RecordsError(f"the store at {shown(url)} failed: {exc}") from exc


def _is_connect_failure(exc: DBAPIError) -> bool:
    # "database "x" does not exist" comes at connect time: the server is there, the database is not.
    return "database" in str(exc.orig).lower() and "connection" in str(exc.orig).lower()


def _first_line(exc: DBAPIError | SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return (str(orig) if orig is not None else str(exc)).strip().splitlines()[0]
