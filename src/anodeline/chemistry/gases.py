"""Chamber and process gases named by the patent, and how a gas text is read.

A gas is written as one name (``Ar``), a mixture joined by ``+`` (``Ar+He``), or
``dry-air``. Claims 10, 11, 26, 27, 42 and 43 allow He, N2, Ne, Ar, Kr, mixtures of
two or more of them, or dry air with a dew point of −50 °C or below in the glove
chambers and the apparatus; the description asks for a gas inactive to lithium
(He, Ne, Ar, Kr) during deposition itself.
"""

from __future__ import annotations

#: Gases the claims allow in chambers and apparatus (besides dry air).
CHAMBER_GASES: tuple[str, ...] = ("He", "N2", "Ne", "Ar", "Kr")
#: Gases the description names for the deposition atmosphere itself.
PROCESS_GASES: tuple[str, ...] = ("He", "Ne", "Ar", "Kr")
DRY_AIR = "dry-air"

_ALIASES = {
    "he": "He", "helium": "He", "n2": "N2", "nitrogen": "N2", "ne": "Ne", "neon": "Ne",
    "ar": "Ar", "argon": "Ar", "kr": "Kr", "krypton": "Kr",
    "dry-air": DRY_AIR, "dry air": DRY_AIR, "dryair": DRY_AIR, "dry_air": DRY_AIR,
}  # fmt: skip


def components(gas: str) -> tuple[str, ...]:
    """The canonical names of a gas text: ``'ar + HE'`` → ``('Ar', 'He')``.

    Unknown names are returned unchanged so that a rule can name them.
    """
    parts = [part.strip() for part in gas.split("+")]
    return tuple(_ALIASES.get(part.lower(), part) for part in parts if part)


def is_dry_air(gas: str) -> bool:
    return components(gas) == (DRY_AIR,)


def contains_nitrogen(gas: str) -> bool:
    return "N2" in components(gas)
