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


def test_rules_doc_lists_every_code_under_its_checker() -> None:
    from anodeline.codes import CHECKERS, all_codes

    text = render_rules()
    sections = {
        checker.name: text.split(f"\n## {checker.title}\n")[1].split("\n## ")[0] for checker in CHECKERS.values()
    }
    for entry in all_codes():
        assert f"\n### {entry.code}\n" in sections[entry.checker], entry.code
    assert "\n### PMP001\n" in sections["interlock"] and "\n### VAC001\n" in sections["recipe"]
