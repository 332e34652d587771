"""Fixtures: the glove-box part of Fig. 1 bound over Modbus (the shipped map, quicker timings), a twin, a server."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from anodeline.devices.protocols import Reading
from anodeline.devices.sim.params import TwinParams
from anodeline.devices.sim.twin import Twin, build_twin
from anodeline.engine.clock import SimClock
from anodeline.equipment import BindingFile, load_bindings
from anodeline.equipment.modbus import LockedDevices, ModbusTwinServer, ServerThread
from anodeline.line.config import Line
from anodeline.procedure.model import Procedure
from tests.conftest import ROOT

BINDINGS = ROOT / "examples" / "bindings"
QUIET = TwinParams(o2_noise_ppm=0.0, o2_noise_rel=0.0, o2_drift_ppm_per_h=0.0, h2o_noise_ppm=0.0, h2o_noise_rel=0.0,
                   h2o_drift_ppm_per_h=0.0, pressure_noise_rel=0.0, temperature_noise_degc=0.0)  # fmt: skip
#: Quicker than the shipped file (200 ms, 5 s, 5 s): tests wait on these.
FAST = {"poll_interval": "20 ms", "stale_after": "0.5 s", "ack_timeout": "0.5 s"}


def wait_for(condition: Callable[[], Any], timeout_s: float = 10.0) -> Any:
    """Poll ``condition`` until it is truthy (a hang guard, not a timed assertion)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.01)
    raise AssertionError(f"not within {timeout_s} s: {condition}")


def value(device: Any, key: str) -> float | None:
    """A device's reading of ``key``, or None while it has none (stale, or not yet read back after a command)."""
    reading = device.read().get(key)
    return None if reading is None else reading.value


def write_bindings(
    tmp_path: Path, edit: Callable[[dict[str, Any], dict[str, Any]], None] | None = None, **settings: str
) -> list[Path]:
    """The shipped deposition (OPC UA) and glove-box (Modbus) files with FAST settings, edited, written to tmp_path."""
    opcua = yaml.safe_load((BINDINGS / "fig1.deposition.opcua.yaml").read_text(encoding="utf-8"))
    modbus = yaml.safe_load((BINDINGS / "fig1.modbus.yaml").read_text(encoding="utf-8"))
    modbus.update({**FAST, **settings})
    if edit is not None:
        edit(opcua, modbus)
    paths = [tmp_path / "deposition.opcua.yaml", tmp_path / "glovebox.modbus.yaml"]
    for path, document in zip(paths, (opcua, modbus), strict=True):
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return paths


def modbus_file(paths: list[Path], line: Line, endpoint: str = "127.0.0.1:0") -> BindingFile:
    bindings = load_bindings(paths, line)
    return next(f for f in bindings.files if f.protocol == "modbus").with_endpoint(endpoint)


class Switchable:
    """A twin access whose readings of some keys can be withheld (an analyser that stops answering)."""

    def __init__(self, devices: Mapping[str, Any], lock: threading.RLock | None = None) -> None:
        self.inner = LockedDevices(devices, lock)
        self.withheld: set[str] = set()
        self.sets: list[tuple[str, Any]] = []

    def read(self, device: str) -> Mapping[str, Reading]:
        return {k: v for k, v in self.inner.read(device).items() if k not in self.withheld}

    def set(self, device: str, value: Any) -> None:
        self.sets.append((device, value))
        self.inner.set(device, value)


@pytest.fixture
def twin_clock() -> SimClock:
    return SimClock()


@pytest.fixture
def quiet_twin(fig1: Line, example_1_procedure: Procedure, twin_clock: SimClock) -> Twin:
    """Fig. 1 loaded for Example 1, analysers without noise or drift, its clock standing still (until run_for)."""
    return build_twin(fig1, example_1_procedure, clock=twin_clock, params=QUIET)


@pytest.fixture
def glovebox(tmp_path: Path, fig1: Line) -> BindingFile:
    return modbus_file(write_bindings(tmp_path), fig1)


@pytest.fixture
def served(glovebox: BindingFile, quiet_twin: Twin) -> Iterator[tuple[ServerThread, Switchable, BindingFile]]:
    """The quiet twin's glove-box part served on a free loopback port; the bindings pointed at it."""
    access = Switchable(quiet_twin.devices)
    with ServerThread(ModbusTwinServer(glovebox, access, port=0, refresh_s=0.02, stale_after_s=0.2)) as thread:
        yield thread, access, glovebox.with_endpoint(thread.endpoint)
