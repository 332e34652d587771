"""OPC UA: encrypted reads and command round trips against in-process devices; Example 1 over OPC UA at speed 1000.

A real ``anodeline twin serve`` (Basic256Sha256 SignAndEncrypt, a user) on a loopback port, and
the engine's own client backend (:mod:`anodeline.equipment.opcua`). Rows:

* Read service round trips/s over the encrypted session (every bound channel in one request)
  against in-process twin polls/s (every device's ``read()``);
* the engine's poll of the OPC UA devices (answered from the subscription cache) against the twin's;
* command round trip: ``set()`` to the server's acknowledgement, and to the commanded value read back
  in the cache (a door's ``command`` → its ``position`` moving), against the twin's set + read;
* Example 1 over OPC UA at ``--speed 1000`` (goal ≤ 60 s wall), after one untimed warm-up batch on
  each backend; the engine's overhead per step
  (the engine thread's CPU per step over OPC UA minus that of the same recorded batch on the
  in-process twin, goal ≤ 20 ms) and the link's latency per step (the wall time beyond the
  in-process run's simulated time / speed, per step).

Run: ``.venv/bin/python benchmarks/bench_opcua.py [--quick]``.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from harness import EX1, EXE, FIG1, ROOT, Result, median_s, report

from anodeline.batch.runner import run_batch
from anodeline.devices.sim.twin import build_twin
from anodeline.engine import run_procedure
from anodeline.engine.clock import SimClock, WallClock
from anodeline.equipment.backend import connect
from anodeline.equipment.bindings import load_bindings
from anodeline.equipment.opcua.client import Credentials
from anodeline.equipment.opcua.security import add_user
from anodeline.line.load import load_line
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe

SPEED = 1000.0
USER, PASSWORD = "bench", "bench-password"


def _serve(tmp: Path) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    add_user(tmp / "users.yaml", USER, PASSWORD)
    process = subprocess.Popen(
        [EXE, "twin", "serve", str(FIG1), "--port", str(port), "--speed", str(SPEED), "--certs", str(tmp / "certs"),
         "--users", str(tmp / "users.yaml")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline() if process.stdout else ""))
    reader.start()
    reader.join(120)
    if not line or not line[0].startswith("ready "):
        process.kill()
        raise RuntimeError("the twin server did not start")
    return process, line[0].split()[1]


def _rate(function: Any, seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        function()
        count += 1
    return count / (time.perf_counter() - start)


def measure(quick: bool = False) -> list[Result]:
    line = load_line(FIG1)
    procedure = compile_procedure(load_recipe(EX1), line)
    twin = build_twin(line, procedure, clock=SimClock(), seed=0)
    seconds = 1.0 if quick else 3.0
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        process, endpoint = _serve(tmp)
        try:
            bindings = load_bindings([ROOT / "examples" / "bindings" / "fig1.opcua.yaml"], line)
            credentials = Credentials(tmp / "certs", USER, PASSWORD)
            equipment = connect(bindings, credentials, speed=SPEED, endpoints={"opcua": endpoint})
            link = equipment.links[0]
            nodes = [link.nodes[c.address.node] for c in link.channels.values()]  # type: ignore[union-attr]
            from asyncua import ua

            async def read_all(client: Any) -> None:
                await client.uaclient.read_attributes(nodes, ua.AttributeIds.Value)

            service_rate = _rate(lambda: link.call(read_all), seconds)
            twin_rate = _rate(lambda: [d.read() for d in twin.devices.values()], seconds)
            cache_poll = median_s(lambda: [d.read() for d in equipment.devices.values()], 5)
            twin_poll = median_s(lambda: [d.read() for d in twin.devices.values()], 5)
            ack_ms, seen_ms = _round_trips(equipment, 5 if quick else 20)
            twin_set = median_s(lambda: (twin.devices["port-4"].set(True), twin.devices["port-4"].read()), 5)
            equipment.close()
            _warm_up(bindings, credentials, endpoint, tmp)
            equipment = connect(bindings, credentials, speed=SPEED, endpoints={"opcua": endpoint})
            wall0, cpu0 = time.perf_counter(), time.thread_time()
            with _counting_polls() as polls:
                batch = run_batch(EX1, db_url=f"sqlite:///{tmp / 'r.sqlite'}", equipment=equipment,
                                  clock=WallClock(1.0 / SPEED))  # fmt: skip
            total_s, engine_cpu_s = time.perf_counter() - wall0, time.thread_time() - cpu0
            equipment.close()
            cpu0 = time.thread_time()
            with _counting_polls() as twin_polls:
                twin_batch = run_batch(EX1, db_url=f"sqlite:///{tmp / 'twin.sqlite'}")  # the same batch, in-process
            twin_batch_cpu_s = time.thread_time() - cpu0
        finally:
            process.terminate()
            process.wait(20)
    in_process = run_procedure(procedure, line, seed=0)
    twin_cpu_ms = twin_batch_cpu_s / max(twin_batch.steps, 1) * 1e3
    engine_cpu_ms = engine_cpu_s / max(batch.steps, 1) * 1e3
    latency_ms = (batch.wall_seconds - in_process.simulated_seconds / SPEED) / max(batch.steps, 1) * 1e3
    note = (
        f"{batch.status}/{batch.verdict}, {batch.steps} steps, {batch.simulated_seconds:.0f} s simulated "
        f"(in-process {in_process.simulated_seconds:.0f} s), engine {batch.wall_seconds:.1f} s of {total_s:.1f} s"
    )
    return [
        Result("OPC UA Read service, encrypted (all channels)", "reads/s", service_rate, twin_rate,
               "in-process twin poll", note=f"{len(nodes)} nodes per request"),
        Result("engine poll of OPC UA devices (cache)", "ms", cache_poll * 1e3, twin_poll * 1e3, "in-process twin poll",
               higher_is_better=False),
        Result("command → acknowledged (write, encrypted)", "ms", ack_ms, twin_set * 1e3, "twin set + read",
               higher_is_better=False),
        Result("command → read back in the cache (door moving)", "ms", seen_ms, twin_set * 1e3, "twin set + read",
               higher_is_better=False),
        Result("Example 1 over OPC UA at --speed 1000", "s wall", batch.wall_seconds,
               in_process.simulated_seconds / SPEED, "simulated time / speed", higher_is_better=False, goal_value=60.0,
               note=note),
        Result("engine overhead per step over OPC UA (extra engine-thread CPU)", "ms", engine_cpu_ms - twin_cpu_ms,
               None, higher_is_better=False, goal_value=20.0,
               note=f"engine thread {engine_cpu_ms:.1f} ms/step over OPC UA (polls from the cache, checks, records) "
                    f"vs {twin_cpu_ms:.1f} ms/step for the same recorded batch on the in-process twin (its physics "
                    "included)"),
        Result("engine polls per step over OPC UA", "polls", polls[0] / max(batch.steps, 1),
               twin_polls[0] / max(twin_batch.steps, 1), "in-process twin", higher_is_better=False,
               note="device waits poll no faster than the link brings samples (EngineSettings.min_period_s)"),
        Result("link latency per step at --speed 1000", "ms wall", latency_ms, None, higher_is_better=False,
               note="(wall − in-process simulated / speed) / steps: each wait ends one link round trip late"),
    ]  # fmt: skip


@contextlib.contextmanager
def _counting_polls() -> Iterator[list[int]]:
    """Count the engine's polls (every read of every device) while the block runs."""
    from anodeline.engine.runner import Engine

    count, poll = [0], Engine.poll

    def counted(self: Engine) -> Any:
        count[0] += 1
        return poll(self)

    Engine.poll = counted  # type: ignore[method-assign]
    try:
        yield count
    finally:
        Engine.poll = poll  # type: ignore[method-assign]


