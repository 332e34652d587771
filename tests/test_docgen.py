"""docs/rules.md is exactly what the rule table generates."""

from __future__ import annotations

from anodeline.docgen import render_rules
from tests.conftest import ROOT


def test_rules_doc_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rules(), "docs/rules.md is stale: run `make docs`"
