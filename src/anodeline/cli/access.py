"""How a command reaches the record store and who is acting: the database URL, reading without
creating, writing with migration, ``--as USER`` with its password, and the anchor log."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from anodeline.cli.output import usage_error

if TYPE_CHECKING:
    from anodeline.records import Store
    from anodeline.records.users import UserRecord

DB_HELP = (
    "Database URL: sqlite:///path.sqlite (default: $ANODELINE_DB or sqlite:///runs/anodeline.sqlite) or postgresql://…"
)
PASSWORD_ENV = "ANODELINE_PASSWORD"
DB = Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)]
JSON = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
AS_HELP = f"Act as this user (re-authenticated: password from ${PASSWORD_ENV} or the terminal)."
ANCHOR_LOG = Annotated[
    str | None,
    typer.Option(
        "--anchor-log",
        show_default=False,
        help="Anchor log file (default: $ANODELINE_ANCHOR_LOG, else beside a SQLite database).",
    ),
]


def equipment_option(flag: str, help: str, show_default: bool | str = False) -> Any:
    """An option of the "Equipment" help panel (run and resume share them, with their own help)."""
    return typer.Option(flag, show_default=show_default, rich_help_panel="Equipment", help=help)


CERTS_DEFAULT = "$ANODELINE_CERTS or ./opcua-certs"
OPCUA_USER = Annotated[
    str | None, equipment_option("--user", "OPC UA user; the password is read from $ANODELINE_OPCUA_PASSWORD.")
]


def db_url(url: str | None) -> str | None:
    """``--db``, else ``$ANODELINE_DB``, else None (the default location)."""
    return url or os.environ.get("ANODELINE_DB") or None


def read_store(url: str | None) -> Store:
    """The store for a command that only reads: it must exist, with the schema (else exit 2)."""
    from anodeline.records.readonly import open_existing

    return open_existing(db_url(url))


def write_store(url: str | None, *, create: bool = True) -> Store:
    """The store for a command that writes, migrated; ``create=False`` refuses a missing SQLite file."""
    from anodeline.records.connection import make_default_folder
    from anodeline.records.readonly import DatabaseMissingError, sqlite_path
    from anodeline.records.store import open_migrated

    resolved = db_url(url)
    if create:
        make_default_folder(resolved)
    else:
        path = sqlite_path(resolved)
        if path is not None and not path.is_file():
            raise DatabaseMissingError(str(path))
    return open_migrated(resolved)


def password_for(user: str) -> str:
    """The acting user's password: ``$ANODELINE_PASSWORD``, else asked on the terminal (not echoed)."""
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        usage_error(f"no password for {user!r}: stdin is not a terminal",
                    f"set {PASSWORD_ENV} or run the command in a terminal")  # fmt: skip
    import getpass

    return getpass.getpass(f"password for {user}: ")


def acting_user(
    store: Store, user: str, action: str, batch_id: str | None = None, anchor_log: str | None = None
) -> UserRecord:
    """``user`` re-authenticated for ``action``; a refusal is recorded (and anchored) and exits 2."""
    from anodeline.records.auth import authenticate
    from anodeline.records.errors import AccessRefusedError

    try:
        return authenticate(store, user, password_for(user), action=action, batch_id=batch_id)
    except AccessRefusedError:
        anchor_head(store, f"refused {action} by {user[:64]}", anchor_log)
        raise


def anchor_head(store: Store, note: str, anchor_log: str | None = None) -> None:
    """Append the chain's head to the anchor log (when the store has one): after every write."""
    from anodeline.records.anchors import anchor_head as append_head

    append_head(store, note, anchor_log)