def _warm_up(bindings: Any, credentials: Any, endpoint: str, tmp: Path) -> None:
    """One untimed batch first: imports, the server's first Prepare, SQLite's first pages, the allocator."""
    equipment = connect(bindings, credentials, speed=SPEED, endpoints={"opcua": endpoint})
    try:
        run_batch(EX1, db_url=f"sqlite:///{tmp / 'warm-up.sqlite'}", equipment=equipment, clock=WallClock(1.0 / SPEED))
    finally:
        equipment.close()
    run_batch(EX1, db_url=f"sqlite:///{tmp / 'warm-up-twin.sqlite'}")


def _round_trips(equipment: Any, repeat: int) -> tuple[float, float]:
    """Median ms from a door command to its acknowledgement, and to its position leaving the old value in the cache."""
    door, link = equipment.devices["port-4"], equipment.links[0]
    acks, seen = [], []
    want = True
    for _ in range(repeat):
        before = door.read().get("port-4.position")
        start = time.perf_counter()
        door.set(want)
        while link._pending:  # acknowledged when the server answered the write
            time.sleep(0.0002)
        acks.append(time.perf_counter() - start)
        while True:
            now = door.read().get("port-4.position")
            if now is not None and before is not None and abs(now.value - before.value) > 1e-9:
                break
            if time.perf_counter() - start > 5.0:
                break
            time.sleep(0.0002)
        seen.append(time.perf_counter() - start)
        time.sleep(0.05)  # the door finishes its travel (8 s of twin time)
        want = not want
    acks.sort()
    seen.sort()
    return acks[len(acks) // 2] * 1e3, seen[len(seen) // 2] * 1e3


def main() -> None:
    report(measure("--quick" in sys.argv))


if __name__ == "__main__":
    main()
