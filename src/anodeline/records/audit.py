"""The tamper-evident audit trail: an append-only table chained by SHA-256.

Each entry hashes its predecessor's hash plus its own canonical form::

    hash = SHA-256(prev_hash + canonical_json({sequence, recorded_at, actor, kind, batch_id, payload}))

so editing any field, deleting an entry or reordering entries breaks the chain at the
first entry touched, and :func:`verify_chain` names it. A complete rewrite of the
chain from the start cannot be detected from inside the database; print the head
(:func:`chain_head`) into the batch report and check it later with ``anchor=`` — see
docs/records.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from anodeline.records.canonical import canonical_json, parse_json
from anodeline.records.models import AuditEntry

GENESIS_HASH = "0" * 64
#: Key of the PostgreSQL transaction-level advisory lock that serialises appends ("anode").
_PG_LOCK_KEY = 0x616E6F6465


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The last entry of the chain: print it into a report to anchor the chain outside the database."""

    sequence: int
    hash: str


@dataclass(frozen=True, slots=True)
class BadEntry:
    sequence: int
    reason: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad: BadEntry | None
    head: AuditHead | None


def entry_hash(
    prev_hash: str, sequence: int, recorded_at: str, actor: str, kind: str, batch_id: str | None, payload: Any
) -> str:
    """SHA-256 hex of ``prev_hash`` + the canonical JSON of the entry's fields."""
    body = canonical_json(
        {
            "sequence": sequence,
            "recorded_at": recorded_at,
            "actor": actor,
            "kind": kind,
            "batch_id": batch_id,
            "payload": payload,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(session: Session, *, actor: str, kind: str, batch_id: str | None, payload: Mapping[str, Any]) -> AuditHead:
    """Add one entry to the chain inside the caller's transaction and return the new head."""
    if session.get_bind().dialect.name == "postgresql":
        # Two writers must not both read the same head; the lock ends with the transaction.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    head = session.execute(
        select(AuditEntry.sequence, AuditEntry.hash).order_by(AuditEntry.sequence.desc()).limit(1)
    ).first()
    sequence, prev = (head[0] + 1, head[1]) if head is not None else (1, GENESIS_HASH)
    recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
    body = dict(payload)
    digest = entry_hash(prev, sequence, recorded_at, actor, kind, batch_id, body)
    session.add(
        AuditEntry(
            sequence=sequence,
            recorded_at=recorded_at,
            actor=actor,
            kind=kind,
            batch_id=batch_id,
            payload=canonical_json(body),
            prev_hash=prev,
            hash=digest,
        )
    )
    session.flush()
    return AuditHead(sequence, digest)


def chain_head(session: Session) -> AuditHead | None:
    """The newest entry's sequence and hash, or None for an empty chain."""
    row = session.execute(
        select(AuditEntry.sequence, AuditEntry.hash).order_by(AuditEntry.sequence.desc()).limit(1)
    ).first()
    return AuditHead(row[0], row[1]) if row is not None else None


def verify_chain(session: Session, *, anchor: AuditHead | None = None, chunk: int = 5000) -> ChainReport:
    """Recompute the chain from the genesis and report the first entry that does not fit.

    ``anchor`` is a head printed earlier outside the database: the entry with its
    sequence must still exist and carry its hash (this catches truncation and rewrites).
    """
    expected_seq, prev, count = 1, GENESIS_HASH, 0
    anchor_seen = anchor is None
    columns = (
        AuditEntry.sequence, AuditEntry.recorded_at, AuditEntry.actor, AuditEntry.kind,
        AuditEntry.batch_id, AuditEntry.payload, AuditEntry.prev_hash, AuditEntry.hash,
    )  # fmt: skip
    rows = session.execute(select(*columns).order_by(AuditEntry.sequence).execution_options(yield_per=chunk))
    for seq, recorded_at, actor, kind, batch_id, payload_text, prev_hash, stored in rows:
        bad = _check_entry(expected_seq, prev, seq, recorded_at, actor, kind, batch_id, payload_text, prev_hash, stored)
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


def _check_entry(
    expected_seq: int,
    prev: str,
    seq: int,
    recorded_at: str,
    actor: str,
    kind: str,
    batch_id: str | None,
    payload_text: str,
    prev_hash: str,
    stored: str,
) -> BadEntry | None:
    if seq != expected_seq:
        if seq > expected_seq:
            return BadEntry(expected_seq, f"entry {expected_seq} is missing (next is {seq}): entries were deleted")
        return BadEntry(seq, f"sequence {seq} out of order after {expected_seq - 1}")
    if prev_hash != prev:
        return BadEntry(seq, "prev_hash does not match the previous entry's hash: entries were deleted or reordered")
    try:
        payload = parse_json(payload_text)
    except ValueError:
        return BadEntry(seq, "payload is not valid JSON: it was edited")
    if canonical_json(payload) != payload_text:
        return BadEntry(seq, "payload is not in canonical form: it was edited")
    if entry_hash(prev, seq, recorded_at, actor, kind, batch_id, payload) != stored:
        return BadEntry(seq, "hash does not match the entry's fields: a field or the hash was edited")
    return None
