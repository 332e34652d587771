"""docs/rules.md is exactly what the rule table generates."""

from __future__ import annotations

from anodeline.docgen import render_rules
from tests.conftest import ROOT


def test_rules_doc_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rules(), "docs/rules.md is stale: run `make docs`"


def test_procedure_step_lists_are_up_to_date() -> None:
    from anodeline.docgen import render_procedures

    committed = (ROOT / "docs" / "procedures.md").read_text(encoding="utf-8")
    assert committed.count("<!-- steps ") == 3
    assert committed == render_procedures(committed, ROOT), "docs/procedures.md is stale: run `make docs`"
