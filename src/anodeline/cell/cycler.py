"""The twin's cell test: charge and discharge the assembled cell with PyBaMM (claims 7, 23, 39; Example 1).

Model: PyBaMM's Doyle–Fuller–Newman model of a lithium-metal half cell
(``{"working electrode": "positive"}``: porous LiCoO2 positive electrode, separator, lithium-metal
negative with Butler–Volmer kinetics at its surface) with a contact resistance (``{"contact
resistance": "true"}``) for the sulfide film between the lithium and the separator::

    R_film = t_SE / σ25                      area resistance of the film [Ω·cm²]
    R_c    = R_film / (faces · A)            the cell's contact resistance [Ω]
    V      = U_LiCoO2(c_s,surf) − η's − I·R_c   (PyBaMM's DFN terminal voltage)

Parameters (docs/assembly.md): LiCoO2, electrolyte and separator from Ramadass et al. (2004) as
shipped with PyBaMM (``Ramadass2004``), lithium-metal kinetics from Xu et al. (2019)
(``Xu2019``); geometry and loading from the cell design (cell/design.py: coating thickness,
47 vol% LiCoO2, separator, area, faces). Estimated (est.): the gel's electrolyte fraction 0.48
(1 − 0.47 LiCoO2 − 0.05 carbon), Bruggeman exponent 1.5 in the positive electrode (the classic
value; Ramadass's 4.0 belongs to an 80 µm electrode and gives 0.6 % less capacity), the as-assembled lithium
fraction 0.86 (the fit's domain ends near 0.88), a constant-voltage hold to a tenth of the current.

Protocol: charge at the test current to ``charge_to``, hold until a tenth of it, discharge at the
test current to ``discharge_to``; the discharge step is the result. One cycle is simulated: the
model has no ageing, so cycles beyond the first would repeat it (capacity retention is not modelled).

PyBaMM is an optional extra (``pip install 'anodeline[cell]'``), imported only here and only when a
recipe with an ``assembly`` section is run; :func:`require_pybamm` checks for it without importing it.
"""

from __future__ import annotations

import importlib.util
import math
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from anodeline.cell.design import CellDesign, ElectrodeStack
from anodeline.cell.model import estimate_cell
from anodeline.errors import AnodelineError

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.recipe.schema import Assembly

#: LiCoO2 crystal density (g/cm³), to turn the design's active mass fraction into a volume fraction (est. CRC).
LICOO2_DENSITY_G_PER_CM3 = 5.05
#: Carbon additive's volume fraction of the gel electrode (est.).
CARBON_VOLUME_FRACTION = 0.05
#: Bruggeman exponent of the gel positive electrode (est.: the classic sphere-packing value).
BRUGGEMAN = 1.5
#: Lithium fraction of the LiCoO2 as assembled (est.; Ramadass's OCP fit holds for 0.45–0.88).
INITIAL_LITHIUM_FRACTION = 0.86
#: The constant-voltage hold ends at this fraction of the test current (est.).
HOLD_END_FRACTION = 0.1
#: Points kept of the discharge curve in results and records.
CURVE_POINTS = 41
MODEL = "DFN (lithium-metal half cell, contact resistance)"
PARAMETERS = "Ramadass2004 (LiCoO2, electrolyte, separator) + Xu2019 (lithium metal)"
#: The lithium-metal parameters taken from Xu2019 into Ramadass2004.
_LITHIUM_KEYS = (
    "Exchange-current density for lithium metal electrode [A.m-2]",
    "Lithium metal partial molar volume [m3.mol-1]",
    "Negative electrode OCP [V]",
    "Negative electrode conductivity [S.m-1]",
    "Negative electrode charge transfer coefficient",
    "Negative electrode double-layer capacity [F.m-2]",
    "Negative electrode OCP entropic change [V.K-1]",
)


class CellTestError(AnodelineError, RuntimeError):
    """The cell test cannot run: PyBaMM is missing, or its solver failed on this cell."""

    code = "CELL"


def require_pybamm() -> None:
    """Raise :class:`CellTestError` (one line, with the fix) when PyBaMM is not installed; never imports it."""
    if importlib.util.find_spec("pybamm") is None:
        raise CellTestError(
            "the cell test of a recipe with an 'assembly' section needs PyBaMM, which is not installed",
            hint="pip install 'anodeline[cell]' (or pip install pybamm)",
        )


@dataclass(frozen=True)
class TestProtocol:
    """Charge to ``charge_to_v`` at ``current_a``, hold, discharge at ``current_a`` to ``discharge_to_v``."""

    charge_to_v: float = 4.2  # Example 1
    current_a: float = 0.1  # Example 1: 100 mA
    discharge_to_v: float = 3.5  # Example 1
    cycles: int = 1  # stated; one is simulated (no ageing model)

    __test__ = False  # not a pytest class

    @classmethod
    def from_assembly(cls, assembly: Assembly) -> TestProtocol:
        test = assembly.test
        return cls(float(test.charge_to.to("V").magnitude), float(test.discharge_current.to("A").magnitude),
                   float(test.discharge_to.to("V").magnitude), test.cycles)  # fmt: skip


