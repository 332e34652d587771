"""Electronic signatures on batch records and the release they give (21 CFR 11.50, 11.70, 11.200).

A signature holds the signer's printed name, the date and time (UTC) and its meaning
(``review``, ``approve``, ``release``) — §11.50(a) — and is linked to the record it signs
(§11.70) by the SHA-256 of the batch's content at signing time (:func:`content_sha256`): the
batch row with its snapshots' hashes and electrode, steps, telemetry, alarms, items, links,
exposures, and the prompts with their answers and the ISA-88 commands with their outcomes. The
signature and its audit entry commit together, so it cannot be removed or copied onto another
record without ``audit verify`` naming it; ``record`` recomputes the content hash and says
whether the record changed since it was signed.

Release — the electrode may be used downstream — needs a ``qa`` signer (the role is checked by
:mod:`anodeline.records.auth`), a completed batch and a passing verdict; a batch is released once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from anodeline.records import audit
from anodeline.records.batches import sha256_text
from anodeline.records.canonical import canonical_json
from anodeline.records.errors import RecordRefusedError
from anodeline.records.execution import telemetry_digest
from anodeline.records.models import Alarm, Command, Exposure, Item, ItemLink, Prompt, Signature, Step, Telemetry
from anodeline.records.orm import load_batch
from anodeline.records.status import ENDED
from anodeline.records.users import UserRecord

MEANINGS: Final = ("review", "approve", "release")
#: What each meaning says, printed with the signature (§11.50(a)(3)).
MEANING_TEXT: Final = {
    "review": "reviewed: the record is complete and was read",
    "approve": "approved: the batch was made as the recipe and the line required",
    "release": "released: the electrode may be used downstream",
}


@dataclass(frozen=True, slots=True)
class SignatureRecord:
    batch_id: str
    user: str
    printed_name: str
    meaning: str
    signed_at: str
    content_sha256: str

    @classmethod
    def of(cls, row: Signature) -> SignatureRecord:
        return cls(row.batch_id, row.user_name, row.printed_name, row.meaning, row.signed_at, row.content_sha256)

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user, "printed_name": self.printed_name, "meaning": self.meaning,
            "meaning_text": MEANING_TEXT.get(self.meaning, self.meaning), "signed_at": self.signed_at,
            "content_sha256": self.content_sha256,
        }  # fmt: skip


def content_sha256(session: Session, batch_id: str) -> str:
    """SHA-256 of the batch's content as stored now (everything a signature vouches for)."""
    b = load_batch(session, batch_id)
    content: dict[str, Any] = {
        "batch": [
            b.id, b.recipe_id, b.route, b.status, b.verdict, b.seed, b.reasons, sha256_text(b.recipe_snapshot),
            sha256_text(b.line_snapshot), b.procedure_snapshot and sha256_text(b.procedure_snapshot), b.electrode,
            b.created_sim_s, b.started_sim_s, b.ended_sim_s,
        ],
        "steps": [list(r) for r in session.execute(
            select(Step.index, Step.action, Step.arguments, Step.manual, Step.started_sim_s, Step.ended_sim_s,
                   Step.outcome, Step.readings).where(Step.batch_id == batch_id).order_by(Step.index))],
        "alarms": [list(r) for r in session.execute(
            select(Alarm.id, Alarm.code, Alarm.message, Alarm.hold, Alarm.raised_sim_s, Alarm.cleared_sim_s)
            .where(Alarm.batch_id == batch_id).order_by(Alarm.id))],
        "items": [list(r) for r in session.execute(
            select(Item.id, Item.kind, Item.lot_id, Item.air_sensitive, Item.created_sim_s)
            .where(Item.batch_id == batch_id).order_by(Item.id))],
        "links": [list(r) for r in session.execute(
            select(ItemLink.parent_id, ItemLink.child_id).where(ItemLink.batch_id == batch_id)
            .order_by(ItemLink.parent_id, ItemLink.child_id))],
        "exposures": sorted(list(r) for r in session.execute(
            select(Exposure.item_id, Exposure.space, Exposure.start_s, Exposure.end_s, Exposure.max_o2_ppm,
                   Exposure.max_h2o_ppm, Exposure.o2_dose_ppm_s, Exposure.h2o_dose_ppm_s)
            .where(Exposure.batch_id == batch_id))),
    }  # fmt: skip
    prompts = [list(r) for r in session.execute(
        select(Prompt.id, Prompt.step, Prompt.item, Prompt.kind, Prompt.instructions, Prompt.opened_at,
               Prompt.deadline, Prompt.answered_at, Prompt.answer, Prompt.user_name, Prompt.reason)
        .where(Prompt.batch_id == batch_id).order_by(Prompt.id))]  # fmt: skip
    commands = [list(r) for r in session.execute(
        select(Command.id, Command.verb, Command.user_name, Command.reason, Command.issued_at, Command.taken_at,
               Command.outcome).where(Command.batch_id == batch_id).order_by(Command.id))]  # fmt: skip
    # Only when there are any: the hash of a batch without prompts or commands is the one signed before they
    # were hashed (a row added behind the store's back still changes it, and so does one deleted).
    if prompts:
        content["prompts"] = prompts
    if commands:
        content["commands"] = commands
    rows = [
        (batch_id, c, t, v)
        for c, t, v in session.execute(
            select(Telemetry.channel, Telemetry.sim_s, Telemetry.value)
            .where(Telemetry.batch_id == batch_id)
            .order_by(Telemetry.sim_s, Telemetry.channel, Telemetry.id)
        )
    ]
    content["telemetry"] = telemetry_digest(rows)
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def sign(session: Session, batch_id: str, *, user: UserRecord, meaning: str) -> SignatureRecord:
    """Sign ``batch_id`` as ``user`` (already authenticated for ``sign:MEANING``) with ``meaning``."""
    if meaning not in MEANINGS:
        raise RecordRefusedError(f"unknown signature meaning {meaning!r}", rule="SIG001",
                                 hint=f"meanings: {', '.join(MEANINGS)}")  # fmt: skip
    batch = load_batch(session, batch_id, for_update=True)
    if batch.status not in ENDED:
        raise RecordRefusedError(
            f"batch {batch_id!r} is {batch.status}: a record is signed once the batch has ended",
            rule="SIG001", hint="wait until the batch completes or is aborted",
        )  # fmt: skip
    if meaning == "release" and (batch.status, batch.verdict) != ("completed", "pass"):
        raise RecordRefusedError(
            f"batch {batch_id!r} is {batch.status} with verdict {batch.verdict}: only a completed batch "
            "with a passing verdict can be released",
            rule="SIG002", hint="a failed batch is reviewed, not released; its electrode stays quarantined",
        )  # fmt: skip
    signed = signatures(session, batch_id)
    if any(s.meaning == meaning and (s.user == user.name or meaning == "release") for s in signed):
        who = "it" if meaning == "release" else f"{user.name!r}"
        raise RecordRefusedError(f"batch {batch_id!r} already carries a {meaning} signature by {who}",
                                 rule="SIG003", hint="a signature is given once; see 'anodeline record'")  # fmt: skip
    row = Signature(
        batch_id=batch_id, user_name=user.name, printed_name=user.full_name, meaning=meaning,
        signed_at=datetime.now(UTC).isoformat(timespec="microseconds"),
        content_sha256=content_sha256(session, batch_id),
    )  # fmt: skip
    session.add(row)
    session.flush()
    payload = {
        "signature_id": row.id, "user": user.name, "printed_name": row.printed_name, "role": user.role,
        "meaning": meaning, "signed_at": row.signed_at, "content_sha256": row.content_sha256,
    }  # fmt: skip
    audit.append(session, actor=user.name, kind="batch.sign", batch_id=batch_id, payload=payload)
    return SignatureRecord.of(row)


def signatures(session: Session, batch_id: str) -> list[SignatureRecord]:
    stmt = select(Signature).where(Signature.batch_id == batch_id).order_by(Signature.id)
    return [SignatureRecord.of(r) for r in session.execute(stmt).scalars()]


def released(session: Session, batch_id: str) -> bool:
    stmt = select(Signature.id).where(Signature.batch_id == batch_id, Signature.meaning == "release")
    return session.execute(stmt.limit(1)).first() is not None


def released_batches(session: Session) -> set[str]:
    return set(session.execute(select(Signature.batch_id).where(Signature.meaning == "release")).scalars())
