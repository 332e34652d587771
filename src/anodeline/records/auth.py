"""Authentication and authority checks for every command that changes a batch or the users.

21 CFR Part 11: each signing or batch-changing act re-authenticates (§11.200(a)(1): both
components, name and password, at each signing not done in one continuous session), only
authorised people may act (§11.10(d), (g)), and a refused attempt is recorded (§11.300(d)).
Passwords are stored as Argon2id hashes (argon2-cffi's defaults: RFC 9106's second
recommended parameter set, 64 MiB, 3 passes). A refused attempt lands in the audit chain as
``auth.refused`` with the user typed, the action and the precise reason; the person is told
only "authentication failed" for a wrong name, a wrong password or a disabled account, so the
message does not reveal which names exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from anodeline.records.errors import AccessRefusedError, UserInputError
from anodeline.records.users import ROLES, UserRecord

if TYPE_CHECKING:
    from anodeline.records.store import Store

#: Who may do what: an action → the roles allowed. ``sign:MEANING`` are the signatures.
PERMISSIONS: Final[dict[str, frozenset[str]]] = {
    "run": frozenset({"operator", "engineer"}),
    "hold": frozenset({"operator", "engineer"}),
    "stop": frozenset({"operator", "engineer"}),
    "confirm": frozenset({"operator", "engineer"}),
    "restart": frozenset({"engineer"}),
    "abort": frozenset({"engineer"}),
    "resume": frozenset({"engineer"}),
    "sign:review": frozenset({"engineer", "qa"}),
    "sign:approve": frozenset({"engineer", "qa"}),
    "sign:release": frozenset({"qa"}),
    "users": frozenset({"admin"}),
    "anchor": frozenset({"qa", "admin"}),
    "targets": frozenset({"operator", "engineer"}),  # mount a sputter target or evaporation charge
}
#: Shortest password accepted (NIST SP 800-63B §5.1.1.2: at least 8 characters).
MIN_PASSWORD_LENGTH: Final = 8
#: Longest, so that hashing cannot be made to take arbitrary time.
MAX_PASSWORD_LENGTH: Final = 256
_DUMMY_HASH: list[str] = []  # verified against for unknown users, so their refusal takes as long


def check_password_rules(password: str) -> None:
    """Refuse a password too short or too long (:data:`MIN_PASSWORD_LENGTH`) before it is hashed."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserInputError(
            f"the password has {len(password)} characters; at least {MIN_PASSWORD_LENGTH} are needed",
            rule="USR003",
            hint="choose a longer password (a passphrase of a few words is easy to type and hard to guess)",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserInputError(f"the password is longer than {MAX_PASSWORD_LENGTH} characters", rule="USR003")


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (after :func:`check_password_rules`)."""
    from argon2 import PasswordHasher

    check_password_rules(password)
    return PasswordHasher().hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """True when ``password`` is the one ``password_hash`` was made from."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(PasswordHasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def allowed_roles(action: str) -> frozenset[str]:
    roles = PERMISSIONS.get(action)
    if roles is None:  # pragma: no cover - a programming error, not an input
        raise KeyError(f"no permission entry for action {action!r}")
    return roles


def login(store: Store, name: str, password: str, *, action: str = "login", batch_id: str | None = None) -> UserRecord:
    """The enabled user ``name`` if ``password`` is theirs (no role check: :func:`check_role`).

    Otherwise the refusal is committed to the audit chain (``auth.refused``, the precise reason)
    and :class:`AccessRefusedError` ``USR001`` is raised, one message for a wrong name, a wrong
    password or a disabled account; an unknown name costs as long as a real check.
    """
    row = store.user_credentials(name)
    if row is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hash_password("not-a-password"))
        password_matches(_DUMMY_HASH[0], password)  # as slow as a real check
        reason = "no such user"
    elif not password_matches(row[1], password):
        reason = "wrong password"
    elif row[0].disabled:
        reason = "the account is disabled"
    else:
        reason = ""
    if reason:
        store.record_refusal(user=name, action=action, reason=reason, batch_id=batch_id)
        raise AccessRefusedError(
            f"authentication failed for user {name!r}",
            rule="USR001",
            hint="check the name and the password (ANODELINE_PASSWORD or the prompt); an admin lists users "
            "with 'anodeline users list'",
        )
    assert row is not None
    return row[0]


def check_role(store: Store, user: UserRecord, action: str, *, batch_id: str | None = None) -> UserRecord:
    """``user`` if their role may do ``action``; else the refusal is recorded and ``USR002`` raised."""
    roles = allowed_roles(action)
    if user.role not in roles:
        why = f"role {user.role!r} may not {action} (needs {' or '.join(sorted(roles))})"
        store.record_refusal(user=user.name, action=action, reason=why, batch_id=batch_id)
        raise AccessRefusedError(
            f"user {user.name!r} is {user.role!r}; {action} needs {' or '.join(sorted(roles))}",
            rule="USR002",
            hint="ask someone with that role, or an admin to add you with it",
        )
    return user


def authenticate(store: Store, name: str, password: str, *, action: str, batch_id: str | None = None) -> UserRecord:
    """The user ``name`` if ``password`` is theirs, they are enabled and their role may do ``action``.

    Otherwise the refusal is committed to the audit chain and :class:`AccessRefusedError` is
    raised (exit 2): ``USR001`` for a wrong name, password or a disabled account (one message for
    the three), ``USR002`` for a role that may not do ``action``. The CLI's ``--as`` and the web
    app's signing both come here; the web app's session login is :func:`login`.
    """
    allowed_roles(action)  # an unknown action is a programming error before any password is checked
    user = login(store, name, password, action=action, batch_id=batch_id)
    return check_role(store, user, action, batch_id=batch_id)


__all__ = [
    "MIN_PASSWORD_LENGTH",
    "PERMISSIONS",
    "ROLES",
    "allowed_roles",
    "authenticate",
    "check_password_rules",
    "check_role",
    "hash_password",
    "login",
    "password_matches",
]
