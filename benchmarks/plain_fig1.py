"""The baseline of the speed benchmarks: Example 1 on the Fig. 1 line as a plain SimPy model.

The same physics as the twin at the level of plain floats, with no anodeline import:

* chambers 4 and 5 (400 L, rotary pump 12 m³/h, ultimate 1 Pa) pump down along
  ``p(t) = Q/S + (p0 − Q/S)·e^(−S·t/V)`` with ``Q = S·p_ult``; the apparatus (150 L) is
  roughed by its backing pump (10 m³/h) to the 10 Pa crossover, then its turbo (300 L/s,
  1e-6 Pa) pumps against wall outgassing decaying as 1/t (A = 6·V^(2/3), q1 = 1e-5
  Pa·m³/(s·m²) after 1 h) — the numbers of examples/lines/fig1.yaml and of
  src/anodeline/physics/atmosphere/pumpdown.py;
* backfills at 100 slm to 99 % of the target, then 60 s for the analysers to settle in a
  glove chamber; the purge dilutes O2 and H2O by p_low/p_fill, the argon brings 0.1 ppm
  of each (its point-of-use purifier) and a running purifier (20 m³/h) cleans the box;
* doors travel 8 s; glove work takes a lognormal time (σ = 0.35) around the twin's medians;
  1 µm of electrolyte is sputtered at 100 W × 1.389e-3 nm/(s·W), the rate anodeline uses;
* every device is polled as the engine polls (EngineSettings: every 30 s, every 10 s while
  a sensitive item is open in a glove chamber, every 5 s during glove work, and at the end
  of each wait), each poll reading the same 40 channels into a telemetry list.

The steps are Example 1's, from ``anodeline plan examples/patent/example-01.yaml --format
json`` (stored next to this file as example-01.plan.json). Run alone it prints the events,
polls, simulated and wall time; ``run()`` is what the benchmarks call.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import simpy

PLAN = Path(__file__).with_name("example-01.plan.json")

ATM_PA = 101325.0
AIR_O2_PPM, AIR_H2O_PPM = 209460.0, 11700.0  # dry air; water at 20 °C, 50 % RH
SUPPLY_PPM = 0.1  # argon after its point-of-use purifier (fig1.yaml)
FILL_FLOW_PA_M3_PER_S = 100.0 * 1e-3 / 60.0 * ATM_PA  # 100 slm
REGULATOR_PA = 1.02 * ATM_PA
PURIFIER_M3_PER_S = 20.0 / 3600.0
CROSSOVER_PA, BACKING_ULTIMATE_PA = 10.0, 1.0
OUTGASSING_1H, T1_S = 1e-5, 3600.0
APPARATUS_LEAK_PA_M3_PER_S = 1e-8
DOOR_TRAVEL_S = 8.0
SETTLE_S = 60.0
DEPOSITION_NM_PER_S = 100.0 * 1000.0 / 14_400.0 / 50.0  # sputtering, 100 W
OPERATOR_MEDIAN_S = {"load": 120.0, "unload": 120.0, "open_container": 25.0, "close_container": 25.0, "move": 20.0}
OPERATOR_SIGMA = 0.35
PERIOD_S, EXPOSED_PERIOD_S, MANUAL_PERIOD_S = 30.0, 10.0, 5.0
EVACUATE_AIM, BACKFILL_AIM = 0.9, 0.99


@dataclass
class Space:
    """A chamber: volume, pumps, and its gas as pressure and O2/H2O in ppm, evolving lazily."""

    name: str
    volume_m3: float
    speed_m3_per_s: float
    ultimate_pa: float
    backing_m3_per_s: float | None = None
    glove: bool = True
    pressure_pa: float = ATM_PA
    o2_ppm: float = AIR_O2_PPM
    h2o_ppm: float = AIR_H2O_PPM
    mode: str = "idle"  # idle, pump or fill
    since_s: float = 0.0
    p0_pa: float = ATM_PA
    purifier_on: bool = False

    # --- physics ------------------------------------------------------------------------------
    def rough(self, speed: float, load: float, p0: float, seconds: float) -> float:
        floor = load / speed
        return floor + (p0 - floor) * math.exp(-speed * seconds / self.volume_m3)

    def rough_time(self, speed: float, load: float, p0: float, p: float) -> float:
        floor = load / speed
        return self.volume_m3 / speed * math.log((p0 - floor) / (p - floor))

    def outgassing_coefficient(self) -> float:
        return 6.0 * self.volume_m3 ** (2 / 3) * OUTGASSING_1H * T1_S / self.speed_m3_per_s

    def pumped(self, seconds: float) -> float:
        if self.backing_m3_per_s is None:
            return self.rough(self.speed_m3_per_s, self.speed_m3_per_s * self.ultimate_pa, self.p0_pa, seconds)
        load = self.backing_m3_per_s * BACKING_ULTIMATE_PA
        rough_s = self.rough_time(self.backing_m3_per_s, load, self.p0_pa, CROSSOVER_PA)
        if seconds <= rough_s:
            return self.rough(self.backing_m3_per_s, load, self.p0_pa, seconds)
        tau, u0 = seconds - rough_s, rough_s
        floor = self.ultimate_pa + APPARATUS_LEAK_PA_M3_PER_S / self.speed_m3_per_s
        slow0 = floor + self.outgassing_coefficient() / u0
        slow = floor + self.outgassing_coefficient() / (u0 + tau)
        return slow + (CROSSOVER_PA - slow0) * math.exp(-self.speed_m3_per_s * tau / self.volume_m3)

    def pump_time(self, target_pa: float) -> float:
        """Seconds from now's pressure to ``target_pa`` (bisection on the monotone curve)."""
        low, high = 0.0, 1.0
        while self.pumped(high) > target_pa:
            high *= 2.0
        for _ in range(60):
            mid = 0.5 * (low + high)
            low, high = (mid, high) if self.pumped(mid) > target_pa else (low, mid)
        return high

    def fill_rate_pa_per_s(self) -> float:
        return FILL_FLOW_PA_M3_PER_S / self.volume_m3

    def advance(self, now: float) -> None:
        """Bring pressure and impurities to ``now``."""
        dt = now - self.since_s
        if self.mode == "pump":
            self.pressure_pa = self.pumped(dt)
            return
        if self.mode == "fill":
            self.pressure_pa = min(self.p0_pa + self.fill_rate_pa_per_s() * dt, REGULATOR_PA)
            return
        if self.purifier_on and self.pressure_pa > 0.5 * ATM_PA:
            decay = math.exp(-PURIFIER_M3_PER_S / self.volume_m3 * dt)
            self.o2_ppm = SUPPLY_PPM + (self.o2_ppm - SUPPLY_PPM) * decay
            self.h2o_ppm = SUPPLY_PPM + (self.h2o_ppm - SUPPLY_PPM) * decay
        self.since_s = now

    def set_mode(self, mode: str, now: float) -> None:
        self.advance(now)
        if self.mode == "fill" and mode != "fill":  # purge dilution by the fresh argon
            kept = self.p0_pa / self.pressure_pa
            self.o2_ppm = self.o2_ppm * kept + SUPPLY_PPM * (1.0 - kept)
            self.h2o_ppm = self.h2o_ppm * kept + SUPPLY_PPM * (1.0 - kept)
        self.mode, self.since_s, self.p0_pa = mode, now, self.pressure_pa


