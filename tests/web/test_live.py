"""The live stream: a state event when the stream opens, and another soon after a write to the records."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx

from tests.web.conftest import PASSWORD, Records, new_running_batch, serving


def _events(response: httpx.Response) -> Any:
    """Parsed ``state`` events of an SSE response, as they arrive."""
    event, data = "", ""
    for line in response.iter_lines():
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            data += line.split(":", 1)[1].strip()
        elif not line and data:
            if event == "state":
                yield json.loads(data)
            event, data = "", ""


def test_a_reading_written_to_the_records_reaches_the_stream_within_a_second(sqlite_records: Records) -> None:
    from anodeline.records.telemetry import TelemetrySample

    batch = new_running_batch(sqlite_records.store, live=True)
    with serving(sqlite_records) as address, httpx.Client(base_url=address, timeout=10) as client:
        assert client.post("/api/login", json={"user": "otto", "password": PASSWORD}).status_code == 200
        with client.stream("GET", "/api/live/stream", params={"batch": batch}) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            events = _events(response)
            first = next(events)
            assert first["batch"] == batch and first["status"] == "running"
            assert "o2" not in first["spaces"]["chamber-4"]
            written: list[float] = []

            def write() -> None:
                time.sleep(0.2)
                written.append(time.perf_counter())
                sqlite_records.store.record_telemetry(batch, [TelemetrySample("o2-4", 12.0, 3.5)])

            threading.Thread(target=write).start()
            update = next(e for e in events if "o2" in e["spaces"]["chamber-4"])
            latency = time.perf_counter() - written[0]
    assert update["spaces"]["chamber-4"]["o2"] == 3.5
    assert latency < 1.0


def test_an_unknown_batch_is_a_404_before_the_stream_starts(sqlite_records: Records) -> None:
    with serving(sqlite_records) as address, httpx.Client(base_url=address, timeout=10) as client:
        client.post("/api/login", json={"user": "otto", "password": PASSWORD})
        response = client.get("/api/live/stream", params={"batch": "B-none"})
        assert response.status_code == 404 and response.json()["code"] == "RECORDS_NOT_FOUND"
