"""Cell assembly (claims 7, 23, 39): the electrode out of its storage container and into a sealed cell.

Example 1: "The negative electrode having the thin film of the solid electrolyte, a separator
(porous polymer film) and the positive electrode were stacked and then placed into a stainless
steel container to be sealed. An organic solution of an electrolyte […] was added dropwise to the
container. […] under an argon gas atmosphere having a dew point of −60 °C or below."

The steps are the line's ordinary actions, so the verifier proves them air-free like the rest:
the closed storage container, a closed container of cell parts (positive electrode, separator,
electrolyte, sealed under the recipe's gas) and the empty, open cell container go into a glove
chamber through its load port; the chamber is purged to the recipe's limits, which the policy
tightens to the assembly's dew point (:func:`anodeline.line.policy.policy_for`); the electrode,
separator and positive electrode are moved into the cell container in stacking order, the
electrolyte after them; the container is closed (sealed) and taken out.

The chamber must be a glove chamber with a load port and an H2O or dew-point meter that can hold the
recipe's gas at half the dew point's water (what every purge aims at, :data:`steps.TARGET_SHARE`): its
fill gas that dry, or its circulating purifier's steady state (FIT004 otherwise).
"""

from __future__ import annotations

from anodeline.line.config import Line
from anodeline.line.errors import ProcedureError
from anodeline.physics.atmosphere.state import Atmosphere
from anodeline.procedure import steps as sb
from anodeline.procedure.builder import Builder
from anodeline.procedure.model import ContainerSpec, ItemSpec
from anodeline.recipe.schema import Recipe

#: The claim that adds assembly to each route's electrode.
CLAIMS = {"coat-lithium-base": "claim 7", "lithium-then-electrolyte": "claim 23", "two-apparatus": "claim 39"}
PARTS = "cell-parts"
CELL = "cell-container"
#: The parts a cell is assembled from besides the electrode, in stacking order; the electrolyte goes in last.
STACK = ("separator", "positive-electrode")
ELECTROLYTE = "electrolyte"


class AssemblyChamberError(ProcedureError):
    """The line has no glove chamber the cell can be assembled in (``validate --line`` reports it located)."""


def assembly_materials(recipe: Recipe, sealed: Atmosphere) -> tuple[ContainerSpec, ...]:
    """The closed container of cell parts and the empty cell container (open: the chamber's purge purges it)."""
    assert recipe.assembly is not None
    parts = tuple(ItemSpec(name, name, True) for name in (*STACK, ELECTROLYTE))
    volume_l = float(recipe.assembly.container.volume.to("L").magnitude)
    return (ContainerSpec(PARTS, parts, True, sealed), ContainerSpec(CELL, (), closed=False, volume_l=volume_l))


def _humidity_metered(line: Line, space: str) -> bool:
    return any(s.space == space and s.measures in ("h2o", "dew-point") for s in line.sensors.values())


def driest_h2o_ppm(line: Line, space: str, gas: str) -> float:
    """The least H2O a chamber can hold in ``gas``: its fill gas's, or its circulating purifier's steady state.

    inf when the chamber has no supply of ``gas``.
    """
    from anodeline.line.machine import Machine
    from anodeline.line.transitions import fill_gas
    from anodeline.physics.atmosphere import glovebox
    from anodeline.physics.atmosphere.state import inert

    if line.supply_for(space, gas) is None:
        return float("inf")
    fill = fill_gas(Machine(line), space, gas)
    config = line.spaces[space]
    purifier = line.purifiers.get(config.purifier or "")
    if purifier is None:
        return fill.h2o_ppm
    box = glovebox.GloveBoxParams(
        volume_m3=config.volume_m3, purifier_flow_m3_per_h=purifier.flow_m3_per_h,
        o2_removal=purifier.o2_removal, h2o_removal=purifier.h2o_removal,
    )  # fmt: skip
    held = glovebox.steady_state(inert(gas, fill.o2_ppm, fill.h2o_ppm), box)
    return min(fill.h2o_ppm, held.h2o_ppm)


def assembly_chamber(line: Line, recipe: Recipe, prefer: str = "") -> str:
    """The glove chamber the cell is assembled in: ``prefer`` (where the electrode came out) when it qualifies.

    Raises :class:`AssemblyChamberError` when no glove chamber has a load port, a supply of the recipe's
    gas and an H2O or dew-point meter.
    """
    from anodeline.physics.atmosphere.humidity import frost_point_to_ppmv

    assert recipe.assembly is not None
    gas = recipe.atmosphere.gas
    dew = float(recipe.assembly.dew_point.to("degC").magnitude)
    aim_ppm = sb.TARGET_SHARE * frost_point_to_ppmv(dew)  # what a purge aims at, as for every chamber
    fit = [
        name
        for name, space in line.spaces.items()
        if space.kind == "glove-chamber"
        and line.load_port(name) is not None
        and _humidity_metered(line, name)
        and driest_h2o_ppm(line, name, gas) <= aim_ppm
    ]
    if not fit:
        raise AssemblyChamberError(
            f"line {line.line!r} has no glove chamber to assemble the cell in at a dew point of {dew:g} °C "
            f"(one with a load port, an H2O or dew-point meter and {gas} held at {aim_ppm:.3g} ppm H2O or less)",
            hint="fit the chamber with a circulating purifier or its gas supply with a point-of-use purifier, "
            "or choose another line (--line)",
        )
    return prefer if prefer in fit else fit[0]


def run_assembly(b: Builder, recipe: Recipe, electrode: str, chamber: str) -> None:
    """Emit the assembly steps for ``electrode`` (in its closed storage container in the room) in ``chamber``."""
    assert recipe.assembly is not None
    m, gas = b.machine, recipe.atmosphere.gas
    claim = CLAIMS[recipe.route]
    storage = b.state.items[electrode].location
    dew = float(recipe.assembly.dew_point.to("degC").magnitude)
    container = recipe.assembly.container.material
    b.add(sb.load([storage, PARTS, CELL], chamber), f"{claim}: storage container, cell parts and cell container "
          f"into glove chamber {chamber!r}")  # fmt: skip
    b.add(sb.purge_space(m, b.state, chamber, gas), f"{claim}: {chamber!r} filled with {gas}, dew point {dew:g} °C "
          f"or below ({m.policy.max_h2o_ppm:.3g} ppm H2O at most)")  # fmt: skip
    b.add(sb.open_all([storage, PARTS]), f"{claim}: storage and parts containers opened by the gloves")
    b.add([sb.act.Move(electrode, CELL)], f"{claim}: the electrode out of its storage container, into the {container} "
          "container")  # fmt: skip
    below = "the electrode"
    for part in STACK:
        b.add([sb.act.Move(part, CELL)], f"{claim}: stacked: the {part} on {below}")
        below = f"the {part}"
    b.add([sb.act.Move(ELECTROLYTE, CELL)], f"{claim}: electrolyte ({recipe.assembly.electrolyte.salt} in "
          f"{recipe.assembly.electrolyte.solvent}) added dropwise")  # fmt: skip
    b.add([sb.act.CloseContainer(CELL)], f"{claim}: the {container} container sealed")
    b.add([sb.act.CloseContainer(name) for name in (storage, PARTS)], "emptied containers closed")
    b.add([sb.act.Unload(CELL, chamber)], f"{claim}: the sealed cell out into the air, to its test")
    b.add([sb.act.Unload(name, chamber) for name in (storage, PARTS)], "emptied containers taken out")
