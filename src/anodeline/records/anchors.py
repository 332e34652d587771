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
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from sqlalchemy.engine import URL

from anodeline.records.audit import AuditHead
from anodeline.records.errors import RecordsError

ANCHOR_ENV: Final = "ANODELINE_ANCHOR_LOG"
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

    @property
    def head(self) -> AuditHead:
        return AuditHead(self.sequence, self.hash)


def anchor_path(url: URL, explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """Where the anchor log of ``url`` is: ``explicit``, else ``$ANODELINE_ANCHOR_LOG``, else beside a
    SQLite file; None for an in-memory SQLite or a PostgreSQL store with no log configured."""
    chosen = explicit or os.environ.get(ANCHOR_ENV)
    if chosen:
        return Path(chosen)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database) + SUFFIX)
    return None


def append_anchor(path: Path, head: AuditHead, *, note: str) -> Anchor:
    """Append ``head`` to the log at ``path`` (one JSON line, fsynced); the folder must exist."""
    anchor = Anchor(head.sequence, head.hash, datetime.now(UTC).isoformat(timespec="seconds"), note)
    line = json.dumps({"sequence": anchor.sequence, "hash": anchor.hash, "at": anchor.at, "note": note},
                      sort_keys=True, ensure_ascii=False) + "\n"  # fmt: skip
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
                            str(data.get("note", "")), number)  # fmt: skip
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
