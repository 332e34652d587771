"""Atmosphere physics: humidity, evacuate/backfill purging, pump-down, glove boxes, mixing.

Each module states its equation and source; parameters carry theirs (estimates are
marked "(est.)"); see docs/models/atmosphere.md. Importing this package is cheap: scipy is
loaded only by the functions that need it.
"""

from __future__ import annotations

from anodeline.physics.atmosphere.errors import AtmosphereError, NoFrostPointError, UnreachablePressureError
from anodeline.physics.atmosphere.glovebox import (
    ISO_CLASS_1_GLOVE_BOX,
    TYPICAL_GLOVE_BOX,
    GloveBoxParams,
    evolve,
    steady_state,
)
from anodeline.physics.atmosphere.humidity import (
    dew_point_to_ppmv,
    frost_point_to_ppmv,
    ice_vapour_pressure_pa,
    ppmv_to_dew_point,
    ppmv_to_frost_point,
    water_vapour_pressure_pa,
)
from anodeline.physics.atmosphere.mixing import mix
from anodeline.physics.atmosphere.pumpdown import PumpSet, gas_load, pressure_at, pumpdown_time, ultimate_pressure
from anodeline.physics.atmosphere.purge import (
    HARMFUL_SPLIT,
    TYPICAL_SPLIT,
    FillGas,
    ImpuritySplit,
    backfill,
    cycles_needed,
    evacuate,
    purge,
    purge_cycle,
    purge_history,
    wall_water_return,
)
from anodeline.physics.atmosphere.state import Atmosphere, inert, room_air

__all__ = [
    "HARMFUL_SPLIT",
    "ISO_CLASS_1_GLOVE_BOX",
    "TYPICAL_GLOVE_BOX",
    "TYPICAL_SPLIT",
    "Atmosphere",
    "AtmosphereError",
    "FillGas",
    "GloveBoxParams",
    "ImpuritySplit",
    "NoFrostPointError",
    "PumpSet",
    "UnreachablePressureError",
    "backfill",
    "cycles_needed",
    "dew_point_to_ppmv",
    "evacuate",
    "evolve",
    "frost_point_to_ppmv",
    "gas_load",
    "ice_vapour_pressure_pa",
    "inert",
    "mix",
    "ppmv_to_dew_point",
    "ppmv_to_frost_point",
    "pressure_at",
    "pumpdown_time",
    "purge",
    "purge_cycle",
    "purge_history",
    "room_air",
    "steady_state",
    "ultimate_pressure",
    "wall_water_return",
    "water_vapour_pressure_pa",
]
