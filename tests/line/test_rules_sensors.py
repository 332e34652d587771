"""SEN001: every space where a sensitive item can be unsealed at pressure has an O2 and an H2O analyser."""

from __future__ import annotations

import pytest

from anodeline.line.errors import LineConfigError
from anodeline.line.load import load_line, validate_line_text
from anodeline.line.rules import LINE_RULES
from tests.conftest import LINE_NAMES, LINES

GOOD = (LINES / "fig1.yaml").read_text()


def _sen001(text: str) -> list[tuple[str, str]]:
    return [(v.path, v.message) for v in validate_line_text(text).violations if v.code == "SEN001"]


@pytest.mark.parametrize("name", LINE_NAMES)
def test_every_shipped_line_measures_o2_and_h2o_wherever_items_are_unsealed(name: str) -> None:
    assert _sen001((LINES / f"{name}.yaml").read_text()) == []


def test_a_line_without_analysers_in_chamber_5_is_refused_with_the_location() -> None:
    lines = [line for line in GOOD.splitlines(keepends=True) if "space: chamber-5, measures: o2" not in line]
    lines = [line for line in lines if "space: chamber-5, measures: h2o" not in line]
    text = "".join(lines)
    found = _sen001(text)
    assert ("spaces.chamber-5", "glove-chamber 'chamber-5' has no O2 analyser") in found
    assert ("spaces.chamber-5", "glove-chamber 'chamber-5' has no H2O or dew-point analyser") in found
    report = validate_line_text(text)
    violation = next(v for v in report.violations if v.code == "SEN001")
    assert violation.is_error and violation.line == text.splitlines().index("  chamber-5:") + 1
    assert not report.valid


def test_a_dew_point_meter_counts_as_the_h2o_analyser() -> None:
    text = GOOD.replace("{space: chamber-5, measures: h2o}", "{space: chamber-5, measures: dew-point}")
    assert _sen001(text) == []


def test_an_apparatus_without_analysers_is_refused_by_load_line(tmp_path: object) -> None:
    from pathlib import Path

    text = "".join(line for line in GOOD.splitlines(keepends=True) if "space: apparatus-1, measures: o2" not in line)
    path = Path(str(tmp_path)) / "line.yaml"
    path.write_text(text)
    with pytest.raises(LineConfigError) as info:
        load_line(path)
    assert "SEN001" in info.value.message and info.value.location.startswith(str(path))


def test_the_rule_has_a_source_and_a_hint() -> None:
    rule = LINE_RULES["SEN001"]
    assert rule.source and "claims" in rule.source and "dew-point" in rule.hint
