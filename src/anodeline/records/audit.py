"""The tamper-evident audit trail: an append-only table chained by SHA-256.

Each entry hashes its predecessor's hash plus its own canonical form::

    hash = SHA-256(prev_hash + canonical_json({sequence, recorded_at, actor, kind, batch_id, payload}))

so editing any field, deleting an entry or reordering entries breaks the chain at the
first entry touched, and :func:`verify_chain` names it. The payload is encoded once, when
written; the hash covers that stored text verbatim (:func:`entry_text`), so verifying
neither parses nor re-encodes anything. A complete rewrite of the chain from the start
cannot be detected from inside the database; print the head (:func:`chain_head`) into
the batch report and check it later with ``anchor=`` — see docs/records.md.

Appending needs the chain's tip. The :class:`~anodeline.records.store.Store` keeps it in
memory between transactions and hands each transaction a :class:`Tip` (``session.info``);
the ``sequence`` primary key makes a second writer's append collide instead of forking the
chain: the insert fails, :class:`ChainMovedError` is raised, and the store re-reads the tip
and runs the transaction again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from anodeline.records.canonical import canonical_json
from anodeline.records.chain import (
    APPEND_LOCK_KEY,
    ENTRY_COLUMNS,
    GENESIS_HASH,
    AuditHead,
    BadEntry,
    ChainMovedError,
    ChainReport,
    EntryRow,
    Tip,
    entry_hash,
    entry_text,
)
from anodeline.records.models import AuditEntry, Base

#: ``session.info`` key of the transaction's :class:`Tip`.
TIP_KEY = "anodeline.audit_tip"
AUDIT_TABLE = Base.metadata.tables["audit_entries"]
_AUDIT_INSERT = insert(AUDIT_TABLE)
_HEAD = select(AuditEntry.sequence, AuditEntry.hash).order_by(AuditEntry.sequence.desc()).limit(1)
__all__ = [
    "APPEND_LOCK_KEY", "ENTRY_COLUMNS", "GENESIS_HASH", "AuditHead", "BadEntry", "ChainMovedError", "ChainReport",
    "EntryRow", "Tip", "append", "append_text", "chain_head", "entry_hash", "entry_text", "insert_entries",
    "read_tip", "verify_chain",
]  # fmt: skip


def read_tip(executor: Session | Connection) -> Tip:
    """The committed tip, read under the append lock (PostgreSQL advisory lock; SQLite's BEGIN IMMEDIATE)."""
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    if bind.dialect.name == "postgresql":
        executor.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
    row = executor.execute(_HEAD).first()
    return Tip(0, GENESIS_HASH) if row is None else Tip(row[0], row[1])


def insert_entries(executor: Session | Connection, rows: Sequence[EntryRow]) -> None:
    """Insert entries made by :meth:`Tip.entry` (one statement); a taken sequence is :class:`ChainMovedError`."""
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    if bind.dialect.name == "postgresql":  # appends queue on the lock: a retry after a collision then wins
        executor.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
    try:
        executor.execute(_AUDIT_INSERT, [dict(zip(ENTRY_COLUMNS, row, strict=True)) for row in rows])
    except IntegrityError as exc:
        raise ChainMovedError() from exc


def append(session: Session, *, actor: str, kind: str, batch_id: str | None, payload: Mapping[str, Any]) -> AuditHead:
    """Add one entry to the chain inside the caller's transaction and return the new head.

    The transaction's :class:`Tip` comes from ``session.info`` (the store puts it there);
    a session opened elsewhere reads the tip under the append lock on its first append.
    """
    return append_text(session, actor=actor, kind=kind, batch_id=batch_id, payload_text=canonical_json(dict(payload)))


def append_text(session: Session, *, actor: str, kind: str, batch_id: str | None, payload_text: str) -> AuditHead:
    """:func:`append` of a payload already encoded by :func:`canonical_json` (stored and hashed as is)."""
    tip = session.info.get(TIP_KEY)
    if tip is None:
        tip = session.info[TIP_KEY] = read_tip(session)
    session.flush()  # the domain rows first: their errors are theirs, not the chain's
    insert_entries(session, [tip.entry(actor, kind, batch_id, payload_text)])
    return AuditHead(tip.sequence, tip.hash)


def chain_head(session: Session) -> AuditHead | None:
    """The newest entry's sequence and hash, or None for an empty chain."""
    row = session.execute(_HEAD).first()
    return AuditHead(row[0], row[1]) if row is not None else None


def verify_chain(session: Session, *, anchor: AuditHead | None = None, chunk: int = 5000) -> ChainReport:
    """Recompute the chain from the genesis and report the first entry that does not fit.

    ``anchor`` is a head printed earlier outside the database: the entry with its
    sequence must still exist and carry its hash (this catches truncation and rewrites).
    Each entry costs one SHA-256 of its stored text; nothing is parsed or re-encoded.
    """
    expected_seq, prev, count = 1, GENESIS_HASH, 0
    anchor_seen = anchor is None
    columns = (
        AuditEntry.sequence, AuditEntry.recorded_at, AuditEntry.actor, AuditEntry.kind,
        AuditEntry.batch_id, AuditEntry.payload, AuditEntry.prev_hash, AuditEntry.hash,
    )  # fmt: skip
    sha256 = hashlib.sha256
    rows = session.connection().execute(
        select(*columns).order_by(AuditEntry.sequence).execution_options(yield_per=chunk)
    )
    for seq, recorded_at, actor, kind, batch_id, payload_text, prev_hash, stored in rows:
        bad: BadEntry | None = None
        if seq != expected_seq or prev_hash != prev:
            bad = _misplaced(expected_seq, seq)
        else:
            try:
                body = entry_text(prev, seq, recorded_at, actor, kind, batch_id, payload_text)
            except TypeError:  # a value of the wrong type (e.g. a BLOB in a SQLite text column)
                bad = BadEntry(seq, "a field is not text: it was edited")
            else:
                if sha256(body.encode("utf-8")).hexdigest() != stored:
                    bad = BadEntry(seq, "hash does not match the entry's fields: a field or the hash was edited")
        if bad is None and anchor is not None and seq == anchor.sequence:
            anchor_seen = True
            if stored != anchor.hash:
                bad = BadEntry(seq, f"hash differs from the external anchor {anchor.hash[:12]}…: chain was rewritten")
        if bad is not None:
            rows.close()
            return ChainReport(False, count, bad, None)
        expected_seq, prev, count = seq + 1, stored, count + 1
    head = AuditHead(expected_seq - 1, prev) if count else None
    if not anchor_seen and anchor is not None:
        reason = f"anchored entry {anchor.sequence} is missing: the chain was truncated after entry {count}"
        return ChainReport(False, count, BadEntry(anchor.sequence, reason), head)
    return ChainReport(True, count, None, head)


def _misplaced(expected_seq: int, seq: int) -> BadEntry:
    if seq > expected_seq:
        return BadEntry(expected_seq, f"entry {expected_seq} is missing (next is {seq}): entries were deleted")
    if seq < expected_seq:
        return BadEntry(seq, f"sequence {seq} out of order after {expected_seq - 1}")
    return BadEntry(seq, "prev_hash does not match the previous entry's hash: entries were deleted or reordered")
