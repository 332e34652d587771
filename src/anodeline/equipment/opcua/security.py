"""OPC UA security: application certificates made on first use, a trust list, and users.

* Certificates — each application (the twin server, the engine's client) has a self-signed
  RSA-2048 certificate in its ``--certs DIR`` (``server-cert.der``/``server-key.pem`` or
  ``client-…``), made on first use by :func:`asyncua.crypto.cert_gen.setup_self_signed_certificate`
  with the application URI in its subject alternative name (OPC 10000-4 §6.1.3: the URI the
  application announces must match its certificate). A new certificate is also put in
  ``DIR/trusted``, so a server and a client sharing one directory (a rehearsal on one machine)
  trust each other; for a PLC, copy its certificate into ``DIR/trusted`` and yours into the PLC's.
* Trust — a peer is trusted when its certificate's SHA-256 thumbprint is one of those in
  ``DIR/trusted/*.der`` (nothing else: no CA chains, no revocation lists in this first version).
* Users — ``--users FILE`` is YAML ``{users: {NAME: {password: pbkdf2-sha256$ITER$SALT$HASH}}}``
  (:func:`hash_password`); with a users file the server refuses anonymous sessions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from anodeline.errors import AnodelineError

Role = Literal["server", "client"]
PBKDF2_ITERATIONS: Final = 200_000
PASSWORD_ENV: Final = "ANODELINE_OPCUA_PASSWORD"
CERTS_ENV: Final = "ANODELINE_CERTS"


class OpcuaSecurityError(AnodelineError, ValueError):
    """A certificate, trust list or users file that cannot be used."""

    code = "OPCUA_SECURITY"


@dataclass(frozen=True)
class Identity:
    """An application's certificate and key files, its application URI and the trusted peers' directory."""

    cert: Path
    key: Path
    uri: str
    trusted: Path

    @property
    def thumbprint(self) -> str:
        return thumbprint(self.cert.read_bytes())


def default_certs_dir() -> Path:
    return Path(os.environ.get(CERTS_ENV) or "opcua-certs")


def application_uri(role: Role, host: str | None = None) -> str:
    return f"urn:{host or socket.gethostname()}:anodeline:{role}"


def thumbprint(der: bytes) -> str:
    """SHA-256 of a DER certificate, as hex (what the batch record notes)."""
    return hashlib.sha256(der).hexdigest()


async def ensure_identity(certs: Path, role: Role) -> Identity:
    """The certificate of ``role`` in ``certs``, made (and trusted locally) if missing or not matching its URI."""
    from asyncua.crypto.cert_gen import setup_self_signed_certificate
    from cryptography.x509.oid import ExtendedKeyUsageOID

    trusted = certs / "trusted"
    try:
        trusted.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OpcuaSecurityError(
            f"cannot create the certificate directory {certs}: {exc.strerror}",
            hint="pass --certs DIR with a directory you can write",
        ) from None
    host = socket.gethostname()
    uri = application_uri(role, host)
    cert, key = certs / f"{role}-cert.der", certs / f"{role}-key.pem"
    before = cert.read_bytes() if cert.is_file() else b""
    use = ExtendedKeyUsageOID.SERVER_AUTH if role == "server" else ExtendedKeyUsageOID.CLIENT_AUTH
    try:
        await setup_self_signed_certificate(
            key,
            cert,
            uri,
            host,
            [use],
            {"countryName": "CA", "organizationName": "anodeline", "commonName": f"anodeline {role}"},
        )
    except (OSError, ValueError) as exc:
        raise OpcuaSecurityError(
            f"cannot make or read the {role} certificate in {certs}: {exc}",
            hint="delete the broken files; they are made again on first use",
        ) from None
    der = cert.read_bytes()
    if der != before:
        (trusted / f"{role}-{thumbprint(der)[:16]}.der").write_bytes(der)
    return Identity(cert, key, uri, trusted)


def trusted_thumbprints(trusted: Path) -> set[str]:
    """The thumbprints of the certificates in a trust-list directory (DER or PEM files)."""
    found: set[str] = set()
    for path in sorted(trusted.glob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"-----BEGIN CERTIFICATE-----" in data:
            body = b"".join(line for line in data.splitlines() if not line.startswith(b"-----"))
            data = base64.b64decode(body)
        found.add(thumbprint(data))
    return found


# --- users ---------------------------------------------------------------------------------------


def hash_password(password: str, *, iterations: int = PBKDF2_ITERATIONS) -> str:
    """``pbkdf2-sha256$ITER$SALT$HASH`` (NIST SP 800-132; salt and hash in base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2-sha256${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
        if scheme != "pbkdf2-sha256":
            return False
        computed = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))


def load_users(path: Path) -> dict[str, str]:
    """``name → password hash`` from a users file; refuses a file that is not one, naming the problem."""
    from anodeline.documents.files import read_document
    from anodeline.documents.source import read_yaml

    text = read_document(path, "users file", OpcuaSecurityError)
    data = read_yaml(text).data
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict) or not users:
        raise OpcuaSecurityError(
            f"{path}: a users file is 'users: {{NAME: {{password: HASH}}}}'",
            hint="make entries with 'anodeline twin passwd NAME --users FILE'",
        )
    found: dict[str, str] = {}
    for name, entry in users.items():
        stored = entry.get("password") if isinstance(entry, dict) else None
        if not isinstance(stored, str) or not stored.startswith("pbkdf2-sha256$"):
            raise OpcuaSecurityError(
                f"{path}: user {name!r} has no pbkdf2-sha256 password hash",
                hint="make it with 'anodeline twin passwd NAME --users FILE'",
            )
        found[str(name)] = stored
    return found


def add_user(path: Path, name: str, password: str) -> None:
    """Add or replace ``name`` in the users file ``path`` (made if missing)."""
    import yaml

    users: dict[str, Any] = {}
    if path.is_file():
        users = {n: {"password": h} for n, h in load_users(path).items()}
    users[name] = {"password": hash_password(password)}
    path.write_text(yaml.safe_dump({"users": users}, sort_keys=True))
    path.chmod(0o600)


class PasswordUsers:
    """An asyncua user manager: a session is opened only with a known name and its password."""

    def __init__(self, users: dict[str, str]) -> None:
        self.users = users

    def get_user(
        self, iserver: Any, username: str | None = None, password: str | None = None, certificate: Any = None
    ) -> Any:
        from asyncua.crypto.permission_rules import User, UserRole

        stored = self.users.get(username or "")
        if stored is None or password is None or not check_password(password, stored):
            return None
        return User(role=UserRole.User, name=username)