@dataclass
class Line:
    """Fig. 1 with Example 1's materials, the devices' flags and the polling."""

    env: simpy.Environment
    seed: int
    spaces: dict[str, Space] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # item or container -> container or space
    closed: dict[str, bool] = field(default_factory=dict)
    flags: dict[str, float] = field(default_factory=dict)
    telemetry: list[tuple[float, str, float]] = field(default_factory=list)
    polls: int = 0
    manual: bool = False

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        rotary = 12.0 / 3600.0
        self.spaces = {
            "chamber-4": Space("chamber-4", 0.4, rotary, 1.0),
            "apparatus-1": Space("apparatus-1", 0.15, 0.3, 1e-6, 10.0 / 3600.0, False, o2_ppm=1.0, h2o_ppm=1.0),
            "chamber-5": Space("chamber-5", 0.4, rotary, 1.0),
        }
        self.sensors = {
            "o2-4": ("chamber-4", "o2"), "h2o-4": ("chamber-4", "h2o"), "gauge-4": ("chamber-4", "p"),
            "o2-5": ("chamber-5", "o2"), "h2o-5": ("chamber-5", "h2o"), "gauge-5": ("chamber-5", "p"),
            "gauge-1": ("apparatus-1", "p"),
        }  # fmt: skip
        devices = ["rotary-4.running", "rotary-4.fault", "purifier-4.on", "chamber-4/argon.open", "turbo-1.running",
                   "turbo-1.fault", "apparatus-1/argon.open", "rotary-5.running", "rotary-5.fault", "purifier-5.on",
                   "chamber-5/argon.open", "port-4.position", "inlet-2.position", "outlet-3.position",
                   "port-5.position", "system-1/heater.temperature", "system-1/heater.setpoint", "operator.busy",
                   "operator.done", "operator.refused", "mains.power"]  # fmt: skip
        for source in ("sputter-gun", "evaporator", "laser", "ion-plater"):
            devices += [f"system-1/{source}.{flag}" for flag in ("on", "thickness_um", "rate_nm_per_s")]
        self.flags = dict.fromkeys(devices, 0.0)
        self.flags.update({"mains.power": 1.0, "system-1/heater.temperature": 25.0})

    # --- sensors ------------------------------------------------------------------------------
    def poll(self) -> None:
        """Read every channel (7 analysers and gauges with noise, 33 device flags) into the telemetry."""
        now = self.env.now
        self.polls += 1
        for space in self.spaces.values():
            space.advance(now)
        for name, (space_name, measures) in self.sensors.items():
            space = self.spaces[space_name]
            gauss = self.rng.gauss
            if measures == "p":
                value = space.pressure_pa * (1.0 + 0.005 * gauss(0.0, 1.0))
            elif measures == "o2":
                value = max(space.o2_ppm * (1.0 + 0.01 * gauss(0.0, 1.0)) + 0.02 * gauss(0.0, 1.0), 0.0)
            else:
                value = max(space.h2o_ppm * (1.0 + 0.02 * gauss(0.0, 1.0)) + 0.05 * gauss(0.0, 1.0), 0.0)
            self.telemetry.append((now, name, value))
        for channel, value in self.flags.items():
            self.telemetry.append((now, channel, value))

    def space_of(self, name: str) -> str:
        place = self.where[name]
        return place if place in self.spaces else self.space_of(place)

    def period(self) -> float:
        """The engine's poll period: 5 s in glove work, 10 s while an item is open in a glove chamber, else 30 s."""
        if self.manual:
            return MANUAL_PERIOD_S
        for item, place in self.where.items():
            if item in self.closed:  # a container
                continue
            open_to_space = place in self.spaces or not self.closed.get(place, True)
            space = self.spaces.get(self.space_of(item))
            if open_to_space and space is not None and space.glove and space.pressure_pa >= 0.1:
                return EXPOSED_PERIOD_S
        return PERIOD_S

    def wait(self, seconds: float) -> Generator[simpy.Event, Any, None]:
        """Let ``seconds`` pass, polling at the engine's periods, and poll at the end."""
        end = self.env.now + seconds
        while self.env.now < end:
            self.poll()
            yield self.env.timeout(min(self.period(), end - self.env.now))
        self.poll()

    # --- steps --------------------------------------------------------------------------------
    def evacuate(self, space: Space, target_pa: float) -> Generator[simpy.Event, Any, None]:
        space.set_mode("pump", self.env.now)
        self.flags[f"{self.pump_of(space)}.running"] = 1.0
        yield from self.wait(space.pump_time(target_pa * EVACUATE_AIM))
        space.set_mode("idle", self.env.now)
        self.flags[f"{self.pump_of(space)}.running"] = 0.0

    def backfill(self, space: Space, target_pa: float) -> Generator[simpy.Event, Any, None]:
        space.purifier_on = False
        space.set_mode("fill", self.env.now)
        self.flags[f"{space.name}/argon.open"] = 1.0
        yield from self.wait(max(target_pa * BACKFILL_AIM - space.pressure_pa, 0.0) / space.fill_rate_pa_per_s())
        space.set_mode("idle", self.env.now)
        self.flags[f"{space.name}/argon.open"] = 0.0
        if space.glove:
            space.purifier_on = True
            yield from self.wait(SETTLE_S)

    def pump_of(self, space: Space) -> str:
        return {"chamber-4": "rotary-4", "chamber-5": "rotary-5", "apparatus-1": "turbo-1"}[space.name]

    def glove_work(self, step: dict[str, Any]) -> Generator[simpy.Event, Any, None]:
        self.manual, self.flags["operator.busy"] = True, 1.0
        median = OPERATOR_MEDIAN_S.get(step["action"], 30.0)
        yield from self.wait(median * math.exp(OPERATOR_SIGMA * self.rng.gauss(0.0, 1.0)))
        self.manual, self.flags["operator.busy"] = False, 0.0
        self.flags["operator.done"] += 1.0
        action = step["action"]
        if action == "load":
            self.where[step["container"]] = step["space"]
        elif action == "unload":
            self.where[step["container"]] = "room"
        elif action in ("open_container", "close_container"):
            self.closed[step["container"]] = action == "close_container"
        elif action == "move":
            self.where[step["item"]] = step["to"]

    def door(self, name: str, want_open: bool) -> Generator[simpy.Event, Any, None]:
        yield from self.wait(DOOR_TRAVEL_S)
        self.flags[f"{name}.position"] = 1.0 if want_open else 0.0

    def deposit(self, thickness_um: float) -> Generator[simpy.Event, Any, None]:
        gun = "system-1/sputter-gun"
        self.flags[f"{gun}.on"], self.flags[f"{gun}.rate_nm_per_s"] = 1.0, DEPOSITION_NM_PER_S
        yield from self.wait(thickness_um * 1000.0 / DEPOSITION_NM_PER_S)
        self.flags[f"{gun}.on"], self.flags[f"{gun}.rate_nm_per_s"] = 0.0, 0.0
        self.flags[f"{gun}.thickness_um"] = thickness_um

    def run(self, steps: list[dict[str, Any]]) -> Generator[simpy.Event, Any, None]:
        self.spaces["chamber-4"].purifier_on = self.spaces["chamber-5"].purifier_on = False
        for step in steps:
            self.poll()  # the engine polls before every step
            action = step["action"]
            if action == "evacuate":
                yield from self.evacuate(self.spaces[step["space"]], step["pressure_pa"])
            elif action == "backfill":
                yield from self.backfill(self.spaces[step["space"]], step["pressure_pa"])
            elif action in ("open_door", "close_door"):
                yield from self.door(step["door"], action == "open_door")
            elif action == "deposit":
                yield from self.deposit(step["thickness_um"])
            else:
                yield from self.glove_work(step)
        self.poll()


