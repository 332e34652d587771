"""Campaign files: read with their recipes and lines; each problem located with its code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from anodeline.campaign.errors import CampaignError
from anodeline.campaign.load import load_campaign, off_shift, validate_campaign_text
from anodeline.campaign.schema import Shifts
from anodeline.errors import UnreadableInputError
from tests.conftest import EXAMPLES

CAMPAIGNS = EXAMPLES / "campaigns"

GOOD = """campaign: t
start: 2025-03-10T06:00:00Z
lines: [{lines}/fig1.yaml]
orders:
  - {{recipe: {patent}/example-01.yaml, count: 2, due: 2025-03-12T06:00:00Z}}
"""


def _text(**changes: str) -> str:
    text = GOOD.format(lines=EXAMPLES / "lines", patent=EXAMPLES / "patent")
    for old, new in changes.items():
        text = text.replace(old.replace("_", " "), new)
    return text


def _codes(text: str) -> list[tuple[str, int]]:
    report = validate_campaign_text(text, str(CAMPAIGNS / "x.yaml"))
    return [(v.code, v.line) for v in report.errors]


@pytest.mark.parametrize("path", sorted(CAMPAIGNS.glob("*.yaml")))
def test_shipped_campaigns_load(path: Path) -> None:
    if path.name in ("fig1-b.yaml", "what-if.yaml"):
        return
    campaign = load_campaign(path)
    assert campaign.problem().batches


def test_a_good_campaign_has_batches_with_due_seconds_after_its_start() -> None:
    report = validate_campaign_text(_text(), str(CAMPAIGNS / "x.yaml"))
    assert report.valid and report.campaign is not None
    problem = report.campaign.problem()
    assert [b.due_s for b in problem.batches] == [2 * 86400, 2 * 86400]


def test_bad_inputs_are_located_with_their_codes() -> None:
    assert _codes(_text(**{"count: 2": "count: 0"})) == [("CPG010", 5)]
    assert _codes(_text(**{"2025-03-12T06": "2025-03-01T06"})) == [("CPG012", 5)]
    assert _codes(_text(**{"example-01.yaml": "nope.yaml"})) == [("CPG006", 5)]
    assert _codes(_text(**{"example-01.yaml": "two-apparatus-01.yaml"})) == [("CPG009", 5)]
    assert _codes(_text(**{"fig1.yaml": "none.yaml"})) == [("CPG008", 3)]
    assert _codes(_text(**{"campaign: t": "campaign: t\noperators: 0"})) == [("CPG011", 2)]
    assert "CPG002" in {code for code, _ in _codes(_text(**{"count": "cuont"}))}
    assert _codes("campaign: [")[0][0] == "CPG001"


def test_load_raises_with_every_violation_and_unreadable_files_are_usage_errors(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text(_text(**{"count: 2": "count: -1"}))
    with pytest.raises(CampaignError) as caught:
        load_campaign(bad)
    assert caught.value.location == f"{bad}:5:41" or caught.value.location.startswith(f"{bad}:5:")
    with pytest.raises(UnreadableInputError):
        load_campaign(tmp_path / "missing.yaml")


def test_off_shift_windows_fall_between_shifts() -> None:
    start = dt.datetime(2025, 3, 10, 6, 0, tzinfo=dt.UTC)  # a Monday
    windows = off_shift(start, Shifts(days=("mon", "tue")), 3 * 86400)
    assert windows == ((16 * 3600, 24 * 3600), (40 * 3600, 3 * 86400))
