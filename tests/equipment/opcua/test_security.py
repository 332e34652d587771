"""Users files and password hashes; certificate thumbprints and trust lists (no server needed)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from anodeline.equipment.opcua.security import (
    OpcuaSecurityError,
    add_user,
    check_password,
    ensure_identity,
    hash_password,
    load_users,
    trusted_thumbprints,
)


def test_a_password_checks_against_its_hash_only() -> None:
    stored = hash_password("correct horse", iterations=1000)
    assert check_password("correct horse", stored)
    assert not check_password("correct horsf", stored)
    assert not check_password("correct horse", "md5$1$x$y")
    assert hash_password("same", iterations=1000) != hash_password("same", iterations=1000)  # salted


def test_a_users_file_round_trips_and_a_bad_one_is_refused(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    add_user(users, "engineer", "correct horse")
    add_user(users, "operator", "battery staple")
    loaded = load_users(users)
    assert set(loaded) == {"engineer", "operator"} and check_password("battery staple", loaded["operator"])
    assert users.stat().st_mode & 0o077 == 0  # not readable by others
    plain = tmp_path / "plain.yaml"
    plain.write_text("users: {engineer: {password: hunter2}}\n")
    with pytest.raises(OpcuaSecurityError, match="no pbkdf2-sha256"):
        load_users(plain)


def test_a_certificate_is_made_once_trusted_locally_and_named_by_its_uri(tmp_path: Path) -> None:
    first = asyncio.run(ensure_identity(tmp_path, "client"))
    again = asyncio.run(ensure_identity(tmp_path, "client"))
    assert first.cert.read_bytes() == again.cert.read_bytes()
    assert first.uri.endswith(":anodeline:client")
    assert trusted_thumbprints(first.trusted) == {first.thumbprint}
