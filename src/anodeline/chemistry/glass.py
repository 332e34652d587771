"""Estimated glass-transition temperature of a sulfide electrolyte film.

The patent asks that heating stay below the film's glass transition (description),
but gives no Tg. These are literature estimates per network former, used when a
recipe does not state ``glass_transition``; the lowest estimate among the formers
present (≥ 1 at%) is taken, to err on the safe side.

Sources (shared/REFERENCES.md):
- Li2S–SiS2 bulk glasses: Tg ≈ 300–340 °C (est.); the low end is used.
- Li2S–P2S5 glasses (70Li2S·30P2S5): crystallise to Li7P3S11 at 280–360 °C
  (Mizuno et al., Solid State Ionics 177 (2006) 2721); Tg ≈ 200 °C taken (est.).
- Ge-containing thin films (PLD 33Li4GeS4·67Li3PS4): Tg ≈ 160 °C
  (Ito et al., J. Ceram. Soc. Jpn. 122 (2014) 341).
- Ga2S3 and B2S3 glasses: no reference at hand; 200 °C assumed (est.).
"""

from __future__ import annotations

from collections.abc import Mapping

#: former → (Tg estimate in °C, source)
TG_ESTIMATES_DEGC: dict[str, tuple[float, str]] = {
    "Si": (300.0, "Li2S–SiS2 bulk glass Tg ≈ 300–340 °C (est.)"),
    "P": (200.0, "Li2S–P2S5 glass, Mizuno et al. 2006 (est.)"),
    "Ge": (160.0, "Ito et al., J. Ceram. Soc. Jpn. 122 (2014) 341"),
    "Ga": (200.0, "assumed (est.), no reference"),
    "B": (200.0, "assumed (est.), no reference"),
}
_MIN_FRACTION = 0.01


def estimate_tg_degc(fractions: Mapping[str, float]) -> tuple[float, str] | None:
    """The lowest Tg estimate among the network formers present, with its source."""
    present = [TG_ESTIMATES_DEGC[el] for el in TG_ESTIMATES_DEGC if fractions.get(el, 0.0) >= _MIN_FRACTION]
    return min(present) if present else None
