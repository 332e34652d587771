"""Each rule fires on a recipe that breaks it, at the right path and YAML line."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from anodeline.recipe.rules import RULES
from anodeline.recipe.validate import validate_text
from tests.conftest import EXAMPLES

EX1 = (EXAMPLES / "patent" / "example-01.yaml").read_text()
EX5 = (EXAMPLES / "patent" / "example-05.yaml").read_text()
CELL = (EXAMPLES / "patent" / "example-01-cell.yaml").read_text()


@dataclass(frozen=True)
class Case:
    code: str
    text: str
    path: str
    line_of: str  # the expected line is the first line of the mutated text containing this


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


ATM = "atmosphere: {gas: Ar, purity: 99.99 %}"
DEP = "deposition: {base_pressure: 1.0e-4 Pa}"
SPEC = "spec: {min_conductivity: 1e-4 S/cm}"
SE_TARGET = "target: 57Li2S-38SiS2-5P2O5"
RT = "    substrate_temperature: 25 degC\n"
RTE5 = """layers:
  - {name: se1, kind: solid-electrolyte, target: 60Li2S-40SiS2, method: sputtering, thickness: 1 um}
  - {name: li, kind: lithium, target: Li, method: sputtering, thickness: 5 um}
  - {name: se2, kind: solid-electrolyte, target: 60Li2S-40SiS2, method: sputtering, thickness: 1 um}
