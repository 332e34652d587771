"""Users and roles in the records database: who may sign in, as what, and who may no longer.

Roles (21 CFR 11.10(d), (g): limited access and authority checks):

* ``operator`` runs batches and answers prompts;
* ``engineer`` also restarts and aborts batches and reviews records;
* ``qa`` reviews, approves and releases batch records;
* ``admin`` adds and disables users (and signs nothing: user administration stays apart from the
  records it could otherwise sign).

Users are never deleted (a signature must keep naming its signer): they are disabled. Each
change is one transaction with its audit entry, whose payload holds the SHA-256 of the stored
password hash, so a hash swapped behind the store's back is found by ``audit verify``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from anodeline.records import audit
from anodeline.records.errors import RecordNotFoundError, UserInputError
from anodeline.records.models import User

ROLES: Final = ("operator", "engineer", "qa", "admin")


@dataclass(frozen=True, slots=True)
class UserRecord:
    name: str
    full_name: str
    role: str
    disabled: bool
    created_at: str

    @classmethod
    def of(cls, row: User) -> UserRecord:
        return cls(row.name, row.full_name, row.role, row.disabled, row.created_at)


def password_sha256(password_hash: str) -> str:
    """What the audit payload keeps of a password hash: its SHA-256 (never the hash itself)."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()


def add_user(session: Session, name: str, *, full_name: str, role: str, password_hash: str, actor: str) -> UserRecord:
    """Store a new user; a name is never reused, even after the user was disabled."""
    if role not in ROLES:
        raise UserInputError(f"unknown role {role!r}", rule="USR004", hint=f"roles: {', '.join(ROLES)}")
    if not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise UserInputError(
            f"user name {name!r} is not a login name", rule="USR004", hint="letters, digits, '.', '-' and '_' only"
        )
    if session.get(User, name) is not None:
        raise UserInputError(
            f"user {name!r} exists already", rule="USR004", hint="names are never reused; choose another"
        )
    row = User(
        name=name, full_name=full_name or name, role=role, password_hash=password_hash, disabled=False,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )  # fmt: skip
    session.add(row)
    session.flush()
    payload = {
        "name": name, "full_name": row.full_name, "role": role, "disabled": False,
        "created_at": row.created_at, "password_sha256": password_sha256(password_hash),
    }  # fmt: skip
    audit.append(session, actor=actor, kind="user.add", batch_id=None, payload=payload)
    return UserRecord.of(row)


def disable_user(session: Session, name: str, *, actor: str) -> UserRecord:
    """Disable a user: they can no longer sign in or sign; their past signatures stay."""
    row = load_user(session, name)
    if row.disabled:
        raise UserInputError(f"user {name!r} is disabled already", rule="USR004", hint="nothing to do")
    row.disabled = True
    session.flush()
    audit.append(session, actor=actor, kind="user.disable", batch_id=None, payload={"name": name})
    return UserRecord.of(row)


def load_user(session: Session, name: str) -> User:
    row = session.get(User, name)
    if row is None:
        raise RecordNotFoundError("user", name)
    return row


def find_user(session: Session, name: str) -> User | None:
    return session.get(User, name)


def list_users(session: Session) -> list[UserRecord]:
    return [UserRecord.of(r) for r in session.execute(select(User).order_by(User.name)).scalars()]


def count_users(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(User)).scalar_one())


def record_refusal(session: Session, *, user: str, action: str, reason: str, batch_id: str | None) -> None:
    """Put a refused sign-in or action in the audit chain (who tried, what, why it was refused)."""
    payload = {"user": user, "action": action, "reason": reason}
    audit.append(session, actor=user or "unknown", kind="auth.refused", batch_id=batch_id, payload=payload)
