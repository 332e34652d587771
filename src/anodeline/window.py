"""The patent's process window: every bound anodeline enforces, with its source.

Numbers are kept in plain SI-friendly units named in the field (``_um``, ``_degC``,
``_pa``, fractions) because they are constants of the claims, not user input. The
recipe rules, the line interlocks and the docs all read them from here, so a bound
is written once.

Claim numbers refer to CA 2,350,384 C (Sumitomo Electric, "Method of producing
negative electrode for lithium secondary cell"), ``shared/seed`` in this project.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    """A closed interval ``[low, high]`` with its unit and where it comes from."""

    low: float
    high: float
    unit: str
    source: str

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def text(self) -> str:
        return f"{self.low:g}–{self.high:g} {self.unit}"


#: Solid-electrolyte film thickness (claims 1, 17, 33, 49).
ELECTROLYTE_THICKNESS_UM = Bound(0.01, 10.0, "µm", "claims 1, 17, 33 and 49")
#: Preferred electrolyte thickness (description: "preferably a thickness of 0.1 µm to 2 µm").
ELECTROLYTE_THICKNESS_PREFERRED_UM = Bound(0.1, 2.0, "µm", "patent description (preferred range)")
#: Lithium / lithium-alloy film (claims 8–9, 17 e), 24–25, 33 e), 40–41: at most 20 µm, 0.1 µm up).
LITHIUM_FILM_THICKNESS_UM = Bound(0.1, 20.0, "µm", "claims 8, 9, 17, 25, 33 and 41")
#: Preferred lithium film thickness (description: "preferably in the range of 1 µm to 10 µm").
LITHIUM_FILM_THICKNESS_PREFERRED_UM = Bound(1.0, 10.0, "µm", "patent description (preferred range)")
#: Negative-electrode base material / substrate thickness (description).
SUBSTRATE_THICKNESS_UM = Bound(1.0, 100.0, "µm", "patent description (base material 1–100 µm)")

#: Film composition windows in atomic fraction (claims 12, 28, 44; description).
LITHIUM_FRACTION = Bound(0.30, 0.65, "atomic fraction", "claims 12, 28 and 44")
NETWORK_FORMER_FRACTION = Bound(
    0.001, 0.30, "atomic fraction",
    "patent description (element B 0.1–30 at%); claims 12, 28, 44 require one of P, Si, B, Ge, Ga",
)  # fmt: skip
SULFUR_FRACTION = Bound(
    0.20, 0.60, "atomic fraction", "patent description (S 20–60 at%); claims 12, 28, 44 require sulfur"
)
OXYGEN_NITROGEN_FRACTION = Bound(
    0.001, 0.10, "atomic fraction", "patent description (O and/or N 0.1–10 at%); claims 13, 29, 45 allow them"
)
#: Element group B of the claims.
NETWORK_FORMERS: tuple[str, ...] = ("P", "Si", "B", "Ge", "Ga")

#: Heating of the film (substrate or post-anneal): description, "preferably 40 °C to 200 °C".
HEATING_DEGC = Bound(40.0, 200.0, "°C", "patent description (heating 40–200 °C)")
#: Room temperature as the patent defines it ("room temperature (5 °C to 35 °C)").
ROOM_TEMPERATURE_DEGC = Bound(5.0, 35.0, "°C", "patent description (room temperature 5–35 °C)")
#: Melting point of lithium: heating on lithium stays below it (description).
LITHIUM_MELTING_DEGC = 179.0

#: Background vacuum of the deposition (description: not higher than 1.33e-4 Pa = 1e-6 Torr).
BASE_PRESSURE_MAX_PA = 1.33e-4
#: Process / chamber gas purity (description: at least 99.99 %).
GAS_PURITY_MIN = 0.9999
#: Dry air is acceptable only with a dew point at or below −50 °C (claims 10, 11, 26, 27, 42, 43).
DRY_AIR_DEW_POINT_MAX_DEGC = -50.0
#: The same limit as water content: frost point −50 °C at 101325 Pa (Murphy & Koop 2005; a test checks it
#: against physics.atmosphere.humidity.frost_point_to_ppmv).
DRY_AIR_H2O_MAX_PPMV = 38.9

#: Film properties the patent claims or reports.
CONDUCTIVITY_MIN_S_PER_CM = 1e-4  # claims 15, 31, 47
CONDUCTIVITY_MAX_REPORTED_S_PER_CM = 2.5e-3  # description: typically up to 2.5e-3 S/cm
ACTIVATION_ENERGY_MAX_KJ_PER_MOL = 40.0  # description: 40 kJ/mol or below

#: Deposition methods named in claims 16, 32, 48 (and the description for lithium films).
METHODS: tuple[str, ...] = ("sputtering", "vacuum-evaporation", "laser-ablation", "ion-plating")
#: Lithium alloy additives (description: In, Ti, Zn, Bi and Sn).
LITHIUM_ALLOY_ELEMENTS: tuple[str, ...] = ("In", "Ti", "Zn", "Bi", "Sn")
#: Base materials the description names for the substrate.
SUBSTRATE_MATERIALS: tuple[str, ...] = (
    "Cu", "Ni", "Al", "Fe", "Nb", "Ti", "W", "In", "Mo", "Mg", "Au", "Ag", "Pt",
    "stainless-steel", "SnO2", "graphite", "C", "Li",
)  # fmt: skip
