"""The web HMI: batch-list latency with 10,000 batches, live-stream latency, first paint of the line view.

* batch list p95: ``GET /api/batches`` (first page of 100, newest first; and filtered by lot) through
  the app (TestClient, signed in) over 10,000 batches in PostgreSQL (SQLite when no server), against
  the same page selected by raw SQL on the DB-API. Issue 13's goal: p95 ≤ 100 ms.
* SSE latency p95: a reading committed to the records → its ``state`` event read by an HTTP client
  on loopback (the app under uvicorn, 50 ms poll). Goal ≤ 200 ms.
* first paint: ``first-contentful-paint`` of ``/line`` in Debian's chromium (Playwright), median of 5,
  against the login page's.

The 10,000 batches are inserted in bulk (rows copied from one real Example 1 batch, every tenth
with a lot of its own and every twentieth released); the list reads none of their audit entries.

Run: ``.venv/bin/python benchmarks/bench_web.py [--quick]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harness import EX1, PG_ADMIN, Result, report

from anodeline.records import Store, open_store

PASSWORD = "bench-password-1"
PG_DB = "anodeline_bench_web"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


@contextlib.contextmanager
def database(tmp: Path) -> Iterator[str]:
    """A fresh PostgreSQL database (or a SQLite file when no server answers)."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=1, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {PG_DB}")
    except Exception:  # no server: SQLite
        yield f"sqlite:///{tmp / 'web.sqlite'}"
        return
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def populate(store: Store, batches: int) -> str:
    """Users, one real Example 1 batch, then ``batches`` rows like it inserted in bulk; returns a lot id."""
    from sqlalchemy import insert, select

    from anodeline.batch.runner import run_batch
    from anodeline.records.auth import hash_password
    from anodeline.records.models import Batch, Item, Lot, Signature

    store.add_user("erin", full_name="Erin Engineer", role="engineer", password_hash=hash_password(PASSWORD),
                   actor="bench")  # fmt: skip
    real = run_batch(EX1, store=store).batch
    with store.session() as s:
        row = s.execute(select(Batch).where(Batch.id == real)).scalar_one()
        template = {c.name: getattr(row, c.name) for c in Batch.__table__.columns}
    start = datetime.now(UTC) - timedelta(days=365)
    rows, lots, items, signatures = [], [], [], []
    for i in range(batches):
        batch_id = f"B-bench{i:07d}"
        created = start + timedelta(minutes=50 * i)
        rows.append({**template, "id": batch_id, "created_at": created, "started_at": created,
                     "ended_at": created + timedelta(hours=5), "verdict": "pass" if i % 7 else "fail"})  # fmt: skip
        if i % 10 == 0:
            lots.append({"id": f"LOT-{i:07d}", "material": "Cu", "supplier": "bench", "note": ""})
            items.append({"id": f"{batch_id}/base", "kind": "base", "lot_id": f"LOT-{i:07d}", "batch_id": batch_id,
                          "air_sensitive": True, "created_sim_s": 0.0})  # fmt: skip
        if i % 20 == 0:
            signatures.append({"batch_id": batch_id, "user_name": "erin", "printed_name": "Erin Engineer",
                               "meaning": "release", "signed_at": created.isoformat(),
                               "content_sha256": "0" * 64})  # fmt: skip
    with store.engine.begin() as c:
        for table, data in ((Batch, rows), (Lot, lots), (Item, items), (Signature, signatures)):
            for chunk in range(0, len(data), 1000):
                c.execute(insert(table.__table__), data[chunk : chunk + 1000])
    return f"LOT-{(batches // 2) // 10 * 10:07d}"


def timed(n: int, call: Callable[[], Any]) -> list[float]:
    call()  # warm
    times = []
    for _ in range(n):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000.0)
    return times


