"""The batch-record store: one object the engine writes through and reports read from.

Every method is one transaction: it commits with its audit entry, or rolls back and
raises a :class:`~anodeline.records.errors.RecordsError` naming the store and the fix.
Callers get frozen value objects, never ORM rows, so nothing lazy-loads after the
session is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from anodeline.records import audit, migrate, signatures, users, verify
from anodeline.records.anchors import Anchor
from anodeline.records.bulk import STATEMENTS, Tx
from anodeline.records.chain import AuditHead, ChainReport, Tip
from anodeline.records.connection import driver_cursor, make_engine, normalise_url, translated_errors
from anodeline.records.core import ACTOR, StoreCore
from anodeline.records.lengths import check_lengths
from anodeline.records.signatures import SignatureRecord
from anodeline.records.users import UserRecord
from anodeline.records.verify import AuditReport

T = TypeVar("T")
__all__ = ["ACTOR", "Store", "open_store"]


def open_store(url: str | None = None, *, echo: bool = False) -> Store:
    """Open the store at ``url`` (default ``sqlite:///anodeline.sqlite``); no connection is made yet.

    ``postgresql://user@host:5432/db`` uses psycopg 3. Call :meth:`Store.migrate` once
    on a new database.
    """
    parsed = normalise_url(url)
    with translated_errors(parsed):
        return Store(parsed, make_engine(parsed, echo=echo))


def open_migrated(url: str | None = None) -> Store:
    """:func:`open_store`, migrated to the schema's head (created when new); closed again if that fails."""
    store = open_store(url)
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store


class Store(StoreCore):
    """Repository of batch records on one database (SQLite file or PostgreSQL), through SQLAlchemy.

    The run path's methods are :class:`~anodeline.records.core.StoreCore`'s, run on the DB-API
    cursor of a SQLAlchemy connection; users, signatures, prompts and verification use the ORM.
    """

    url: URL

    def __init__(self, url: URL, engine: Engine) -> None:
        super().__init__(url)
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    # ---- schema -------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Alembic ``upgrade head``: a fresh database gets the whole schema, an old one the missing steps."""
        with translated_errors(self.url):
            migrate.upgrade_head(self.engine)

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None before :meth:`migrate`)."""
        with translated_errors(self.url):
            return migrate.current_revision(self.engine)

    # ---- users and signatures -----------------------------------------------------------------

    def add_user(self, name: str, *, full_name: str, role: str, password_hash: str, actor: str) -> UserRecord:
        """Store a user (the hash comes from :func:`anodeline.records.auth.hash_password`)."""
        check_lengths("users", name=name, full_name=full_name, role=role, password_hash=password_hash)
        return self._write(
            lambda s: users.add_user(s, name, full_name=full_name, role=role, password_hash=password_hash, actor=actor)
        )

    def disable_user(self, name: str, *, actor: str) -> UserRecord:
        return self._write(lambda s: users.disable_user(s, name, actor=actor))

    def users(self) -> list[UserRecord]:
        return self._read(users.list_users)

    def count_users(self) -> int:
        return self._read(users.count_users)

    def user_credentials(self, name: str) -> tuple[UserRecord, str] | None:
        """The user and their stored password hash, or None (for :mod:`anodeline.records.auth` only)."""

        def read(s: Session) -> tuple[UserRecord, str] | None:
            row = users.find_user(s, name)
            return None if row is None else (UserRecord.of(row), row.password_hash)

        return self._read(read)

    def record_refusal(self, *, user: str, action: str, reason: str, batch_id: str | None = None) -> None:
        """Put a refused sign-in or action into the audit chain."""
        shown_user = user[:64]
        self._write(lambda s: users.record_refusal(s, user=shown_user, action=action, reason=reason, batch_id=batch_id))

    def record_anchor(self, *, user: str, note: str) -> None:
        """An ``audit.anchor`` entry: ``user`` reviewed the chain up to here and anchors its head."""
        self._write(lambda s: audit.append(s, actor=user, kind="audit.anchor", batch_id=None, payload={"note": note}))

    def released_batches(self) -> set[str]:
        """Ids of the batches that carry a release signature."""
        return self._read(signatures.released_batches)

    def sign(self, batch_id: str, *, user: UserRecord, meaning: str) -> SignatureRecord:
        """Sign a batch record (``user`` authenticated by :func:`anodeline.records.auth.authenticate`)."""
        return self._write(lambda s: signatures.sign(s, batch_id, user=user, meaning=meaning))

    def signatures(self, batch_id: str) -> list[SignatureRecord]:
        return self._read(lambda s: signatures.signatures(s, batch_id))

    def released(self, batch_id: str) -> bool:
        return self._read(lambda s: signatures.released(s, batch_id))

    def content_sha256(self, batch_id: str) -> str:
        """SHA-256 of the batch's content now (compare with a signature's ``content_sha256``)."""
        return self._read(lambda s: signatures.content_sha256(s, batch_id))

    # ---- audit --------------------------------------------------------------------------------

    def verify_chain(self, *, anchor: AuditHead | None = None) -> ChainReport:
        """Recompute the audit chain; ``anchor`` is a head printed earlier (e.g. in a batch report)."""
        return self._read(lambda s: audit.verify_chain(s, anchor=anchor))

    def verify(
        self,
        *,
        anchor: str | None = None,
        anchors: Sequence[Anchor] = (),
        rows: bool = True,
        anchor_log: str = "",
        public_key: Any = None,
    ) -> AuditReport:
        """The chain, every domain row against it, and the anchors (see :mod:`anodeline.records.verify`);
        ``public_key`` (Ed25519) makes every anchor line need its signature."""
        return self._read(
            lambda s: verify.verify_records(
                s, anchor=anchor, anchors=anchors, rows=rows, anchor_log=anchor_log, public_key=public_key
            )
        )

    # ---- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction (commit on success, rollback on error) with errors translated.

        A write made here through :func:`anodeline.records.audit.append` reads the chain's tip
        under the append lock itself; the store's own methods use the tip kept in memory.
        """
        with translated_errors(self.url), self._sessions.begin() as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in one transaction that may append to the audit chain (retried when another
        writer moved the chain): the way in for records modules without methods here (:mod:`.prompts`)."""
        return self._write(work)

    def read(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in one read transaction."""
        return self._read(work)

    def _read(self, work: Callable[[Session], T]) -> T:
        with self.session() as session:
            return work(session)

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one ORM transaction that may append to the audit chain (see :meth:`_attempts`)."""

        def attempt(fresh: Tip | None) -> tuple[T, Tip]:
            with self._sessions() as session, session.begin():
                tip = fresh or audit.read_tip(session)
                session.info[audit.TIP_KEY] = tip
                return work(session), tip

        return self._attempts(attempt)

    @contextmanager
    def _tx(self, durable: bool) -> Iterator[Tx]:
        with self._transaction(durable) as connection, driver_cursor(connection) as handle:
            yield Tx(handle, STATEMENTS[connection.dialect.name], connection.dialect.loaded_dbapi.IntegrityError)

    def _translated(self) -> Any:
        return translated_errors(self.url)

    @contextmanager
    def _transaction(self, durable: bool) -> Iterator[Connection]:
        """A Core transaction; ``durable``: committed with SQLite ``synchronous=FULL`` / PostgreSQL
        ``synchronous_commit=on`` (SQLite cannot change it inside a transaction: set before, reset after)."""
        with self.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            raw = connection.connection.driver_connection if durable and sqlite else None
            if raw is not None:
                raw.execute("PRAGMA synchronous=FULL")
            try:
                with connection.begin():
                    if durable and not sqlite:
                        connection.exec_driver_sql("SET LOCAL synchronous_commit = on")
                    yield connection
            finally:
                if raw is not None:
                    raw.execute("PRAGMA synchronous=NORMAL")
