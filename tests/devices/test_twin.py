"""The twin's plant: lazy analytic evolution, noise with a seed, doors and faults."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest
import simpy

from anodeline.devices.sim import FAULTS, FaultError, build_twin, parse_fault
from anodeline.engine.clock import SimClock
from anodeline.line import actions as act
from anodeline.line.load import load_line
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe

ROOT = Path(__file__).resolve().parents[2]
LINE = load_line(ROOT / "examples" / "lines" / "fig1.yaml")
PROCEDURE = compile_procedure(load_recipe(ROOT / "examples" / "patent" / "example-01.yaml"), LINE)


def _readings_after(seed: int, seconds: float) -> list[float]:
    clock = SimClock()
    twin = build_twin(LINE, PROCEDURE, clock=clock, seed=seed)
    out: list[float] = []

    def run() -> Generator[simpy.Event, None, None]:
        for _ in range(3):
            yield clock.timeout(seconds)
            out.append(twin.devices["gauge-1"].read()["gauge-1"].value)

    clock.run(run())
    return out


def test_sensor_noise_is_seeded() -> None:
    assert _readings_after(3, 10.0) == _readings_after(3, 10.0)
    assert _readings_after(3, 10.0) != _readings_after(4, 10.0)


def test_a_door_reports_its_position_and_opens_after_its_travel() -> None:
    clock = SimClock()
    twin = build_twin(LINE, PROCEDURE, clock=clock, seed=0)
    seen: list[float] = []

    def run() -> Generator[simpy.Event, None, None]:
        twin.devices["inlet-2"].set(True)
        yield clock.timeout(4.0)
        seen.append(twin.devices["inlet-2"].read()["inlet-2.position"].value)
        yield clock.timeout(10.0)
        seen.append(twin.devices["inlet-2"].read()["inlet-2.position"].value)

    clock.run(run())
    assert 0.0 < seen[0] < 1.0 and seen[1] == 1.0
    assert twin.true_state().doors["inlet-2"]


def test_a_stuck_door_does_not_move() -> None:
    clock = SimClock()
    twin = build_twin(LINE, PROCEDURE, clock=clock, seed=0, faults=["stuck-door"])
    twin.devices["inlet-2"].set(True)
    clock.run_for(60.0)
    assert twin.devices["inlet-2"].read()["inlet-2.position"].value == 0.0


def test_a_leak_drives_a_purified_chamber_to_its_steady_state() -> None:
    clock = SimClock()
    twin = build_twin(LINE, PROCEDURE, clock=clock, seed=0, faults=["leak:chamber-5"])
    twin.plant.state = twin.plant.state.with_atmosphere("chamber-5", twin.plant.state.atmospheres["apparatus-1"])
    twin.devices["purifier-5"].set(True)
    clock.run_for(3600.0)
    o2 = twin.true_state().atmospheres["chamber-5"].o2_ppm
    assert 9.0 < o2 < 12.0  # λ·c_air/(λ + F/V) = 2.5e-3·209460/50 ≈ 10.5 ppm (glovebox.py)


def test_power_loss_stops_sources_and_pumps() -> None:
    clock = SimClock()
    twin = build_twin(LINE, PROCEDURE, clock=clock, seed=0)
    twin.devices["turbo-1"].set(True)
    twin.devices["mains"].set(False)
    assert twin.devices["turbo-1"].read()["turbo-1.running"].value == 0.0
    assert twin.devices["mains"].read()["mains.power"].value == 0.0


def test_the_operator_applies_glove_work_after_a_lognormal_time() -> None:
    clock = SimClock()
    twin = build_twin(LINE, PROCEDURE, clock=clock, seed=0)
    twin.devices["operator"].set(act.Load("source-1", "chamber-4"))
    assert twin.devices["operator"].read()["operator.busy"].value == 1.0
    clock.run_for(3600.0)
    assert twin.devices["operator"].read()["operator.done"].value == 1.0
    assert twin.true_state().containers["source-1"].space == "chamber-4"


@pytest.mark.parametrize(
    ("spec", "name", "target", "at_s", "scale"),
    [("leak", "leak", None, None, None), ("leak:chamber-5@600*2", "leak", "chamber-5", 600.0, 2.0),
     ("stuck-door:outlet-3", "stuck-door", "outlet-3", None, None), ("power-loss@30", "power-loss", None, 30.0, None)],
)  # fmt: skip
def test_fault_specs_parse(spec: str, name: str, target: str | None, at_s: float | None, scale: float | None) -> None:
    fault = parse_fault(spec)
    assert (fault.name, fault.target, fault.at_s, fault.scale) == (name, target, at_s, scale)
    assert str(parse_fault(str(fault))) == str(fault)


def test_an_unknown_fault_lists_the_known_ones() -> None:
    with pytest.raises(FaultError) as info:
        parse_fault("gremlins")
    assert all(name in str(info.value) for name in FAULTS)


def test_a_fault_on_an_unknown_target_is_refused() -> None:
    with pytest.raises(FaultError, match="no door"):
        build_twin(LINE, PROCEDURE, clock=SimClock(), faults=["stuck-door:nope"])


def test_every_fault_has_a_description() -> None:
    assert {"leak", "impure-gas", "stuck-door", "pump-failure", "power-loss"} <= set(FAULTS)
    assert all(kind.description for kind in FAULTS.values())


def _turbo_pressures(stop_after_s: float | None, times_s: tuple[float, ...]) -> tuple[list[float], float]:
    clock = SimClock()
    twin = build_twin(LINE, PROCEDURE, clock=clock, seed=0)
    out: list[float] = []

    def run() -> Generator[simpy.Event, None, None]:
        twin.devices["turbo-1"].set(True)
        for t in times_s:
            yield clock.timeout(t - clock.now)
            if stop_after_s is not None and clock.now >= stop_after_s:
                twin.devices["turbo-1"].set(False)
            out.append(twin.true_state().atmospheres["apparatus-1"].pressure_pa)

    clock.run(run())
    return out, twin.plant.high_vacuum_s["apparatus-1"]


def test_the_turbo_needs_its_backing_pump_and_the_outgassing_to_reach_base_pressure() -> None:
    # backing pump: 8.4 min to the 10 Pa crossover; then the turbo against outgassing ∝ 1/t (PumpSet)
    pressures, elapsed = _turbo_pressures(None, (60.0, 480.0, 1200.0, 2100.0))
    assert pressures[0] > 1e4 and pressures[1] > 10.0  # still roughing: no high vacuum within seconds
    assert 1e-4 < pressures[2] < 1e-3
    assert pressures[3] < 1e-4  # 34 min to 1e-4 Pa
    pumps = LINE.pump_set("apparatus-1")
    assert pumps is not None
    assert elapsed == pytest.approx(2100.0 - pumps.wall_age_at_crossover_s, rel=1e-6)


def test_the_high_vacuum_clock_resets_when_the_pump_stops() -> None:
    pressures, elapsed = _turbo_pressures(1200.0, (1200.0, 1300.0))
    assert elapsed == 0.0
    assert pressures[1] >= pressures[0]  # sealed in vacuum: only the leak acts


def test_a_container_of_air_opened_in_a_purged_chamber_raises_its_o2() -> None:
    """The twin's plant applies the line's own transition: the container's gas mixes into the chamber."""
    from anodeline.line.state import Container
    from anodeline.physics.atmosphere.state import inert, room_air

    clock = SimClock()
    twin = build_twin(LINE, PROCEDURE, clock=clock, seed=0)
    plant = twin.plant
    plant.state = plant.state.with_atmosphere("chamber-5", inert("Ar", 0.5, 0.5))
    plant.state = plant.state.with_container(Container("jar", "chamber-5", True, room_air(), 1e-3))
    plant.apply(act.OpenContainer("jar"))
    o2 = twin.true_state().atmospheres["chamber-5"].o2_ppm
    assert 500.0 < o2 < 540.0
    assert not twin.true_state().containers["jar"].closed


def test_the_thermocouple_reads_the_plasma_heating_while_sputtering() -> None:
    """Issue 14 item 4: the twin's substrate used to stay at its setpoint under a 100 W plasma."""
    from anodeline.devices.commands import SourceCommand

    clock = SimClock()
    twin = build_twin(LINE, PROCEDURE, clock=clock, seed=0)
    deposit = next(step for step in PROCEDURE.steps if isinstance(step, act.Deposit))
    heater, gun = twin.devices["system-1/heater"], twin.devices["system-1/sputter-gun"]
    before = heater.read()["system-1/heater.temperature"].value
    gun.set(SourceCommand(deposit))
    during = heater.read()["system-1/heater.temperature"].value
    assert during - before == pytest.approx(19.7, abs=1.5)  # + thermocouple noise (0.2 K)
    twin.devices["mains"].set(False)  # the plasma goes with the power
    assert heater.read()["system-1/heater.temperature"].value < during - 15.0