def measure_list(store: Store, url: str, lot: str, n: int) -> list[Result]:
    from fastapi.testclient import TestClient
    from sqlalchemy import text

    from anodeline.web.app import create_app
    from anodeline.web.settings import WebSettings

    client = TestClient(create_app(WebSettings(), store=store))
    client.headers["X-CSRF-Token"] = client.post("/api/login", json={"user": "erin", "password": PASSWORD}).json()[
        "csrf"
    ]
    first = client.get("/api/batches").json()
    assert first["total"] >= 10_000 and len(first["batches"]) == 100, first.get("total")
    assert client.get("/api/batches", params={"lot": lot}).json()["total"] == 1
    page = timed(n, lambda: client.get("/api/batches").raise_for_status())
    by_lot = timed(n, lambda: client.get("/api/batches", params={"lot": lot}).raise_for_status())
    sql = text("SELECT id, recipe_id, route, status, verdict, created_at, ended_at, ended_sim_s FROM batches "
               "ORDER BY created_at DESC, id DESC LIMIT 100")  # fmt: skip
    with store.engine.connect() as c:
        raw = timed(n, lambda: c.execute(sql).all())
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    return [
        Result(f"batch list p95, 10k batches ({backend})", "ms", p95(page), p95(raw), "raw SELECT of the page",
               higher_is_better=False, goal_value=100.0),
        Result(f"batch list by lot p95 ({backend})", "ms", p95(by_lot), p95(raw), "raw SELECT of the page",
               higher_is_better=False, goal_value=100.0),
    ]  # fmt: skip


def start_server(store: Store) -> tuple[Any, threading.Thread, str]:
    """The app under uvicorn on a free loopback port, in a thread."""
    import uvicorn

    from anodeline.web.app import create_app
    from anodeline.web.settings import WebSettings

    config = uvicorn.Config(create_app(WebSettings(), store=store), host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off", timeout_graceful_shutdown=1)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def measure_sse(store: Store, n: int) -> Result:
    import httpx

    from anodeline.records.telemetry import TelemetrySample

    batch_id = f"B-live{uuid.uuid4().hex[:6]}"
    first = store.get_batch(store.list_batches()[0].batch_id)
    store.create_batch(batch_id=batch_id, recipe_id=first.recipe_id, recipe_snapshot=json.loads(first.recipe_snapshot),
                       line_snapshot=json.loads(first.line_snapshot), route=first.route)  # fmt: skip
    store.start_batch(batch_id, sim_s=0.0)
    server, thread, address = start_server(store)
    latencies: list[float] = []
    written: dict[float, float] = {}
    try:
        with httpx.Client(base_url=address, timeout=10) as client:
            client.post("/api/login", json={"user": "erin", "password": PASSWORD}).raise_for_status()
            with client.stream("GET", "/api/live/stream", params={"batch": batch_id}) as response:
                lines = response.iter_lines()

                def writer() -> None:
                    for i in range(n):
                        time.sleep(0.25)
                        value = 1.0 + i
                        store.record_telemetry(batch_id, [TelemetrySample("o2-4", float(i + 1), value)])
                        written[value] = time.perf_counter()

                threading.Thread(target=writer, daemon=True).start()
                seen = 0
                for line in lines:
                    if not line.startswith("data:"):
                        continue
                    o2 = json.loads(line[5:]).get("spaces", {}).get("chamber-4", {}).get("o2")
                    if o2 in written:
                        latencies.append((time.perf_counter() - written.pop(o2)) * 1000.0)
                        seen += 1
                        if seen >= n:
                            break
    finally:
        server.should_exit = True
        thread.join(5)
    return Result("SSE latency p95 (reading → event)", "ms", p95(latencies), None, "", higher_is_better=False,
                  goal_value=200.0,
                  note=f"median {statistics.median(latencies):.0f} ms, {len(latencies)} events")  # fmt: skip


def measure_paint(store: Store, repeat: int) -> Result | None:

    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    server, thread, address = start_server(store)
    fcp = "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
    line, login = [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium)
            for _ in range(repeat):
                context = browser.new_context(base_url=address)
                page = context.new_page()
                page.goto("/login")
                page.wait_for_function(f"({fcp})() >= 0")
                login.append(page.evaluate(fcp))
                page.fill("#login-user", "erin")
                page.fill("#login-password", PASSWORD)
                page.click("#login-submit")
                page.wait_for_url(f"{address}/line")
                page.goto("/line")
                page.wait_for_function(f"({fcp})() >= 0")
                line.append(page.evaluate(fcp))
                context.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(5)
    return Result("first paint of the line view", "ms", statistics.median(line), statistics.median(login),
                  "the login page", higher_is_better=False)  # fmt: skip


def measure(quick: bool = False) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp, database(Path(tmp)) as url:
        store = open_store(url)
        try:
            store.migrate()
            lot = populate(store, 10_000)
            results = measure_list(store, url, lot, 50 if quick else 200)
            results.append(measure_sse(store, 15 if quick else 40))
            paint = measure_paint(store, 3 if quick else 5)
            if paint is not None:
                results.append(paint)
        finally:
            store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    report(measure(parser.parse_args().quick))


if __name__ == "__main__":
    main()
