"""Compile a recipe for a line into a procedure, for each claimed route and its variants.

Every route is a sequence of *passes*: one trip through one apparatus (load the closed
containers into its inlet chamber, purge, open them by the gloves, transfer through the
inlet door, deposit, fill the apparatus, transfer through the outlet door, pack and close,
take out). The routes differ only in their passes:

* coat-lithium-base (claim 1): one pass, electrolyte layers on the lithium-faced base;
* lithium-then-electrolyte (claim 17): one pass, lithium then electrolyte, one apparatus;
* two-apparatus (claim 33): lithium in apparatus A → temporary container → electrolyte in B;
* a base.lithium_film (claims 8, 24, 40) adds a preliminary pass that makes the base.

Variants come from the line (inlet = outlet chamber: claims 4, 20, 36) and from the
recipe's ``storage`` (new: claims 5, 21, 37; reuse: claims 6, 22, 38).
"""

from __future__ import annotations

from dataclasses import dataclass

from anodeline.chemistry import gases
from anodeline.line.config import Line
from anodeline.line.errors import ProcedureError
from anodeline.line.machine import Machine
from anodeline.line.policy import policy_for
from anodeline.physics.atmosphere.state import AIR_O2_PPM, Atmosphere, inert
from anodeline.procedure import steps as sb
from anodeline.procedure.assembly import assembly_chamber, assembly_materials, run_assembly
from anodeline.procedure.builder import Builder
from anodeline.procedure.model import ContainerSpec, ItemSpec, Procedure
from anodeline.recipe.schema import Layer, Recipe

ROOM_TEMPERATURE_DEGC = 25.0


@dataclass(frozen=True)
class Film:
    """A film to deposit in a pass: what, from which target item, how."""

    layer: str
    material: str
    method: str
    target: str
    thickness_um: float
    substrate_degc: float = ROOM_TEMPERATURE_DEGC
    anneal_degc: float | None = None
    anneal_s: float = 0.0
    power_w: float = 0.0  # stated sputtering power; 0: the method's default


@dataclass(frozen=True)
class Pass:
    """One trip through one apparatus."""

    system: str
    inputs: tuple[str, ...]
    workpiece: str
    films: tuple[Film, ...]
    output: str
    output_is_new: bool
    claim: str
    #: the claim's step letters for: load, open, transfer in, film, transfer out, pack, take out
    letters: tuple[str, str, str, str, str, str, str] = ("b)", "c)", "d)", "e)", "f)", "g)", "h)")


def target_name(target: str) -> str:
    return "target-" + "".join(ch if ch.isalnum() else "-" for ch in target).strip("-").lower()


def film_of(layer: Layer) -> Film:
    anneal = layer.anneal
    return Film(
        layer.name, layer.kind, layer.method, target_name(layer.target),
        float(layer.thickness.to("um").magnitude), float(layer.substrate_temperature.to("degC").magnitude),
        float(anneal.temperature.to("degC").magnitude) if anneal else None,
        float(anneal.duration.to("s").magnitude) if anneal else 0.0,
        float(layer.power.to("W").magnitude) if layer.power is not None else 0.0,
    )  # fmt: skip


def pick_system(line: Line, films: tuple[Film, ...], exclude: str = "") -> str:
    """The first apparatus that can deposit every film."""
    for name, app in line.apparatus.items():
        if name != exclude and all(app.can_deposit(f.method, f.material) for f in films):
            return name
    wanted = ", ".join(f"{f.material} by {f.method}" for f in films)
    other = f" other than {exclude!r}" if exclude else ""
    raise ProcedureError(
        f"line {line.line!r} has no apparatus{other} that deposits {wanted}",
        hint="choose a line whose apparatus has these sources (docs/lines.md)",
    )


def packing_atmosphere(recipe: Recipe) -> Atmosphere:
    """What supplied containers are sealed under: the recipe's gas at a tenth of its limits (≤ 1 ppm)."""
    o2 = min(1.0, 0.1 * float(recipe.atmosphere.max_o2.to("ppm").magnitude))
    h2o = min(1.0, 0.1 * float(recipe.atmosphere.max_h2o.to("ppm").magnitude))
    if recipe.assembly is not None:  # the policy holds every item to the assembly's dew point (policy_for)
        from anodeline.physics.atmosphere.humidity import frost_point_to_ppmv

        h2o = min(h2o, 0.1 * frost_point_to_ppmv(float(recipe.assembly.dew_point.to("degC").magnitude)))
    if gases.is_dry_air(recipe.atmosphere.gas):
        return inert(recipe.atmosphere.gas, AIR_O2_PPM, h2o)
    return inert(recipe.atmosphere.gas, o2, h2o)