@dataclass(frozen=True)
class CellTestResult:
    """The discharge of the assembled cell: capacity, energy, energy density and the curve."""

    capacity_ah: float
    energy_wh: float
    mean_voltage_v: float
    wh_per_l: float  # energy / the packaged volume of the volumetric model (cell/model.py)
    charge_capacity_ah: float
    curve: tuple[tuple[float, float], ...]  # (discharged Ah, V), CURVE_POINTS points
    discharge_hours: float
    contact_resistance_ohm: float
    film_area_resistance_ohm_cm2: float
    protocol: TestProtocol
    solve_seconds: float
    cycles_simulated: int = 1

    def to_dict(self) -> dict[str, Any]:
        """Plain data, rounded to what a cycler resolves (1 µAh, 1 mV), so a run's JSON is reproducible."""
        p = self.protocol
        return {
            "capacity_ah": round(self.capacity_ah, 6),
            "energy_wh": round(self.energy_wh, 5),
            "energy_density_wh_per_l": round(self.wh_per_l, 2),
            "mean_voltage_v": round(self.mean_voltage_v, 4),
            "charge_capacity_ah": round(self.charge_capacity_ah, 6),
            "discharge_hours": round(self.discharge_hours, 4),
            "film_area_resistance_ohm_cm2": float(f"{self.film_area_resistance_ohm_cm2:.6g}"),
            "contact_resistance_ohm": float(f"{self.contact_resistance_ohm:.6g}"),
            "protocol": {
                "charge_to_v": p.charge_to_v,
                "current_a": p.current_a,
                "discharge_to_v": p.discharge_to_v,
                "cycles_stated": p.cycles,
                "cycles_simulated": self.cycles_simulated,
            },
            "curve": [[round(q, 6), round(v, 4)] for q, v in self.curve],
            "model": MODEL,
            "parameters": PARAMETERS,
        }


def film_area_resistance_ohm_cm2(thickness_um: float, sigma25_s_per_cm: float) -> float:
    """R = t / σ: the sulfide film's area resistance (Ω·cm²); 0 for no film."""
    if thickness_um <= 0.0:
        return 0.0
    if not (sigma25_s_per_cm > 0.0 and math.isfinite(sigma25_s_per_cm)):
        raise CellTestError(f"the film's conductivity {sigma25_s_per_cm!r} S/cm is not a positive number")
    return thickness_um * 1e-4 / sigma25_s_per_cm


def parameter_values(
    electrode: ElectrodeStack, design: CellDesign, protocol: TestProtocol, contact_ohm: float, pybamm: Any
) -> Any:
    """PyBaMM parameter values of the cell: Ramadass2004 with Xu2019's lithium metal, our geometry and loading."""
    lithium = pybamm.ParameterValues("Xu2019")
    values = pybamm.ParameterValues("Ramadass2004")
    values.update({key: lithium[key] for key in _LITHIUM_KEYS}, check_already_exists=False)
    values.update({
        "Separator Bruggeman coefficient (electrode)": BRUGGEMAN,
        "Positive electrode reaction-driven LAM factor [m3.mol-1]": 0.0,
        "Negative electrode reaction-driven LAM factor [m3.mol-1]": 0.0,
        "Heat transfer coefficient [W.m-2.K-1]": 10.0,
    }, check_already_exists=False)  # fmt: skip
    active = design.active_mass_fraction * design.coating_density_g_per_cm3 / LICOO2_DENSITY_G_PER_CM3
    c_max = values["Maximum concentration in positive electrode [mol.m-3]"]
    values.update({
        "Electrode height [m]": electrode.length_mm * 1e-3,
        "Electrode width [m]": electrode.width_mm * 1e-3,
        "Number of electrodes connected in parallel to make a cell": design.faces,
        "Positive electrode thickness [m]": design.cathode_coating_um * 1e-6,
        "Positive current collector thickness [m]": design.cathode_collector_um * 1e-6,
        "Negative electrode thickness [m]": max(electrode.lithium_um, 1.0) * 1e-6,
        "Separator thickness [m]": max(design.separator_um, 1.0) * 1e-6,
        "Positive electrode active material volume fraction": active,
        "Positive electrode porosity": max(1.0 - active - CARBON_VOLUME_FRACTION, 0.05),
        "Positive electrode Bruggeman coefficient (electrolyte)": BRUGGEMAN,
        "Positive electrode Bruggeman coefficient (electrode)": BRUGGEMAN,
        "Contact resistance [Ohm]": contact_ohm,
        "Lower voltage cut-off [V]": protocol.discharge_to_v - 0.5,
        "Upper voltage cut-off [V]": protocol.charge_to_v + 0.2,
        "Nominal cell capacity [A.h]": estimate_cell(electrode, design).capacity_ah,
        "Current function [A]": protocol.current_a,
        "Initial concentration in positive electrode [mol.m-3]": INITIAL_LITHIUM_FRACTION * c_max,
    })  # fmt: skip
    return values


