"""The twin's devices: each reads and commands the :class:`~anodeline.devices.sim.plant.Plant`.

Every one satisfies :class:`~anodeline.devices.protocols.Device`. Commands return at
once; what they do is read back (a door's position, a gauge). Analysers and gauges add
seeded noise and drift (:class:`~anodeline.devices.sim.params.TwinParams`); controls,
analysers and the operator's lamp are on a UPS, the rest stops with the mains.
Fault hooks (``on_set``) let :mod:`anodeline.devices.sim.faults` strike on a command.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from anodeline.devices.commands import SourceCommand
from anodeline.devices.protocols import Reading
from anodeline.devices.sim.plant import Plant
from anodeline.line import actions as act
from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.humidity import ppmv_to_frost_point
from anodeline.physics.deposition.erosion import use_rate_per_s
from anodeline.physics.deposition.rates import DEFAULT_PARAMS, deposition_rate_nm_per_s, params_for

Hook = Callable[[Any], None]
#: ``Reading(value, t)`` without the named tuple's Python-level ``__new__`` (a poll makes some forty).
_new_reading: Callable[[type[Reading], tuple[float, float]], Reading] = tuple.__new__


class SimDevice(ABC):
    """Common plumbing: a name, the plant, a seeded RNG and command hooks."""

    def __init__(self, name: str, plant: Plant, seed: int = 0) -> None:
        self._name = name
        self.plant = plant
        self.rng = random.Random(f"{seed}:{name}")
        self.on_set: list[Hook] = []

    @property
    def name(self) -> str:
        return self._name

    def _reading(self, value: float) -> Reading:
        return _new_reading(Reading, (float(value), self.plant.t))

    def _flag(self, channel: str, value: bool) -> dict[str, Reading]:
        return {f"{self._name}.{channel}": self._reading(1.0 if value else 0.0)}

    def set(self, value: Any) -> None:
        self.plant.advance()
        for hook in list(self.on_set):
            hook(value)
        self._command(value)

    def _command(self, value: Any) -> None:
        """Act on the plant (each settable device kind its own way); a sensor is read-only."""
        raise TypeError(f"{self._name} is a read-only device: it cannot be set to {value!r}")

    @abstractmethod
    def read(self) -> dict[str, Reading]:
        """The device's readings, with the plant's time."""

    @abstractmethod
    def stop(self) -> None:
        """Make the device safe."""


class SimPump(SimDevice):
    """A vacuum pump with its isolation valve: ``set(True)`` pumps the space, ``set(False)`` isolates it."""

    def __init__(self, name: str, plant: Plant, space: str, seed: int = 0) -> None:
        super().__init__(name, plant, seed)
        self.space = space

    def _command(self, value: Any) -> None:
        self.plant.set_pump(self.space, bool(value))

    @property
    def running(self) -> bool:
        p = self.plant
        return p.pumps_on[self.space] and p.powered and self._name not in p.failed_pumps

    def read(self) -> dict[str, Reading]:
        self.plant.advance()
        return {
            f"{self._name}.running": self._reading(1.0 if self.running else 0.0),
            f"{self._name}.fault": self._reading(1.0 if self._name in self.plant.failed_pumps else 0.0),
        }

    def stop(self) -> None:
        self.plant.set_pump(self.space, False)


class SimValve(SimDevice):
    """A normally-closed gas valve from a supply (through its regulator) into a space."""

    def __init__(self, name: str, plant: Plant, space: str, gas: str, seed: int = 0) -> None:
        super().__init__(name, plant, seed)
        self.space, self.gas = space, gas

    def _command(self, value: Any) -> None:
        self.plant.set_valve(self.space, self.gas, bool(value))

    def read(self) -> dict[str, Reading]:
        self.plant.advance()
        return self._flag("open", self.plant.valve_open(self.space))

    def stop(self) -> None:
        self.plant.set_valve(self.space, self.gas, False)


class SimPurifier(SimDevice):
    """A circulating glove-box purifier; its safe state is running, so ``stop()`` leaves it as it is."""

    def __init__(self, name: str, plant: Plant, space: str, seed: int = 0) -> None:
        super().__init__(name, plant, seed)
        self.space = space

    def _command(self, value: Any) -> None:
        self.plant.set_purifier(self.space, bool(value))

    def read(self) -> dict[str, Reading]:
        self.plant.advance()
        return self._flag("on", self.plant.purifiers_on[self.space] and self.plant.powered)

    def stop(self) -> None:
        """Circulating keeps the box clean: nothing to make safe."""


class SimSensor(SimDevice):
    """An O2 / H2O analyser, dew-point meter or pressure gauge: true value + noise + drift (seeded)."""

    def __init__(self, name: str, plant: Plant, space: str, measures: str, seed: int = 0) -> None:
        super().__init__(name, plant, seed)
        self.space, self.measures = space, measures
        p = plant.params
        sign = 1.0 if self.rng.random() < 0.5 else -1.0
        self.drift_per_s = {
            "o2": sign * p.o2_drift_ppm_per_h, "h2o": sign * p.h2o_drift_ppm_per_h, "dew-point": 0.0,
        }.get(measures, 0.0) / 3600.0  # fmt: skip
        #: Noise standard deviation = absolute + relative × value (None: a gauge, relative only).
        self.noise: tuple[float, float] | None = {
            "o2": (p.o2_noise_ppm, p.o2_noise_rel), "h2o": (p.h2o_noise_ppm, p.h2o_noise_rel),
            "dew-point": (p.h2o_noise_ppm, p.h2o_noise_rel),
        }.get(measures)  # fmt: skip

    def true_value(self) -> float:
        atm = self.plant.atmosphere(self.space)
        if self.measures == "o2":
            return atm.o2_ppm
        if self.measures in ("h2o", "dew-point"):
            return atm.h2o_ppm
        return atm.pressure_pa

    def read(self) -> dict[str, Reading]:
        value = self.true_value()
        if self.noise is not None:
            noise = self.noise[0] + self.noise[1] * value
        else:
            noise = self.plant.params.pressure_noise_rel * value
        measured = max(value + self.rng.gauss(0.0, noise) + self.drift_per_s * self.plant.t, 0.0)
        if self.measures == "dew-point":
            try:
                measured = ppmv_to_frost_point(max(measured, 1e-6))
            except AtmosphereError:
                measured = 0.0  # above the frost-point range: the meter reads its top
        return {self._name: self._reading(measured)}

    def set(self, value: Any) -> None:
        """Analysers take no command (a zero calibration would go here)."""

    def stop(self) -> None:
        """Nothing to make safe."""


class SimDoor(SimDevice):
    """An airtight door with a position feedback (0 closed … 1 open); can be faulted stuck."""

    def __init__(self, name: str, plant: Plant, seed: int = 0) -> None:
        super().__init__(name, plant, seed)
        self.stuck = False
        self._motion = 0  # generation of the pending move
        self._moving_to: bool | None = None
        self._started = 0.0

    @property
    def is_open(self) -> bool:
        return bool(self.plant.state.doors[self._name])

    def _command(self, value: Any) -> None:
        want = bool(value)
        if self.stuck or not self.plant.powered or (want == self.is_open and self._moving_to is None):
            return
        self._motion += 1
        motion = self._motion
        self._moving_to, self._started = want, self.plant.t

        def arrive() -> None:
            if motion != self._motion or not self.plant.powered or self.stuck:
                return
            self._moving_to = None
            if want != self.is_open:
                self.plant.apply(act.OpenDoor(self._name) if want else act.CloseDoor(self._name))

        self.plant.schedule(self.plant.params.door_travel_s, arrive)

    def position(self) -> float:
        self.plant.advance()
        if self._moving_to is None or self.stuck or not self.plant.powered:
            return 1.0 if self.is_open else 0.0
        share = min((self.plant.t - self._started) / self.plant.params.door_travel_s, 1.0)
        return share if self._moving_to else 1.0 - share

    def read(self) -> dict[str, Reading]:
        return {f"{self._name}.position": self._reading(self.position())}

    def stop(self) -> None:
        """Halt where it is (a moving door is not driven into anything)."""
        self._motion += 1
        self._moving_to = None


class SimHeater(SimDevice):
    """A substrate heater with its thermocouple: first-order response to the setpoint, plus the plasma's
    heating while a sputter source runs in its space (:mod:`anodeline.physics.deposition.thermal_history`)."""

    def __init__(self, name: str, plant: Plant, space: str, seed: int = 0) -> None:
        super().__init__(name, plant, seed)
        self.space = space

    def _command(self, value: Any) -> None:
        self.plant.set_heater(self.space, float(value))

    def read(self) -> dict[str, Reading]:
        self.plant.advance()
        heater = self.plant.heaters[self.space]
        noise = self.rng.gauss(0.0, self.plant.params.temperature_noise_degc)
        return {
            f"{self._name}.temperature": self._reading(heater.temperature_degc + heater.plasma_rise_k + noise),
            f"{self._name}.setpoint": self._reading(heater.setpoint_degc),
        }

    def stop(self) -> None:
        self.plant.set_heater(self.space, self.plant.params.ambient_degc)


class SimSource(SimDevice):
    """A deposition source with its quartz-crystal thickness monitor (rate from the rates model, falling as
    the plant's charge of this source wears: :mod:`anodeline.physics.deposition.erosion`)."""

    def __init__(self, name: str, plant: Plant, method: str, seed: int = 0) -> None:
        super().__init__(name, plant, seed)
        self.method = method
        self.tooling = 1.0 + self.rng.gauss(0.0, plant.params.qcm_tooling_sd)

    def _command(self, value: Any) -> None:
        deposit = value.deposit if isinstance(value, SourceCommand) else None
        rate, use = 0.0, 0.0
        if deposit is not None:
            rate = deposition_rate_nm_per_s(self.method, deposit.material, params_for(deposit.power_w))
            charge = self.plant.charges.get(self._name)
            if charge is not None:
                power = deposit.power_w or DEFAULT_PARAMS.sputtering.power_w
                use = use_rate_per_s(charge, deposit.material, power, rate)
        self.plant.set_source(self._name, rate, deposit, use)

    def read(self) -> dict[str, Reading]:
        self.plant.advance()
        run = self.plant.sources.get(self._name)
        on = bool(run and run.on and self.plant.powered)
        thickness = run.thickness_um * self.tooling if run else 0.0
        qcm = max(thickness + self.rng.gauss(0.0, self.plant.params.qcm_noise_um), 0.0) if run else 0.0
        rate = 0.0
        if on and run:  # the rate now: the fresh rate less the wear so far
            charge = self.plant.charges.get(self._name)
            rate = run.rate_nm_per_s * self.tooling * (charge.rate_factor() if charge is not None else 1.0)
        return {
            f"{self._name}.on": self._reading(1.0 if on else 0.0),
            f"{self._name}.thickness_um": self._reading(qcm),
            f"{self._name}.rate_nm_per_s": self._reading(rate),
        }

    def stop(self) -> None:
        self.plant.set_source(self._name, 0.0, None)


class Mains(SimDevice):
    """The mains supply: reads 1.0 while powered; ``set(False)`` cuts it (the power-loss fault)."""

    def _command(self, value: Any) -> None:
        if not value and self.plant.powered:
            self.plant.lose_power()

    def read(self) -> dict[str, Reading]:
        self.plant.advance()
        return self._flag("power", self.plant.powered)

    def stop(self) -> None:
        """The mains is not ours to switch off."""
