"""Errors of the batch-record store; each is an :class:`AnodelineError` and a builtin.

Every repository call is one transaction: when it fails, nothing of it is kept and
one of these is raised with the store's URL (password hidden) and what to do next.
"""

from __future__ import annotations

from anodeline.errors import AnodelineError


class RecordsError(AnodelineError, RuntimeError):
    """The batch-record store could not do what was asked; the transaction was rolled back."""

    code = "RECORDS"


class StoreUnavailableError(RecordsError):
    """The database behind the store cannot be reached or opened."""

    code = "RECORDS_UNAVAILABLE"

    def __init__(self, url: str, reason: str, *, hint: str = "") -> None:
        self.url = url
        self.reason = reason
        super().__init__(
            f"cannot reach the batch-record store at {url}: {reason}",
            hint=hint
            or (
                "check that the SQLite file's folder exists and is writable"
                if url.startswith("sqlite")
                else "check that the database server is running and the URL is right, or use a local file "
                "store such as sqlite:///anodeline.sqlite"
            ),
        )


class SchemaMissingError(RecordsError):
    """The database is reachable but has no (or an old) batch-record schema."""

    code = "RECORDS_SCHEMA"

    def __init__(self, url: str, reason: str, *, hint: str = "", rule: str = "") -> None:
        self.url = url
        if rule:
            self.rule = rule
        super().__init__(
            f"the store at {url} has no usable batch-record schema: {reason}",
            hint=hint or "run Store.migrate() (Alembic upgrade head) once on this database",
        )


class RecordNotFoundError(RecordsError, LookupError):
    """A batch, item, lot or alarm id is not in the store."""

    code = "RECORDS_NOT_FOUND"

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} {key!r} in the store", hint=f"list the {kind}s first or check the id")


class RecordConflictError(RecordsError):
    """A write clashes with what is stored (duplicate id, missing parent row, concurrent writer)."""

    code = "RECORDS_CONFLICT"


class RecordInputError(RecordsError, ValueError):
    """A value given to the store or to a recorder is impossible (negative time, NaN, time going back)."""

    code = "RECORDS_INPUT"


class BatchStateError(RecordsError):
    """A batch cannot make the asked status transition (e.g. finish a batch that never started)."""

    code = "RECORDS_BATCH_STATE"

    def __init__(self, batch_id: str, current: str, wanted: str) -> None:
        self.batch_id = batch_id
        self.current = current
        self.wanted = wanted
        super().__init__(
            f"batch {batch_id!r} is {current!r} and cannot become {wanted!r}",
            hint="see anodeline.records.status.TRANSITIONS for the legal transitions",
        )


class AccessRefusedError(RecordsError):
    """Authentication or authorisation failed: unknown or disabled user, wrong password, wrong role.

    ``rule`` is the registry code (``USR001``…); the attempt is in the audit chain as ``auth.refused``.
    """

    code = "RECORDS_ACCESS"

    def __init__(self, message: str, *, rule: str, hint: str = "") -> None:
        self.rule = rule
        super().__init__(message, hint=hint)


class UserInputError(RecordInputError):
    """A user cannot be added or changed as asked (name taken, unknown role, password too short)."""

    code = "RECORDS_USER"

    def __init__(self, message: str, *, rule: str, hint: str = "") -> None:
        self.rule = rule
        super().__init__(message, hint=hint)


class RecordRefusedError(AnodelineError, ValueError):
    """The records were read and the request is refused by a rule: a release of a failed batch, a
    second signature with the same meaning, an unreleased electrode as an input lot (exit 1)."""

    code = "RECORDS_REFUSED"

    def __init__(self, message: str, *, rule: str, hint: str = "") -> None:
        self.rule = rule
        super().__init__(message, hint=hint)


_MISSING_SCHEMA_MARKERS = ("no such table", "undefinedtable", "does not exist")


def driver_error(url: str, kind: str, text: str, *, invalidated: bool = False, full: str = "") -> RecordsError:
    """The records error for a database failure of ``kind`` (the DB-API class name: ``IntegrityError``,
    ``OperationalError``, ``ProgrammingError`` or another) whose first line is ``text``, at ``url``.

    One translation for both stores: the SQLAlchemy one (its wrapped exceptions) and the sqlite3 one.
    ``full``: the whole message, when longer than ``text``.
    """
    if kind == "IntegrityError":
        return RecordConflictError(
            f"the store at {url} refused the write: {text}",
            hint="ids must be unique and refer to rows that exist (batch, item, lot)",
        )
    if kind in ("OperationalError", "ProgrammingError"):
        if any(marker in text.lower() for marker in _MISSING_SCHEMA_MARKERS) and not invalidated:
            # "database "x" does not exist" comes at connect time: the server is there, the database is not
            whole = (full or text).lower()
            if "database" in whole and "connection" in whole:
                return StoreUnavailableError(url, text)
            return SchemaMissingError(url, text)
        if kind == "OperationalError":
            return StoreUnavailableError(url, text)
    return RecordsError(f"the store at {url} failed: {text}")


def first_line(exc: BaseException) -> str:
    """The first line of a driver error's message (of the driver's own exception when wrapped)."""
    orig = getattr(exc, "orig", None)
    return (str(orig) if orig is not None else str(exc)).strip().splitlines()[0]
