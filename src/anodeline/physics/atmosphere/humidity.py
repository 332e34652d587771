"""Water content of a gas from its frost or dew point, and back (Murphy & Koop 2005).

Saturation vapour pressure, Pa, at temperature T, K (Murphy & Koop, Q. J. R. Meteorol.
Soc. 131 (2005) 1539, eqs. 7 and 10):

* over ice (valid T > 110 K)::

    ln e_i = 9.550426 − 5723.265/T + 3.53068·ln T − 0.00728332·T

* over liquid water, including supercooled water (valid 123 K < T < 332 K)::

    ln e_w = 54.842763 − 6763.22/T − 4.210·ln T + 0.000367·T
             + tanh(0.0415·(T − 218.8))·(53.878 − 1331.22/T − 9.44523·ln T + 0.014025·T)

Water content as a volume (mole) ratio to the dry gas, the hygrometer convention
(shared/REFERENCES.md): ``ppmv = e/(P − e)·1e6``. The enhancement factor of real gas
(about 1.004 at 1 atm) is neglected. A *frost point* is over ice; a *dew point* below 0 °C
quoted by some sensors is over supercooled water and gives more water for the same reading.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from anodeline.physics.atmosphere.errors import AtmosphereError, NoFrostPointError

#: Standard atmosphere, Pa (ISO 2533).
STANDARD_PRESSURE_PA = 101325.0
#: 0 °C in kelvin.
ZERO_DEGC_K = 273.15
#: Triple point of water, K (ITS-90); the frost-point curve ends here.
TRIPLE_POINT_K = 273.16
#: Validity of the ice and liquid formulas, K (Murphy & Koop 2005).
ICE_MIN_K = 110.0
WATER_MIN_K, WATER_MAX_K = 123.0, 332.0


def ice_vapour_pressure_pa(temperature_k: float) -> float:
    """Saturation vapour pressure over hexagonal ice, Pa (Murphy & Koop 2005, eq. 7)."""
    t = temperature_k
    return math.exp(9.550426 - 5723.265 / t + 3.53068 * math.log(t) - 0.00728332 * t)


def water_vapour_pressure_pa(temperature_k: float) -> float:
    """Saturation vapour pressure over liquid (also supercooled) water, Pa (Murphy & Koop 2005, eq. 10)."""
    t = temperature_k
    return math.exp(
        54.842763
        - 6763.22 / t
        - 4.210 * math.log(t)
        + 0.000367 * t
        + math.tanh(0.0415 * (t - 218.8)) * (53.878 - 1331.22 / t - 9.44523 * math.log(t) + 0.014025 * t)
    )


def vapour_pressure_to_ppmv(vapour_pa: float, pressure_pa: float = STANDARD_PRESSURE_PA) -> float:
    """Volume ratio of water to dry gas, ppmv: e/(P − e)·1e6."""
    if not 0.0 <= vapour_pa < pressure_pa:
        raise AtmosphereError(
            f"water vapour {vapour_pa:.4g} Pa is not below the total pressure {pressure_pa:.4g} Pa",
            hint="the gas would be pure steam; check the temperature and the pressure",
        )
    return vapour_pa / (pressure_pa - vapour_pa) * 1e6


def ppmv_to_vapour_pressure_pa(ppmv: float, pressure_pa: float = STANDARD_PRESSURE_PA) -> float:
    """Partial pressure of water, Pa, from its volume ratio to dry gas (inverse of :func:`vapour_pressure_to_ppmv`)."""
    if not math.isfinite(ppmv) or ppmv <= 0.0:
        raise AtmosphereError(f"water content {ppmv!r} ppmv must be positive", hint="e.g. 10.7 (ppmv)")
    ratio = ppmv * 1e-6
    return pressure_pa * ratio / (1.0 + ratio)


def _check_range(temperature_k: float, low_k: float, high_k: float, what: str) -> None:
    if not low_k <= temperature_k <= high_k:
        raise AtmosphereError(
            f"{what} {temperature_k - ZERO_DEGC_K:.2f} °C is outside the formula's range "
            f"{low_k - ZERO_DEGC_K:.2f} … {high_k - ZERO_DEGC_K:.2f} °C",
            hint="frost points are over ice, below 0.01 °C; dew points over water run −150 … 58 °C",
        )


def frost_point_to_ppmv(frost_point_degc: float, pressure_pa: float = STANDARD_PRESSURE_PA) -> float:
    """Water content, ppmv, of gas whose frost point (over ice) is ``frost_point_degc``."""
    temperature_k = frost_point_degc + ZERO_DEGC_K
    _check_range(temperature_k, ICE_MIN_K, TRIPLE_POINT_K, "frost point")
    return vapour_pressure_to_ppmv(ice_vapour_pressure_pa(temperature_k), pressure_pa)


def dew_point_to_ppmv(dew_point_degc: float, pressure_pa: float = STANDARD_PRESSURE_PA) -> float:
    """Water content, ppmv, of gas whose dew point over liquid (below 0 °C: supercooled) water is given."""
    temperature_k = dew_point_degc + ZERO_DEGC_K
    _check_range(temperature_k, WATER_MIN_K, WATER_MAX_K, "dew point")
    return vapour_pressure_to_ppmv(water_vapour_pressure_pa(temperature_k), pressure_pa)


#: scipy.optimize.brentq's default relative tolerance (4 × machine epsilon) and iteration cap.
_BRENT_RTOL = 4 * 2.220446049250313e-16
_BRENT_MAXITER = 100


def brent_root(f: Callable[[float], float], xa: float, xb: float, xtol: float) -> float:
    """A root of ``f`` in [xa, xb] by Brent's method, step for step as scipy.optimize.brentq computes it.

    The same algorithm as scipy's C ``brentq`` (Brent 1973, "Algorithms for Minimization without
    Derivatives", ch. 4), written out in Python so that a sensor read does not pay scipy's import
    (~0.5 s) and call overhead; the arithmetic is the same, so the roots are bit-identical
    (tests/physics/atmosphere/test_humidity.py compares it with scipy on a grid).
    """
    xpre, xcur = xa, xb
    xblk = fblk = spre = scur = 0.0
    fpre, fcur = f(xpre), f(xcur)
    if fpre == 0:
        return xpre
    if fcur == 0:
        return xcur
    if math.copysign(1.0, fpre) == math.copysign(1.0, fcur):
        raise AtmosphereError("no root in the bracket: f(a) and f(b) have the same sign")
    for _ in range(_BRENT_MAXITER):
        if fpre != 0 and fcur != 0 and math.copysign(1.0, fpre) != math.copysign(1.0, fcur):
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + _BRENT_RTOL * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return xcur
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:  # interpolate
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:  # extrapolate
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):
                spre, scur = scur, stry  # a good short step
            else:
                spre = scur = sbis  # bisect
        else:
            spre = scur = sbis  # bisect
        xpre, fpre = xcur, fcur
        if abs(scur) > delta:
            xcur += scur
        else:
            xcur += delta if sbis > 0 else -delta
        fcur = f(xcur)
    raise AtmosphereError(f"Brent's method did not converge in {_BRENT_MAXITER} iterations")


def ppmv_to_frost_point(ppmv: float, pressure_pa: float = STANDARD_PRESSURE_PA) -> float:
    """Frost point (over ice), °C, of gas holding ``ppmv`` water; inverse by Brent's method.

    Raises :class:`NoFrostPointError` when the gas is too wet to frost (dew point above 0.01 °C).
    """
    vapour_pa = ppmv_to_vapour_pressure_pa(ppmv, pressure_pa)
    if vapour_pa > ice_vapour_pressure_pa(TRIPLE_POINT_K):
        raise NoFrostPointError(
            f"{ppmv:.6g} ppmv at {pressure_pa:.6g} Pa condenses above 0.01 °C and has no frost point",
            hint="ask for the dew point over water instead",
        )
    if vapour_pa < ice_vapour_pressure_pa(ICE_MIN_K):
        raise AtmosphereError(f"{ppmv:.3g} ppmv is below the range of the ice formula (frost point < −163 °C)")
    log, exp = math.log, math.exp

    def f(t: float) -> float:  # log(ice_vapour_pressure_pa(t) / vapour_pa), its formula inlined (a poll runs ~13)
        return log(exp(9.550426 - 5723.265 / t + 3.53068 * log(t) - 0.00728332 * t) / vapour_pa)

    root_k = brent_root(f, ICE_MIN_K, TRIPLE_POINT_K, 1e-10)
    return float(root_k) - ZERO_DEGC_K


def ppmv_to_dew_point(ppmv: float, pressure_pa: float = STANDARD_PRESSURE_PA) -> float:
    """Dew point over liquid (below 0 °C: supercooled) water, °C, of gas holding ``ppmv`` water."""
    vapour_pa = ppmv_to_vapour_pressure_pa(ppmv, pressure_pa)
    low, high = water_vapour_pressure_pa(WATER_MIN_K), water_vapour_pressure_pa(WATER_MAX_K)
    if not low <= vapour_pa <= high:
        raise AtmosphereError(
            f"{ppmv:.6g} ppmv at {pressure_pa:.6g} Pa is outside the water formula's range (−150 … 58 °C)"
        )
    root_k = brent_root(lambda t: math.log(water_vapour_pressure_pa(t) / vapour_pa), WATER_MIN_K, WATER_MAX_K, 1e-10)
    return float(root_k) - ZERO_DEGC_K
