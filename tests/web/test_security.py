"""Every state-changing route: no session → 401, no CSRF token → 403, a role that may not → 403.

The table is checked against the app's routes, so a new state-changing route without a row fails here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, Records, make_client, new_running_batch, sign_in

#: path template → (a body it takes, a role that may not use it, or None when every role may)
STATE_CHANGING: dict[str, tuple[dict[str, object] | None, str | None]] = {
    "/api/logout": (None, None),
    "/api/batches/{batch_id}/commands/hold": ({"reason": "x"}, "qa"),
    "/api/batches/{batch_id}/commands/stop": ({"reason": "x"}, "admin"),
    "/api/batches/{batch_id}/commands/restart": ({"reason": "x"}, "operator"),
    "/api/batches/{batch_id}/commands/abort": ({"reason": "x"}, "operator"),
    "/api/batches/{batch_id}/signatures": ({"meaning": "release", "password": PASSWORD}, "engineer"),
    "/api/recipes/validate": (None, None),
    "/api/batches/{batch_id}/prompts/{step}": ({"answer": "confirmed"}, "qa"),
}
#: Routes that change nothing of the records but the session itself: they need no session (login).
OPEN = {"/api/login"}
ROLE_USER = {"operator": "otto", "engineer": "erin", "qa": "quinn", "admin": "root"}


def _expanded(paths: dict[str, dict[str, object]]) -> set[str]:
    """Every path of the OpenAPI schema with a method other than GET, ``{verb}`` spelled out."""
    found = set()
    for path, methods in paths.items():
        if not set(methods) - {"get", "head"}:
            continue
        if "{verb}" in path:
            found |= {path.replace("{verb}", v) for v in ("hold", "restart", "stop", "abort")}
        else:
            found.add(path)
    return found


@pytest.fixture(scope="module")
def web(sqlite_records: Records) -> Iterator[tuple[Records, str]]:
    yield sqlite_records, new_running_batch(sqlite_records.store, live=True)


def _post(client: TestClient, path: str, batch: str, body: dict[str, object] | None, csrf: str | None) -> int:
    url = path.replace("{batch_id}", batch).replace("{step}", "0")
    headers = {"X-CSRF-Token": csrf} if csrf is not None else {}
    if url.endswith("/validate"):
        return client.post(url, files={"file": ("r.yaml", b"recipe: x\n")}, headers=headers).status_code
    return client.post(url, json=body, headers=headers).status_code


def test_the_table_lists_every_state_changing_route(sqlite_records: Records) -> None:
    paths = make_client(sqlite_records).get("/openapi.json").json()["paths"]
    assert _expanded(paths) == set(STATE_CHANGING) | OPEN


@pytest.mark.parametrize("path", sorted(STATE_CHANGING))
def test_no_session_is_401(web: tuple[Records, str], path: str) -> None:
    records, batch = web
    body, _ = STATE_CHANGING[path]
    assert _post(make_client(records), path, batch, body, csrf="anything") == 401


@pytest.mark.parametrize("path", sorted(STATE_CHANGING))
def test_no_or_a_wrong_csrf_token_is_403(web: tuple[Records, str], path: str) -> None:
    records, batch = web
    body, _ = STATE_CHANGING[path]
    client = make_client(records)
    sign_in(client, "erin")
    client.headers.pop("X-CSRF-Token")
    assert _post(client, path, batch, body, csrf=None) == 403
    assert _post(client, path, batch, body, csrf="forged-token") == 403
    assert client.get("/api/me").status_code == 200  # still signed in: only the write was refused


@pytest.mark.parametrize("path", sorted(p for p, (_, role) in STATE_CHANGING.items() if role))
def test_a_role_that_may_not_is_403(web: tuple[Records, str], path: str) -> None:
    records, batch = web
    body, role = STATE_CHANGING[path]
    assert role is not None
    client = make_client(records)
    csrf = sign_in(client, ROLE_USER[role])
    assert _post(client, path, batch, body, csrf=csrf) == 403


def test_a_login_posted_from_another_site_is_refused(sqlite_records: Records) -> None:
    client = make_client(sqlite_records)
    response = client.post("/api/login", json={"user": "otto", "password": PASSWORD},
                           headers={"Origin": "https://evil.example"})  # fmt: skip
    assert response.status_code == 403 and "set-cookie" not in response.headers


def test_pages_send_a_content_security_policy_and_no_cdn(sqlite_records: Records) -> None:
    client = make_client(sqlite_records)
    sign_in(client, "otto")
    page = client.get("/batches")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text.replace("http://testserver", "") and "https://" not in page.text
    assert client.get("/static/htmx.min.js").status_code == 200


def test_a_page_without_a_session_redirects_to_login(sqlite_records: Records) -> None:
    client = make_client(sqlite_records)
    response = client.get("/line", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=/line")


def test_over_tls_the_session_cookie_is_secure_and_hsts_is_sent(sqlite_records: Records) -> None:
    from fastapi.testclient import TestClient

    from anodeline.web.app import create_app
    from anodeline.web.settings import WebSettings

    settings = WebSettings(tls_cert="cert.pem", tls_key="key.pem", anchor_log=str(sqlite_records.anchor_log))
    client = TestClient(create_app(settings, store=sqlite_records.store), base_url="https://testserver")
    response = client.post("/api/login", json={"user": "otto", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert response.headers["strict-transport-security"].startswith("max-age=")
