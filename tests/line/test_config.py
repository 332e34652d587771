"""Line configurations: the shipped lines load; bad ones are reported with a code and a location."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from anodeline import window
from anodeline.line.errors import LineConfigError
from anodeline.line.load import load_line, validate_line_file, validate_line_text
from anodeline.units import Q_
from tests.conftest import LINE_NAMES, LINES
from tests.corpus import expected

GOOD = (LINES / "fig1.yaml").read_text()


@pytest.mark.parametrize("name", LINE_NAMES)
def test_shipped_line_is_valid(name: str) -> None:
    line = load_line(LINES / f"{name}.yaml")
    assert line.line == name
    assert line.apparatus


def test_fig1_has_separate_inlet_and_outlet() -> None:
    line = load_line(LINES / "fig1.yaml")
    app = line.apparatus["system-1"]
    assert (app.inlet, app.outlet) == ("chamber-4", "chamber-5")
    assert line.load_port("chamber-4") == "port-4"
    assert line.spaces["chamber-4"].volume_m3 == pytest.approx(0.4)


def test_single_port_uses_one_chamber() -> None:
    app = load_line(LINES / "single-port.yaml").apparatus["system-1"]
    assert app.inlet == app.outlet


def _codes(text: str) -> list[str]:
    return [v.code for v in validate_line_text(text).violations if v.is_error]


def test_door_to_a_missing_space_is_reported_at_its_line() -> None:
    text = GOOD.replace("inlet-2: {between: [chamber-4, apparatus-1]}", "inlet-2: {between: [chamber-4, apparatus-9]}")
    report = validate_line_text(text)
    found = [v for v in report.violations if v.code == "LIN002"]
    assert found and found[0].path == "doors.inlet-2.between[1]"
    assert found[0].line == text.splitlines().index("  inlet-2: {between: [chamber-4, apparatus-9]}") + 1


def test_apparatus_with_no_way_in() -> None:
    text = GOOD.replace("  inlet-2: {between: [chamber-4, apparatus-1]}\n", "")
    assert "LIN004" in _codes(text)


def test_chamber_without_a_pump() -> None:
    text = GOOD.replace("    pump: rotary-4\n", "", 1)
    assert "LIN006" in _codes(text)


def test_missing_unit_is_a_schema_violation_not_a_traceback() -> None:
    report = validate_line_text(GOOD.replace("volume: 400 L", "volume: 400", 1))
    assert report.line is None
    assert report.violations[0].code == "LSC004"
    assert "unit" in report.violations[0].message


def test_unknown_key_and_bad_yaml() -> None:
    assert _codes(GOOD.replace("pump: rotary-4", "pmup: rotary-4", 1)) == ["LSC002"]
    assert _codes("line: [unclosed") == ["LSC001"]


def test_load_line_raises_with_violations(tmp_path: object) -> None:
    with pytest.raises(LineConfigError) as info:
        load_line(LINES / "no-such-line.yaml")
    assert "no such line file" in info.value.message


LINE_CORPUS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "bounds" / "lines").glob("*.yaml"))


@pytest.mark.parametrize("path", LINE_CORPUS, ids=[p.stem for p in LINE_CORPUS])
def test_hostile_line_is_refused_at_its_location(path: Path) -> None:
    """tests/corpus/bounds/lines: fig1 with one policy or quantity out of its range, each a located error."""
    report = validate_line_file(path)
    assert not report.valid
    found = {(v.code, v.path): v for v in report.errors}
    for code, where in expected(path):
        assert (code, where) in found, f"{code} at {where} not reported; got {sorted(found)}"
        violation = found[(code, where)]
        assert violation.line > 2 and violation.column >= 1 and violation.hint and violation.source
    with pytest.raises(LineConfigError) as info:
        load_line(path)
    assert info.value.location.startswith(f"{path}:")


def test_the_shipped_policies_are_inside_the_bounds() -> None:
    for name in LINE_NAMES:
        report = validate_line_file(LINES / f"{name}.yaml")
        assert not {v.code for v in report.violations} & {"POL001", "POL002", "POL003", "LSC006"}, name


def test_the_vacuum_bound_holds_no_more_oxygen_than_99_99_percent_gas() -> None:
    o2_pa_at_bound = window.AIR_O2_FRACTION * window.VACUUM_BELOW_PA.high
    assert o2_pa_at_bound == pytest.approx(window.IMPURITY_MAX_PPM * 1e-6 * window.ATMOSPHERE_PA, rel=1e-3)
    assert window.VACUUM_BELOW_PA.high < 100.0  # inside the medium-vacuum range (ISO 3529-1)


def test_importing_the_line_language_builds_no_unit_registry() -> None:
    """Issue 9: pint's registry is built when a quantity is first read, not at import (Line.policy's default)."""
    code = (
        "import anodeline.line.config, anodeline.line.machine\n"
        "from anodeline.units import registry\n"
        "print(registry.cache_info().currsize)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"


def test_the_si_floats_are_converted_once_and_follow_a_copy() -> None:
    """The floats the engine reads are the quantities in SI, kept; a copy with new values gets new floats."""
    line = load_line(LINES / "fig1.yaml")
    space, supply = line.spaces["chamber-4"], line.supplies["argon"]
    assert space.volume_m3 is space.volume_m3  # converted once, then read
    assert line.policy.vacuum_below_pa == float(line.policy.vacuum_below.to("Pa").magnitude)
    bad = supply.model_copy(update={"purity": Q_(0.995, "dimensionless")})
    assert (supply.purity_fraction, bad.purity_fraction) == (0.9999, 0.995)
    bigger = space.model_copy(update={"volume": Q_(800.0, "L")})
    assert bigger.volume_m3 == pytest.approx(0.8) and space.volume_m3 == pytest.approx(0.4)
    assert line.model_copy() == line and hash(supply.model_copy()) == hash(supply)
