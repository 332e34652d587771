"""Database URLs the run path reads without SQLAlchemy: the default location and plain SQLite files.

``sqlite:///runs/anodeline.sqlite`` (relative) and ``sqlite:////abs/path.sqlite`` name a file and
nothing else; such a URL is what :class:`anodeline.records.direct.DirectStore` opens with sqlite3.
Every other URL (a query string, a driver, percent-escapes, PostgreSQL, memory) is parsed by
SQLAlchemy (:func:`anodeline.records.connection.normalise_url`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol
from urllib.parse import quote

#: One default location for every command, ``make demo`` and the README tour (relative to the working
#: folder); ``--db`` or ``$ANODELINE_DB`` choose another.
DEFAULT_URL: Final = "sqlite:///runs/anodeline.sqlite"
_PREFIX: Final = "sqlite:///"


class StoreURL(Protocol):
    """What the records need of a URL: SQLAlchemy's ``URL`` and :class:`SqliteURL` both have it."""

    @property
    def database(self) -> str | None: ...

    def get_backend_name(self) -> str: ...

    def render_as_string(self, hide_password: bool = True) -> str: ...


@dataclass(frozen=True, slots=True)
class SqliteURL:
    """``sqlite:///FILE``, parsed without SQLAlchemy; renders as SQLAlchemy renders the same URL."""

    database: str

    def get_backend_name(self) -> str:
        return "sqlite"

    def render_as_string(self, hide_password: bool = True) -> str:
        return _PREFIX + quote(self.database, safe=" +/")  # SQLAlchemy's quoting of the database


def plain_sqlite_file(url: str | None) -> SqliteURL | None:
    """``url`` (default :data:`DEFAULT_URL`) when it names a SQLite file and nothing else, else None."""
    raw = url or DEFAULT_URL
    if not raw.startswith(_PREFIX):
        return None
    path = raw.removeprefix(_PREFIX)
    if not path or path == ":memory:" or any(c in path for c in "?%#"):
        return None
    return SqliteURL(path)


def shown(url: StoreURL) -> str:
    """The URL as it may appear in messages and logs: password hidden."""
    return url.render_as_string(hide_password=True)


def make_default_folder(url: str | None) -> None:
    """Create the folder of the default SQLite file (``runs/``) when ``url`` is the default.

    Only the default's: a folder named in a mistyped ``--db`` is not created (the store then says
    it cannot open the file).
    """
    if url is None or url == DEFAULT_URL:
        Path(DEFAULT_URL.removeprefix(_PREFIX)).parent.mkdir(parents=True, exist_ok=True)
