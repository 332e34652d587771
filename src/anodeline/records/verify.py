"""``audit verify`` as one service: the chain, the tables against it, and the external anchors.

Three independent checks, each naming what it found (registry codes in parentheses):

1. the SHA-256 chain from the genesis (``AUD001``), through an anchor given by hand (``AUD003``);
2. every domain row against the audit payloads (``AUD002``, :mod:`anodeline.records.crosscheck`);
3. the anchor log kept outside the database (:mod:`anodeline.records.anchors`), each line signed
   by the audit key when one is configured (``AUD006``): every anchored
   entry still there with its hash (``AUD003``: truncated or rewritten), and nothing after the
   newest anchor (``AUD004``: appended behind anodeline's back, e.g. a forged entry whose hash
   was recomputed).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from anodeline.records.anchors import Anchor, newest, signed_by
from anodeline.records.audit import AuditHead, ChainReport, verify_chain
from anodeline.records.crosscheck import cross_check
from anodeline.records.errors import RecordInputError
from anodeline.records.models import AuditEntry

_ANCHOR = re.compile(r"(?:(\d+):)?([0-9a-f]{64})")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing ``audit verify`` found: its registry code, where, and what."""

    code: str
    where: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "where": self.where, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.code} {self.where}: {self.reason}"


@dataclass(frozen=True)
class AuditReport:
    entries: int
    head: AuditHead | None
    chain: ChainReport
    problems: tuple[Problem, ...]
    rows_checked: bool
    anchors_checked: int
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        bad = self.chain.first_bad
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": None if self.head is None else {"sequence": self.head.sequence, "hash": self.head.hash},
            "first_bad": None if bad is None else {"sequence": bad.sequence, "reason": bad.reason},
            "rows_checked": self.rows_checked,
            "anchors_checked": self.anchors_checked,
            "problems": [p.to_dict() for p in self.problems],
        }


def parse_anchor(text: str) -> tuple[int | None, str]:
    """``HASH`` or ``SEQUENCE:HASH`` (64 hex digits) → (sequence or None, hash)."""
    found = _ANCHOR.fullmatch(text.strip().lower())
    if found is None:
        raise RecordInputError(
            f"--anchor {text!r} is not an audit head",
            hint="give the 64-hex-digit hash 'run' printed as 'audit head', optionally as SEQUENCE:HASH",
        )
    return (int(found[1]) if found[1] else None), found[2]


def verify_records(
    session: Session, *, anchor: str | None = None, anchors: Sequence[Anchor] = (), rows: bool = True,
    anchor_log: str = "", public_key: Any = None,
) -> AuditReport:  # fmt: skip
    """Run the three checks; ``anchor`` is a head given by hand, ``anchors`` those of the anchor log."""
    problems: list[Problem] = []
    seconds: dict[str, float] = {}
    given: AuditHead | None = None
    if anchor is not None:
        sequence, digest = parse_anchor(anchor)
        if sequence is None:
            sequence = session.execute(select(AuditEntry.sequence).where(AuditEntry.hash == digest)).scalar()
        if sequence is None:
            problems.append(Problem("AUD003", f"anchor {digest[:12]}…", "no entry has this hash: the chain was "
                                    "truncated before it or rewritten"))  # fmt: skip
        else:
            given = AuditHead(sequence, digest)
    started = time.perf_counter()
    chain = verify_chain(session, anchor=given)
    seconds["chain"] = time.perf_counter() - started
    if chain.first_bad is not None:
        code = "AUD003" if "anchor" in chain.first_bad.reason else "AUD001"
        problems.append(Problem(code, f"entry {chain.first_bad.sequence}", chain.first_bad.reason))
    if public_key is not None:
        for a in anchors:
            if not signed_by(a, public_key):
                problems.append(Problem("AUD006", where_of(a, anchor_log), "the line is not signed by the audit key: "
                                        "the anchor log was edited or written without the key"))  # fmt: skip
    if chain.ok and anchors:
        problems += _check_anchors(session, chain, anchors, anchor_log)
    if chain.ok and rows:
        started = time.perf_counter()
        problems += [Problem("AUD002", f"{p.table} {p.key}", p.reason) for p in cross_check(session)]
        seconds["rows"] = time.perf_counter() - started
    return AuditReport(chain.entries, chain.head, chain, tuple(problems), rows and chain.ok, len(anchors), seconds)


def _check_anchors(session: Session, chain: ChainReport, anchors: Sequence[Anchor], log: str) -> list[Problem]:
    wanted = {a.sequence for a in anchors}
    query = select(AuditEntry.sequence, AuditEntry.hash).where(AuditEntry.sequence.in_(wanted))
    stored = {sequence: digest for sequence, digest in session.execute(query)}
    problems = []
    for a in anchors:
        where = f"{log}:{a.line}" if log else f"anchor {a.sequence}"
        if a.sequence not in stored:
            count = chain.entries
            problems.append(Problem("AUD003", where, f"anchored entry {a.sequence} ({a.note or 'no note'}, {a.at}) is "
                                    f"missing: the chain was truncated after entry {count}"))  # fmt: skip
        elif stored[a.sequence] != a.hash:
            problems.append(Problem("AUD003", where, f"entry {a.sequence} has hash {stored[a.sequence][:12]}…, the "
                                    f"anchor {a.hash[:12]}…: the chain was rewritten"))  # fmt: skip
    last = newest(anchors)
    if last is not None and chain.head is not None and chain.head.sequence > last.sequence and not problems:
        problems.append(Problem(
            "AUD004", f"entries {last.sequence + 1}–{chain.head.sequence}",
            f"written after the newest anchor ({where_of(last, log)}): not written by an anodeline command that "
            "keeps this anchor log — appended behind its back (a forged entry with a recomputed hash), or by "
            "another writer; review them, then 'anodeline audit anchor' records the head",
        ))  # fmt: skip
    return problems


def where_of(anchor: Anchor, log: str) -> str:
    return f"{log}:{anchor.line}" if log else f"anchor {anchor.sequence}"