"""


def _ex5_layers(text: str) -> str:
    start, end = text.index("layers:"), text.index("atmosphere:")
    return text[:start] + RTE5 + text[end:]


CASES = [
    Case("SCH001", edit(EX1, "storage: new", "storage: [new"), "", "storage: [new"),
    Case("SCH002", edit(EX1, "    thickness: 1 um", "    thicknes: 1 um"), "layers[0].thicknes", "thicknes:"),
    Case("SCH003", edit(EX1, "route: coat-lithium-base\n", ""), "route", "recipe: example-01"),
    Case("SCH004", edit(EX1, "    thickness: 1 um", "    thickness: 1 degC"), "layers[0].thickness", "1 degC"),
    Case("SCH005", edit(EX1, "storage: new", "storage: new\nstorage: reuse"), "storage", "storage: reuse"),
    Case("SCH006", edit(EX1, RT, "    substrate_temperature: -300 degC\n"), "layers[0].substrate_temperature", "-300"),
    Case("THK001", edit(EX1, "    thickness: 1 um", "    thickness: 12 um"), "layers[0].thickness", "12 um"),
    Case("THK002", edit(EX1, "    thickness: 1 um", "    thickness: 5 um"), "layers[0].thickness", "5 um"),
    Case("THK003", edit(EX5, "thickness: 5 um", "thickness: 25 um"), "layers[0].thickness", "25 um"),
    Case("THK004", edit(EX5, "thickness: 5 um", "thickness: 15 um"), "layers[0].thickness", "15 um"),
    Case("THK005", edit(EX1, "thickness: 10 um", "thickness: 95 um"), "base.substrate.thickness", "95 um"),
    Case("THK006", edit(EX1, "width: 100 mm", "width: 0 mm"), "base.substrate.width", "0 mm"),
    Case(
        "MAP001",
        edit(EX1, DEP, "deposition: {base_pressure: 1.0e-4 Pa, geometry: {throw_distance: 0 cm}}"),
        "deposition.geometry.throw_distance",
        "throw_distance: 0 cm",
    ),
    Case(
        "MAP002",
        edit(EX1, SPEC, "spec: {min_conductivity: 1e-4 S/cm, max_thickness_nonuniformity: 5 %}"),
        "spec.max_thickness_nonuniformity",
        "max_thickness_nonuniformity",
    ),
    Case("CMP001", edit(EX1, SE_TARGET, "target: 57Li2S-38XyS2"), "layers[0].target", "XyS2"),
    Case("FLM001", edit(EX1, SE_TARGET, "target: 90Li2S-10SiS2"), "layers[0].target", "90Li2S-10SiS2"),
    Case("CMP002", edit(EX1, SE_TARGET, "target: 60Li2S-39.5P2S5-0.5Li4SiO4"), "layers[0].target", "P2S5"),
    Case("CMP003", edit(EX1, SE_TARGET, "target: 60Li2S-40LiI"), "layers[0].target", "LiI"),
    Case("CMP004", edit(EX1, SE_TARGET, "target: 40Li3PO4-10Li2S"), "layers[0].target", "40Li3PO4"),
    Case("CMP005", edit(EX1, SE_TARGET, "target: 50Li2S-30SiS2-20Li3PO4"), "layers[0].target", "20Li3PO4"),
    Case("CMP006", edit(EX1, SE_TARGET, "target: 60Li2S-40SiS2-0.01Li3PO4"), "layers[0].target", "0.01Li3PO4"),
    Case("CMP007", edit(EX5, "target: Li\n", "target: Na\n"), "layers[0].target", "target: Na"),
    Case("MAT001", edit(EX1, "material: Cu", "material: Unobtainium"), "base.substrate.material", "Unobtainium"),
    Case("MTH001", edit(EX1, "method: sputtering", "method: cvd"), "layers[0].method", "method: cvd"),
    Case("TMP001", edit(EX1, RT, "    substrate_temperature: 250 degC\n"), "layers[0].substrate_temperature", "250"),
    Case("TMP002", edit(EX1, RT, "    substrate_temperature: 37 degC\n"), "layers[0].substrate_temperature", "37"),
    Case("TMP003", edit(EX1, RT, "    substrate_temperature: 185 degC\n"), "layers[0].substrate_temperature", "185"),
    Case(
        "TMP004",
        edit(EX1, RT, "    substrate_temperature: 120 degC\n    glass_transition: 100 degC\n"),
        "layers[0].substrate_temperature",
        "120 degC",
    ),
    Case(
        "TMP005",
        edit(EX1, RT, RT + "    anneal: {temperature: 130 degC, duration: 0 h}\n"),
        "layers[0].anneal.duration",
        "anneal:",
    ),
    Case("TMP006", edit(EX1, RT, "    substrate_temperature: 10 K\n"), "layers[0].substrate_temperature", "10 K"),
    Case("ATM001", edit(EX1, ATM, "atmosphere: {gas: Xe, purity: 99.99 %}"), "atmosphere.gas", "Xe"),
    Case("ATM002", edit(EX1, ATM, "atmosphere: {gas: Ar, purity: 99.9 %}"), "atmosphere.purity", "99.9 %"),
    Case("ATM003", edit(EX1, ATM, "atmosphere: {gas: dry-air, purity: 99.99 %}"), "atmosphere", "dry-air"),
    Case(
        "ATM004",
        edit(EX1, ATM, "atmosphere: {gas: dry-air, purity: 99.99 %, dew_point: -40 degC}"),
        "atmosphere.dew_point",
        "dry-air",
    ),
    Case(
        "ATM005",
        edit(EX1, DEP, "deposition: {base_pressure: 1.0e-4 Pa, process_gas: dry-air}"),
        "deposition.process_gas",
        "process_gas",
    ),
    Case("ATM006", edit(EX1, ATM, "atmosphere: {gas: N2, purity: 99.99 %}"), "atmosphere.gas", "N2"),
    Case(
        "ATM007",
        edit(EX1, ATM, "atmosphere: {gas: Ar, purity: 99.99 %, max_h2o: 50 ppm}"),
        "atmosphere.max_h2o",
        "50 ppm",
    ),
    Case(
        "ATM009",
        edit(EX1, ATM, "atmosphere: {gas: Ar, purity: 99.99 %, max_o2: 1e6 ppm}"),
        "atmosphere.max_o2",
        "1e6 ppm",
    ),
    Case("VAC001", edit(EX1, DEP, "deposition: {base_pressure: 1e-3 Pa}"), "deposition.base_pressure", "1e-3"),
    Case(
        "VAC003",
        edit(EX1, DEP, "deposition: {base_pressure: 1e-4 Pa, working_pressure: 1e-5 Pa}"),
        "deposition.working_pressure",
        "working_pressure",
    ),
    Case(
        "RTE001",
        edit(EX5, "route: lithium-then-electrolyte", "route: coat-lithium-base"),
        "layers[0].kind",
        "kind: lithium",
    ),
    Case("RTE002", edit(EX1, "  lithium_foil: {material: Li, thickness: 50 um}\n", ""), "base", "base:"),
    Case("RTE003", edit(EX1, "route: coat-lithium-base", "route: lithium-then-electrolyte"), "layers", "layers:"),
    Case("RTE004", edit(EX5, "kind: solid-electrolyte", "kind: lithium  # last"), "layers[1].kind", "# last"),
    Case("RTE005", _ex5_layers(EX5), "layers[1].kind", "name: li,"),
    Case("LAY001", edit(EX5, "name: electrolyte", "name: lithium"), "layers[0].name", "name: lithium"),
    Case("SPC001", edit(EX1, SPEC, "spec: {min_conductivity: 1e-5 S/cm}"), "spec.min_conductivity", "1e-5"),
    Case("SPC002", edit(EX1, SPEC, "spec: {min_conductivity: 5e-3 S/cm}"), "spec.min_conductivity", "5e-3"),
    Case(
        "SPC003",
        edit(EX1, SPEC, "spec: {min_conductivity: 1e-4 S/cm, max_activation_energy: 45 kJ/mol}"),
        "spec.max_activation_energy",
        "45 kJ/mol",
    ),
    Case("ASM001", edit(CELL, "dew_point: -60 degC", "dew_point: -59 degC"), "assembly.dew_point", "-59 degC"),
    Case("ASM002", edit(CELL, "charge_to: 4.2 V", "charge_to: 4.5 V"), "assembly.test.charge_to", "4.5 V"),
    Case("ASM003", edit(CELL, "coating: 300 um", "coating: 320 um"), "assembly.positive_electrode.coating", "320 um"),
    Case(
        "PHY001",
        edit(edit(EX1, ATM, "atmosphere: {gas: N2, purity: 99.99 %}"), RT, "    substrate_temperature: 120 degC\n"),
        "layers[0].substrate_temperature",
        "120 degC",
    ),
]


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


@pytest.mark.parametrize("case", CASES, ids=[case.code for case in CASES])
def test_rule_fires_at_its_path_and_line(case: Case) -> None:
    report = validate_text(case.text, "case.yaml")
    found = [v for v in report.violations if v.code == case.code]
    assert found, f"{case.code} not reported; got {[(v.code, v.path) for v in report.violations]}"
    violation = found[0]
    assert violation.path == case.path
    assert violation.line == _line_of(case.text, case.line_of)
    assert violation.column >= 1
    assert violation.message and violation.hint and violation.source
    rule = RULES[case.code]
    assert violation.severity is rule.severity
    assert report.valid is (not any(v.is_error for v in report.violations))


def test_every_rule_has_a_breaking_case() -> None:
    assert {case.code for case in CASES} == set(RULES)


def test_unknown_key_suggests_the_close_spelling() -> None:
    report = validate_text(edit(EX1, "    thickness: 1 um", "    thicknes: 1 um"))
    (unknown,) = [v for v in report.violations if v.code == "SCH002"]
    assert "thickness" in unknown.hint


def test_missing_unit_is_explained() -> None:
    report = validate_text(edit(EX1, "    thickness: 1 um", "    thickness: 1"))
    (bad,) = [v for v in report.violations if v.code == "SCH004"]
    assert "no unit" in bad.message and "um" in bad.hint


def test_warnings_alone_keep_a_recipe_valid() -> None:
    report = validate_text(edit(EX1, "    thickness: 1 um", "    thickness: 5 um"))
    assert [v.code for v in report.violations] == ["THK002"]
    assert report.valid
