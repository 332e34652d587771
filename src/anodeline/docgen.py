"""Generate docs/rules.md from the rule table, so the documentation cannot drift.

Run ``python -m anodeline.docgen`` (or ``make docs``); a test fails when the
committed file differs from what this module writes.
"""

from __future__ import annotations

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


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    target.write_text(render_rules(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
