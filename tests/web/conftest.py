"""Fixtures of the web tests: a records store with four users and Example 1 made on the twin, per backend,
and TestClients signed in as each role.

Password hashing (Argon2id, 64 MiB) and the twin run are the slow parts: both are done once per
backend and module; tests that write use batches of their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from anodeline.records import Store, open_store
from tests.conftest import BACKENDS, PATENT, PG_ADMIN, pg_url

PASSWORD = "correct horse battery"
USERS = {"root": "admin", "otto": "operator", "erin": "engineer", "quinn": "qa"}
FULL_NAMES = {"root": "Ada Admin", "otto": "Otto Operator", "erin": "Erin Engineer", "quinn": "Quinn Quality"}


@dataclass(frozen=True)
class Records:
    """A populated store: its URL, the store, and the batch Example 1 made (completed, pass)."""

    url: str
    store: Store
    batch_id: str
    anchor_log: Path


@pytest.fixture(scope="session")
def password_hash() -> str:
    from anodeline.records.auth import hash_password

    return hash_password(PASSWORD)


def populate(store: Store, password_hash: str) -> str:
    """Add the four users and make Example 1 on the twin (lot CU-2611 as its substrate)."""
    from anodeline.batch.runner import run_batch

    for name, role in USERS.items():
        store.add_user(name, full_name=FULL_NAMES[name], role=role, password_hash=password_hash, actor="root")
    report = run_batch(PATENT / "example-01.yaml", store=store, lots={"substrate": "CU-2611"}, actor="otto")
    assert report.status == "complete" and report.verdict == "pass", report.reasons
    return report.batch


def _url(backend: str, tmp: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'records.sqlite'}"
    import psycopg

    database = request.getfixturevalue("pg_database")
    schema = f"w_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{PG_ADMIN} dbname={database}", autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return pg_url(database, schema)


@pytest.fixture(scope="module", params=BACKENDS)
def records(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, password_hash: str
) -> Iterator[Records]:
    """Example 1's batch and four users, on SQLite and on PostgreSQL (skipped when absent)."""
    tmp = tmp_path_factory.mktemp("web")
    url = _url(request.param, tmp, request)
    store = open_store(url)
    store.migrate()
    batch_id = populate(store, password_hash)
    yield Records(url, store, batch_id, tmp / "anchors.log")
    store.close()


@pytest.fixture(scope="session")
def sqlite_records(tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> Iterator[Records]:
    """The same on SQLite only, shared by the modules whose subject is not the backend (security table,
    schemathesis, live stream, browser); tests that write use batches of their own, but for the one
    release the browser test signs."""
    tmp = tmp_path_factory.mktemp("web-sqlite")
    store = open_store(f"sqlite:///{tmp / 'records.sqlite'}")
    store.migrate()
    batch_id = populate(store, password_hash)
    yield Records(str(store.url), store, batch_id, tmp / "anchors.log")
    store.close()


def make_client(records: Records) -> TestClient:
    from anodeline.web.app import create_app
    from anodeline.web.settings import WebSettings

    settings = WebSettings(anchor_log=str(records.anchor_log))
    return TestClient(create_app(settings, store=records.store), base_url="http://testserver")


def sign_in(client: TestClient, user: str, password: str = PASSWORD) -> str:
    """Sign ``client`` in as ``user``; returns the session's CSRF token (also set as the default header)."""
    response = client.post("/api/login", json={"user": user, "password": password})
    assert response.status_code == 200, response.text
    csrf: str = response.json()["csrf"]
    client.headers["X-CSRF-Token"] = csrf
    return csrf


def new_running_batch(store: Store, *, live: bool) -> str:
    """A batch in ``running`` with (``live``) or without a live lease: a process runs it, or none does."""
    import json

    batch_id = f"B-web{uuid.uuid4().hex[:8]}"
    first = store.get_batch(store.list_batches()[0].batch_id)
    store.create_batch(batch_id=batch_id, recipe_id=first.recipe_id, recipe_snapshot=json.loads(first.recipe_snapshot),
                       line_snapshot=json.loads(first.line_snapshot), route=first.route, seed=1)  # fmt: skip
    store.start_batch(batch_id, sim_s=0.0)
    if live:
        store.acquire_lease(batch_id, owner="test", ttl=600.0)
    return batch_id


@contextmanager
def serving(records: Records, **overrides: object) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a thread; yields its address."""
    import threading
    import time

    import uvicorn

    from anodeline.web.app import create_app
    from anodeline.web.settings import WebSettings

    settings = WebSettings(anchor_log=str(records.anchor_log), **overrides)  # type: ignore[arg-type]
    config = uvicorn.Config(create_app(settings, store=records.store), host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off", timeout_graceful_shutdown=1)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
