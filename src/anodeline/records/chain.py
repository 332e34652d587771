"""The audit chain's arithmetic: entries, their hashes and the tip a transaction appends from.

Each entry hashes its predecessor's hash plus its own canonical form::

    hash = SHA-256(prev_hash + canonical_json({sequence, recorded_at, actor, kind, batch_id, payload}))

The payload is encoded once, when written; the hash covers that stored text verbatim
(:func:`entry_text`). No database here: :mod:`anodeline.records.audit` appends and verifies
through the ORM, :mod:`anodeline.records.bulk` on the driver's cursor.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring

from anodeline.records.errors import RecordConflictError

GENESIS_HASH = "0" * 64
#: Key of the PostgreSQL transaction-level advisory lock that serialises appends ("anode").
APPEND_LOCK_KEY = 0x616E6F6465
#: The columns of an entry row as :meth:`Tip.entry` makes it.
ENTRY_COLUMNS = ("sequence", "recorded_at", "actor", "kind", "batch_id", "payload", "prev_hash", "hash")
EntryRow = tuple[int, str, str, str, str | None, str, str, str]


class ChainMovedError(RecordConflictError):
    """Another writer appended to the chain since this store last saw its tip (the store retries)."""

    def __init__(self) -> None:
        super().__init__(
            "another writer appended to the audit chain during this transaction",
            hint="retry the write; the store does so itself a few times",
        )


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


def entry_text(
    prev_hash: str, sequence: int, recorded_at: str, actor: str, kind: str, batch_id: str | None, payload_text: str
) -> str:
    """What an entry's hash covers: ``prev_hash`` + the canonical JSON of its fields, payload *as stored*.

    Keys in sorted order, no spaces, strings JSON-escaped, ``payload_text`` inserted verbatim:
    for a payload written by :func:`~anodeline.records.canonical.canonical_json` this is byte for byte
    ``canonical_json({sequence, recorded_at, actor, kind, batch_id, payload})``, the form every
    version has hashed, so older databases verify unchanged. JSON strings are self-delimiting,
    so no edit can move bytes from one field into another without changing this text.
    """
    return (
        prev_hash + '{"actor":' + encode_basestring(actor)
        + ',"batch_id":' + ("null" if batch_id is None else encode_basestring(batch_id))
        + ',"kind":' + encode_basestring(kind) + ',"payload":' + payload_text
        + ',"recorded_at":' + encode_basestring(recorded_at) + ',"sequence":' + str(int(sequence)) + "}"
    )  # fmt: skip


def entry_hash(
    prev_hash: str, sequence: int, recorded_at: str, actor: str, kind: str, batch_id: str | None, payload_text: str
) -> str:
    """SHA-256 hex of :func:`entry_text`."""
    body = entry_text(prev_hash, sequence, recorded_at, actor, kind, batch_id, payload_text)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Tip:
    """The chain's tip as one transaction sees it; each entry the transaction appends advances it."""

    sequence: int
    hash: str

    @classmethod
    def of(cls, head: AuditHead | None) -> Tip:
        return cls(0, GENESIS_HASH) if head is None else cls(head.sequence, head.hash)

    @property
    def head(self) -> AuditHead | None:
        return AuditHead(self.sequence, self.hash) if self.sequence else None

    def entry(self, actor: str, kind: str, batch_id: str | None, payload_text: str) -> EntryRow:
        """The next entry's row (in :data:`ENTRY_COLUMNS` order; one hash, no JSON encoding); the tip moves onto it."""
        sequence, prev = self.sequence + 1, self.hash
        recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
        digest = entry_hash(prev, sequence, recorded_at, actor, kind, batch_id, payload_text)
        self.sequence, self.hash = sequence, digest
        return (sequence, recorded_at, actor, kind, batch_id, payload_text, prev, digest)
