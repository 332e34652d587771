"""The HTTP API against SQLite and PostgreSQL: sessions, the batch list and records, commands,
signatures, recipe uploads and the live state; every error a problem document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from anodeline.records.models import AuditEntry
from tests.conftest import PATENT
from tests.web.conftest import PASSWORD, Records, make_client, new_running_batch, sign_in

PROBLEM = "application/problem+json"


@pytest.fixture
def client(records: Records) -> Iterator[TestClient]:
    with make_client(records) as c:
        yield c


def refusals(records: Records, action: str) -> int:
    with records.store.session() as s:
        found = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.kind == "auth.refused", AuditEntry.payload.contains(f'"action":"{action}"'))
        )
    return int(found or 0)


def assert_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith(PROBLEM)  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_login_sets_an_httponly_strict_session_cookie_and_me_names_the_user(client: TestClient) -> None:
    response = client.post("/api/login", json={"user": "erin", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    me = client.get("/api/me").json()
    assert (me["user"], me["role"], me["full_name"]) == ("erin", "engineer", "Erin Engineer")
    assert len(me["csrf"]) >= 32


def test_a_wrong_password_is_401_and_recorded(client: TestClient, records: Records) -> None:
    before = refusals(records, "login")
    body = assert_problem(client.post("/api/login", json={"user": "otto", "password": "not it at all"}), 401)
    assert body["code"] == "USR001"
    assert refusals(records, "login") == before + 1
    assert_problem(client.get("/api/me"), 401)


def test_five_failed_logins_then_429_even_with_the_right_password(records: Records) -> None:
    with make_client(records) as client:
        for _ in range(5):
            assert client.post("/api/login", json={"user": "root", "password": "guess-guess"}).status_code == 401
        before = refusals(records, "login")
        response = client.post("/api/login", json={"user": "root", "password": PASSWORD})
        body = assert_problem(response, 429)
        assert int(response.headers["retry-after"]) > 0 and body["code"] == "WEB_RATE"
        assert refusals(records, "login") == before + 1


def test_batch_list_filters_by_recipe_status_verdict_lot_and_date(client: TestClient, records: Records) -> None:
    sign_in(client, "otto")

    def ids(**params: str) -> list[str]:
        response = client.get("/api/batches", params=params)
        assert response.status_code == 200, response.text
        return [b["batch"] for b in response.json()["batches"]]

    assert records.batch_id in ids()
    assert records.batch_id in ids(recipe="example-01", status="completed", verdict="pass", lot="CU-2611")
    assert records.batch_id not in ids(lot="CU-0000")
    assert records.batch_id not in ids(verdict="fail")
    assert records.batch_id not in ids(since="2999-01-01T00:00:00Z")
    assert records.batch_id in ids(until="2999-01-01T00:00:00Z")
    assert_problem(client.get("/api/batches", params={"status": "exploded"}), 422)
    assert_problem(client.get("/api/batches", params={"limit": "many"}), 422)


def test_a_record_has_the_electrode_genealogy_both_ways_and_the_audit_status(
    client: TestClient, records: Records
) -> None:
    sign_in(client, "quinn")
    data = client.get(f"/api/batches/{records.batch_id}").json()
    assert data["electrode"]["thickness_um"] > 0.5
    assert "CU-2611" in data["genealogy"]["lots"]
    assert data["downstream"]["item"] == f"{records.batch_id}/electrode"
    assert data["audit"]["ok"] is True
    assert [s["index"] for s in data["steps"]] == list(range(len(data["steps"])))
    body = assert_problem(client.get("/api/batches/B-nosuchbatch"), 404)
    assert "B-nosuchbatch" in str(body["detail"])


def test_plots_and_exports_of_a_record(sqlite_records: Records) -> None:
    records = sqlite_records  # drawing is the same on both backends (and slow: SQLite only)
    client = make_client(records)
    sign_in(client, "otto")
    names = client.get(f"/api/batches/{records.batch_id}/plots").json()
    assert "chamber-4" in names and "exposure" in names
    png = client.get(f"/api/batches/{records.batch_id}/plots/chamber-4")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert_problem(client.get(f"/api/batches/{records.batch_id}/plots/nowhere"), 404)
    assert client.get(f"/api/batches/{records.batch_id}/plots/chamber-4").content == png.content  # cached
    csv = client.get(f"/api/batches/{records.batch_id}/export.csv")
    assert csv.text.splitlines()[0] == "batch,channel,unit,sim_s,value" and len(csv.text.splitlines()) > 100
    html = client.get(f"/api/batches/{records.batch_id}/export.html")
    assert records.batch_id in html.text and "data:image/png;base64" in html.text


def test_commands_go_to_the_running_process_and_roles_are_checked(client: TestClient, records: Records) -> None:
    sign_in(client, "otto")
    running = new_running_batch(records.store, live=True)
    sent = client.post(f"/api/batches/{running}/commands/hold", json={"reason": "check the O2 analyser"})
    assert sent.status_code == 200, sent.text
    assert sent.json()["outcome"] is None and sent.json()["command"]["user"] == "otto"
    assert [c.verb for c in records.store.pending_commands(running)] == ["hold"]
    before = refusals(records, "restart")
    body = assert_problem(client.post(f"/api/batches/{running}/commands/restart", json={"reason": "ok"}), 403)
    assert body["code"] == "USR002" and refusals(records, "restart") == before + 1
    ended = assert_problem(client.post(f"/api/batches/{records.batch_id}/commands/hold", json={"reason": "x"}), 409)
    assert ended["code"] == "CMD001"


def test_a_stop_on_a_batch_no_process_runs_is_recorded_stopped(client: TestClient, records: Records) -> None:
    sign_in(client, "erin")
    orphan = new_running_batch(records.store, live=False)
    running = new_running_batch(records.store, live=True)
    shown = {b["batch"]: b["status"] for b in client.get("/api/batches").json()["batches"]}
    assert (shown[orphan], shown[running]) == ("interrupted", "running")
    response = client.post(f"/api/batches/{orphan}/commands/stop", json={"reason": "line needed"})
    assert response.status_code == 200, response.text
    assert records.store.get_batch(orphan).status == "stopped"  # ISA-88 stop: its own final status


def test_signing_re_authenticates_and_release_is_qa_only(client: TestClient, records: Records) -> None:
    url = f"/api/batches/{records.batch_id}/signatures"
    sign_in(client, "otto")
    assert_problem(client.post(url, json={"meaning": "release", "password": PASSWORD}), 403)
    client.cookies.clear()
    sign_in(client, "quinn")
    assert_problem(client.post(url, json={"meaning": "release", "password": "wrong password"}), 401)
    assert_problem(client.post(url, json={"meaning": "released", "password": PASSWORD}), 422)
    signed = client.post(url, json={"meaning": "release", "password": PASSWORD})
    assert signed.status_code == 200, signed.text
    body = signed.json()
    assert (body["printed_name"], body["meaning"], body["role"]) == ("Quinn Quality", "release", "qa")
    assert body["signed_at"].endswith("+00:00")
    assert client.get(f"/api/batches/{records.batch_id}").json()["released"] is True
    listed = {b["batch"]: b for b in client.get("/api/batches").json()["batches"]}
    assert listed[records.batch_id]["released"] is True
    assert assert_problem(client.post(url, json={"meaning": "release", "password": PASSWORD}), 409)["code"] == "SIG003"


def test_an_uploaded_recipe_is_validated_with_located_violations(client: TestClient) -> None:
    sign_in(client, "otto")
    good = (PATENT / "example-01.yaml").read_bytes()
    ok = client.post("/api/recipes/validate", files={"file": ("example-01.yaml", good, "text/yaml")})
    assert ok.status_code == 200 and ok.json()["valid"] is True
    bad = good.replace(b"thickness: 1 um", b"thickness: 12 um").replace(b"99.99 %", b"99.9 %")
    body = assert_problem(client.post("/api/recipes/validate", files={"file": ("bad.yaml", bad, "text/yaml")}), 422)
    located = {(v["code"], v["line"]) for v in body["violations"]}  # type: ignore[union-attr, index]
    assert ("THK001", 14) in located and ("ATM002", 16) in located
    assert_problem(client.post("/api/recipes/validate", files={"file": ("x.yaml", b"\xff\xfe", "text/yaml")}), 422)
    big = b"#" * (70 * 1024)
    assert_problem(client.post("/api/recipes/validate", files={"file": ("big.yaml", big, "text/yaml")}), 413)
    assert_problem(client.post("/api/recipes/validate", files={"file": ("x.yaml", b"#" * 400_000)}), 413)


def test_malformed_json_and_wrong_types_are_4xx_problems(client: TestClient) -> None:
    sign_in(client, "erin")
    url = "/api/batches/B-x/commands/hold"
    headers = {"content-type": "application/json"}
    assert_problem(client.post(url, content=b"{not json", headers=headers), 400)
    assert_problem(client.post(url, json={"reason": 42}), 422)
    assert_problem(client.post(url, json=["reason"]), 422)
    assert_problem(client.post("/api/batches/B-x/commands/explode", json={"reason": "x"}), 422)
    assert_problem(client.post(url, json={"reason": "x"}), 404)


def test_the_live_state_shows_readings_doors_pumps_items_and_the_last_step(
    client: TestClient, records: Records
) -> None:
    sign_in(client, "otto")
    state = client.get("/api/live", params={"batch": records.batch_id}).json()
    assert state["batch"] == records.batch_id and state["status"] == "completed"
    assert {"o2", "h2o", "pressure"} <= set(state["spaces"]["chamber-4"])
    assert set(state["doors"]) == {"port-4", "inlet-2", "outlet-3", "port-5"}
    assert all(d == "closed" for d in state["doors"].values())
    assert state["step"]["action"] == "unload" and state["step"]["done"] is True
    assert any(thing.startswith("storage-1") for thing in state["items"]["room"])
    trends = client.get("/api/live/trends", params={"batch": records.batch_id}).json()
    assert len(trends["spaces"]["chamber-5"]["o2"]) > 2
    assert_problem(client.get("/api/live", params={"batch": "B-nope"}), 404)


def test_prompts_are_listed_and_answered_once_by_an_operator(client: TestClient, records: Records) -> None:
    from anodeline.records import prompts as book

    batch = new_running_batch(records.store, live=True)
    records.store.write(lambda s: book.open_prompt(s, batch, step=0, kind="load", instructions="load storage-1",
                                                   item=None, timeout_s=600.0, actor="engine"))  # fmt: skip
    sign_in(client, "otto")
    waiting = client.get("/api/prompts", params={"batch": batch}).json()
    assert [(p["step"], p["instructions"]) for p in waiting] == [(0, "load storage-1")]
    url = f"/api/batches/{batch}/prompts/0"
    assert_problem(client.post(url, json={"answer": "refused"}), 422)  # a refusal needs a reason
    done = client.post(url, json={"answer": "confirmed"})
    assert done.status_code == 200, done.text
    assert (done.json()["answer"], done.json()["user"]) == ("confirmed", "otto")
    assert client.get("/api/prompts", params={"batch": batch}).json() == []
    assert assert_problem(client.post(url, json={"answer": "confirmed"}), 409)["code"] == "PRM002"
