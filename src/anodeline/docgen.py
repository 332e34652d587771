"""Generate the parts of the docs that code can state, so the documentation cannot drift.

- ``docs/rules.md`` from the rule table;
- the numbered step lists in ``docs/procedures.md`` (between ``<!-- steps RECIPE@LINE -->``
  markers) from the compiler.

Run ``python -m anodeline.docgen`` (or ``make docs``); a test fails when a committed file
differs from what this module writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from anodeline.recipe.rules import RULES

HEADER = """# Validation rules

Generated from the rule table (`src/anodeline/recipe/rules/`) by `python -m anodeline.docgen`;
do not edit by hand. `anodeline explain CODE` prints one rule; `anodeline rules` lists them.

Every violation carries: severity, code, recipe path (`layers[0].thickness`), YAML line and
column, message, hint and source. Errors make `anodeline validate` exit 1; warnings do not.

Claim numbers refer to CA 2,350,384 C (the patent in `shared/seed`). Composition rules are
checked on the nominal composition of the target.

| group | topic |
|---|---|
| SCH | structure: YAML syntax, keys, types and units |
| THK | film and base thickness windows |
| CMP, MAT, MTH | materials: composition windows, lithium alloys, substrates, deposition methods |
| TMP | heating limits |
| ATM, VAC | atmosphere, gas purity, dew point, vacuum |
| RTE, LAY | route consistency and layer order |
| SPC | acceptance specification |
| PHY | physical sense beyond the claims |
"""


def render_rules() -> str:
    lines = [HEADER, "## Summary\n", "| code | severity | rule | source |", "|---|---|---|---|"]
    ordered = sorted(RULES.values(), key=lambda r: r.code)
    lines += [f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {r.title} | {r.source} |" for r in ordered]
    lines.append("")
    for r in ordered:
        lines += [
            f"## {r.code}",
            "",
            f"**{r.title}** ({r.severity.value})",
            "",
            r.description,
            "",
            f"- Fix: {r.hint}",
            f"- Source: {r.source}",
            "",
        ]
    return "\n".join(lines)


_STEPS = re.compile(r"(<!-- steps (\S+)@(\S+) [^>]*-->\n)(.*?)(<!-- /steps -->)", re.S)


def render_steps(recipe: str, line: str, root: Path) -> str:
    """The numbered steps of ``examples/patent/RECIPE.yaml`` compiled for ``examples/lines/LINE.yaml``."""
    from anodeline.line import load_line
    from anodeline.procedure import compile_procedure
    from anodeline.recipe.validate import load_recipe

    procedure = compile_procedure(
        load_recipe(root / "examples" / "patent" / f"{recipe}.yaml"),
        load_line(root / "examples" / "lines" / f"{line}.yaml"),
    )
    rows = []
    for index, action in enumerate(procedure.steps):
        args = ", ".join(f"{k}={v}" for k, v in action.to_dict().items() if k not in ("action", "manual"))
        who = " (glove)" if action.glove else (" (operator)" if action.manual else "")
        note = procedure.note(index)
        rows.append(f"{index}. `{action.kind}` {args}{who}" + (f" — {note}" if note else ""))
    return "\n".join(rows) + "\n"


def render_procedures(text: str, root: Path) -> str:
    """``docs/procedures.md`` with every marked step list regenerated."""
    return _STEPS.sub(lambda m: m.group(1) + render_steps(m.group(2), m.group(3), root) + m.group(5), text)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[2]
    rules = root / "docs" / "rules.md"
    rules.write_text(render_rules(), encoding="utf-8")
    procedures = root / "docs" / "procedures.md"
    procedures.write_text(render_procedures(procedures.read_text(encoding="utf-8"), root), encoding="utf-8")
    print(f"wrote {rules} and {procedures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
