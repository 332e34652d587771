"""Every patent example compiles and verifies air-free on every line that can run its route."""

from __future__ import annotations

from pathlib import Path

import pytest

from anodeline.line import actions as act
from anodeline.line.errors import ProcedureError
from anodeline.line.load import load_line
from anodeline.procedure.routes import can_run, compile_procedure
from anodeline.procedure.verify import verify_procedure
from anodeline.recipe.schema import LithiumFilm
from anodeline.recipe.validate import load_recipe
from anodeline.units import Q_
from tests.conftest import LINE_NAMES, LINES, PATENT

EXAMPLES = sorted(PATENT.glob("*.yaml"))


@pytest.mark.parametrize("line_name", LINE_NAMES)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_verifies_air_free_on_each_capable_line(example: Path, line_name: str) -> None:
    recipe = load_recipe(example)
    line = load_line(LINES / f"{line_name}.yaml")
    if can_run(recipe, line) is not None:
        pytest.skip(f"{line_name} cannot run {recipe.route}")
    procedure = compile_procedure(recipe, line)
    verdict = verify_procedure(procedure, line)
    assert verdict.air_free, verdict.failure
    assert verdict.final is not None
    electrode = verdict.final.items["base" if recipe.route == "coat-lithium-base" else "substrate"]
    assert electrode.layers[-len(recipe.layers) :] == tuple(layer.name for layer in recipe.layers)
    box = verdict.final.containers[electrode.location]
    assert box.closed and box.space == line.room  # claim 1 h): out into the air, closed


def test_every_route_runs_on_some_shipped_line() -> None:
    lines = [load_line(LINES / f"{name}.yaml") for name in LINE_NAMES]
    for example in EXAMPLES:
        recipe = load_recipe(example)
        assert any(can_run(recipe, line) is None for line in lines), example


def test_two_apparatus_uses_a_temporary_container_and_reuses_it() -> None:
    recipe = load_recipe(PATENT / "two-apparatus-01.yaml")
    line = load_line(LINES / "two-apparatus.yaml")
    procedure = compile_procedure(recipe, line)
    assert act.CloseContainer("temporary-1") in procedure.steps  # claim 33 g)
    assert act.Load("temporary-1", "chamber-b-in") in procedure.steps  # claim 33 i)
    assert act.Unload("temporary-1", "chamber-b-out") in procedure.steps  # claim 38
    assert "storage-1" not in {m.name for m in procedure.materials}


def test_two_apparatus_route_needs_two_apparatus() -> None:
    recipe = load_recipe(PATENT / "two-apparatus-01.yaml")
    with pytest.raises(ProcedureError, match="no apparatus other than"):
        compile_procedure(recipe, load_line(LINES / "fig1.yaml"))


@pytest.mark.parametrize("line_name", ["fig1", "single-port"])
@pytest.mark.parametrize("storage", ["new", "reuse"])
def test_storage_variants_on_separate_and_same_outlet(line_name: str, storage: str) -> None:
    recipe = load_recipe(PATENT / "example-05.yaml").model_copy(update={"storage": storage})
    line = load_line(LINES / f"{line_name}.yaml")
    procedure = compile_procedure(recipe, line)
    assert verify_procedure(procedure, line).air_free
    output = "storage-1" if storage == "new" else "source-1"
    outlet = line.apparatus["system-1"].outlet
    assert act.Unload(output, outlet) in procedure.steps
    assert dict(procedure.variant)["outlet"] == ("same as inlet" if line_name == "single-port" else "separate")


def test_preliminary_lithium_film_adds_a_first_pass() -> None:
    recipe = load_recipe(PATENT / "example-01.yaml")
    base = recipe.base.model_copy(update={"lithium_foil": None, "lithium_film": LithiumFilm(
        material="Li", thickness=Q_(5.0, "um"), method="vacuum-evaporation")})  # fmt: skip
    recipe = recipe.model_copy(update={"base": base})
    line = load_line(LINES / "fig1.yaml")
    procedure = compile_procedure(recipe, line)
    deposits = [s for s in procedure.steps if isinstance(s, act.Deposit)]
    assert [d.material for d in deposits] == ["lithium", "solid-electrolyte"]  # claim 8, then claim 1 e)
    assert act.Unload("base-container", "chamber-5") in procedure.steps
    assert verify_procedure(procedure, line).air_free


def test_purge_cycles_follow_the_physics() -> None:
    recipe = load_recipe(PATENT / "example-01.yaml")
    line = load_line(LINES / "fig1.yaml")
    strict = recipe.model_copy(update={"atmosphere": recipe.atmosphere.model_copy(update={"max_h2o": Q_(1.0, "ppm")})})
    loose = compile_procedure(recipe, line)
    tight = compile_procedure(strict, line)
    count = sum(isinstance(s, act.Evacuate) and s.space == "chamber-4" for s in loose.steps)
    tighter = sum(isinstance(s, act.Evacuate) and s.space == "chamber-4" for s in tight.steps)
    assert count >= 2 and tighter > count


def test_impure_gas_without_purifier_fails_with_a_hint(tmp_path: Path) -> None:
    text = (LINES / "single-port.yaml").read_text()
    text = text.replace(", purifier: {o2_out: 0.1 ppm, h2o_out: 0.1 ppm}", "").replace("    purifier: purifier-4\n", "")
    path = tmp_path / "line.yaml"
    path.write_text(text)
    line = load_line(path)
    with pytest.raises(ProcedureError) as info:
        compile_procedure(load_recipe(PATENT / "example-01.yaml"), line)
    assert "purifier" in info.value.hint


def test_a_chamber_purifier_finishes_the_purge_with_a_hold(tmp_path: Path) -> None:
    text = (LINES / "single-port.yaml").read_text()
    text = text.replace("supplies:\n  argon:", "supplies:\n  argon-raw: {gas: Ar, purity: 99.99 %}\n  argon:")
    text = text.replace(
        "    supplies: [argon]\n    purifier: purifier-4", "    supplies: [argon-raw]\n    purifier: purifier-4"
    )
    path = tmp_path / "line.yaml"
    path.write_text(text)
    line = load_line(path)
    procedure = compile_procedure(load_recipe(PATENT / "example-01.yaml"), line)
    holds = [s for s in procedure.steps if isinstance(s, act.Hold) and s.space == "chamber-4"]
    assert holds and holds[0].seconds > 0  # 99.99 % Ar carries 20 ppm O2: the purifier must finish the job
    assert verify_procedure(procedure, line).air_free


def test_two_apparatus_steps_carry_claim_33_letters() -> None:
    from anodeline.line import load_line
    from anodeline.procedure import compile_procedure
    from anodeline.recipe.validate import load_recipe

    root = Path(__file__).resolve().parents[2] / "examples"
    procedure = compile_procedure(
        load_recipe(root / "patent" / "two-apparatus-01.yaml"), load_line(root / "lines" / "two-apparatus.yaml")
    )
    notes = " ".join(procedure.notes)
    for letter in ("b)", "c)", "d)", "e)", "f)", "g)", "I)", "j)", "k)", "l)", "m)", "n)", "o)"):
        assert f"claim 33 {letter}" in notes
    assert "claim 33 h)" not in notes  # h) is "providing a second closed container", not a step of the line
