"""The recipe's ``assembly`` section: defaults are Example 1's cell, hostile values are located violations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anodeline.recipe.validate import validate_text
from tests.conftest import CELL_EXAMPLE, EXAMPLES

CELL = CELL_EXAMPLE.read_text()
EX1 = (EXAMPLES / "patent" / "example-01.yaml").read_text()
LINE = "  test: {charge_to: 4.2 V, discharge_current: 100 mA, discharge_to: 3.5 V, cycles: 100}"


def test_an_empty_assembly_is_example_1s_cell() -> None:
    report = validate_text(EX1.replace("storage: new", "storage: new\nassembly: {}"))
    assert report.valid and report.violations == ()
    assert report.recipe is not None and report.recipe.assembly is not None
    shipped = validate_text(CELL).recipe
    assert shipped is not None and shipped.assembly is not None
    # the shipped example states Example 1's values, the defaults, apart from the 100 cycles
    assert shipped.assembly.model_copy(update={"test": report.recipe.assembly.test}) == report.recipe.assembly
    assert shipped.assembly.test.cycles == 100


def test_without_assembly_a_recipe_has_none() -> None:
    report = validate_text(EX1)
    assert report.recipe is not None and report.recipe.assembly is None


@pytest.mark.parametrize(
    ("old", "new", "code", "path"),
    [
        ("discharge_current: 100 mA", "discharge_current: 1e300 mA", "SCH006", "assembly.test.discharge_current"),
        ("discharge_current: 100 mA", "discharge_current: -100 mA", "SCH006", "assembly.test.discharge_current"),
        ("discharge_current: 100 mA", "discharge_current: 0 mA", "SCH006", "assembly.test.discharge_current"),
        ("discharge_current: 100 mA", "discharge_current: nan mA", "SCH004", "assembly.test.discharge_current"),
        ("discharge_current: 100 mA", "discharge_current: 100 mV", "SCH004", "assembly.test.discharge_current"),
        ("charge_to: 4.2 V", "charge_to: 4.2", "SCH004", "assembly.test.charge_to"),
        ("charge_to: 4.2 V", "charge_to: 1e300 V", "SCH006", "assembly.test.charge_to"),
        ("charge_to: 4.2 V", "charge_to: 4.35 V", "ASM002", "assembly.test.charge_to"),
        ("discharge_to: 3.5 V", "discharge_to: 4.2 V", "ASM002", "assembly.test.discharge_to"),
        ("discharge_to: 3.5 V", "discharge_to: 2.5 V", "ASM002", "assembly.test.discharge_to"),
        ("cycles: 100", "cycles: 0", "SCH004", "assembly.test.cycles"),
        ("cycles: 100", "cycles: 1e300", "SCH004", "assembly.test.cycles"),
        ("dew_point: -60 degC", "dew_point: -300 degC", "SCH006", "assembly.dew_point"),
        ("dew_point: -60 degC", "dew_point: -59.9 degC", "ASM001", "assembly.dew_point"),
        ("dew_point: -60 degC", "dew_point: 20 degC", "ASM001", "assembly.dew_point"),
        ("coating: 300 um", "coating: 1e300 um", "SCH006", "assembly.positive_electrode.coating"),
        ("coating: 300 um", "coating: 0 um", "SCH006", "assembly.positive_electrode.coating"),
        ("coating: 300 um", "coating: 2 mm", "SCH006", "assembly.positive_electrode.coating"),
        ("thickness: 25 um", "thickness: 0 um", "SCH006", "assembly.separator.thickness"),
        ("active: LiCoO2", "active: LiFePO4", "SCH004", "assembly.positive_electrode.active"),
        ("volume: 10 mL", "volume: 0 mL", "SCH006", "assembly.container.volume"),
        ("volume: 10 mL", "volume: 1e300 L", "SCH006", "assembly.container.volume"),
        ("discharge_current: 100 mA", "discharge_current: 1e-300 A", "SCH006", "assembly.test.discharge_current"),
        ("cycles: 100", "cycles: true", "SCH004", "assembly.test.cycles"),
        ("salt: LiPF6", "salts: LiPF6", "SCH002", "assembly.electrolyte.salts"),
    ],
)
def test_a_hostile_value_is_a_located_violation(old: str, new: str, code: str, path: str) -> None:
    assert old in CELL
    text = CELL.replace(old, new, 1)
    report = validate_text(text)
    found = [v for v in report.violations if v.code == code]
    assert found, [(v.code, v.path, v.message) for v in report.violations]
    assert found[0].path == path
    assert new.split(":")[0].strip() in text.splitlines()[found[0].line - 1]
    assert not report.valid


def test_a_thin_lithium_foil_warns_n_p_below_1_and_stays_valid() -> None:
    foil = "lithium_foil: {material: Li, thickness: 50 um}"
    text = CELL.replace(foil, foil.replace("50 um", "20 um"))
    report = validate_text(text)
    assert report.valid
    (warning,) = [v for v in report.violations if v.code == "ASM003"]
    assert "n/p = 0.41" in warning.message  # 20 µm Li = 4.1 mAh/cm² against 10.0 mAh/cm² of LiCoO2
    assert validate_text(CELL).violations == ()  # Example 1: n/p = 1.03


@settings(max_examples=40, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_any_test_voltages_validate_without_raising(charge: float, cutoff: float) -> None:
    text = CELL.replace(LINE, f"  test: {{charge_to: {charge!r} V, discharge_to: {cutoff!r} V}}")
    report = validate_text(text)
    if report.valid:
        assert report.recipe is not None and report.recipe.assembly is not None
        test = report.recipe.assembly.test
        assert 3.5 <= test.discharge_to.to("V").magnitude < test.charge_to.to("V").magnitude <= 4.3
