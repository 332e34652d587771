"""Opening a door between two gas spaces: they mix to one atmosphere.

Ideal gas, both at the same temperature, so moles are proportional to p·V. After the
door is open and the gas is mixed::

    p = (p_a·V_a + p_b·V_b)/(V_a + V_b)
    x = (x_a·p_a·V_a + x_b·p_b·V_b)/(p_a·V_a + p_b·V_b)      for x in O2, H2O, N2

Moles of every species are conserved. The matrix gas name is that of the space bringing
more moles (a's on a tie); the impurities, including air's own O2 and N2, are carried in
the fractions, so the name only labels the bulk. Complete mixing is assumed: the door is
open long enough (diffusion and the gloves' motion mix a box in minutes).
"""

from __future__ import annotations

import math

from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.state import PPM, Atmosphere


def moles_pa_m3(atm: Atmosphere, volume_m3: float) -> float:
    """Amount of gas as p·V, Pa·m³ (= n·R·T: proportional to moles at one temperature)."""
    return atm.pressure_pa * volume_m3


def mix(a: Atmosphere, volume_a_m3: float, b: Atmosphere, volume_b_m3: float) -> Atmosphere:
    """The atmosphere of spaces ``a`` and ``b`` joined and fully mixed."""
    for name, volume in (("volume_a_m3", volume_a_m3), ("volume_b_m3", volume_b_m3)):
        if not math.isfinite(volume) or volume < 0.0:
            raise AtmosphereError(f"{name} = {volume!r} must be >= 0")
    if volume_a_m3 + volume_b_m3 <= 0.0:
        raise AtmosphereError("two empty volumes cannot mix", hint="give at least one positive volume")
    n_a, n_b = moles_pa_m3(a, volume_a_m3), moles_pa_m3(b, volume_b_m3)
    total = n_a + n_b
    pressure_pa = total / (volume_a_m3 + volume_b_m3)
    if total <= 0.0:
        return Atmosphere(a.gas, 0.0, a.o2_ppm, a.h2o_ppm, a.n2_ppm)

    def weighted(x_a: float, x_b: float) -> float:
        return min((x_a * n_a + x_b * n_b) / total, PPM)

    return Atmosphere(
        gas=a.gas if n_a >= n_b else b.gas,
        pressure_pa=pressure_pa,
        o2_ppm=weighted(a.o2_ppm, b.o2_ppm),
        h2o_ppm=weighted(a.h2o_ppm, b.h2o_ppm),
        n2_ppm=weighted(a.n2_ppm, b.n2_ppm),
    )
