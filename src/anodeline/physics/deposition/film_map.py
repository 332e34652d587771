"""Film-thickness map across the substrate from the source–substrate geometry.

A small source whose emission falls off as ``cosⁿ θ`` from its normal, facing a parallel
substrate at throw distance ``h``, deposits at lateral distance ``r`` from its axis
(Ohring, *Materials Science of Thin Films*, 2nd ed., §3.4, eqs. 3-20 to 3-23; the
``n = 1`` case is Knudsen's cosine law)::

    t(r) / t(0) = [1 + (r/h)²]^−(n+3)/2

(``cosⁿ θ`` emission × ``cos θ`` incidence on the substrate × ``1/R²`` spreading, with
``cos θ = h/R``, ``R² = h² + r²``). A source offset ``d`` from the substrate centre moves
the axis; a substrate rotating about its centre sees, at radius ``ρ``, the azimuthal mean
``(1/2π) ∫ t(√(ρ² + d² − 2ρd cos φ)) dφ``, computed by the trapezoidal rule on a periodic
grid (spectrally accurate for this smooth periodic integrand). Pure Python: the
run path does not import numpy.

The recipe's thickness is the thickness at the substrate centre, where the quartz-crystal
monitor's tooling factor is calibrated; the map scales from there.

Emission exponents (``n``) per method are estimates: 1 for thermal evaporation (Knudsen
cell, small-area source) and, as the usual first approximation, for sputtering and ion
plating at the patent's working pressures (gas scattering broadens sputtered flux toward a
cosine); 8 for laser ablation, whose plume is strongly forward-peaked (``cosⁿ`` with ``n``
≈ 4–12 is reported; Chrisey & Hubler, *Pulsed Laser Deposition of Thin Films*, 1994, ch. 3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from anodeline.errors import ModelInputError
from anodeline.physics.checks import require_positive

#: cosⁿ θ emission exponent by deposition method (estimates; see the module docstring).
COSINE_EXPONENT: dict[str, float] = {
    "vacuum-evaporation": 1.0,
    "sputtering": 1.0,
    "ion-plating": 1.0,
    "laser-ablation": 8.0,
}
#: REFERENCES.md reference geometry (rates.py uses the same throw distance).
DEFAULT_THROW_DISTANCE_M = 0.20
#: Grid points along the substrate's longer side (the shorter side gets as many per mm).
GRID_POINTS = 41
#: Trapezoid points of the azimuthal mean: the integrand is smooth and periodic, so the
#: error falls exponentially (< 1e-9 relative against 720 points for d, ρ ≤ h; tested).
AZIMUTH_POINTS = 48
_COS = tuple(math.cos(2.0 * math.pi * k / AZIMUTH_POINTS) for k in range(AZIMUTH_POINTS))


@dataclass(frozen=True)
class SourceGeometry:
    """Where the source sits relative to the substrate, in SI units."""

    throw_distance_m: float = DEFAULT_THROW_DISTANCE_M
    offset_m: float = 0.0
    rotating: bool = False
    cosine_exponent: float = 1.0

    def __post_init__(self) -> None:
        require_positive(throw_distance_m=self.throw_distance_m)
        if self.offset_m < 0.0 or not math.isfinite(self.offset_m):
            raise ModelInputError(
                f"source offset {self.offset_m:g} m is not a finite distance ≥ 0",
                hint="state the offset of the source axis from the substrate centre, e.g. 'source_offset: 5 cm'",
            )
        if not 0.0 <= self.cosine_exponent <= 50.0:
            raise ModelInputError(
                f"cosine exponent {self.cosine_exponent:g} is outside 0–50",
                hint="0 is an isotropic point source, 1 a cosine (Knudsen) source, ≈8 a laser-ablation plume",
            )


def relative_thickness(r_m: float, geometry: SourceGeometry) -> float:
    """``t(r)/t(0)`` at lateral distance ``r`` from the source axis (no rotation)."""
    ratio = r_m / geometry.throw_distance_m
    return float((1.0 + ratio * ratio) ** (-(geometry.cosine_exponent + 3.0) / 2.0))


def rotated_thickness(rho_m: float, geometry: SourceGeometry, cosines: tuple[float, ...] = _COS) -> float:
    """Azimuthal mean of ``t/t(0)`` at radius ``rho`` on a substrate rotating about its centre."""
    d, h2 = geometry.offset_m, geometry.throw_distance_m**2
    power = -(geometry.cosine_exponent + 3.0) / 2.0
    base = (rho_m * rho_m + d * d) / h2
    cross = 2.0 * rho_m * d / h2
    return sum(max(1.0 + base - cross * c, 1.0) ** power for c in cosines) / len(cosines)


def profile(x_m: float, y_m: float, geometry: SourceGeometry) -> float:
    """Unnormalised thickness at substrate point (x, y), origin at the substrate centre."""
    if geometry.rotating:
        return rotated_thickness(math.hypot(x_m, y_m), geometry)
    return relative_thickness(math.hypot(x_m - geometry.offset_m, y_m), geometry)


@dataclass(frozen=True)
class FilmMap:
    """Thickness over a rectangular substrate (µm), on a grid centred on the substrate."""

    x_mm: tuple[float, ...]
    y_mm: tuple[float, ...]
    thickness_um: tuple[tuple[float, ...], ...]  # [y][x]
    nominal_um: float

    @property
    def min_um(self) -> float:
        return min(min(row) for row in self.thickness_um)

    @property
    def max_um(self) -> float:
        return max(max(row) for row in self.thickness_um)

    @property
    def mean_um(self) -> float:
        values = [v for row in self.thickness_um for v in row]
        return sum(values) / len(values)

    @property
    def nonuniformity(self) -> float:
        """``(max − min)/(max + min)``: the ± fraction thin-film specifications quote."""
        return (self.max_um - self.min_um) / (self.max_um + self.min_um)

    def area_resistance_ohm_cm2(self, sigma_s_per_cm: float) -> tuple[float, float]:
        """Lowest and highest area-specific resistance ``t/σ`` over the map (Ω·cm²)."""
        require_positive(sigma_s_per_cm=sigma_s_per_cm)
        return self.min_um * 1e-4 / sigma_s_per_cm, self.max_um * 1e-4 / sigma_s_per_cm

    def conductance_s(self, sigma_s_per_cm: float, area_cm2: float) -> float:
        """Through-film ionic conductance of the whole electrode, ``σ · ∫ dA / t`` (S).

        Each grid cell carries an equal share of the area; thin places conduct more.
        """
        require_positive(sigma_s_per_cm=sigma_s_per_cm, area_cm2=area_cm2)
        inverse = [1.0 / (v * 1e-4) for row in self.thickness_um for v in row]
        return sigma_s_per_cm * area_cm2 * sum(inverse) / len(inverse)

    def summary(self) -> dict[str, float]:
        return {
            "nominal_um": self.nominal_um,
            "min_um": self.min_um,
            "max_um": self.max_um,
            "mean_um": self.mean_um,
            "nonuniformity": self.nonuniformity,
        }


def film_map(nominal_um: float, width_m: float, length_m: float, geometry: SourceGeometry) -> FilmMap:
    """Map of a film whose thickness is ``nominal_um`` at the substrate centre."""
    require_positive(nominal_um=nominal_um, width_m=width_m, length_m=length_m)
    step = max(width_m, length_m) / (GRID_POINTS - 1)
    x = _axis(width_m, 2 * max(1, round(width_m / step / 2)) + 1)  # odd: the centre is a grid point
    y = _axis(length_m, 2 * max(1, round(length_m / step / 2)) + 1)
    centre = profile(0.0, 0.0, geometry)
    if not (centre > 0.0 and math.isfinite(centre)):
        raise ModelInputError(
            f"no flux reaches the substrate centre (throw distance {geometry.throw_distance_m:g} m, "
            f"offset {geometry.offset_m:g} m)",
            hint="bring the source within a few throw distances of the substrate",
        )
    scale = nominal_um / centre
    seen: dict[tuple[float, float], float] = {}  # rotation: t depends on the radius only

    def at(xi: float, yi: float) -> float:
        key = (round(math.hypot(xi, yi), 12), 0.0) if geometry.rotating else (xi, yi)
        if key not in seen:
            seen[key] = scale * profile(xi, yi, geometry)
        return seen[key]

    return FilmMap(
        x_mm=tuple(v * 1e3 for v in x),
        y_mm=tuple(v * 1e3 for v in y),
        thickness_um=tuple(tuple(at(xi, yi) for xi in x) for yi in y),
        nominal_um=nominal_um,
    )


def _axis(size_m: float, points: int) -> tuple[float, ...]:
    """``points`` evenly spaced positions from −size/2 to +size/2 (symmetric to the last bit)."""
    half = size_m / 2.0
    return tuple(half * (2.0 * i / (points - 1) - 1.0) for i in range(points))