def _import_pybamm() -> Any:
    require_pybamm()
    os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")  # no network from a line's twin
    import pybamm  # type: ignore[import-untyped]

    pybamm.set_logging_level("ERROR")
    return pybamm


def run_cell_test(
    electrode: ElectrodeStack,
    design: CellDesign,
    protocol: TestProtocol,
    sigma25_s_per_cm: float,
) -> CellTestResult:
    """Charge and discharge the cell with PyBaMM; the discharge's capacity, energy and curve."""
    r_area = film_area_resistance_ohm_cm2(electrode.electrolyte_um, sigma25_s_per_cm)
    contact_ohm = r_area / (design.faces * electrode.area_cm2)
    pybamm = _import_pybamm()
    started = time.perf_counter()
    current = protocol.current_a
    # each step may last three times the volumetric model's capacity at the test current (PyBaMM's own
    # default limit would cut a slow test short)
    hours = 3.0 * estimate_cell(electrode, design).capacity_ah / current
    #: what PyBaMM raises for a cell or protocol it cannot simulate (its own, the experiment parser's
    #: ValueError, casadi's RuntimeError, an empty solution's IndexError)
    failures = (pybamm.SolverError, pybamm.ModelError, ValueError, RuntimeError, ArithmeticError, IndexError)
    try:
        experiment = pybamm.Experiment([(
            f"Charge at {current:.6g} A for {hours:.6g} hours or until {protocol.charge_to_v:.6g} V",
            f"Hold at {protocol.charge_to_v:.6g} V for {hours:.6g} hours or until "
            f"{HOLD_END_FRACTION * current:.6g} A",
            f"Discharge at {current:.6g} A for {hours:.6g} hours or until {protocol.discharge_to_v:.6g} V",
        )])  # fmt: skip
        model = pybamm.lithium_ion.DFN({"working electrode": "positive", "contact resistance": "true"})
        values = parameter_values(electrode, design, protocol, contact_ohm, pybamm)
        solution = pybamm.Simulation(model, parameter_values=values, experiment=experiment).solve()
        steps = solution.cycles[0].steps
    except failures as exc:
        raise CellTestError(
            f"PyBaMM could not simulate the cell test: {exc}",
            hint="check the assembly's test protocol and cell design (docs/assembly.md)",
        ) from None
    try:
        ended = [step.termination for step in steps]
        charged = steps[1]["Discharge capacity [A.h]"].entries[-1] - steps[0]["Discharge capacity [A.h]"].entries[0]
        discharge = steps[2]
        q = discharge["Discharge capacity [A.h]"].entries
        v = discharge["Voltage [V]"].entries
        t = discharge["Time [s]"].entries
    except (TypeError, IndexError, KeyError):  # a step PyBaMM skipped (an EmptySolution) or never reached
        ended = [str(getattr(step, "termination", "skipped")) for step in steps]
        raise CellTestError(
            f"the cell test did not complete charge, hold and discharge (steps ended: {', '.join(ended) or 'none'})",
            hint="the cell cannot reach the test voltages at this current: check charge_to (above the "
            "as-assembled ~3.7 V), discharge_to and the current",
        ) from None
    if "Voltage" not in str(ended[0]):  # the time limit, not the charge voltage, ended the charge
        raise CellTestError(f"the charge did not reach {protocol.charge_to_v:g} V (it ended on {ended[0]})",
                            hint="lower the current or the charge voltage")  # fmt: skip
    q = q - q[0]
    capacity = float(q[-1])
    energy = float(sum(0.5 * (v[i] + v[i + 1]) * (q[i + 1] - q[i]) for i in range(len(q) - 1)))
    volume_cm3 = estimate_cell(electrode, design).packaged_volume_cm3
    import numpy as np

    grid = np.linspace(0.0, capacity, CURVE_POINTS)  # evenly in capacity, as a cycler logs
    curve = tuple(zip(grid.tolist(), np.interp(grid, q, v).tolist(), strict=True))
    return CellTestResult(
        capacity_ah=capacity,
        energy_wh=energy,
        mean_voltage_v=energy / capacity if capacity > 0 else float("nan"),
        wh_per_l=energy / volume_cm3 * 1000.0,
        charge_capacity_ah=float(-charged),
        curve=curve,
        discharge_hours=float(t[-1] - t[0]) / 3600.0,
        contact_resistance_ohm=contact_ohm,
        film_area_resistance_ohm_cm2=r_area,
        protocol=protocol,
        solve_seconds=time.perf_counter() - started,
    )
