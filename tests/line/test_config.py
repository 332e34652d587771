"""Line configurations: the shipped lines load; bad ones are reported with a code and a location."""

from __future__ import annotations

import pytest

from anodeline.line.errors import LineConfigError
from anodeline.line.load import load_line, validate_line_text
from tests.conftest import LINE_NAMES, LINES

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