def empty_container(name: str) -> ContainerSpec:
    """An empty container comes in open, so the chamber's purge purges it too (a real line's practice).

    Closed, it would bring its room air into the purged chamber when opened there: 1 L of air
    in 400 L of argon is about 500 ppm O2 (:func:`anodeline.line.transitions.open_container`).
    """
    return ContainerSpec(name, (), closed=False)


def run_pass(b: Builder, p: Pass, gas: str, reuse_travels: bool) -> None:
    """Emit the steps of one pass (claims 1/17 steps b)-h); claim 33 steps b)-g), then I)-o) in the second system)."""
    m, line = b.machine, b.machine.line
    app = line.apparatus[p.system]
    inlet, outlet, space = app.inlet, app.outlet, app.space
    carried = [p.workpiece, *dict.fromkeys(f.target for f in p.films)]
    load, opening, into, forming, out, pack, takeout = p.letters
    temporary = p.output.startswith("temporary")
    container = "temporary" if temporary and load == "b)" else "storage"
    if temporary and load != "b)":
        container = "storage (the temporary one, reused: claim 38)"
    carried_on = takeout.endswith(":")  # claim 33's first system: the container goes on to the second
    takeout_note = (
        f"{p.claim} {takeout} the closed container out of the outlet chamber"
        if carried_on
        else f"{p.claim} {takeout}: closed container out into the air"
    )
    if p.output_is_new:
        b.add(sb.load([p.output], outlet), f"{p.claim}: {container} container placed in the outlet chamber in advance")
    b.add(sb.load(list(p.inputs), inlet), f"{p.claim} {load}: closed containers into the inlet chamber")
    b.add(sb.purge_space(m, b.state, inlet, gas), f"{p.claim} {load}: inlet chamber evacuated and filled with {gas}")
    b.add(sb.purge_space(m, b.state, space, gas), f"{p.claim}: apparatus filled with {gas}")
    b.add(sb.open_all(list(p.inputs)), f"{p.claim} {opening}: containers opened by the gloves")
    moving = carried + ([p.output] if reuse_travels else [])
    b.add(sb.transfer(m, moving, inlet, space), f"{p.claim} {into}: into the apparatus without exposure to air")
    for film in p.films:
        note = f"{p.claim} {forming}: {film.material} film {film.layer!r} by {film.method}"
        b.add(sb.set_heater(b.state, space, film.substrate_degc), note)
        b.add(sb.pump_to_base(m, b.state, space), note)
        b.add([_deposit(space, film, p.workpiece)], note)
        if film.anneal_degc is not None:
            b.add(sb.set_heater(b.state, space, film.anneal_degc), f"{note}: heat treatment")
            b.add([sb.act.Hold(space, film.anneal_s)], f"{note}: heat treatment")
        b.add(sb.set_heater(b.state, space, ROOM_TEMPERATURE_DEGC), note)
    b.add(sb.purge_space(m, b.state, space, gas), f"{p.claim}: apparatus filled with {gas}")
    b.add(sb.purge_space(m, b.state, outlet, gas), f"{p.claim} {out}: outlet chamber evacuated and filled with {gas}")
    out_moving = [p.workpiece] + ([p.output] if reuse_travels else [])
    b.add(sb.transfer(m, out_moving, space, outlet), f"{p.claim} {out}: into the outlet chamber without exposure")
    closed = b.state.containers[p.output].closed
    b.add(sb.pack([p.workpiece], p.output, closed), f"{p.claim} {pack}: into the {container} container, closed")
    b.add([sb.act.Unload(p.output, outlet)], takeout_note)
    for name in p.inputs:
        if name != p.output and b.state.containers[name].space == inlet:
            tidy = [] if b.state.containers[name].closed else [sb.act.CloseContainer(name)]
            b.add([*tidy, sb.act.Unload(name, inlet)], "emptied source container taken out")


def _deposit(space: str, film: Film, onto: str) -> sb.act.Deposit:
    return sb.act.Deposit(
        space, film.layer, film.material, film.method, film.target, onto, film.thickness_um, film.power_w
    )


def _targets(recipe: Recipe, films: tuple[Film, ...]) -> tuple[ItemSpec, ...]:
    specs = {f.target: ItemSpec(f.target, "target", True, lithium=f.material == "lithium") for f in films}
    return tuple(specs.values())


