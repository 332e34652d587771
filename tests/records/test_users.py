"""Users, roles and the authentication service: Argon2 hashes, one message for every failed
sign-in, a refused attempt recorded in the audit chain."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from anodeline.records import RecordNotFoundError, Store
from anodeline.records.auth import authenticate, hash_password
from anodeline.records.errors import AccessRefusedError, UserInputError

PASSWORD = "correct horse"


@pytest.fixture(scope="module")
def hashed() -> str:
    return hash_password(PASSWORD)


def _refusals(s: Store) -> list[str]:
    with s.engine.connect() as conn:
        return list(conn.execute(text("SELECT payload FROM audit_entries WHERE kind = 'auth.refused'")).scalars())


def test_a_password_is_stored_as_an_argon2id_hash(hashed: str) -> None:
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed


def test_a_short_password_is_refused() -> None:
    with pytest.raises(UserInputError, match="at least 8") as caught:
        hash_password("short")
    assert caught.value.rule == "USR003"


def test_the_right_user_and_password_authenticate(store: Store, hashed: str) -> None:
    store.add_user("ada", full_name="Ada L", role="qa", password_hash=hashed, actor="root")
    user = authenticate(store, "ada", PASSWORD, action="sign:release")
    assert (user.name, user.full_name, user.role) == ("ada", "Ada L", "qa")
    assert _refusals(store) == []


@pytest.mark.parametrize(
    ("name", "password", "reason"),
    [("ada", "wrong password", "wrong password"), ("nobody", PASSWORD, "no such user")],
)
def test_a_wrong_name_or_password_is_refused_alike_and_recorded(
    store: Store, hashed: str, name: str, password: str, reason: str
) -> None:
    store.add_user("ada", full_name="Ada L", role="qa", password_hash=hashed, actor="root")
    with pytest.raises(AccessRefusedError, match="authentication failed") as caught:
        authenticate(store, name, password, action="sign:review", batch_id=None)
    assert caught.value.rule == "USR001"
    (payload,) = _refusals(store)
    assert reason in payload and name in payload
    assert store.verify().ok


def test_a_role_that_may_not_act_is_refused_and_recorded(store: Store, hashed: str) -> None:
    store.add_user("otto", full_name="Otto", role="operator", password_hash=hashed, actor="root")
    with pytest.raises(AccessRefusedError, match="needs qa") as caught:
        authenticate(store, "otto", PASSWORD, action="sign:release")
    assert caught.value.rule == "USR002"
    assert "may not sign:release" in _refusals(store)[0]


def test_a_disabled_user_cannot_sign_in(store: Store, hashed: str) -> None:
    store.add_user("ada", full_name="Ada L", role="qa", password_hash=hashed, actor="root")
    assert store.disable_user("ada", actor="root").disabled
    with pytest.raises(AccessRefusedError, match="authentication failed"):
        authenticate(store, "ada", PASSWORD, action="sign:review")
    assert "disabled" in _refusals(store)[0]


def test_names_and_roles_are_checked(store: Store) -> None:
    store.add_user("ada", full_name="Ada", role="qa", password_hash="h", actor="root")
    with pytest.raises(UserInputError, match="exists already"):
        store.add_user("ada", full_name="Other Ada", role="operator", password_hash="h", actor="root")
    with pytest.raises(UserInputError, match="unknown role"):
        store.add_user("bob", full_name="Bob", role="superuser", password_hash="h", actor="root")
    with pytest.raises(UserInputError, match="not a login name"):
        store.add_user("bob smith", full_name="Bob", role="qa", password_hash="h", actor="root")
    with pytest.raises(RecordNotFoundError):
        store.disable_user("ghost", actor="root")
    assert [u.name for u in store.users()] == ["ada"] and store.count_users() == 1