@dataclass(frozen=True)
class Outcome:
    events: int
    polls: int
    samples: int
    simulated_s: float
    wall_s: float


def load_plan(path: Path = PLAN) -> dict[str, Any]:
    plan: dict[str, Any] = json.loads(path.read_text())
    return plan


def run(plan: dict[str, Any] | None = None, seed: int = 0) -> Outcome:
    """Example 1 on the plain model; SimPy events counted as the environment steps through them."""
    plan = plan if plan is not None else load_plan()
    start = time.perf_counter()
    env = simpy.Environment()
    line = Line(env, seed)
    for container in plan["materials"]:
        line.closed[container["name"]] = container["closed"]
        line.where[container["name"]] = "room"
        for item in container["items"]:
            if item["sensitive"]:
                line.where[item["name"]] = container["name"]
    env.process(line.run(plan["steps"]))
    events = 0
    while env.peek() != math.inf:
        env.step()
        events += 1
    return Outcome(events, line.polls, len(line.telemetry), float(env.now), time.perf_counter() - start)


def main() -> None:
    outcome = run(seed=int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(
        f"plain SimPy Fig. 1, Example 1: {outcome.events} events, {outcome.polls} polls, {outcome.samples} samples, "
        f"{outcome.simulated_s:.0f} s simulated in {outcome.wall_s * 1e3:.1f} ms "
        f"({outcome.events / outcome.wall_s:,.0f} events/s)"
    )


if __name__ == "__main__":
    main()