def _passes(recipe: Recipe, line: Line) -> tuple[list[Pass], list[ContainerSpec]]:
    sealed = packing_atmosphere(recipe)
    films = tuple(film_of(layer) for layer in recipe.layers)
    li = tuple(f for f in films if f.material == "lithium")
    el = tuple(f for f in films if f.material != "lithium")
    reuse = recipe.storage == "reuse"
    substrate = recipe.base.substrate
    li_substrate = substrate.material in ("Li", "Li-In", "Li-Ti", "Li-Zn", "Li-Bi", "Li-Sn")
    passes: list[Pass] = []
    materials: list[ContainerSpec] = []
    work = "base" if recipe.route == "coat-lithium-base" else "substrate"
    lithium_base = recipe.route == "coat-lithium-base" and recipe.has_lithium_surface() and not recipe.base.lithium_film
    work_spec = ItemSpec(work, "base" if lithium_base else "substrate", lithium_base or li_substrate,
                         lithium=lithium_base or li_substrate)  # fmt: skip
    first_inputs: list[str] = []
    if recipe.base.lithium_film is not None:  # claims 8, 24, 40: the base is made first, by vapour deposition
        lf = recipe.base.lithium_film
        film = Film("lithium-film", "lithium", lf.method, target_name(lf.material),
                    float(lf.thickness.to("um").magnitude))  # fmt: skip
        materials.append(ContainerSpec("preliminary-1", (work_spec, *_targets(recipe, (film,))), True, sealed))
        materials.append(empty_container("base-container"))
        passes.append(Pass(pick_system(line, (film,)), ("preliminary-1",), work, (film,), "base-container", True,
                           "claim 8 (preliminary)"))  # fmt: skip
        first_inputs.append("base-container")
    else:
        first_inputs.append("source-1")
    if recipe.route == "two-apparatus":
        system_a = pick_system(line, li)
        system_b = pick_system(line, el, exclude=system_a)
        a_items = (() if first_inputs[0] == "base-container" else (work_spec,)) + _targets(recipe, li)
        materials.append(ContainerSpec("source-1", a_items, True, sealed))
        materials.append(empty_container("temporary-1"))
        inputs_a = tuple(dict.fromkeys([*first_inputs, "source-1"]))
        first = ("b)", "c)", "d)", "e)", "f)", "g)", "g)-I) temporary container carried to the second system:")
        passes.append(Pass(system_a, inputs_a, work, li, "temporary-1", True, "claim 33", first))
        materials.append(ContainerSpec("source-2", _targets(recipe, el), True, sealed))
        output = "temporary-1" if reuse else "storage-1"
        if not reuse:
            materials.append(empty_container("storage-1"))
        second = ("I)", "j)", "k)", "l)", "m)", "n)", "o)")
        passes.append(Pass(system_b, ("temporary-1", "source-2"), work, el, output, not reuse, "claim 33", second))
        return passes, materials
    claim = "claim 1" if recipe.route == "coat-lithium-base" else "claim 17"
    system = pick_system(line, films)
    own = () if first_inputs[0] == "base-container" else (work_spec,)
    materials.append(ContainerSpec("source-1", own + _targets(recipe, films), True, sealed))
    inputs = tuple(dict.fromkeys([*first_inputs, "source-1"]))
    output = inputs[0] if reuse else "storage-1"
    if not reuse:
        materials.append(empty_container("storage-1"))
    passes.append(Pass(system, inputs, work, films, output, not reuse, claim))
    return passes, materials


def _with_assembly(recipe: Recipe, line: Line) -> tuple[list[Pass], list[ContainerSpec], str]:
    """The passes and materials, with the cell parts and the assembly chamber when the recipe assembles a cell."""
    passes, materials = _passes(recipe, line)
    if recipe.assembly is None:
        return passes, materials, ""
    last = line.apparatus[passes[-1].system]
    chamber = assembly_chamber(line, recipe, prefer=last.outlet)
    return passes, [*materials, *assembly_materials(recipe, packing_atmosphere(recipe))], chamber


def can_run(recipe: Recipe, line: Line) -> str | None:
    """None when ``line`` can run the recipe's route, else why not."""
    try:
        _with_assembly(recipe, line)
    except ProcedureError as exc:
        return exc.message
    return None


def compile_procedure(recipe: Recipe, line: Line) -> Procedure:
    """The procedure that makes ``recipe`` on ``line``; raises :class:`ProcedureError` if it cannot."""
    passes, materials, chamber = _with_assembly(recipe, line)
    gas = recipe.atmosphere.gas
    machine = Machine(line, policy_for(line, recipe))
    draft = Procedure(recipe.recipe, line.line, recipe.route, machine.policy, tuple(materials), ())
    builder = Builder(machine, draft.initial_state(machine))
    for p in passes:
        app = line.apparatus[p.system]
        reuse_travels = not p.output_is_new and app.inlet != app.outlet
        run_pass(builder, p, gas, reuse_travels)
    if chamber:  # claims 7, 23, 39: the electrode assembled into a cell
        run_assembly(builder, recipe, passes[-1].workpiece, chamber)
    same = all(line.apparatus[p.system].inlet == line.apparatus[p.system].outlet for p in passes)
    variant = (("outlet", "same as inlet" if same else "separate"), ("storage", recipe.storage))
    return Procedure(
        f"{recipe.recipe}@{line.line}", line.line, recipe.route, machine.policy, tuple(materials),
        tuple(builder.steps), tuple(builder.notes), recipe.recipe, variant,
    )  # fmt: skip
