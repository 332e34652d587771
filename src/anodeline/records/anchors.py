"""The anchor log: the audit chain's head after each writing command, kept outside the database.

The chain alone cannot show that its newest entries were deleted (truncation), that an entry
with a correctly recomputed hash was appended, or that the whole chain was recomputed after an
edit: the algorithm is public. An anchor — ``(sequence, hash)`` of the head at a moment — kept
where the database's administrator cannot rewrite it, pins everything up to that entry (each
hash covers its predecessor's). ``anodeline`` appends one line per writing command (``run``,
``users``, ``sign``) to the anchor log, a JSON-lines file:

* SQLite: beside the database, ``<file>.anchors`` (another disk or a WORM share is better:
  set ``ANODELINE_ANCHOR_LOG`` or ``--anchor-log``);
* PostgreSQL: only where ``ANODELINE_ANCHOR_LOG`` / ``--anchor-log`` points (the server's disk
  is the administrator's).

``audit verify`` then checks that every anchored entry still exists with its hash (a missing one:
truncation; another hash: a rewrite) and that nothing follows the newest anchor (an entry no
anodeline command anchored: appended behind its back, or by a writer that keeps no log — review
it, then ``anodeline audit anchor`` records the head). Lines are appended with ``O_APPEND`` and
fsynced; concurrent writers each append whole lines.

Optionally each line is signed with an Ed25519 key kept outside the database and off the log's
disk (``ANODELINE_AUDIT_KEY``: a PEM private key, made by ``anodeline audit keygen``). A verifier
given the public key (``ANODELINE_AUDIT_PUBKEY``, or derived from the private key) refuses a line
without a valid signature (``AUD006``), so rewriting the chain *and* its anchor log needs the key.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from anodeline.records.chain import AuditHead
from anodeline.records.errors import RecordsError
from anodeline.records.urls import StoreURL

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.records.core import StoreCore

ANCHOR_ENV: Final = "ANODELINE_ANCHOR_LOG"
KEY_ENV: Final = "ANODELINE_AUDIT_KEY"
PUBKEY_ENV: Final = "ANODELINE_AUDIT_PUBKEY"
SUFFIX: Final = ".anchors"


class AnchorLogError(RecordsError):
    """The anchor log cannot be read or written."""

    code = "RECORDS_ANCHOR"

    def __init__(self, message: str, *, hint: str = "") -> None:
        self.rule = "AUD005"
        super().__init__(message, hint=hint)


@dataclass(frozen=True, slots=True)
class Anchor:
    sequence: int
    hash: str
    at: str
    note: str
    line: int = 0
    signature: str = ""

    @property
    def head(self) -> AuditHead:
        return AuditHead(self.sequence, self.hash)

    @property
    def message(self) -> bytes:
        """What the Ed25519 signature covers: the four fields as canonical JSON."""
        fields = {"at": self.at, "hash": self.hash, "note": self.note, "sequence": self.sequence}
        return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def anchor_path(url: StoreURL, explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """Where the anchor log of ``url`` is: ``explicit``, else ``$ANODELINE_ANCHOR_LOG``, else beside a
    SQLite file; None for an in-memory SQLite or a PostgreSQL store with no log configured."""
    chosen = explicit or os.environ.get(ANCHOR_ENV)
    if chosen:
        return Path(chosen)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database) + SUFFIX)
    return None


def append_anchor(path: Path, head: AuditHead, *, note: str, key: Any = None) -> Anchor:
    """Append ``head`` to the log at ``path`` (one JSON line, fsynced; signed when ``key``, an
    Ed25519 private key, is given); the folder must exist."""
    anchor = Anchor(head.sequence, head.hash, datetime.now(UTC).isoformat(timespec="seconds"), note)
    fields: dict[str, Any] = {"sequence": anchor.sequence, "hash": anchor.hash, "at": anchor.at, "note": note}
    if key is not None:
        fields["sig"] = base64.b64encode(key.sign(anchor.message)).decode("ascii")
    line = json.dumps(fields, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise AnchorLogError(
            f"cannot append to the anchor log {path}: {exc.strerror or exc}",
            hint=f"make the folder writable, or point {ANCHOR_ENV} elsewhere",
        ) from exc
    return anchor


def anchor_head(store: StoreCore, note: str, anchor_log: str | None = None) -> None:
    """Append ``store``'s chain head to its anchor log (when it has one): after every writing act,
    from the CLI or the web app."""
    path = anchor_path(store.url, anchor_log)
    head = store.audit_head()
    if path is not None and head is not None:
        append_anchor(path, head, note=note, key=signing_key())


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor of the log at ``path`` in file order (empty when there is no file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorLogError(f"cannot read the anchor log {path}: {exc}") from exc
    anchors = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            anchor = Anchor(int(data["sequence"]), str(data["hash"]), str(data.get("at", "")),
                            str(data.get("note", "")), number, str(data.get("sig", "")))  # fmt: skip
        except (ValueError, KeyError, TypeError) as exc:
            raise AnchorLogError(
                f"{path}:{number}: not an anchor line ({exc})",
                hint='each line is {"sequence": N, "hash": "…", "at": "…", "note": "…"}',
            ) from exc
        if anchor.sequence < 1 or len(anchor.hash) != 64:
            raise AnchorLogError(f"{path}:{number}: not an anchor (sequence {anchor.sequence}, hash {anchor.hash!r})")
        anchors.append(anchor)
    return anchors


def newest(anchors: Iterable[Anchor]) -> Anchor | None:
    return max(anchors, key=lambda a: a.sequence, default=None)


def signing_key(path: str | None = None) -> Any:
    """The Ed25519 private key at ``path`` or ``$ANODELINE_AUDIT_KEY`` (None when neither is set)."""
    chosen = path or os.environ.get(KEY_ENV)
    if not chosen:
        return None
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = _load(chosen, lambda data: serialization.load_pem_private_key(data, password=None))
    if not isinstance(key, Ed25519PrivateKey):
        raise AnchorLogError(f"{chosen} is not an Ed25519 private key", hint="make one with 'anodeline audit keygen'")
    return key


def verify_key() -> Any:
    """The Ed25519 public key that anchor lines must be signed with: ``$ANODELINE_AUDIT_PUBKEY``, else
    the public half of ``$ANODELINE_AUDIT_KEY``; None when neither is set (lines are not checked)."""
    chosen = os.environ.get(PUBKEY_ENV)
    if not chosen:
        private = signing_key()
        return None if private is None else private.public_key()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = _load(chosen, serialization.load_pem_public_key)
    if not isinstance(key, Ed25519PublicKey):
        raise AnchorLogError(f"{chosen} is not an Ed25519 public key", hint="use the .pub file 'audit keygen' wrote")
    return key


def signed_by(anchor: Anchor, public_key: Any) -> bool:
    """True when ``anchor`` carries a valid signature of ``public_key``."""
    from cryptography.exceptions import InvalidSignature

    try:
        public_key.verify(base64.b64decode(anchor.signature, validate=True), anchor.message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def make_key_pair(private_path: Path) -> Path:
    """Write a new Ed25519 private key (PEM, mode 0600) and its public key beside it (``.pub``)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    public_path = private_path.with_name(private_path.name + ".pub")
    try:
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(private)
        public_path.write_bytes(public)
    except OSError as exc:
        raise AnchorLogError(f"cannot write the key {private_path}: {exc.strerror or exc}",
                             hint="choose a new file in a folder you can write") from exc  # fmt: skip
    return public_path


def _load(path: str, parse: Any) -> Any:
    try:
        return parse(Path(path).read_bytes())
    except OSError as exc:
        raise AnchorLogError(f"cannot read the audit key {path}: {exc.strerror or exc}") from exc
    except (ValueError, TypeError) as exc:
        raise AnchorLogError(f"{path} is not a PEM key: {exc}") from exc
