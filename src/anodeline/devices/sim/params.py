"""Numbers of the digital twin that the line file does not state; each with its source or (est.).

The physics itself lives in :mod:`anodeline.physics` (docs/models.md); these are the
device behaviours around it: analyser noise and drift, door travel, fill flow, heater
response, operator work times.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from anodeline.physics.atmosphere.glovebox import ISO_CLASS_1_LEAK_PER_H, TYPICAL_LEAK_PER_H
from anodeline.physics.atmosphere.state import STANDARD_PRESSURE_PA

#: A standard litre per minute as a gas throughput, Pa·m³/s (1e-3 m³/min at 1 atm).
SLM_PA_M3_PER_S = 1e-3 / 60.0 * STANDARD_PRESSURE_PA

#: Median glove/operator work time per action kind, s (est.: a trained operator, Example 1's steps).
OPERATOR_MEDIAN_S: dict[str, float] = {
    "load": 120.0,  # open the antechamber port, place the container, close it
    "unload": 120.0,
    "open_container": 25.0,
    "close_container": 25.0,
    "move": 20.0,
}


@dataclass(frozen=True)
class TwinParams:
    """Device behaviour of the twin (all estimates unless a source is named)."""

    o2_noise_ppm: float = 0.02  # electrochemical/zirconia analyser, ±1 % of reading + 0.02 ppm (est.)
    o2_noise_rel: float = 0.01
    o2_drift_ppm_per_h: float = 0.02  # zero drift, magnitude; sign drawn per sensor (est.)
    h2o_noise_ppm: float = 0.05  # chilled-mirror / capacitive hygrometer (est.)
    h2o_noise_rel: float = 0.02
    h2o_drift_ppm_per_h: float = 0.05
    pressure_noise_rel: float = 0.005  # capacitance manometer ±0.5 % of reading (est.)
    temperature_noise_degc: float = 0.2  # thermocouple (est.)
    qcm_noise_um: float = 0.0005  # quartz-crystal monitor ±0.5 nm (est.)
    qcm_tooling_sd: float = 0.01  # tooling-factor error between QCM and film, 1 % (est.)
    door_travel_s: float = 8.0  # pneumatic gate valve / door (est.)
    fill_flow_pa_m3_per_s: float = 100.0 * SLM_PA_M3_PER_S  # backfill at 100 slm (est.)
    regulator_pa: float = 1.02 * STANDARD_PRESSURE_PA  # backfill regulator, slightly above 1 atm (est.)
    heater_tau_s: float = 300.0  # first-order substrate stage (est.; the plasma model is faster)
    ambient_degc: float = 25.0
    #: Apparatus leak + permeation at 1 atm difference, Pa·m³/s (est.: Viton-sealed UHV chamber).
    apparatus_leak_pa_m3_per_s: float = 1e-8
    chamber_leak_per_h: float = TYPICAL_LEAK_PER_H  # glovebox.py: a good box gains ~2 ppm O2/h
    operator_sigma: float = 0.35  # lognormal spread of work times (est.: p95 ≈ 1.8 × median)
    operator_median_s: dict[str, float] = field(default_factory=lambda: dict(OPERATOR_MEDIAN_S))


#: The leak fault: five times the ISO 10648-2 class 1 hourly leak rate (the class 2 limit, 2.5e-3/h);
#: docs/engine.md explains why a larger one beats any operator in a 400 L chamber.
FAULT_LEAK_SCALE = 5.0
FAULT_LEAK_PER_H = FAULT_LEAK_SCALE * ISO_CLASS_1_LEAK_PER_H
#: The impure-gas fault: the bottle's real purity (its label says 99.99 %).
FAULT_PURITY = 0.995
