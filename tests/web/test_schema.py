"""Property-based tests of the API against its own /openapi.json (schemathesis): no input gives a 5xx.

Signed in as an engineer with the CSRF token, so generated requests reach the handlers, not only the
401/403 checks. The event stream (endless) and logout (ends the session) are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.web.conftest import Records, make_client, sign_in

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a dev dependency (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def signed_in(sqlite_records: Records) -> Iterator[tuple[Any, dict[str, str]]]:
    client = make_client(sqlite_records)
    csrf = sign_in(client, "erin")
    headers = {"X-CSRF-Token": csrf, "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}
    yield client.app, headers


def test_no_input_gives_a_server_error(signed_in: tuple[Any, dict[str, str]]) -> None:
    from hypothesis import given

    app, headers = signed_in
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path_regex="^/api/(live/stream|logout)$")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        examples = 4 if operation.path == "/api/login" else 10  # each login attempt hashes (Argon2id, 64 MiB)

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)  # fmt: skip
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")

        check()
    assert operations >= 14
    assert not failures, "\n".join(failures[:10])
