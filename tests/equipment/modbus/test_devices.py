"""The engine on a mixed device map: the glove-box part over Modbus (the twin served on loopback), the rest in-process.

The glove chamber's O2/H2O analysers and gauge reach the engine only through Modbus registers,
so these runs show that what the Modbus backend delivers feeds the same suspenders, gas checks
and supervision as the twin's own devices. A short batch at 200× wall speed: the source
container opened in chamber 4 (already under argon) and held there ten minutes.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from anodeline.devices.protocols import Device, Reading
from anodeline.devices.sim.twin import Twin, build_twin
from anodeline.engine import EngineSettings, MemoryJournal, RunResult, Suspenders, WallClock, run_on_devices
from anodeline.equipment import BindingFile
from anodeline.equipment.backend import PLC_SCAN_WALL_S
from anodeline.equipment.modbus import LockedDevices, ModbusDevice, ModbusTwinServer, ServerThread, connect_modbus
from anodeline.line import actions as act
from anodeline.line.config import Line
from anodeline.line.load import load_line
from anodeline.procedure.model import Procedure
from tests.conftest import ROOT
from tests.equipment.modbus.conftest import modbus_file, wait_for, write_bindings
from tests.equipment.relay import Relay

SPEED = 200.0  # twin seconds per wall second
UNDER_ARGON = "{gas: Ar, pressure: 101325 Pa, o2: 0.5 ppm, h2o: 0.5 ppm}"
EVACUATED = "{gas: Ar, pressure: 10 Pa, o2: 0.5 ppm, h2o: 0.5 ppm}"
SETTINGS = EngineSettings(suspenders=Suspenders(max_hold_s=300.0))


class Locked:
    """A twin device behind the lock the Modbus server takes too (the plant is shared by two threads)."""

    def __init__(self, device: Device, lock: threading.RLock) -> None:
        self.device, self.lock, self.name = device, lock, device.name

    def read(self) -> dict[str, Reading]:
        with self.lock:
            return self.device.read()

    def set(self, value: Any) -> None:
        with self.lock:
            self.device.set(value)

    def stop(self) -> None:
        with self.lock:
            self.device.stop()


@dataclass
class Rig:
    twin: Twin
    server: ServerThread
    file: BindingFile
    devices: dict[str, Any]
    clock: WallClock
    lock: threading.RLock
    relay: Relay | None = None


def chamber_4(tmp_path: Path, initial: str) -> Line:
    """Fig. 1 with chamber 4 starting under argon at ``initial`` (no purge needed before glove work)."""
    text = (ROOT / "examples" / "lines" / "fig1.yaml").read_text(encoding="utf-8")
    before = "    purge_to: 10 Pa\n    initial: air\n  apparatus-1"
    assert before in text
    path = tmp_path / "fig1.yaml"
    path.write_text(text.replace(before, before.replace("air", initial), 1), encoding="utf-8")
    return load_line(path)


def in_chamber_4(example: Procedure, *steps: act.Action) -> Procedure:
    materials = tuple(replace(m, space="chamber-4") for m in example.materials if m.name == "source-1")
    return replace(example, materials=materials, steps=steps, notes=())


GLOVE_WORK = (act.OpenContainer("source-1"), act.Hold("chamber-4", 600.0), act.CloseContainer("source-1"))


class OneScanLate(LockedDevices):
    """A controller whose inputs follow its outputs a scan late: after a command its device reads as before."""

    def __init__(self, devices: Mapping[str, Device], lock: threading.RLock, scan_s: float) -> None:
        super().__init__(devices, lock)
        self.scan_s = scan_s
        self.held: dict[str, tuple[float, Mapping[str, Reading]]] = {}  # device → (until, its readings before)

    def read(self, device: str) -> Mapping[str, Reading]:
        until, before = self.held.get(device, (0.0, {}))
        return before if time.monotonic() < until else super().read(device)

    def set(self, device: str, value: Any) -> None:
        self.held[device] = (time.monotonic() + self.scan_s, super().read(device))
        super().set(device, value)


@contextmanager
def rig(
    tmp_path: Path,
    line: Line,
    procedure: Procedure,
    faults: tuple[str, ...] = (),
    access: Callable[[Mapping[str, Device], threading.RLock], LockedDevices] = LockedDevices,
    relayed: bool = False,
    stale_after: str = "0.5 s",
) -> Iterator[Rig]:
    file = modbus_file(write_bindings(tmp_path, poll_interval="10 ms", stale_after=stale_after), line)
    clock = WallClock(factor=1.0 / SPEED)
    twin = build_twin(line, procedure, clock=clock, faults=faults)
    lock = threading.RLock()
    server = ModbusTwinServer(file, access(twin.devices, lock), port=0, refresh_s=0.005)
    with contextlib.ExitStack() as stack:
        thread = stack.enter_context(ServerThread(server))
        relay = stack.enter_context(Relay("127.0.0.1", int(thread.endpoint.rsplit(":", 1)[1]))) if relayed else None
        endpoint = f"127.0.0.1:{relay.port}" if relay is not None else thread.endpoint
        equipment = stack.enter_context(connect_modbus(file.with_endpoint(endpoint)))
        devices = {name: equipment.devices.get(name) or Locked(device, lock) for name, device in twin.devices.items()}
        yield Rig(twin, thread, file.with_endpoint(thread.endpoint), devices, clock, lock, relay)


def run(r: Rig, procedure: Procedure, line: Line, journal: MemoryJournal) -> RunResult:
    return run_on_devices(procedure, line, r.devices, r.clock, journal=journal, settings=SETTINGS)


def assert_never_exposed(journal: MemoryJournal, procedure: Procedure) -> None:
    policy = procedure.policy
    for sim_s, item, space, o2, h2o, _sealed in journal.exposures:
        assert o2 <= policy.max_o2_ppm and h2o <= policy.max_h2o_ppm, (sim_s, item, space, o2, h2o)


def test_the_analysers_over_modbus_trip_the_suspenders_on_a_leak(
    tmp_path: Path, example_1_procedure: Procedure
) -> None:
    line = chamber_4(tmp_path, UNDER_ARGON)
    procedure = in_chamber_4(example_1_procedure, *GLOVE_WORK)
    journal = MemoryJournal()
    with rig(tmp_path, line, procedure, faults=("leak:chamber-4@30",)) as r:
        assert all(isinstance(r.devices[name], ModbusDevice) for name in ("o2-4", "h2o-4", "gauge-4"))
        result = run(r, procedure, line, journal)
    assert result.status == "held", result.reasons
    assert "above the ceiling: 'base' exposed in 'chamber-4'" in result.reasons[0]
    assert {"SUSPEND", "MAKE-SAFE"} <= set(journal.alarm_codes)
    o2 = [value for _t, channel, value in journal.telemetry_samples if channel == "o2-4"]
    assert o2 and max(o2) > procedure.policy.max_o2_ppm * SETTINGS.suspenders.ceiling_share  # what tripped it
    assert_never_exposed(journal, procedure)
    with r.lock:
        assert r.twin.true_state().containers["source-1"].closed  # made safe: the foil sealed again


def test_the_same_batch_without_a_fault_completes(tmp_path: Path, example_1_procedure: Procedure) -> None:
    line = chamber_4(tmp_path, UNDER_ARGON)
    procedure = in_chamber_4(example_1_procedure, *GLOVE_WORK)
    journal = MemoryJournal()
    with rig(tmp_path, line, procedure) as r:
        result = run(r, procedure, line, journal)
    assert result.status == "complete" and result.steps_executed == 3, result.reasons
    assert not journal.alarm_codes


def test_impure_argon_read_over_modbus_aborts_the_fill(tmp_path: Path, example_1_procedure: Procedure) -> None:
    line = chamber_4(tmp_path, EVACUATED)
    procedure = in_chamber_4(example_1_procedure, act.Backfill("chamber-4", "Ar", 101325.0))
    journal = MemoryJournal()
    with rig(tmp_path, line, procedure, faults=("impure-gas",)) as r:
        result = run(r, procedure, line, journal)
    assert result.status == "aborted", result.reasons
    assert "GAS-IMPURE" in journal.alarm_codes and "below its stated purity" in result.reasons[0]
    assert_never_exposed(journal, procedure)


def test_a_controller_lost_mid_batch_holds_it_and_the_line_is_made_safe_on_reconnection(
    tmp_path: Path, example_1_procedure: Procedure
) -> None:
    line = chamber_4(tmp_path, UNDER_ARGON)
    procedure = in_chamber_4(example_1_procedure, *GLOVE_WORK)
    journal = MemoryJournal()
    with rig(tmp_path, line, procedure) as r:
        port = int(r.file.endpoint.rsplit(":", 1)[1])

        def outage() -> None:  # the controller goes away while the foil is out of its container
            def opened() -> bool:
                with r.lock:
                    return not r.twin.plant.state.containers["source-1"].closed

            wait_for(opened)
            r.server.stop()
            wait_for(lambda: any(e[1] == "LINK" for e in _alarms(journal)))
            access = LockedDevices(r.twin.devices, r.lock)
            restarted.append(ServerThread(ModbusTwinServer(r.file, access, port=port, refresh_s=0.005)).start())

        restarted: list[ServerThread] = []
        thread = threading.Thread(target=outage, daemon=True)
        thread.start()
        try:
            result = run(r, procedure, line, journal)
        finally:
            thread.join(10.0)
            for server in restarted:
                server.stop()
    assert result.status == "held", result.reasons
    assert "connection lost" in result.reasons
    assert any("connection restored: the line was re-read and made safe" in reason for reason in result.reasons)
    with r.lock:
        assert r.twin.true_state().containers["source-1"].closed
    assert_never_exposed(journal, procedure)


@pytest.mark.parametrize(("grace", "status"), [(True, "complete"), (False, "aborted")])
def test_a_pump_that_reads_stopped_one_scan_after_its_command_is_not_a_stopped_pump(
    tmp_path: Path, example_1_procedure: Procedure, grace: bool, status: str
) -> None:
    """The controller's pump input follows its coil 60 ms (wall) late, after the link's settle window (20 ms).

    With the equipment's scan grace the engine waits the scan out; without it (the twin's 0) the
    same reading aborts the pump-down: the controller, not the pump, was late.
    """
    line = chamber_4(tmp_path, UNDER_ARGON)
    procedure = in_chamber_4(example_1_procedure, act.Evacuate("chamber-4", 10.0))
    journal = MemoryJournal()
    late = lambda devices, lock: OneScanLate(devices, lock, scan_s=0.06)  # noqa: E731
    with rig(tmp_path, line, procedure, access=late, stale_after="5 s") as r:  # a loaded machine's stalls: not stale
        link = next(d for d in r.devices.values() if isinstance(d, ModbusDevice)).link
        assert link.settle_s < 0.06 < PLC_SCAN_WALL_S + 2.0 * link.sample_interval_s
        scan_grace_s = (PLC_SCAN_WALL_S + 2.0 * link.sample_interval_s) * SPEED if grace else 0.0
        settings = replace(SETTINGS, period_s=1.0, scan_grace_s=scan_grace_s)  # polls every 5 ms (wall)
        result = run_on_devices(procedure, line, r.devices, r.clock, journal=journal, settings=settings)
    assert result.status == status, result.reasons
    assert grace or "pump rotary-4 stopped while evacuating chamber-4" in result.reasons[0]


def test_a_pulled_controller_cable_holds_the_batch_and_plugged_back_the_line_is_made_safe(
    tmp_path: Path, example_1_procedure: Procedure
) -> None:
    """Silence on the wire while the foil is out (no reset: the client's 1 s timeout finds it), then the cable back."""
    line = chamber_4(tmp_path, UNDER_ARGON)
    procedure = in_chamber_4(example_1_procedure, *GLOVE_WORK)
    journal = MemoryJournal()
    with rig(tmp_path, line, procedure, relayed=True) as r:
        relay = r.relay
        assert relay is not None

        def cable_pull() -> None:
            def opened() -> bool:
                with r.lock:
                    return not r.twin.plant.state.containers["source-1"].closed

            wait_for(opened)
            relay.pull()
            wait_for(lambda: any(e[1] == "LINK" for e in _alarms(journal)))
            relay.plug()

        thread = threading.Thread(target=cable_pull, daemon=True)
        thread.start()
        try:
            result = run(r, procedure, line, journal)
        finally:
            thread.join(10.0)
        assert relay.connections >= 2  # the link was made again
    assert result.status == "held", " | ".join([*result.reasons, *journal.alarm_codes])
    assert "connection lost" in result.reasons
    assert any(reason.startswith("connection restored: the line was re-read") for reason in result.reasons)
    assert [code for code in journal.alarm_codes if code in ("LINK", "MAKE-SAFE")][-1] == "MAKE-SAFE"
    with r.lock:
        assert r.twin.true_state().containers["source-1"].closed
    assert_never_exposed(journal, procedure)


def _alarms(journal: MemoryJournal) -> list[tuple[float, str]]:
    return [(alarm["sim_s"], alarm["code"]) for alarm in list(journal.alarms.values())]


@pytest.fixture(autouse=True)
def _no_leftover_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t for t in set(threading.enumerate()) - before if t.name.startswith("modbus") and t.is_alive()]
    assert not left, left
