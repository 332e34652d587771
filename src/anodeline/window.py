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
    low_open: bool = False  # the low end itself is outside (a pressure must be above 0 Pa)

    def contains(self, value: float) -> bool:
        """Is ``value`` inside? NaN never is."""
        above = self.low < value if self.low_open else self.low <= value
        return above and value <= self.high

    def text(self) -> str:
        if self.low_open:
            return f"above {self.low:g} and at most {self.high:g} {self.unit}"
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

#: Standard atmosphere, Pa (ISO 2533).
ATMOSPHERE_PA = 101325.0
#: O2 in dry air, mole fraction (US Standard Atmosphere 1976).
AIR_O2_FRACTION = 0.20946
#: A gas of 99.99 % purity carries at most 100 ppm of anything else: the loosest impurity limit the patent allows.
IMPURITY_MAX_PPM = round((1.0 - GAS_PURITY_MIN) * 1e6, 9)
#: The recipe's O2 ceiling (atmosphere.max_o2): never looser than the impurities of 99.99 % gas.
MAX_O2_PPM = Bound(
    0.0, IMPURITY_MAX_PPM, "ppm",
    "patent description (gas purity at least 99.99 %: at most 100 ppm of impurities); Example 1",
)  # fmt: skip
#: The recipe's H2O ceiling (atmosphere.max_h2o): never wetter than dry air at the claims' −50 °C dew point.
MAX_H2O_PPM = Bound(
    0.0, DRY_AIR_H2O_MAX_PPMV, "ppm",
    "claims 10, 11, 26, 27, 42, 43 (dry air at a dew point of −50 °C or below); frost point −50 °C = 38.9 ppmv "
    "at 101325 Pa (Murphy & Koop, Q. J. R. Meteorol. Soc. 131 (2005) 1539)",
)  # fmt: skip
#: A line's ``policy.vacuum_below``: an item may meet any residual gas below it, air included. Air at p carries
#: 0.20946·p of O2; at 48.4 Pa that is the O2 partial pressure of 100 ppm at 1 atm (99.99 % gas), so no vacuum
#: the policy accepts holds more oxygen than the purest gas the patent requires. Inside the medium-vacuum range.
VACUUM_BELOW_PA = Bound(
    0.0, round(IMPURITY_MAX_PPM * 1e-6 * ATMOSPHERE_PA / AIR_O2_FRACTION, 1), "Pa",
    "physics (air at 48.4 Pa holds the O2 partial pressure of 100 ppm at 1 atm, the impurity of 99.99 % gas); "
    "ISO 3529-1 (medium vacuum 0.1–100 Pa)",
    low_open=True,
)  # fmt: skip
#: A line's ``policy.door_pressure_tolerance``: the largest pressure step a door may open across.
DOOR_TOLERANCE_PA = Bound(
    0.0, 10000.0, "Pa",
    "physics (a door opened across Δp drives a gas surge of Δp/p of the higher side: 10 kPa is 10 % of an "
    "atmosphere); glove-box practice (boxes are held within about ±1 kPa of ambient, ISO 10648-2)",
    low_open=True,
)  # fmt: skip
#: A line's ``policy.glove_pressure_min``: glove work happens near atmospheric pressure.
GLOVE_PRESSURE_MIN_PA = Bound(
    80000.0, 110000.0, "Pa",
    "glove-box practice (gloves are worked within a few kPa of ambient; far below it the room pushes the gloves "
    "into the box and strains them, and a torn glove lets air in); 80 kPa is ambient at about 1900 m",
)  # fmt: skip
#: Any absolute gas pressure in a line, a recipe or a procedure: above 0 Pa, and no more than 0.5 bar over an
#: atmosphere, above which a vessel is pressure equipment (glove boxes and vacuum chambers are not).
GAS_PRESSURE_PA = Bound(
    0.0, ATMOSPHERE_PA + 50000.0, "Pa",
    "physics (an absolute pressure is positive); Pressure Equipment Directive 2014/68/EU (above 0.5 bar gauge a "
    "vessel is pressure equipment: glove boxes and vacuum chambers are not built for it)",
    low_open=True,
)  # fmt: skip
#: The longest single step (an anneal or a purifier hold): the patent's heat treatments and purges take
#: minutes to hours; the compiler's purifier holds stop at 48 h (procedure.steps.MAX_HOLD_S).
STEP_DURATION_MAX_S = 48 * 3600.0
STEP_DURATION_S = Bound(
    0.0, STEP_DURATION_MAX_S, "s",
    "anodeline's ceiling on one step (the patent's heat treatments and purges last minutes to hours; the "
    "compiler's purifier holds stop at 48 h)",
)  # fmt: skip
#: A deposited film in a procedure file: positive, at most the thickest film the claims allow (20 µm lithium).
FILM_THICKNESS_UM = Bound(
    0.0, 20.0, "µm", "claims 1, 8, 9, 17, 25, 33, 41 (electrolyte ≤ 10 µm, lithium film ≤ 20 µm)", low_open=True
)
#: A deposition step's stated source power (0: the method's default): a pilot-line magnetron gun takes at most a
#: few kW (est.; sulfide targets crack above ~3 W/cm², docs/models/deposition.md).
SOURCE_POWER_W = Bound(0.0, 10_000.0, "W", "est.: a pilot-line sputter gun's supply (≤ 10 kW)")
#: A heater set-point: a substrate heater cannot cool below room temperature (5 °C, patent description), and
#: nothing here is heated to 1000 °C (the heating window is 40–200 °C; Cu foil melts at 1085 °C). The heater's
#: own maximum is the interlock HEAT002.
HEATER_SETPOINT_DEGC = Bound(
    5.0, 1000.0, "°C",
    "patent description (room temperature 5–35 °C, heating 40–200 °C); Cu, a named base material, melts at 1085 °C",
)  # fmt: skip

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
